"""The result of a run as reporters see it, and the reporter interface."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import groupby
from operator import attrgetter
from typing import Any

from .findings import Finding, Severity
from .pickling import fast_pickling
from .rules import Rule


@dataclass(frozen=True, slots=True)
class Problem:
    """Something that went wrong outside any rule's verdict: a file skipped, a plugin failed.

    ``level`` is ``"notice"`` (skipped on purpose, e.g. a binary file; does not change the
    exit status) or ``"error"`` (work that should have happened did not; exit status 2).
    """

    level: str
    message: str
    path: str | None = None
    plugin: str | None = None
    #: A traceback or other detail, shown only with ``--debug``.
    detail: str | None = None


@fast_pickling
@dataclass(frozen=True, slots=True)
class DocumentSummary:
    """One audited file and the measures rules published about it (``boilerplate_share`` ...)."""

    path: str
    encoding: str
    lines: int
    measures: Mapping[str, Any] = field(default_factory=dict)
    #: The line roles the checks saw (``Document.line_roles``: ``None`` = body), for reporters
    #: that show the text (HTML); empty when no classifier ran.
    line_roles: tuple[str | None, ...] = ()


@dataclass(frozen=True, slots=True)
class SuppressedFinding:
    """A finding that was found but is not reported: a suppression comment, a baseline or an ignore.

    Kept apart from :attr:`Report.findings` (rather than flagging :class:`Finding`) so that
    every reporter and the exit status keep meaning "what is reported" without change;
    only reporters that can show suppressions (SARIF ``suppressions``) look here.
    ``kind`` is SARIF's: ``"inSource"`` for a comment in the document, ``"external"`` for
    a baseline file or ``[per-file-ignores]``.
    """

    finding: Finding
    kind: str
    justification: str = ""


@dataclass(frozen=True)
class Report:
    """Everything a reporter needs to render a run."""

    #: Sorted by path, then position. A sequence: on a run with a cache, one that builds the
    #: findings on demand from the last run's saved results (:mod:`srcaudit.replay`).
    findings: Sequence[Finding]
    #: Sorted by path (a sequence built on demand too, on a run with a cache).
    documents: Sequence[DocumentSummary]
    problems: tuple[Problem, ...]
    rules: Mapping[str, Rule]
    version: str
    fail_level: Severity = Severity.WARNING
    color: bool = False
    options: Mapping[str, Any] = field(default_factory=dict)
    #: Suppressed findings, filled only when the user asks to see them (``--show-suppressed``).
    suppressed: tuple[SuppressedFinding, ...] = ()
    #: Called by the command line once the report is written: a run with a cache saves its
    #: results then, with the text rendered for them (:mod:`srcaudit.replay`).
    after_output: Callable[[], None] | None = field(default=None, compare=False, repr=False)

    def severity_counts(self) -> dict[Severity, int]:
        counted = getattr(self.findings, "severity_counts", None)  # findings grouped by document know theirs
        if counted is not None:
            return counted()
        counts = {severity: 0 for severity in Severity}
        for finding in self.findings:
            counts[finding.severity or Severity.WARNING] += 1
        return counts

    def finding_counts(self) -> Iterator[tuple[str, str, int]]:
        """``(path, code, count)``: how many findings of each rule each document has.

        For reporters that summarise per document: on a run with a cache the counts of
        documents whose findings did not change were saved, and no finding is built.
        """
        counted = getattr(self.findings, "code_counts", None)
        if counted is not None:
            return counted()
        return ((finding.path, finding.code, 1) for finding in self.findings)

    def finding_blocks(self, render: Callable[[Sequence[Finding]], str], tag: str) -> Iterator[str]:
        """``render`` of each document's findings, one string per document with findings, in report order.

        For reporters whose output has a part per document. ``render`` must be a pure
        function of the findings it is given, and ``tag`` must name it together with
        whatever else changes its output (format, colour): a run with a cache then hands
        back the text rendered by the last run for every document whose findings did not
        change, instead of building those findings and rendering them again.
        """
        blocks = getattr(self.findings, "blocks", None)
        if blocks is not None:
            return blocks(render, tag)
        return (render(list(group)) for _, group in groupby(self.findings, key=attrgetter("path")))

    def document_blocks(self, render: Callable[[DocumentSummary], str], tag: str) -> Iterator[str]:
        """``render`` of each document's summary, in report order: as :meth:`finding_blocks`,
        for reporters that write a part per document (the text of unchanged documents is the
        last run's). ``render`` may also depend on :meth:`finding_counts` of its document."""
        blocks = getattr(self.documents, "blocks", None)
        if blocks is not None:
            return blocks(render, tag)
        return map(render, self.documents)


@dataclass(frozen=True, slots=True)
class Reporter:
    """An output format, selected with ``--format NAME``.

    ``render`` turns a :class:`Report` into the complete output text (``--output`` writes
    it atomically; otherwise it goes to standard output). ``stream``, when given, yields
    the same text in pieces, so a report of a million findings is written as it is encoded
    instead of being held in memory as one string; :meth:`chunks` uses whichever exists.
    """

    name: str
    description: str
    render: Callable[[Report], str]
    stream: Callable[[Report], Iterable[str]] | None = None

    def chunks(self, report: Report) -> Iterable[str]:
        """The rendered text of ``report`` in pieces (one piece when the reporter cannot stream)."""
        if self.stream is not None:
            return self.stream(report)
        return (self.render(report),)
