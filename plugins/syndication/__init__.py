"""Cross-document duplication: DUP002 (shared paragraphs) and DUP004 (overlapping documents).

Map phase (:mod:`.facts`): each body paragraph's word hashes, exact key and MinHash
signature. Reduce phase (:mod:`.matching`): exact groups, a banded LSH index, exact
confirmation of every candidate, copy groups. Reporting (:mod:`.report`): runs of shared
paragraphs, overlapping documents and the ``duplicated_share`` measure.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import srcaudit
from srcaudit.api import ActiveRules, Corpus, Document, Finding, Rule
from srcaudit.text import prepare_signing

from . import facts, matching, report
from .rules import DUP002, DUP004

_CODES = ("DUP002", "DUP004")


@srcaudit.hookimpl
def srcaudit_rules() -> list[Rule]:
    return [DUP002, DUP004]


def _option(rules: ActiveRules, rule: Rule, name: str) -> Any:
    if rules.enabled(rule.code):
        return rules.option(rule.code, name)
    return next(option.default for option in rule.options if option.name == name)


@srcaudit.hookimpl
def srcaudit_prepare(rules: ActiveRules) -> None:
    """Draw the MinHash permutations once, before the workers fork."""
    if rules.any_enabled(*_CODES):
        prepare_signing(facts.NUM_PERM)


@srcaudit.hookimpl
def srcaudit_extract_facts(document: Document, rules: ActiveRules) -> Mapping[str, Any] | None:
    if not rules.any_enabled(*_CODES):
        return None
    return {facts.NAMESPACE: facts.extract(document, _option(rules, DUP002, "min_words"))}


# check_corpus and measure_corpus of one run share the matching (it is the costly part).
_last: tuple[Corpus, matching.CopyGroups] | None = None


def _copies(corpus: Corpus, rules: ActiveRules) -> matching.CopyGroups:
    global _last
    if _last is None or _last[0] is not corpus:
        _last = (corpus, matching.find_copies(corpus, _option(rules, DUP002, "threshold"),
                                              _option(rules, DUP002, "lsh_threshold")))
    return _last[1]


@srcaudit.hookimpl
def srcaudit_check_corpus(corpus: Corpus, rules: ActiveRules) -> Iterator[Finding]:
    if not rules.any_enabled(*_CODES):
        return
    copies = _copies(corpus, rules)
    if rules.enabled("DUP002"):
        yield from report.shared_paragraph_findings(copies)
    if rules.enabled("DUP004"):
        yield from report.overlapping_document_findings(copies, rules.option("DUP004", "threshold"),
                                                        rules.option("DUP004", "max_copies"))


@srcaudit.hookimpl
def srcaudit_measure_corpus(corpus: Corpus, rules: ActiveRules) -> Mapping[str, Mapping[str, Any]] | None:
    global _last
    if not rules.any_enabled(*_CODES):
        return None
    try:
        return report.duplicated_shares(_copies(corpus, rules))
    finally:
        _last = None  # the last hook of the run: do not keep the corpus alive after it
