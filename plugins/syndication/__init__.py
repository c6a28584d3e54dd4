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
from srcaudit.api import ActiveRules, Corpus, CorpusChange, CorpusUpdate, Document, Finding, Rule
from srcaudit.text import prepare_signing

from . import facts, incremental, matching, report
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
# groups' arrays and indexes are over 100 MB of the run's peak memory. It also builds the
# state a later warm run updates from (:mod:`.incremental`, ~20 MB at 100k), while the
# signatures it needs are at hand: srcaudit_corpus_state hands it over. It is kept by the
# corpus's id, not the corpus (built only when the engine will ask: corpus.keeps_state), and the engine
# frees the corpus's facts before rendering (each check_corpus replaces it).
_last: tuple[Corpus, Mapping[str, Mapping[str, Any]]] | None = None
_state: tuple[int, incremental.BaseState] | None = None


def _thresholds(rules: ActiveRules) -> tuple[float, float, float]:
    return (_option(rules, DUP002, "threshold"), _option(rules, DUP002, "lsh_threshold"),
            _option(rules, DUP002, "title_threshold"))


def _reporting(rules: ActiveRules) -> dict[str, Any]:
    dup004 = (rules.option("DUP004", "threshold"), rules.option("DUP004", "max_copies")) \
        if rules.enabled("DUP004") else None
    return {"dup002": rules.enabled("DUP002"), "dup004": dup004}


def _layout(rules: ActiveRules) -> tuple[Any, ...]:
    reporting = _reporting(rules)
    return incremental.layout(*_thresholds(rules), _option(rules, DUP002, "min_words"),
                              (reporting["dup002"], reporting["dup004"]))


def _copies(corpus: Corpus, rules: ActiveRules, keep_state: bool = False) -> matching.CopyGroups:
    global _state
    indexed = None
    if keep_state:
        _state = None

        def indexed(copies: matching.CopyGroups, linked: matching.Link) -> None:
            global _state
            bands, rows = matching.band_layout(_option(rules, DUP002, "lsh_threshold"), facts.NUM_PERM)
            _state = (id(corpus), incremental.build_state(copies, linked, bands, rows, _layout(rules)))
    return matching.find_copies(corpus, *_thresholds(rules), indexed=indexed)


@srcaudit.hookimpl
def srcaudit_check_corpus(corpus: Corpus, rules: ActiveRules) -> Iterator[Finding]:
    global _last
    if not rules.any_enabled(*_CODES):
        return
    copies = _copies(corpus, rules, keep_state=corpus.keeps_state)
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


@srcaudit.hookimpl
def srcaudit_corpus_state(corpus: Corpus, rules: ActiveRules) -> incremental.BaseState | None:
    return corpus_state(corpus, rules)


@srcaudit.hookimpl
def srcaudit_update_corpus(corpus: Corpus, change: CorpusChange, rules: ActiveRules) -> CorpusUpdate | None:
    return update(corpus, change, rules)


def corpus_state(corpus: Corpus, rules: ActiveRules) -> incremental.BaseState | None:
    """The state check_corpus built for this corpus (see :mod:`.incremental`); None when it did not run."""
    global _state
    try:
        if not rules.any_enabled(*_CODES) or _state is None or _state[0] != id(corpus):
            return None
        return _state[1]
    finally:
        _state = None


def update(corpus: Corpus, change: CorpusChange, rules: ActiveRules) -> CorpusUpdate | None:
    """The findings and measures of the documents ``change`` can affect (:func:`.incremental.update`);
    None asks for a full reduce."""
    if not rules.any_enabled(*_CODES):
        return None
    found = incremental.update(corpus, frozenset(change.changed), frozenset(change.removed), change.state,
                               _layout(rules), _thresholds(rules), _reporting(rules))
    if found is None:
        return None
    return CorpusUpdate(found.affected, found.findings, found.measures)
