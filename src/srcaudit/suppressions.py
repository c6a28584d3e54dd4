"""Inline suppressions: comments in a document that silence named rules for a block or the file.

Markdown (an HTML comment, invisible when rendered)::

    <!-- srcaudit: ignore DUP001 -->                 the next block (paragraph, heading, list item)
    <!-- srcaudit: ignore DUP001, ATT003 -- quoted from the press release as published -->
    <!-- srcaudit: ignore-file DUP003 -->            the whole file, wherever it stands

Plain text has no comments, so a marker line of its own does the same job::

    srcaudit: ignore DUP001
    srcaudit: ignore-file DUP003 -- the site prints every headline twice

Either form is accepted in either kind of file. Codes may be rule codes, prefixes
(``DUP``) or ``ALL``, as in ``rules.toml``; text after `` -- `` is the justification
(shown in SARIF). A block suppression covers the paragraph that follows the marker: a
finding is suppressed when its first line falls in that paragraph.

Markers are read in the map phase, from the text already in memory (``engine``), and
applied after the run, so rules never have to know about them; a document without the
word ``srcaudit`` costs one substring scan, and no file is opened twice.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from .config import matches_selector
from .document import Document
from .findings import Finding
from .report import Problem, SuppressedFinding

# Bounded, no nested quantifiers: safe on any line (lines over _MAX_LINE are not markers).
_HTML_FORM = re.compile(r"^\s{0,3}<!--\s{0,8}srcaudit:\s{0,8}(ignore-file|ignore)\b(.*?)-->\s*$")
_PLAIN_FORM = re.compile(r"^\s{0,3}srcaudit:\s{0,8}(ignore-file|ignore)\b(.*)$")
_CODE = re.compile(r"^(?:ALL|[A-Z]{2,10}[0-9]{0,6})$")
_MAX_LINE = 1000


@dataclass(frozen=True, slots=True)
class Suppression:
    """One marker: which codes it silences, on which lines of which file, and why."""

    path: str
    line: int  # where the marker is
    selectors: tuple[str, ...]
    first_line: int  # covered lines, inclusive
    last_line: int
    file_level: bool
    justification: str = ""

    def covers(self, finding: Finding) -> bool:
        return (finding.path == self.path and self.first_line <= finding.region.line <= self.last_line
                and matches_selector(finding.code, list(self.selectors)))

    def describe(self) -> str:
        return f"srcaudit: {'ignore-file' if self.file_level else 'ignore'} {', '.join(self.selectors)}"


@dataclass
class SuppressionOutcome:
    """Findings split into kept and suppressed, plus notices about the markers themselves."""

    kept: list[Finding]
    suppressed: list[SuppressedFinding]
    problems: list[Problem]


def parse_suppressions(document: Document) -> tuple[list[Suppression], list[Problem]]:
    """The markers in one document, and notices for markers that name no valid code."""
    suppressions: list[Suppression] = []
    problems: list[Problem] = []
    for number, line in enumerate(document.lines, 1):
        if len(line) > _MAX_LINE or "srcaudit" not in line:
            continue
        match = _HTML_FORM.match(line) or _PLAIN_FORM.match(line)
        if not match:
            continue
        kind, rest = match.groups()
        codes_text, _, justification = rest.partition(" -- ")
        selectors = tuple(code for code in re.split(r"[\s,]+", codes_text.strip()) if code)
        bad = [code for code in selectors if not _CODE.match(code)]
        if not selectors or bad:
            problems.append(Problem("notice", f"line {number}: suppression names no valid rule code "
                                              f"({', '.join(bad) or 'none given'}); write e.g. "
                                              f"`srcaudit: {kind} DUP001`", document.path))
            continue
        if kind == "ignore-file":
            first, last = 1, max(1, len(document.lines))
        else:
            first, last = _next_block(document, number)
        suppressions.append(Suppression(document.path, number, selectors, first, last,
                                        kind == "ignore-file", justification.strip()))
    return suppressions, problems


def _next_block(document: Document, marker_line: int) -> tuple[int, int]:
    """The lines of the paragraph after the marker (empty range if nothing follows)."""
    for paragraph in document.paragraphs:
        if paragraph.end_line > marker_line:
            return max(paragraph.start_line, marker_line + 1), paragraph.end_line
    return marker_line + 1, marker_line  # nothing follows: covers no line


def apply_suppressions(findings: Iterable[Finding], suppressions: list[Suppression],
                       active_codes: Collection[str]) -> SuppressionOutcome:
    """Split findings by the markers; report markers that suppressed nothing.

    A marker counts as unused only when at least one rule it names ran in this run:
    a marker for a rule that was deselected is not wrong, just idle.
    """
    by_path: dict[str, list[Suppression]] = {}
    for suppression in suppressions:
        by_path.setdefault(suppression.path, []).append(suppression)
    used: set[Suppression] = set()
    kept: list[Finding] = []
    suppressed: list[SuppressedFinding] = []
    for finding in findings:
        match = next((s for s in by_path.get(finding.path, ()) if s.covers(finding)), None)
        if match is None:
            kept.append(finding)
            continue
        used.add(match)
        suppressed.append(SuppressedFinding(finding, "inSource", match.justification))
    problems = [
        Problem("notice", f"line {s.line}: unused suppression `{s.describe()}`: "
                          f"no such finding {'in this file' if s.file_level else 'in the next block'}",
                s.path)
        for s in suppressions
        if s not in used and any(matches_selector(code, list(s.selectors)) for code in active_codes)
    ]
    return SuppressionOutcome(kept, suppressed, problems)
