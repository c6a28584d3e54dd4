"""Findings: what a rule reports, where, and a fingerprint that survives edits elsewhere."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import Enum

from .location import Region
from .pickling import fast_pickling


class Severity(str, Enum):
    """How serious a finding is; ordered ``info < warning < error``."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _RANKS[self]

    @classmethod
    def parse(cls, value: str) -> Severity:
        try:
            return cls(value.lower())
        except ValueError:
            raise ValueError(f"unknown severity {value!r}: use one of info, warning, error") from None


_RANKS = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


@fast_pickling
@dataclass(frozen=True, slots=True)
class RelatedLocation:
    """Another place that explains a finding: the first copy, the other outlet's wording."""

    path: str
    region: Region
    message: str = ""


@fast_pickling
@dataclass(frozen=True, slots=True)
class Finding:
    """One problem a rule found.

    Rules fill ``code``, ``message``, ``path`` and ``region``, and ``related`` for
    cross-references. ``severity`` may be left ``None``: the engine then uses the rule's
    configured severity. ``anchor`` is the text that identifies the finding independently
    of its line number; the engine fills it from the flagged span for per-document rules,
    and corpus rules (which no longer hold the text) should set it themselves.
    """

    code: str
    message: str
    path: str
    region: Region
    related: tuple[RelatedLocation, ...] = ()
    severity: Severity | None = None
    anchor: str | None = None
    fingerprint: str = field(default="", compare=False)

    def sort_key(self) -> tuple:
        # The region's fields spelled out: the same order as comparing Region objects, but
        # a dataclass comparison builds two tuples per call and a sort makes millions of
        # them (300k findings: 1.34 -> 0.51 s).
        region = self.region
        return (self.path, region.line, region.column, region.end_line, region.end_column, self.code, self.message)

    # The copies below are built field by field: ``dataclasses.replace`` inspects the
    # fields on every call, and a large run copies hundreds of thousands of findings.

    def with_severity(self, severity: Severity | None) -> Finding:
        """This finding with another :attr:`severity`."""
        return Finding(self.code, self.message, self.path, self.region, self.related, severity, self.anchor,
                       self.fingerprint)

    def with_anchor(self, anchor: str | None) -> Finding:
        """This finding with another :attr:`anchor`."""
        return Finding(self.code, self.message, self.path, self.region, self.related, self.severity, anchor,
                       self.fingerprint)

    def with_fingerprint(self, occurrence: int = 0) -> Finding:
        """Fill :attr:`fingerprint` from code, path, anchor and the nth occurrence of that anchor."""
        return self._fingerprinted(_anchor_key(self), occurrence)

    def _fingerprinted(self, anchor_key: str, occurrence: int) -> Finding:
        return Finding(self.code, self.message, self.path, self.region, self.related, self.severity, self.anchor,
                       _fingerprint(self.code, self.path, anchor_key, occurrence))


def _fingerprint(code: str, path: str, anchor_key: str, occurrence: int) -> str:
    return hashlib.sha256("\x1f".join([code, path, anchor_key, str(occurrence)]).encode("utf-8")).hexdigest()[:32]


_DIGITS = re.compile(r"\d+")


def _anchor_key(finding: Finding) -> str:
    """The anchor (or the message with its numbers masked), whitespace runs as one space, case-folded."""
    basis = finding.anchor if finding.anchor is not None else _DIGITS.sub("#", finding.message)
    return " ".join(basis.split()).casefold()  # split() and strip() use the regex's idea of whitespace


def assign_fingerprints(findings: Iterable[Finding],
                        severity_of: Callable[[Finding], Severity | None] | None = None) -> list[Finding]:
    """Fingerprint findings (sorted), numbering repeats of the same (code, path, anchor).

    ``severity_of`` gives each finding its final severity in the same copy: a large run has
    hundreds of thousands of findings, and building each one again costs about a microsecond.
    """
    seen: dict[tuple[str, str, str], int] = {}
    result = []
    append = result.append
    for finding in sorted(findings, key=Finding.sort_key):
        anchor_key = _anchor_key(finding)
        code, path = finding.code, finding.path
        key = (code, path, anchor_key)
        occurrence = seen.get(key, 0)
        seen[key] = occurrence + 1
        append(Finding(code, finding.message, path, finding.region, finding.related,
                       finding.severity if severity_of is None else severity_of(finding), finding.anchor,
                       _fingerprint(code, path, anchor_key, occurrence)))
    return result
