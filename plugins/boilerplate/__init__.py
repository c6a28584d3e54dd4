"""Boilerplate: which lines of a saved page are its template, BOI001 and BOI002.

The line classifier (:mod:`.classify`) runs first, in ``srcaudit_classify_lines``, so
every other rule can ask ``document.is_body_line(n)`` and skip menus and "most read"
lists. BOI002 then reports each run of boilerplate lines with its kind, BOI001 a
document whose words are mostly boilerplate, and ``boilerplate_share`` is published
as a per-document measure. In the reduce phase, body lines that other documents print
too (a site's template) refine it into ``boilerplate_share_with_templates``
(:mod:`.templates`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import srcaudit
from srcaudit.api import ActiveRules, Corpus, CorpusChange, CorpusUpdate, Document, Finding, Rule

from .blocks import find_blocks
from .classify import classify_lines
from . import template_updates
from .rules import BOI001, BOI002
from .templates import NAMESPACE, template_facts, template_measures
from .tokens import line_summary, line_word_counts

__all__ = ["boilerplate_share", "classify_document"]

_SNIPPET = 40


def classify_document(document: Document) -> list[str | None]:
    """The role of every line of ``document``: ``None`` for body, else the kind of its block."""
    roles, signals = classify_lines(document.lines)
    for block in find_blocks(roles, signals):
        for number in range(block.first_line, block.last_line + 1):
            roles[number - 1] = block.kind
    return roles


@dataclass(frozen=True, slots=True)
class _Run:
    """A run of boilerplate lines of one kind (1-based, inclusive), its non-blank lines and words."""

    first_line: int
    last_line: int
    kind: str
    line_count: int
    word_count: int


def _line_word_counts(document: Document) -> tuple[int, ...]:
    return line_word_counts(document.lines)


def _runs(document: Document, counts: Sequence[int]) -> list[_Run]:
    """Maximal runs of lines with the same boilerplate kind, trimmed of blank edge lines."""
    runs: list[_Run] = []
    roles = document.line_roles
    n = 0
    while n < len(roles):
        end = n
        while end + 1 < len(roles) and roles[end + 1] == roles[n]:
            end += 1
        text_lines = [k for k in range(n, end + 1) if document.lines[k].strip()]
        kind = roles[n]
        if kind is not None and text_lines:
            runs.append(_Run(text_lines[0] + 1, text_lines[-1] + 1, kind, len(text_lines),
                             sum(counts[n:end + 1])))
        n = end + 1
    return runs


def boilerplate_share(document: Document, counts: Sequence[int] | None = None) -> float:
    """Share of the document's words that are on boilerplate lines (0 for an empty document)."""
    counts = _line_word_counts(document) if counts is None else counts
    total = sum(counts)
    boiler = sum(count for n, count in enumerate(counts, 1) if not document.is_body_line(n))
    return boiler / total if total else 0.0


@srcaudit.hookimpl
def srcaudit_rules() -> list[Rule]:
    return [BOI001, BOI002]


@srcaudit.hookimpl
def srcaudit_classify_lines(document: Document) -> list[str | None]:
    return classify_document(document)


@srcaudit.hookimpl
def srcaudit_measure_document(document: Document) -> dict[str, float]:
    return {"boilerplate_share": round(boilerplate_share(document), 3)}


@srcaudit.hookimpl
def srcaudit_extract_facts(document: Document) -> dict[str, Any]:
    summary = line_summary(document.lines, last_use=True)  # the engine calls extract_facts last
    return {NAMESPACE: template_facts(document, summary.counts, summary.hashes)}


@srcaudit.hookimpl
def srcaudit_measure_corpus(corpus: Corpus) -> dict[str, Mapping[str, float]]:
    return template_measures(corpus)


@srcaudit.hookimpl
def srcaudit_corpus_state(corpus: Corpus) -> template_updates.TemplateIndex:
    return template_updates.index_of(corpus)


@srcaudit.hookimpl
def srcaudit_update_corpus(corpus: Corpus, change: CorpusChange) -> CorpusUpdate | None:
    return template_updates.update(corpus, change)


@srcaudit.hookimpl
def srcaudit_check_document(document: Document, rules: ActiveRules) -> list[Finding]:
    if not rules.any_enabled("BOI001", "BOI002") or not document.line_roles:
        return []
    counts = _line_word_counts(document)
    runs = _runs(document, counts)
    findings: list[Finding] = []
    if rules.enabled("BOI002"):
        min_words = rules.option("BOI002", "min_words")
        findings += [_block_finding(document, run) for run in runs if run.word_count >= min_words]
    if rules.enabled("BOI001") and runs:
        finding = _share_finding(document, runs, counts, rules.option("BOI001", "threshold"),
                                 rules.option("BOI001", "min_words"))
        if finding:
            findings.append(finding)
    return findings


def _snippet(document: Document, run: _Run) -> str:
    text = document.lines[run.first_line - 1].strip()
    return text if len(text) <= _SNIPPET else text[:_SNIPPET - 1].rstrip() + "…"


def _block_finding(document: Document, run: _Run) -> Finding:
    lines = run.line_count
    size = f"{lines} line{'s' if lines != 1 else ''}, {run.word_count} word{'s' if run.word_count != 1 else ''}"
    label = "boilerplate block" if run.kind == "boilerplate" else f"boilerplate block ({run.kind})"
    return Finding("BOI002", f'{label}, {size}: "{_snippet(document, run)}"', document.path,
                   document.line_region(run.first_line, run.last_line))


def _share_finding(document: Document, runs: list[_Run], counts: Sequence[int], threshold: float,
                   min_words: int) -> Finding | None:
    total = sum(counts)
    boiler = sum(run.word_count for run in runs)
    if total < min_words or boiler <= threshold * total:
        return None
    largest = max(runs, key=lambda run: run.word_count)
    region = document.line_region(largest.first_line, largest.last_line)
    return Finding("BOI001", f"boilerplate is {boiler / total:.0%} of the words ({boiler} of {total}; "
                             f"threshold {threshold:.0%}); largest block {region.describe_lines()}",
                   document.path, region)
