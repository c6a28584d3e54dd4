"""Cross-source consistency: ATT001 titles, ATT002 quote drift, CON001 figures, CON002 name spellings.

Map phase: :mod:`.extract` turns each document's body text into people (with titles),
quotes (with speakers), figures (with units and hedges) and named entities. Reduce phase:
:mod:`.topics` pairs documents of the same story; :mod:`.checks` compares each pair.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from operator import length_hint
from typing import Any

import numpy as np

import srcaudit
from srcaudit.api import ActiveRules, Corpus, CorpusChange, CorpusUpdate, Document, Finding, Rule, Severity

from . import checks, incremental
from .extract import NAMESPACE, extract
from .topics import story_pairs

CODES = ("ATT001", "ATT002", "CON001", "CON002")
#: "former" in one document and not in another is a conflict only between close retellings of
#: one story: between related stories written years apart, the post may really have ended.
CLOSE_STORY = 0.2

ATT001 = Rule(
    code="ATT001", name="conflicting-titles", scope="corpus", severity=Severity.WARNING,
    tags=("consistency", "attribution"),
    summary="One person is given conflicting titles or roles in documents about the same story.",
    documentation="""
## What it does
Finds a person (the same full name, after folding case, accents and hyphens) whose title
or role in one document conflicts with the title given in another document of the same
story: different role heads in the same organisation ("Assistant Director" vs "Deputy
National Intelligence Officer" of the same agency), the same post with and without a rank
word ("Deputy Director" vs "Director": deputy, assistant, vice, associate), or "former" in
one and not the other.
Compatible titles are not reported: abbreviations (Sen./Senator), word order ("UN
ambassador"/"ambassador to the UN"), one title containing the other, or a short
description ("a lecturer") beside a formal title. "Former" against current is not reported
when either document gives both forms ("their former coach" and later "coach": time, not
a disagreement), and a relative clause about what someone else did ("who the mayor put in
charge of ...") is not a title.

## Why it matters
A wrong title misstates why a person's words carry weight. When two sources disagree,
at least one of them is wrong, and a reader cannot tell which.

## Example
```text
a.txt: Dana Smith, former agency Assistant Director for Europe, said ...
b.txt: Dana Smith, former agency Deputy Intelligence Officer for Europe, said ...   <- ATT001
```

## How to fix
Check the person's title in a primary source (an official biography, the organisation's
site) and correct the document that is wrong, or note the discrepancy.
""",
)

ATT002 = Rule(
    code="ATT002", name="quote-drift", scope="corpus", severity=Severity.WARNING,
    tags=("consistency", "attribution"),
    summary="The same speaker's quotation is worded differently in two documents.",
    documentation="""
## What it does
Pairs the direct quotations of one speaker across documents of the same story by their
shared words, and reports a pair whose wording differs. A quote that is part of the other
(a partial quote, or one shortened with an ellipsis) is not drift. The message shows a
short word-level difference.

## Why it matters
Quotation marks promise the speaker's exact words. A reworded quote is a paraphrase
presented as verbatim, or a misquote; either way one source cannot be cited as is.

## Example
```text
a.txt: "We are informing them of developments they were unaware of," Lee said.
b.txt: "We are telling them things they did not know," Lee said.      <- ATT002
```

## How to fix
Find the original (a transcript or recording) and quote it exactly, or turn the drifted
quote into reported speech.
""",
)

CON001 = Rule(
    code="CON001", name="conflicting-figures", scope="corpus", severity=Severity.WARNING,
    tags=("consistency",),
    summary="Two documents of one story give different values for the same quantity.",
    documentation="""
## What it does
Finds figures that count the same thing (the same unit noun, compatible modifiers, and
sentences that share several content words) but whose values cannot both be right,
allowing for hedges ("over", "about", "nearly" are ranges) and for rounding ("10,000" may
stand for 9,600). Years, dates, times and ordinals are not figures. A figure is not
reported when the other document also gives its value for the same unit (two different
quantities, not a conflict), nor when the two sentences name different months ("in
October" against "in December": two periods' counts) or weekdays ("on Monday" against "on
Thursday"). A sentence giving several values of one unit pairs with a sentence giving as
many value by value ("$20m ... $1.8bn" against "$20m ... $18bn"), and with a sentence
giving one value only through its one value of the same magnitude (within a factor of 3):
"$410 in the north and $455 in the south" against "$480" is a guess, not reported.
Values 5 or more times apart are two quantities ("7.6 seconds" against "53.4 seconds"),
unless about 10 times apart: a slipped digit or decimal point ("£94m" against "£9.4m").
Sentences about different named things are two quantities: they name nothing in common,
and each names someone or something the other document never mentions ("Lund won in 7
minutes 41 seconds" against "Sandor won in 7 minutes 52 seconds"). Seconds in a sentence
that names minutes or hours (and minutes in one that names hours) may be the tail of a
compound time ("two minutes, 41 seconds") and are not compared.

## Why it matters
Conflicting numbers are the disagreement readers notice last and repeat most. One of the
sources is wrong, out of date, or counting something else.

## Example
```text
a.txt: The agency said 10,000 workers joined the strike in the capital.
b.txt: Over 12,000 workers joined the strike in the capital, the agency said.   <- CON001
```

## How to fix
Trace the figure to its origin, use the most recent authoritative number, and say where
it comes from.
""",
)

CON002 = Rule(
    code="CON002", name="name-spelling-variant", scope="corpus", severity=Severity.INFO,
    tags=("consistency",),
    summary="One person's name is spelled differently across (or within) documents.",
    documentation="""
## What it does
Finds full names of one person written in different ways: hyphenation ("Jean-Pierre"/"Jean
Pierre"), diacritics ("Havrén"/"Havren") and transliterations that differ by a letter or two
in the surname ("Zelensky"/"Zelenskyy") when the first names agree. Different people who
share a surname, or two names used in one document, are not variants. The spelling used
by most documents is taken as the reference.

## Why it matters
Variant spellings split searches, indexes and entity links: the same person looks like
two. They also hint at copy from different upstream sources.

## Example
```text
a.txt: President Volodymyr Zelenskyy said ...
b.txt: President Volodymyr Zelensky said ...   <- CON002 on the minority spelling
```

## How to fix
Pick one spelling (a style guide or the person's own) and use it everywhere.
""",
)


@srcaudit.hookimpl
def srcaudit_rules() -> list[Rule]:
    """The four consistency rules."""
    return [ATT001, ATT002, CON001, CON002]


@srcaudit.hookimpl
def srcaudit_extract_facts(document: Document, rules: ActiveRules) -> dict[str, Any] | None:
    """People, quotes, figures and entities of the document's body text."""
    if not rules.any_enabled(*CODES):
        return None
    return {NAMESPACE: extract(document)}


@srcaudit.hookimpl
def srcaudit_check_corpus(corpus: Corpus, rules: ActiveRules) -> Iterable[Finding]:
    """Compare the documents of each story pair."""
    if not rules.any_enabled(*CODES):
        return []
    # The run pauses the cycle collector around the whole audit (srcaudit.gcpause): the
    # millions of short-lived pairs and unpacked rows made here are never walked by it.
    return _check_corpus(corpus, rules)



@srcaudit.hookimpl
def srcaudit_corpus_state(corpus: Corpus, rules: ActiveRules) -> Any | None:
    """What a later incremental update starts from (:mod:`.incremental`)."""
    if not rules.any_enabled(*CODES):
        return None
    return incremental.corpus_state(corpus, rules)


@srcaudit.hookimpl
def srcaudit_update_corpus(corpus: Corpus, change: CorpusChange, rules: ActiveRules) -> CorpusUpdate | None:
    """The findings of the documents a change touches, or None for a full reduce (:mod:`.incremental`)."""
    if not rules.any_enabled(*CODES):
        return None
    return incremental.update(corpus, change, rules)


def _check_corpus(corpus: Corpus, rules: ActiveRules) -> list[Finding]:
    documents = list(corpus.facts(NAMESPACE))
    pairs, values, groups = story_pairs(documents)
    incremental.remember(corpus, pairs, groups)  # for srcaudit_corpus_state, called right after on cached runs
    indices = list(map(tuple, pairs.tolist()))  # in order
    similarity = dict(zip(indices, values.tolist()))
    try:
        findings = pair_findings(documents, similarity, groups, rules)
        if rules.enabled("CON002"):
            findings += checks.name_variants(documents, indices)
    finally:
        checks.release()  # the unpacked rows of the last documents compared
    return findings


def pair_findings(documents: list[tuple[Any, dict]], similarity: dict[tuple[int, int], float], groups: np.ndarray,
                  rules: ActiveRules) -> list[Finding]:
    """ATT001, ATT002 and CON001 over the story pairs ``similarity`` (index pairs of ``documents``,
    with their text similarity), each reported at the later document of its pair.

    ``groups`` (each document's copy-group leader) only orders the work (see
    :func:`_cache_friendly_order`); an incremental update (:mod:`.incremental`) calls this on
    the few documents it recomputes.
    """
    indices = sorted(similarity)
    pairs = [(documents[i], documents[j]) for i, j in indices]
    order = _cache_friendly_order(indices, groups)
    findings: list[Finding] = []
    if rules.enabled("ATT001"):
        # read only if a "former" conflict comes up (see checks.conflicting_titles)
        close = ((documents[i], documents[j]) for i, j in indices if similarity[(i, j)] >= CLOSE_STORY)
        findings += _in_pair_order(lambda ordered: checks.conflicting_titles(ordered, close), pairs, order)
    if rules.enabled("ATT002"):
        findings += _in_pair_order(checks.quote_drift, pairs, order)
    if rules.enabled("CON001"):
        findings += _in_pair_order(checks.conflicting_figures, pairs, order)
    return findings


def _cache_friendly_order(indices: list[tuple[int, int]], groups: np.ndarray) -> list[int]:
    """The pairs' positions ordered by the later document's group of near copies, then the pair.

    The checks unpack each document's rows through caches of the last few thousand
    documents (:mod:`.packed`). In ``(i, j)`` order the later documents of consecutive
    pairs are scattered over the corpus, and at 100k documents each was unpacked twice or
    more; grouped by the later document's copy group, the same rows serve pair after pair
    (corpus-100000: ATT001, ATT002 and CON001 16.7 -> 7.5 s).
    """
    if not indices:
        return []
    pairs = np.array(indices, dtype=np.int64)
    return np.lexsort((pairs[:, 0], pairs[:, 1], groups[pairs[:, 1]])).tolist()


def _in_pair_order(check: Callable[[Iterable[checks.Pair]], Iterable[Finding]], pairs: list[checks.Pair],
                   order: list[int]) -> list[Finding]:
    """``check`` run over ``pairs`` taken in ``order``, its findings put back in the pairs' own order.

    The checks look at one pair at a time and yield that pair's findings before taking
    the next one, so the pair being read when a finding comes out is the pair it belongs
    to. Sorting by that position (stable: a pair's findings keep their order) gives
    exactly the list the checks give over ``pairs`` in order.
    """
    ordered = [pairs[position] for position in order]
    taken = iter(ordered)
    # The pair being read is the one before what the list iterator has left (a C call per
    # finding, instead of a Python generator step per pair: 1.6 million at 100k documents).
    last = len(ordered) - 1
    tagged = [(order[last - length_hint(taken)], finding) for finding in check(taken)]
    tagged.sort(key=lambda item: item[0])
    return [finding for _, finding in tagged]
