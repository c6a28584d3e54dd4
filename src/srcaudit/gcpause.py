"""Pausing Python's cyclic garbage collector while a run collects its results.

The main process of a run receives every document's outcome from the pool (findings,
facts: millions of small lists, dicts and tuples) and then runs the reduce phase over
them. None of that is cyclic garbage, yet each full collection walks all of it again:
on the BBC corpus that was about a third of the main process's CPU time. Reference
counting still frees everything as usual; only the cycle detector waits until the end.

Forked pool workers inherit the paused state, so it is lifted in every child at fork:
a worker collects as it always did.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager

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
    """Run the body with the cyclic collector off (if it was on), then switch it back on."""
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
        gc.enable()
