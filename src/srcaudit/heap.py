"""Keep Python's cycle collector out of a corpus hook: it finds nothing there and costs seconds.

In the reduce phase the main process holds every document's facts: millions of objects
at 100k documents. A corpus hook makes millions more (story pairs, unpacked rows that its
caches keep a while and drop, findings), and the collector, counting allocations, keeps
walking them, and every few collections the whole heap, facts included, looking for
reference cycles that are not there: the hooks build tuples, lists, dicts and named
tuples that reference counting frees as soon as they are dropped. With the pickled facts of
corpus-100000 (after a full collection, as in a run), the consistency hook took 17.6 s CPU
with the collector on, 14.4 s with the facts frozen out of it (``gc.freeze``: the hook's
own pairs and rows were still walked 30 times) and 10.5 s with the collector paused.

:func:`collector_paused` pauses it for a block, as :mod:`srcaudit.cache` does while it
reads the cache. A cycle made inside the block (an exception's traceback, say) is
collected after it; nothing else changes.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run the block with the cycle collector off (if it was on; it is switched back on after)."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
