"""Findings held compressed while the reduce phase runs.

A 100,000-document run produces about 450,000 findings, most of them from the corpus
rules (a DUP002 or DUP004 finding lists five other documents, their regions and a long
message: 1.7-2 KB of Python objects each). The reduce phase still holds every document's
facts and builds its own indexes on top, so that is also when the run reaches its peak
memory. :class:`PackedFindings` keeps the findings found so far as pickled, zlib-compressed
batches (about a thirteenth of their size as objects, since paths and message wording
repeat) until the facts are released, then gives them back in the order they were added.
"""

from __future__ import annotations

import pickle
import zlib
from collections.abc import Iterable, Iterator

from .findings import Finding

#: Findings per compressed batch: large enough for zlib to find the repeats, small enough
#: that unpacking one batch at a time adds little to the memory of the findings themselves.
BATCH = 2048


class PackedFindings:
    """An append-only sequence of findings, compressed in batches; :meth:`drain` empties it.

    A batch that cannot be pickled (a plugin put something odd in a finding) is kept as
    it is: packing saves memory, it never loses or changes a finding.
    """

    def __init__(self, batch: int = BATCH) -> None:
        self._batch = batch
        self._batches: list[bytes | list[Finding]] = []
        self._pending: list[Finding] = []
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def append(self, finding: Finding) -> None:
        self._pending.append(finding)
        self._count += 1
        if len(self._pending) >= self._batch:
            self._pack()

    def extend(self, findings: Iterable[Finding]) -> None:
        for finding in findings:
            self.append(finding)

    def _pack(self) -> None:
        pending, self._pending = self._pending, []
        try:
            self._batches.append(zlib.compress(pickle.dumps(pending, protocol=pickle.HIGHEST_PROTOCOL), 1))
        except Exception:  # anything pickling raises (e.g. a plugin's unpicklable value)
            self._batches.append(pending)

    def drain(self) -> Iterator[Finding]:
        """Every finding, in the order added; each batch is released as it is unpacked."""
        batches, pending = self._batches, self._pending
        self._batches, self._pending, self._count = [], [], 0
        batches.reverse()  # pop from the end: each batch is freed as soon as it is unpacked
        while batches:
            batch = batches.pop()
            yield from (pickle.loads(zlib.decompress(batch)) if isinstance(batch, bytes) else batch)
        yield from pending
