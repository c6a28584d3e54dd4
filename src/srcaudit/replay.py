"""The last run's results, per document, for a warm run to replay where nothing changed.

Why: with the per-document cache and the incremental reduce (:mod:`.incremental`), what
was left of a warm run at 100,000 documents was work over every finding whether its
document changed or not: loading every outcome, taking it apart, fingerprinting and
sorting some 440,000 findings and rendering them (about 10 s of 13 s with one file
changed). A document's reported findings depend only on

- its own findings from the map phase (a function of its bytes: its cache key),
- each corpus plugin's findings and measures on it, which an incremental run takes from
  the plugin's update when the document is affected and from the plugin's base otherwise,
- the fingerprints, numbered per (code, path, anchor) within the document, and
- the sifting, by ``[per-file-ignores]`` and the document's own suppression markers;

so a run with a cache saves every document's reported results (:class:`DocumentRecord`,
with the text the reporter rendered for them), and the next run recomputes only the
documents whose key changed or that an update answered for, now or in the run that saved
the results (both against the same base: :attr:`Snapshot.plugins`). Every other document's
record is replayed as saved (:func:`srcaudit.engine.audit`, :func:`srcaudit.check.run_check`).

The saved results belong to one run key (code, plugins, options) and one *scope*
(:func:`scope_key`: the folders named, the severities, the per-file ignores). Options that
look at findings across documents (``--baseline``, ``--write-baseline``, ``--corpus``,
``--show-suppressed``) make a normal run that neither reads nor saves them.

Records keep findings as plain values (:mod:`.packing`'s flat rows), pickled per document:
a replayed document's findings are built only if a reporter asks for them as objects. A
reporter that renders each document's findings as a block (:meth:`Report.finding_blocks
<srcaudit.report.Report.finding_blocks>`) is handed the saved text instead.
"""

from __future__ import annotations

import hashlib
import json
import pickle
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar, overload

from .findings import Finding, Severity
from .packing import NotPlain, _flat, _flat_summary, _unflat, _unflat_summary
from .report import DocumentSummary, Problem

T = TypeVar("T")

#: Bump when a record's layout changes: saved results of another layout are not read.
LAYOUT = 5
_SEVERITY_ORDER = (Severity.INFO, Severity.WARNING, Severity.ERROR)
_SEVERITY_INDEX = {severity: index for index, severity in enumerate(_SEVERITY_ORDER)}


@dataclass(slots=True)
class DocumentRecord:
    """One document's results as a run reported them.

    ``findings``, ``summary`` and ``problems`` are pickled plain values, unpickled only
    when something reads them; ``objects`` and ``summary_object`` hold them as objects
    while the run that made them still has them (never saved).
    """

    #: The document's cache key in that run; None: never replayed (recomputed every run).
    key: str | None
    #: Whether its facts reached the reduce phase.
    in_corpus: bool
    #: Reported findings by severity: info, warning, error.
    counts: tuple[int, int, int]
    findings: bytes | None
    summary: bytes | None
    #: (map-phase problems, notices about its markers, unused-marker notices), or None.
    problems: bytes | None
    #: Text as rendered for this document by :meth:`Report.finding_blocks` and
    #: :meth:`Report.document_blocks`, by tag (the formats the last run printed).
    blocks: dict[str, str] = field(default_factory=dict)
    #: How many reported findings of each rule: ``(code, count)`` pairs.
    codes: tuple[tuple[str, int], ...] = ()
    objects: list[Finding] | None = None
    summary_object: DocumentSummary | None = None

    @property
    def count(self) -> int:
        return sum(self.counts)

    def finding_objects(self) -> list[Finding]:
        if self.objects is not None:
            return self.objects
        return [] if self.findings is None else [_unflat(row) if type(row) is tuple else row
                                                 for row in pickle.loads(self.findings)]

    def document_summary(self) -> DocumentSummary | None:
        if self.summary_object is not None:
            return self.summary_object
        if self.summary is None:
            return None
        summary = pickle.loads(self.summary)
        return _unflat_summary(summary) if type(summary) is tuple else summary

    def problem_lists(self) -> tuple[list[Problem], list[Problem], list[Problem]]:
        return ([], [], []) if self.problems is None else pickle.loads(self.problems)

    def saved(self) -> tuple[Any, ...]:
        return (self.key, self.in_corpus, self.counts, self.findings, self.summary, self.problems, self.blocks,
                self.codes)


def new_record(key: str | None, in_corpus: bool, findings: list[Finding], summary: DocumentSummary | None,
               problems: list[Problem], notices: list[Problem], unused: list[Problem]) -> DocumentRecord:
    """The record of a document whose results this run computed (``findings``: reported, sorted)."""
    counts = [0, 0, 0]
    codes: dict[str, int] = {}
    for finding in findings:
        counts[_SEVERITY_INDEX[finding.severity or Severity.WARNING]] += 1
        codes[finding.code] = codes.get(finding.code, 0) + 1
    return DocumentRecord(
        key, in_corpus, (counts[0], counts[1], counts[2]),
        _packed([_plain(_flat, finding) for finding in findings]) if findings else None,
        None if summary is None else _packed(_plain(_flat_summary, summary)),
        _packed((problems, notices, unused)) if problems or notices or unused else None,
        codes=tuple(sorted(codes.items())), objects=findings, summary_object=summary)


def _plain(flat: Callable[[Any], tuple[Any, ...]], item: Any) -> Any:
    """``item`` as plain values, or itself when it is built from subclasses (a plugin's own
    Finding or Region class), which plain values would not give back."""
    try:
        return flat(item)
    except NotPlain:
        return item


def _packed(value: Any) -> bytes:
    # Not compressed: at 100k documents zlib (level 1) took 3.8 s of the run that saves the
    # results and saved 0.2 s of reading and writing them (290 -> 180 MB) in a warm run.
    return pickle.dumps(value, pickle.HIGHEST_PROTOCOL)


@dataclass
class Snapshot:
    """A run's records by path (in path order), and what its corpus plugins' results rested on."""

    records: dict[str, DocumentRecord]
    #: Corpus plugin -> (token of the base its results came from, documents its update answered for).
    plugins: dict[str, tuple[str, frozenset[str]]]

    def saved(self, tags: set[str] | None = None) -> tuple[Any, ...]:
        """The snapshot as saved; with ``tags``, records keep the text of those tags only (the
        formats this run printed: a format used once must not weigh on every later run)."""
        if tags is not None:
            for record in self.records.values():
                if record.blocks.keys() - tags:
                    record.blocks = {tag: text for tag, text in record.blocks.items() if tag in tags}
        return LAYOUT, {path: record.saved() for path, record in self.records.items()}, self.plugins

    @classmethod
    def from_saved(cls, saved: Any) -> Snapshot | None:
        """The snapshot saved as :meth:`saved` wrote it; None for anything else."""
        try:
            layout, records, plugins = saved
            if layout != LAYOUT or not isinstance(records, dict) or not isinstance(plugins, dict):
                return None
            return cls({path: DocumentRecord(*values) for path, values in records.items()}, plugins)
        except (TypeError, ValueError):
            return None


def scope_key(key_of_run: str, paths: Iterable[str], severities: Mapping[str, Severity],
              per_file_ignores: Any, codes: Iterable[str]) -> str:
    """What, besides the run key, decides the reported results: the same for two runs whose
    saved results may stand in for each other."""
    scope = {"run": key_of_run, "paths": sorted(paths), "codes": sorted(codes),
             "severities": {code: severity.value for code, severity in sorted(severities.items())},
             "per_file_ignores": per_file_ignores}
    return hashlib.blake2b(json.dumps(scope, sort_keys=True, default=repr).encode(), digest_size=20).hexdigest()


class _BuiltOnDemand(Sequence[T]):
    """A sequence whose items are built from records as they are read (all at once only on indexing)."""

    def __init__(self) -> None:
        self._all: tuple[T, ...] | None = None
        #: Records :meth:`_blocks` rendered (rather than handed back saved text), and the tags asked for.
        self.rendered = 0
        self.tags: set[str] = set()

    def _build(self) -> Iterator[T]:
        raise NotImplementedError

    def _blocks(self, records: Iterable[DocumentRecord], rendered: Callable[[DocumentRecord], str],
                tag: str) -> Iterator[str]:
        """Each record's saved text for ``tag``, or ``rendered(record)`` kept in the record
        (to be saved with it)."""
        self.tags.add(tag)
        for record in records:
            text = record.blocks.get(tag)
            if text is None:
                text = record.blocks[tag] = rendered(record)
                self.rendered += 1
            yield text

    def __iter__(self) -> Iterator[T]:
        return iter(self._all) if self._all is not None else self._build()

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[T]: ...

    def __getitem__(self, index: int | slice) -> T | Sequence[T]:
        if self._all is None:
            self._all = tuple(self._build())
        return self._all[index]


class FindingsByDocument(_BuiltOnDemand[Finding]):
    """A run's reported findings, document by document in report order, built on demand.

    It is the :attr:`Report.findings <srcaudit.report.Report.findings>` of a run with a
    cache: a sequence of findings like any other, plus :meth:`severity_counts` and
    :meth:`blocks`, which reporters reach through the report without building findings.
    """

    def __init__(self, records: Mapping[str, DocumentRecord]) -> None:
        super().__init__()
        self._paths = [path for path, record in records.items() if record.count]
        self._records = [records[path] for path in self._paths]
        self._length = sum(record.count for record in self._records)

    def __len__(self) -> int:
        return self._length

    def _build(self) -> Iterator[Finding]:
        for record in self._records:
            yield from record.finding_objects()

    def severity_counts(self) -> dict[Severity, int]:
        counts = dict.fromkeys(Severity, 0)
        for record in self._records:
            for severity, count in zip(_SEVERITY_ORDER, record.counts):
                counts[severity] += count
        return counts

    def code_counts(self) -> Iterator[tuple[str, str, int]]:
        """``(path, code, count)`` of every document with findings, from the records' counts."""
        for path, record in zip(self._paths, self._records):
            for code, count in record.codes:
                yield path, code, count

    def blocks(self, render: Callable[[Sequence[Finding]], str], tag: str) -> Iterator[str]:
        """``render`` of each document's findings: the saved text where ``tag`` was rendered
        before, else rendered now (and kept in the record, to be saved with it)."""
        return self._blocks(self._records, lambda record: render(record.finding_objects()), tag)


class SummariesByDocument(_BuiltOnDemand[DocumentSummary]):
    """The documents' summaries of a run with a cache, in path order, built on demand."""

    def __init__(self, records: Mapping[str, DocumentRecord]) -> None:
        super().__init__()
        self._records = [record for record in records.values() if record.summary is not None]
        self._paths = [path for path, record in records.items() if record.summary is not None]

    def __len__(self) -> int:
        return len(self._records)

    def paths(self) -> list[str]:
        """Each summary's path, without building the summaries."""
        return self._paths

    def _build(self) -> Iterator[DocumentSummary]:
        for record in self._records:
            summary = record.document_summary()
            assert summary is not None
            yield summary

    def blocks(self, render: Callable[[DocumentSummary], str], tag: str) -> Iterator[str]:
        """``render`` of each summary: the saved text where ``tag`` was rendered before, else
        rendered now (and kept in the record)."""
        return self._blocks(self._records, lambda record: render(record.document_summary()), tag)  # type: ignore[arg-type]


@dataclass
class RunRecord:
    """What a run with a cache tells a later run about the documents it computed, besides
    their results: enough to replay them (:class:`DocumentRecord`) when they do not change."""

    #: Each computed document's cache key, by path; None for one that must not be replayed
    #: (no key, or a plugin failed on it: a failure is retried next run).
    keys: dict[str, str | None] = field(default_factory=dict)
    #: Documents whose facts reached the reduce phase.
    in_corpus: set[str] = field(default_factory=set)
    #: Map-phase problems, by document.
    problems: dict[str, list[Problem]] = field(default_factory=dict)
    #: Corpus plugin -> (token of the base its results came from, documents its update answered for).
    plugins: dict[str, tuple[str, frozenset[str]]] = field(default_factory=dict)
