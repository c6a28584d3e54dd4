"""The per-source reliability summary: one row per document, so the weakest sources stand out.

Used by the built-in reporters (``srcaudit check --summary`` in text; every JSON report's
``documents`` list). A row holds raw measures published by the rule families (shares,
byline/date presence, attribution counts, readability) and the findings per rule family,
plus one derived number, the **reliability score**, defined in :func:`reliability_score`.
Measures a run did not produce (a family switched off, or not installed) are shown as
"-" and left out of the score, never guessed.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from srcaudit.api import DocumentSummary, Report

#: Score penalties, in points out of 100 (see :func:`reliability_score`).
PENALTY_NO_BYLINE = 20
PENALTY_NO_DATE = 15
PENALTY_PER_VAGUE = 5
MAX_PENALTY_VAGUE = 20
PENALTY_PER_SECOND_HAND = 5
MAX_PENALTY_SECOND_HAND = 15
PENALTY_PER_BOILERPLATE_SHARE = 30
PENALTY_PER_DUPLICATED_SHARE = 30


def reliability_score(measures: Mapping[str, Any]) -> int | None:
    """A 0-100 summary of a document's measures: 100 = nothing weak was found.

    Start at 100 and subtract: 20 without a byline, 15 without a publication date, 5 per
    vague attribution (at most 20), 5 per second-hand attribution (at most 15), 30 x the
    boilerplate share and 30 x the duplicated share (shares are 0-1). Measures that are
    absent are skipped. None when no component was measured at all. The weights are a
    reading aid, not a calibrated probability: the raw measures stay beside the score.
    """
    penalties: list[float] = []
    if "byline_present" in measures:
        penalties.append(0 if measures["byline_present"] else PENALTY_NO_BYLINE)
    if "date_present" in measures:
        penalties.append(0 if measures["date_present"] else PENALTY_NO_DATE)
    if "vague_attribution_count" in measures:
        penalties.append(min(MAX_PENALTY_VAGUE, PENALTY_PER_VAGUE * measures["vague_attribution_count"]))
    if "second_hand_count" in measures:
        penalties.append(min(MAX_PENALTY_SECOND_HAND, PENALTY_PER_SECOND_HAND * measures["second_hand_count"]))
    for name, weight in (("boilerplate_share", PENALTY_PER_BOILERPLATE_SHARE),
                         ("duplicated_share", PENALTY_PER_DUPLICATED_SHARE)):
        if isinstance(measures.get(name), (int, float)):
            penalties.append(weight * float(measures[name]))
    if not penalties:
        return None
    return max(0, round(100 - sum(penalties)))


@dataclass(frozen=True)
class SummaryRow:
    """One document's line in the summary."""

    path: str
    findings_by_family: dict[str, int]
    measures: Mapping[str, Any]
    score: int | None


def family_counts(report: Report) -> dict[str, Counter[str]]:
    """Each document's findings counted by rule family, by path."""
    by_path: dict[str, Counter[str]] = defaultdict(Counter)
    families: dict[str, str] = {}  # by rule code: a large run has a few codes and 100,000s of findings
    for path, code, count in report.finding_counts():
        family = families.get(code)
        if family is None:
            rule = report.rules.get(code)
            family = families[code] = rule.family if rule else code.rstrip("0123456789")
        by_path[path][family] += count
    return by_path


def summary_rows(report: Report) -> list[SummaryRow]:
    """One row per audited document, weakest (lowest score) first, then by path."""
    by_path = family_counts(report)
    rows = [SummaryRow(d.path, dict(sorted(by_path[d.path].items())), d.measures, reliability_score(d.measures))
            for d in report.documents]
    return sorted(rows, key=lambda r: (r.score if r.score is not None else 101, r.path))


def document_json(document: DocumentSummary, families: Mapping[str, Counter[str]]) -> dict[str, Any]:
    """The summary fields added to a document's entry in the JSON report (``families``: :func:`family_counts`)."""
    counted = families.get(document.path)
    return {"findings_by_family": dict(sorted(counted.items())) if counted else {},
            "reliability_score": reliability_score(document.measures)}


# -- the text table -------------------------------------------------------------------------------

_COLUMNS = (
    # header, measure name, format
    ("boiler", "boilerplate_share", "share"),
    ("dup", "duplicated_share", "share"),
    ("byline", "byline_present", "yes/no"),
    ("date", "date_present", "yes/no"),
    ("vague", "vague_attribution_count", "count"),
    ("2nd-hand", "second_hand_count", "count"),
    ("ease", "readability_flesch_reading_ease", "number"),
    ("grade", "readability_flesch_kincaid_grade", "number"),
)


def _cell(value: Any, kind: str) -> str:
    if value is None:
        return "-"
    if kind == "share":
        return f"{float(value):.2f}"
    if kind == "yes/no":
        return "yes" if value else "no"
    if kind == "number":
        return f"{float(value):.1f}"
    return str(value)


def _families(counts: Mapping[str, int]) -> str:
    return " ".join(f"{family} {n}" for family, n in counts.items()) or "-"


def render_summary_table(report: Report) -> str:
    """The per-source summary as an aligned text table (one row per document, weakest first)."""
    rows = summary_rows(report)
    header = ["score", "findings", *(c[0] for c in _COLUMNS), "document"]
    table = [header] + [
        [_cell(row.score, "count"), _families(row.findings_by_family),
         *(_cell(row.measures.get(name), kind) for _, name, kind in _COLUMNS), row.path]
        for row in rows
    ]
    widths = [max(len(line[i]) for line in table) for i in range(len(header) - 1)]
    lines = ["Per-source summary (score 0-100, higher is better; weakest first):"]
    for line in table:
        cells = [cell.rjust(width) if i not in (1,) else cell.ljust(width)
                 for i, (cell, width) in enumerate(zip(line, widths))]
        lines.append("  ".join(cells + [line[-1]]))
    return "\n".join(lines) + "\n"
