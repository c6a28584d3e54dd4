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
# check_corpus keeps only the measures it needs (one number a document), not the copy
# groups: the other plugins' corpus hooks run in between, and at 100k documents the
# groups' arrays and indexes are over 100 MB of the run's peak memory.
_last: tuple[Corpus, Mapping[str, Mapping[str, Any]]] | None = None


def _copies(corpus: Corpus, rules: ActiveRules) -> matching.CopyGroups:
    return matching.find_copies(corpus, _option(rules, DUP002, "threshold"), _option(rules, DUP002, "lsh_threshold"),
                                _option(rules, DUP002, "title_threshold"))


@srcaudit.hookimpl
def srcaudit_check_corpus(corpus: Corpus, rules: ActiveRules) -> Iterator[Finding]:
    global _last
    if not rules.any_enabled(*_CODES):
        return
    copies = _copies(corpus, rules)
    _last = (corpus, report.duplicated_shares(copies))
    if rules.enabled("DUP002"):
        yield from report.shared_paragraph_findings(copies)
    if rules.enabled("DUP004"):
        yield from report.overlapping_document_findings(copies, rules.option("DUP004", "threshold"),
                                                        rules.option("DUP004", "max_copies"))
    del copies
    corpus.release(facts.NAMESPACE)  # measure_corpus needs only _last: free the signatures and word hashes


@srcaudit.hookimpl
def srcaudit_measure_corpus(corpus: Corpus, rules: ActiveRules) -> Mapping[str, Mapping[str, Any]] | None:
    global _last
    if not rules.any_enabled(*_CODES):
        return None
    try:
        if _last is not None and _last[0] is corpus:
            return _last[1]
        return report.duplicated_shares(_copies(corpus, rules))
    finally:
        _last = None  # the last hook of the run: do not keep the corpus alive after it
