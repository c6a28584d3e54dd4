"""Findings (and document summaries) held compressed while the reduce phase runs.

A 100,000-document run produces about 450,000 findings, most of them from the corpus
rules (a DUP002 or DUP004 finding lists five other documents, their regions and a long
message: 1.7-2 KB of Python objects each). The reduce phase still holds every document's
facts and builds its own indexes on top, so that is also when the run reaches its peak
memory. :class:`PackedFindings` keeps the findings found so far as pickled, zlib-compressed
batches (about a thirteenth of their size as objects, since paths and message wording
repeat) until the facts are released, then gives them back in the order they were added.
:class:`PackedSummaries` does the same for the documents' summaries (measures and line
roles, about 800 bytes a document as objects).
"""

from __future__ import annotations

import pickle
import zlib
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Generic, TypeVar

from .findings import Finding, RelatedLocation, Severity
from .location import Region
from .report import DocumentSummary

T = TypeVar("T")

#: Findings per compressed batch: large enough for zlib to find the repeats, small enough
#: that unpacking one batch at a time adds little to the memory of the findings themselves.
BATCH = 2048
#: The first items are kept as they are: packing costs ~10-30 us an item, which a run of a
#: few thousand documents (whose findings take a few MB) should not pay.
KEEP = 16384


class Packed(Generic[T]):
    """An append-only sequence, pickled and compressed in batches; :meth:`drain` empties it.

    ``flat`` turns an item into plain values (tuples, strings, numbers: pickled in C, far
    faster than dataclasses, which Python restores field by field through
    ``dataclasses.fields``) and ``unflat`` builds it again. A batch ``flat`` refuses
    (:class:`NotPlain`) or pickle cannot handle is kept as it is: packing saves memory, it
    never loses or changes an item.
    """

    def __init__(self, flat: Callable[[T], Any], unflat: Callable[[Any], T], batch: int = BATCH,
                 keep: int = KEEP) -> None:
        self._flat, self._unflat = flat, unflat
        self._batch = batch
        self._keep = keep
        self._batches: list[bytes | list[T]] = []
        self._pending: list[T] = []
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def append(self, item: T) -> None:
        self._pending.append(item)
        self._count += 1
        if len(self._pending) >= self._batch:
            self._pack()

    def extend(self, items: Iterable[T]) -> None:
        for item in items:
            self.append(item)

    def _pack(self) -> None:
        pending, self._pending = self._pending, []
        if self._count <= self._keep:  # a small run: not worth the time
            self._batches.append(pending)
            return
        try:
            self._batches.append(zlib.compress(pickle.dumps([self._flat(item) for item in pending],
                                                            protocol=pickle.HIGHEST_PROTOCOL), 1))
        except Exception:  # NotPlain, or anything pickling raises (e.g. a plugin's unpicklable value)
            self._batches.append(pending)

    def extend_flat(self, rows: Iterable[Any]) -> None:
        """Add items given as :meth:`drain_flat` gave them (flat values, or an item ``flat``
        refused), without building the items now."""
        chunk: list[Any] = []
        for row in rows:
            if type(row) is tuple:
                chunk.append(row)
                if len(chunk) >= self._batch:
                    self._add_flat(chunk)
                    chunk = []
            else:
                if chunk:
                    self._add_flat(chunk)
                    chunk = []
                self.append(row)
        if chunk:
            self._add_flat(chunk)

    def _add_flat(self, chunk: list[Any]) -> None:
        if self._pending:
            self._pack()
        self._batches.append(zlib.compress(pickle.dumps(chunk, protocol=pickle.HIGHEST_PROTOCOL), 1))
        self._count += len(chunk)

    def drain_flat(self) -> Iterator[Any]:
        """Every item as its flat values (an item ``flat`` refuses as itself), in the order added."""
        batches, pending = self._batches, self._pending
        self._batches, self._pending, self._count = [], [], 0
        batches.reverse()
        while batches:
            batch = batches.pop()
            yield from (pickle.loads(zlib.decompress(batch)) if isinstance(batch, bytes)
                        else map(self._flat_or_item, batch))
        yield from map(self._flat_or_item, pending)

    def _flat_or_item(self, item: T) -> Any:
        try:
            return self._flat(item)
        except NotPlain:
            return item

    def drain(self) -> Iterator[T]:
        """Every item, in the order added; each batch is released as it is unpacked."""
        batches, pending = self._batches, self._pending
        self._batches, self._pending, self._count = [], [], 0
        batches.reverse()  # pop from the end: each batch is freed as soon as it is unpacked
        while batches:
            batch = batches.pop()
            if isinstance(batch, bytes):
                yield from map(self._unflat, pickle.loads(zlib.decompress(batch)))
            else:
                yield from batch
        yield from pending


class PackedFindings(Packed[Finding]):
    """Findings, packed (see the module docstring)."""

    def __init__(self, batch: int = BATCH, keep: int = KEEP) -> None:
        super().__init__(_flat, _unflat, batch, keep)


class PackedSummaries(Packed[DocumentSummary]):
    """Document summaries (measures, line roles), packed while the reduce phase runs."""

    def __init__(self, batch: int = BATCH, keep: int = KEEP) -> None:
        super().__init__(_flat_summary, _unflat_summary, batch, keep)


class NotPlain(Exception):
    """An item built from subclasses (or of a kind ``flat`` does not know): packed as plain
    values it would come back as the base classes."""


def _flat_region(region: Region) -> tuple[Any, Any, Any, Any]:
    if type(region) is not Region:
        raise NotPlain
    return region.line, region.column, region.end_line, region.end_column


def _flat(finding: Finding) -> tuple[Any, ...]:
    if type(finding) is not Finding:
        raise NotPlain
    related = []
    for location in finding.related:
        if type(location) is not RelatedLocation:
            raise NotPlain
        related.append((location.path, *_flat_region(location.region), location.message))
    return (finding.code, finding.message, finding.path, *_flat_region(finding.region), tuple(related),
            None if finding.severity is None else finding.severity.value, finding.anchor, finding.fingerprint,
            type(finding.related) is list)


_new = object.__new__
_set = object.__setattr__
_SEVERITIES: dict[str | None, Severity | None] = {None: None, **{s.value: s for s in Severity}}


def _region(line: Any, column: Any, end_line: Any, end_column: Any) -> Region:
    # the values came from a Region: no need to validate them again (Region.__post_init__)
    region = _new(Region)
    _set(region, "line", line)
    _set(region, "column", column)
    _set(region, "end_line", end_line)
    _set(region, "end_column", end_column)
    return region


def _unflat(values: tuple[Any, ...]) -> Finding:
    code, message, path, line, column, end_line, end_column, related, severity, anchor, fingerprint, listed = values
    locations = []
    for other, *where, text in related:
        location = _new(RelatedLocation)
        _set(location, "path", other)
        _set(location, "region", _region(*where))
        _set(location, "message", text)
        locations.append(location)
    finding = _new(Finding)
    for name, value in (("code", code), ("message", message), ("path", path),
                        ("region", _region(line, column, end_line, end_column)),
                        ("related", locations if listed else tuple(locations)),
                        ("severity", _SEVERITIES[severity]), ("anchor", anchor), ("fingerprint", fingerprint)):
        _set(finding, name, value)
    return finding


def _flat_summary(summary: DocumentSummary) -> tuple[Any, ...]:
    if type(summary) is not DocumentSummary:
        raise NotPlain
    return summary.path, summary.encoding, summary.lines, summary.measures, summary.line_roles


def _unflat_summary(values: tuple[Any, ...]) -> DocumentSummary:
    summary = _new(DocumentSummary)
    for name, value in zip(("path", "encoding", "lines", "measures", "line_roles"), values):
        _set(summary, name, value)
    return summary
