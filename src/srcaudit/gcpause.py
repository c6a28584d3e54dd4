"""Pausing Python's cyclic garbage collector while a run collects its results.

The main process of a run receives every document's outcome from the pool (findings,
facts: millions of small lists, dicts and tuples) and then runs the reduce phase over
them. None of that is cyclic garbage, yet each full collection walks all of it again:
on the BBC corpus that was about a third of the main process's CPU time. Reference
counting still frees everything as usual; only the cycle detector waits until the end.

Any forked child inherits the paused state, so it is lifted in every child at fork. Pool
workers then collect in large steps instead (:class:`BatchCollector`): the automatic
collector ran about 200 young collections per worker on the BBC corpus (~0.2 s CPU each
worker) and found no garbage, because the map phase makes no reference cycles; the main
process of a ``--jobs 1`` run maps with the collector paused for the same reason.
"""

from __future__ import annotations

import atexit
import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

_paused = False


def _resume_in_child() -> None:
    global _paused
    if _paused:
        _paused = False
        gc.enable()


if hasattr(os, "register_at_fork"):  # POSIX; elsewhere workers are spawned afresh, collector on
    os.register_at_fork(after_in_child=_resume_in_child)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run the body with the cyclic collector off (if it was on), then switch it back on.

    Everything the body allocated is still in the youngest generation when it ends, so the
    first allocation after switching the collector back on would start a young collection
    over all of it (0.5 s after a 10,000-document run, seconds at 100,000), and its
    survivors would soon set off a full one. They are moved to the oldest generation
    first, unscanned (``freeze`` then ``unfreeze``: two list splices).
    """
    global _paused
    if not gc.isenabled() or _paused:
        yield
        return
    gc.disable()
    _paused = True
    try:
        yield
    finally:
        _paused = False
        gc.freeze()
        gc.unfreeze()
        gc.enable()


@dataclass
class BatchCollector:
    """The cyclic collector switched off, with one young collection every ``every`` documents.

    For a process that maps many documents one after another (a pool worker). A plugin
    that does leave reference cycles behind still gets them collected, ``every`` documents
    at a time: memory stays bounded. The first collection walks every cache built so far
    (~40 ms after 1,000 BBC articles), later ones only what is new: generation 1 is
    enough, objects that survive it are long-lived and are not walked again.
    """

    every: int = 2000
    _done: int = 0

    def start(self) -> None:
        """Switch automatic collection off in this process (call once, in the worker)."""
        gc.disable()

    def document_done(self) -> None:
        """Count one mapped document; collect when ``every`` of them are done."""
        self._done += 1
        if self._done % self.every == 0:
            gc.collect(1)


_freezing_at_exit = False


def freeze_at_exit() -> None:
    """Freeze every object when the interpreter exits, before its final collections.

    A run leaves its report and caches behind; at exit the interpreter collects once
    more and walks all of them (~35 ms of a BBC run, after the output is written, while
    the user waits) only to find nothing. Frozen objects are skipped. Registered once
    per process; objects are still freed normally until then.
    """
    global _freezing_at_exit
    if not _freezing_at_exit:
        _freezing_at_exit = True
        atexit.register(gc.freeze)
