"""Sourcing: ATT003 (vague attribution) and ATT004 (second-hand sourcing).

Both rules read how a source attributes its claims, one sentence at a time, outside
quotations (a quoted speaker's "experts say" is the speaker's sourcing, not the
document's). The vocabulary is data: ATT003's groups, verbs, fixed phrases, qualifiers
and member roles are rule options (``srcaudit explain ATT003`` lists the defaults, and
``extra_*`` options extend them from ``rules.toml``); ATT004's outlets come from
:mod:`srcaudit.newsroom` (a list plus the shape "The X Times/Post/News") and can be
extended with the ``outlets`` option.

The grammar around the vocabulary is small and deliberate:

* ATT003: ``[modifiers] GROUP [at Org] [adverb/auxiliary] VERB`` ("some analysts
  believe", "Pentagon officials said", "analysts at Acme Bank expect"), the inverted
  ``..., said GROUP.`` and ``according to [modifiers] GROUP``, and fixed phrases ("it
  is widely believed"). A named source in the same or the next sentence who is a
  member of the group ("..., said Jane Doe, an analyst at ...") answers the vagueness
  and suppresses the finding; a group qualified by an institution ("police officials")
  is reported at ``info``.
* ATT004: "(as/first) reported by OUTLET", "according to OUTLET", "citing (a report
  in) OUTLET", "OUTLET reported", "a OUTLET report". "told OUTLET" is the outlet's own
  interview and is not reported.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple

import ahocorasick

import srcaudit
from srcaudit.api import (
    ActiveRules,
    Document,
    Finding,
    Paragraph,
    Region,
    Rule,
    RuleOption,
    Severity,
)
from srcaudit.memo import once_per_document
from srcaudit.newsroom import DEFAULT_OUTLETS, PERSON_NAME, outlet_pattern
from srcaudit.text import sentence_spans

_SNIPPET = 60

DEFAULT_GROUPS = (
    "analysts", "experts", "observers", "officials", "critics", "sources", "insiders", "commentators",
    "economists", "scientists", "researchers", "diplomats", "pundits", "scholars", "strategists",
    "watchers", "specialists", "authorities", "aides", "advisers", "advisors", "allies", "lawmakers",
    "legislators", "supporters", "opponents", "some", "many", "others",
    # one unnamed person: "a senior official said", "one analyst said" ("the official" refers back)
    "analyst", "expert", "observer", "official", "critic", "source", "insider", "aide", "adviser", "advisor",
    "diplomat",
)
DEFAULT_DOCUMENT_GROUPS = ("reports", "studies", "surveys", "estimates", "polls", "research")
DEFAULT_VERBS = (
    "say", "said", "suggest", "believe", "predict", "note", "argue", "claim", "warn", "indicate", "show",
    "shown", "estimate", "think", "thought", "fear", "contend", "expect", "caution", "speculate", "insist",
    "agree", "assert", "point out", "pointed out", "worry", "worried", "reckon", "suspect",
    "acknowledge", "concede", "allege", "confirm",
)
DEFAULT_PHRASES = (
    "it is widely believed", "it is widely thought", "it is widely reported", "it is widely accepted",
    "it is believed", "it is thought", "it is said", "it is understood", "it is rumoured", "it is rumored",
    "it has been reported", "it has been suggested", "it has been claimed", "it was reported",
    "people familiar with the matter", "people familiar with the situation", "sources familiar with",
    "a person familiar with", "people close to", "sources close to", "according to reports",
    "according to some", "some have suggested", "some have argued", "many have argued",
    "there are reports that", "there were reports that", "word is that", "rumour has it", "rumor has it",
)
DEFAULT_QUALIFIERS = (
    "police", "military", "intelligence", "government", "administration", "health", "campaign", "company",
    "security", "defense", "defence", "federal", "state", "city", "county", "local", "court", "party",
    "industry", "union", "army", "navy", "embassy", "ministry", "treasury", "election", "law", "enforcement",
    "customs", "border", "fire", "transport", "education", "school", "hospital", "bank", "airline",
)
DEFAULT_MEMBER_ROLES = (
    "analyst", "expert", "observer", "official", "critic", "economist", "scientist", "researcher",
    "diplomat", "scholar", "strategist", "specialist", "professor", "lecturer", "fellow", "spokesman",
    "spokeswoman", "spokesperson", "minister", "secretary", "ambassador", "officer", "commissioner",
    "director", "adviser", "advisor", "historian", "consultant",
)
# Words allowed between a determiner and the group without identifying it.
_MODIFIERS = frozenset(
    ["some", "many", "most", "several", "other", "others", "few", "a", "an", "number", "of", "numerous", "various", "senior", "top", "leading", "independent", "prominent", "unnamed", "anonymous", "outside", "private", "western", "foreign", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "dozens", "scores", "hundreds", "two-thirds", "more", "longtime", "veteran", "former", "current", "influential", "respected", "certain", "key", "recent", "new", "latest", "earlier", "early", "several", "another", "one"]
)
# Determiners that refer back to a group already introduced: its first mention is the finding.
_BACK_REFERENCES = frozenset(["the", "these", "those", "both", "such", "this", "that"])
# Words that end the modifiers before a group ("But strategists said": "But" does not qualify them).
_FUNCTION_WORDS = frozenset(
    ["but", "and", "or", "yet", "so", "still", "also", "however", "meanwhile", "now", "then", "while", "although", "though", "when", "as", "if", "because", "since", "after", "before", "even", "only", "just", "indeed", "moreover", "thus", "instead", "already", "again", "here", "there", "where", "who", "which", "whom", "whose", "what", "why", "how", "in", "on", "at", "by", "for", "with", "from", "to", "of", "into", "than", "said", "says", "say"])
_NOT_QUALIFYING = _MODIFIERS | _FUNCTION_WORDS
# How far a fixed phrase may reach from its key word (phrases are a few words long).
_PHRASE_REACH = 60
_AUXILIARIES = r"(?:\w{2,20}ly|also|have|has|had|now|still|would|will|may|might|could|often|long|do|did|all)"
_SPEECH_VERBS = r"(?:said|says|told|added|noted|wrote|explained|argued|warned|cautioned|predicted|believes|thinks)"
_MEMBER_OF_DOCUMENT = re.compile(
    r"\b(?:study|report|survey|research|paper|analysis|poll|estimate|data)\s+"
    r"(?:by|from|in|of|published\s+in|released\s+by|conducted\s+by|carried\s+out\s+by)\s+(?:the\s+)?[A-Z]"
    r"|\baccording\s+to\s+(?:the\s+)?[A-Z]")
_NAMED_SPEAKER = re.compile(
    rf"\b(?:{_SPEECH_VERBS}|according\s+to)\s+{PERSON_NAME}"
    rf"|{PERSON_NAME}(?:,[^,.]{{1,100}},)?\s+{_SPEECH_VERBS}\b")
_TOKEN = re.compile(r"[^\W\d_]+")
_ASCII_TOKEN = re.compile(r"[a-z]+")
# "NAME, a senior bond GROUP at X, said": the group word describes that named person.
_AFTER_NAME = re.compile(r"[A-Z][\w'’.-]{0,30},\s*(?:(?:a|an)\s+)?(?:[\w'’.-]{1,30}\s+){0,4}\Z")
# "NAME (, apposition,) and" just before "other GROUP": a named member leads the group.
_NAMED_THEN_AND = re.compile(r"\b([A-Z][\w.'’-]{1,30})(?:,[^,]{1,80},)?\s+and\s+\Z")
# "reports from The Lantern", "reported by the Daily Planet and Metro Weekly": a document word,
# then who published it (up to two capitalised names joined by "and").
_CAP_NAME = r"[A-Z][\w'’.&-]{0,30}(?:\s+(?:of\s+(?:the\s+)?)?[A-Z][\w'’.&-]{0,30}){0,5}"
_PUBLISHED_IN = re.compile(
    r"\b(?i:reports?|reported|studies|study|research|surveys?|polls?|estimates?)\s+(?:from|in|by)\s+"
    rf"(?P<names>(?:[Tt]he\s+)?{_CAP_NAME}(?:\s+(?:and|&)\s+(?:[Tt]he\s+)?{_CAP_NAME})?)"
    r"(?P<next>\s+[\w'’-]{1,30})?(?P<then>\s+[\w'’-]{1,30})?")
# Nouns that make the capitalised name before them a publisher ("the Daily Planet trade paper").
_MEDIA_NOUNS = frozenset(["newspaper", "paper", "magazine", "website", "site", "blog", "journal", "tabloid",
                          "daily", "weekly", "agency", "broadcaster", "channel", "network", "newsletter"])
# A plural noun after a singular group word makes the word an adjective ("official figures").
_PLURAL_NOUN_AFTER = re.compile(r"\s+[a-z]{2,30}s\b(?!['’])")
# Group words that are determiners: a capitalised word after them ("some Ruritanian firms")
# starts the group's own description, not a name.
_DETERMINERS = frozenset(["some", "many", "others", "most", "several"])
# A name right after the group word: "according to analyst Jane Doe", "analysts Northfield".
# Day and month names are when, not who ("according to officials Monday").
_NAME_AFTER = re.compile(
    r"\s+(?!(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|June"
    r"|July|August|September|October|November|December)\b)[A-Z][\w'’./&-]{1,30}")
_OPEN_QUOTES = "“\"«„"
_CLOSE_FOR = {"“": "”", '"': '"', "«": "»", "„": "“"}


ATT003 = Rule(
    code="ATT003",
    name="vague-attribution",
    summary="A claim is attributed to an unnamed group: \"analysts say\", \"experts suggest\", \"reports indicate\".",
    severity=Severity.WARNING,
    tags=("sourcing",),
    options=(
        RuleOption("groups", list(DEFAULT_GROUPS), "Group nouns of people that make an attribution vague."),
        RuleOption("document_groups", list(DEFAULT_DOCUMENT_GROUPS),
                   "Group nouns of texts (\"reports indicate\", \"studies show\")."),
        RuleOption("verbs", list(DEFAULT_VERBS),
                   "Attribution verbs (base or irregular forms; -s/-es/-d/-ed forms are added)."),
        RuleOption("phrases", list(DEFAULT_PHRASES), "Fixed vague phrases (\"it is widely believed\")."),
        RuleOption("qualifiers", list(DEFAULT_QUALIFIERS),
                   "Lower-case words that tie a group to an institution (\"police officials\"): "
                   "such findings are reported at info. Capitalised words (\"Pentagon officials\") "
                   "qualify too."),
        RuleOption("member_roles", list(DEFAULT_MEMBER_ROLES),
                   "Roles that make a named person in the same or next sentence a member of the group "
                   "(\"..., said Jane Doe, an analyst at ...\"): the attribution is then not vague."),
        RuleOption("extra_groups", [], "Added to `groups`."),
        RuleOption("extra_verbs", [], "Added to `verbs`."),
        RuleOption("extra_phrases", [], "Added to `phrases`."),
    ),
    documentation="""
## What it does
Finds claims attributed to an unnamed group of people or texts: "analysts say", "experts
suggest", "some analysts believe", "reports indicate", "officials note", "it is widely
believed", "studies show", "critics argue", and to one unnamed person ("a senior official
said", "according to one adviser"; "the official said" refers back and is not repeated).
Text inside quotation marks is skipped (it is
the speaker's wording). No finding when a named member of the group is given in the same
or the next sentence ("Analysts expect a cut. 'It is priced in,' said Jane Doe, an analyst
at Acme Bank."), or for a named study ("a study by the University of Leeds shows"), or when
reports name who published them: a news outlet, a name with its own capitalised "The", or
a name followed by "newspaper", "magazine", "agency"... ("according to reports from The
Lantern", "in the Weekly Courier"). Reports "from Ruritania" or "from Ruritanian officials"
stay vague: a place or a group is not a publisher. A name right after the group word names
the source too ("according to analyst Lena Park", "according to analysts Northfield Media";
a day or month name does not), and a person word before a plural noun is an adjective
("according to official figures").
A group tied to an institution ("police officials said", "analysts at Acme Bank expect")
is reported at `info`: it is still unnamed, but the reader knows where to look.

## Why it matters
An attribution nobody can check is barely an attribution. Editors and fact-checkers
(NewsGuard, the Trust Project) judge a source by whether its claims can be traced to a
named person or document; "experts say" can hide a single opinion or none.

## Example
```text
Analysts predict that the alliance could disrupt the balance of power.   <- ATT003
Experts suggest that China could use this leverage.                      <- ATT003
Police officials said the road would reopen on Monday.                   <- ATT003 (info)
```

## How to fix
Name the analysts, experts or reports (who, where, when), or quote one of them by name.
To extend the vocabulary, add words in rules.toml:
`[rules.ATT003] extra_groups = ["pundits"]`, `extra_phrases = ["insiders whisper"]`.
""",
)

ATT004 = Rule(
    code="ATT004",
    name="second-hand-sourcing",
    summary="A claim comes from another outlet's reporting: \"as reported by The Guardian\", \"according to Reuters\".",
    severity=Severity.WARNING,
    tags=("sourcing",),
    options=(
        RuleOption("outlets", [], "Outlet names to recognise besides the built-in list and the shape "
                                  "\"The X Times/Post/News/Journal...\"."),
    ),
    documentation="""
## What it does
Finds claims relayed from another news outlet rather than reported first-hand: "as
reported by The Guardian", "according to Reuters", "first reported by", "citing a report
in The Korea Times", "The Washington Post reported", "a Bloomberg report". Outlets are
recognised by a list (wire agencies, broadcasters) and by shape (a capitalised name ending
in Times, Post, News, Journal, Herald, ...). "told Reuters" is not reported: it is the
outlet's own interview. Quotations are skipped.

## Why it matters
Second-hand sourcing adds a link to the chain between the event and the reader, and
errors are copied along it. A collection of sources that all cite the same original is
one source, not several; the original should be collected and checked instead.

## Example
```text
The minister's remarks, reported by The Guardian, suggest ... <- ATT004
"It is a setback," Jane Doe told the Daily Courier.           <- no finding (own interview)
```

## How to fix
Collect and cite the original report, or confirm the claim independently. Add outlets the
rule does not know with `[rules.ATT004] outlets = ["Kyiv Independent"]`.
""",
)


@srcaudit.hookimpl
def srcaudit_rules() -> list[Rule]:
    return [ATT003, ATT004]


@srcaudit.hookimpl
def srcaudit_prepare(rules: ActiveRules) -> None:
    """Compile both rules' grammars and keyword finders before the workers fork (each would
    otherwise compile them on its first document); without it they are built on first use."""
    if rules.enabled("ATT003"):
        _grammar_for(rules)
    if rules.enabled("ATT004"):
        _second_hand_grammar(tuple(rules.option("ATT004", "outlets")))
        _second_hand_finder()


@srcaudit.hookimpl
def srcaudit_check_document(document: Document, rules: ActiveRules) -> list[Finding]:
    analysis = _analyse(document, rules)
    return list(analysis.vague) + list(analysis.second_hand)


@srcaudit.hookimpl
def srcaudit_measure_document(document: Document, rules: ActiveRules) -> dict[str, Any]:
    if not rules.any_enabled("ATT003", "ATT004"):
        return {}
    analysis = _analyse(document, rules)
    measures: dict[str, Any] = {}
    if rules.enabled("ATT003"):
        measures["vague_attribution_count"] = len(analysis.vague)
    if rules.enabled("ATT004"):
        measures["second_hand_count"] = len(analysis.second_hand)
    return measures


# -- the grammar, compiled once per configuration ----------------------------------------------


@dataclass(frozen=True)
class _Grammar:
    group_verb: re.Pattern[str]
    verb_group: re.Pattern[str]
    according_to: re.Pattern[str]
    phrases: re.Pattern[str] | None
    people: frozenset[str]
    qualifiers: frozenset[str]
    member_roles: re.Pattern[str]
    #: Group words, "said"/"say"/"says" and "according" (lower case) -> the patterns to try
    #: there. Trying anchored patterns at these words is much cheaper than scanning every
    #: character with a large alternation.
    anchors: dict[str, tuple[re.Pattern[str], ...]]
    #: Every group pattern needs one of these words: without them no anchor is worth trying.
    group_words: frozenset[str]
    #: Longest word of each fixed phrase -> the word sets of the phrases it keys: a phrase is
    #: searched for only around its key word, and only where all its words occur.
    phrase_keys: dict[str, tuple[frozenset[str], ...]]
    #: Finds, in lower-cased ASCII text, every word either rule looks for (anchors, group
    #: words, phrase keys, ATT004's keywords): see :func:`_scan`.
    keywords: WordFinder
    #: The words of fixed phrases that are not keywords -> a test of whether one occurs in
    #: lower-cased ASCII text.
    phrase_words: dict[str, re.Pattern[str]]
    #: Matches where ``phrases`` matches, the phrases nested as a trie of words: whether any
    #: phrase occurs near a key word is asked of most paragraphs, and a trie tries a few
    #: first words at each position instead of every phrase.
    phrase_gate: re.Pattern[str] | None


def _alternation(words: Iterable[str]) -> str:
    unique = sorted({w.strip() for w in words if w.strip()}, key=len, reverse=True)
    return "|".join(r"\s+".join(re.escape(part) for part in w.split()) for w in unique)


def _inflected(verbs: Iterable[str]) -> list[str]:
    forms: set[str] = set()
    for verb in verbs:
        verb = verb.strip().casefold()
        if not verb:
            continue
        head, _, tail = verb.partition(" ")
        stems = {head, head + "s", head + "es", head + ("d" if head.endswith("e") else "ed")}
        if head.endswith("y") and len(head) > 3 and head[-2] not in "aeiou":
            stems |= {head[:-1] + "ies", head[:-1] + "ied"}
        forms |= {f"{stem} {tail}".strip() for stem in stems}
    return sorted(forms)


@lru_cache(maxsize=16)
def _grammar(groups: tuple[str, ...], document_groups: tuple[str, ...], verbs: tuple[str, ...],
             phrases: tuple[str, ...], qualifiers: tuple[str, ...], roles: tuple[str, ...]) -> _Grammar:
    all_groups = _alternation(groups + document_groups)
    verb_forms = _alternation(_inflected(verbs))
    organisation = r"(?:[A-Z][\w'’.&-]{0,30}\s+){0,4}?[A-Z][\w'’.&-]{0,30}"
    group_verb = re.compile(
        rf"\b(?i:(?P<group>{all_groups}))"
        rf"(?P<post>\s+(?:at|from|with|in|of|for|inside|within)\s+(?:the\s+)?{organisation})?"
        rf"(?:\s*,)?\s+(?i:{_AUXILIARIES}\s+){{0,2}}(?i:(?P<verb>{verb_forms}))\b")
    verb_group = re.compile(
        rf"\b(?i:said|say|says)\s+(?P<mods>(?:[\w.'’-]{{1,30}}\s+){{0,3}}?)(?i:(?P<group>{all_groups}))"
        rf"(?=\s*(?:[.,;:!?]|$))")
    according_to = re.compile(
        rf"\b(?i:according\s+to)\s+(?P<mods>(?:[\w.'’-]{{1,30}}\s+){{0,3}}?)(?i:(?P<group>{all_groups}))\b"
        rf"(?P<post>\s+(?:at|from|with|in|of|for|inside|within)\s+(?:the\s+)?{organisation})?")
    phrase_pattern = re.compile(rf"\b(?i:{_alternation(phrases)})\b") if phrases else None
    role_words = _alternation(roles) or "(?!)"
    anchors: dict[str, list[re.Pattern[str]]] = {}
    for words, pattern in ((groups + document_groups, group_verb), (("said", "say", "says"), verb_group),
                           (("according",), according_to)):
        for first in {_first_word(w) for w in words} - {""}:
            anchors.setdefault(first, []).append(pattern)
    group_words = frozenset(_TOKEN.findall(" ".join(groups + document_groups).lower()))
    phrase_keys = _phrase_keys(phrases)
    keywords = group_words | set(anchors) | set(phrase_keys) | _SECOND_HAND_WORDS
    other_phrase_words = {word for sets in phrase_keys.values() for words in sets for word in words} - keywords
    return _Grammar(group_verb, verb_group, according_to, phrase_pattern,
                    frozenset(g.casefold() for g in groups), frozenset(q.casefold() for q in qualifiers),
                    re.compile(rf"\b(?i:{role_words})s?\b"),
                    {word: tuple(patterns) for word, patterns in anchors.items()},
                    group_words, phrase_keys, WordFinder(keywords),
                    {word: _word_test(word) for word in other_phrase_words},
                    re.compile(rf"\b(?i:{_phrase_trie(phrases)})\b") if phrases else None)


def _phrase_trie(phrases: Iterable[str]) -> str:
    """The phrases of :func:`_alternation` as a trie of their words (the same texts match)."""
    trie: dict[str, dict] = {}
    for phrase in {p.strip() for p in phrases if p.strip()}:
        node = trie
        for part in phrase.split():
            node = node.setdefault(part, {})
        node[""] = {}
    return _word_branches(trie) or "(?!)"


def _word_branches(node: dict[str, dict]) -> str:
    branches = []
    for part, child in sorted(node.items()):
        if not part:
            continue
        rest = _word_branches(child)
        if not rest:
            branches.append(re.escape(part))
        elif "" in child:
            branches.append(rf"{re.escape(part)}(?:\s+{rest})?")
        else:
            branches.append(rf"{re.escape(part)}\s+{rest}")
    return f"(?:{'|'.join(branches)})" if branches else ""


def _phrase_keys(phrases: Iterable[str]) -> dict[str, tuple[frozenset[str], ...]]:
    keys: dict[str, list[frozenset[str]]] = {}
    for phrase in phrases:
        words = _TOKEN.findall(phrase.lower())
        if words:
            keys.setdefault(max(words, key=len), []).append(frozenset(words))
    return {key: tuple(word_sets) for key, word_sets in keys.items()}


def _first_word(phrase: str) -> str:
    words = _TOKEN.findall(phrase.lower())
    return words[0] if words else ""


def _grammar_for(rules: ActiveRules) -> _Grammar:
    if _last_grammar[0] is not rules:  # the same ActiveRules object serves a whole run
        def option(name: str) -> tuple[str, ...]:
            return tuple(rules.option("ATT003", name))
        _last_grammar[:] = [rules, _grammar(
            option("groups") + option("extra_groups"), option("document_groups"),
            option("verbs") + option("extra_verbs"), option("phrases") + option("extra_phrases"),
            option("qualifiers"), option("member_roles"))]
    return _last_grammar[1]


# The rules object of the last call and its grammar: reading nine options per document
# (and hashing them for the cache) cost more than some documents' whole check.
_last_grammar: list[Any] = [None, None]


# -- analysis of one document ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Analysis:
    vague: tuple[Finding, ...]
    second_hand: tuple[Finding, ...]


@once_per_document
def _analyse(document: Document, rules: ActiveRules) -> _Analysis:
    """Both rules' findings for a document, computed once for the check and the measure hooks."""
    return _Analysis(
        tuple(_vague_findings(document, rules)) if rules.enabled("ATT003") else (),
        tuple(_second_hand_findings(document, rules)) if rules.enabled("ATT004") else (),
    )


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Spans of ``text`` inside quotation marks; an unclosed quote runs to the end (a quote
    continued in the next paragraph, by news convention)."""
    spans: list[tuple[int, int]] = []
    position = 0
    while True:
        start = _next_open_quote(text, position)
        if start < 0:
            return spans
        closer = _CLOSE_FOR[text[start]]
        end = text.find(closer, start + 1)
        if end < 0:
            spans.append((start, len(text)))
            return spans
        spans.append((start, end + 1))
        position = end + 1


def _next_open_quote(text: str, position: int) -> int:
    found = [i for i in (text.find(q, position) for q in _OPEN_QUOTES) if i >= 0]
    return min(found) if found else -1


def _inside(spans: Sequence[tuple[int, int]], start: int, end: int) -> bool:
    return any(a <= start and end <= b for a, b in spans)


def paragraph_region(document: Document, paragraph: Paragraph, start: int, end: int) -> Region:
    """The document region of ``paragraph.text[start:end]`` (the text joins stripped lines with spaces)."""
    first = _document_offset(document, paragraph, start)
    last = _document_offset(document, paragraph, max(start, end - 1)) + (1 if end > start else 0)
    return document.region(first, last)


def _document_offset(document: Document, paragraph: Paragraph, offset: int) -> int:
    consumed = 0
    for number in range(paragraph.start_line, paragraph.end_line + 1):
        line = document.lines[number - 1]
        stripped = line.strip()
        if offset <= consumed + len(stripped) or number == paragraph.end_line:
            indent = len(line) - len(line.lstrip())
            return document.line_offset(number) + indent + min(offset - consumed, len(stripped))
        consumed += len(stripped) + 1
    return document.line_offset(paragraph.start_line)


def _snippet(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _SNIPPET else text[:_SNIPPET - 1].rstrip() + "…"


# -- ATT003 ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Vague:
    start: int
    end: int
    group: str | None  # None for a fixed phrase
    qualifier: str | None


def _vague_findings(document: Document, rules: ActiveRules) -> list[Finding]:
    grammar = _grammar_for(rules)
    body = document.body_paragraphs
    sentences: dict[int, list[tuple[int, int]]] = {}  # paragraph number -> sentence spans, split once

    def spans_of(number: int) -> list[tuple[int, int]]:
        if number not in sentences:
            sentences[number] = sentence_spans(body[number].text)
        return sentences[number]

    findings: list[Finding] = []
    for number, paragraph in enumerate(body):
        anchors, phrase_keys = _anchors(paragraph.text, grammar)
        if not anchors and not phrase_keys or not _may_match(paragraph.text, grammar, anchors, phrase_keys):
            continue
        quotes = quoted_spans(paragraph.text)
        spans = spans_of(number)
        positions = [position for position, _ in anchors]
        for index, (first, last) in enumerate(spans):
            here = [(position - first, patterns) for position, patterns in
                    anchors[bisect.bisect_left(positions, first):bisect.bisect_left(positions, last)]]
            keys = [position - first for position in
                    phrase_keys[bisect.bisect_left(phrase_keys, first):bisect.bisect_left(phrase_keys, last)]]
            if not here and not keys:
                continue
            text = paragraph.text[first:last]
            for match in _vague_matches(text, grammar, here, keys):
                start, end = first + match.start, first + match.end
                if _inside(quotes, start, end):
                    continue
                following = _next_sentence(body, number, spans, index, spans_of)
                if _named_source_near(match, text, following, grammar) or _names_publisher(match, text, grammar):
                    continue
                findings.append(_vague_finding(document, paragraph, start, end, match))
    return findings


Anchors = list[tuple[int, tuple[re.Pattern[str], ...]]]


@lru_cache(maxsize=512)
def _paragraph_words(text: str) -> tuple[str, frozenset[str]]:
    """``text`` in lower case and its set of words: shared by ATT003 and ATT004."""
    lowered = text.lower()
    # In ASCII text the letters-only token class is [a-z] after lowering: a plain range
    # scans a third faster than the Unicode class and finds the same words.
    tokens = _ASCII_TOKEN.findall(lowered) if lowered.isascii() else _TOKEN.findall(lowered)
    return lowered, frozenset(tokens)


# -- where the keywords are ----------------------------------------------------------------------
#
# Both rules start from a few dozen keywords ("analysts", "said", "according", "reported"),
# and most paragraphs hold none. Tokenising every paragraph to find out was most of their
# time. In ASCII text (nearly all news text) one pass of a multi-word search over the
# lower-cased paragraph finds them instead, each between letter boundaries, so a hit is
# exactly a letters-only word of the text (what the word set held). Other paragraphs use
# the word set.


class WordFinder:
    """Finds given words (lower-case letters) as whole letters-only words of lower-cased
    ASCII text: not preceded or followed by a letter ("reports" in "reports2", not in
    "reportsx" or "misreports").

    An Aho-Corasick automaton (pyahocorasick, in C) reports every occurrence of every
    word in one pass over the text, at a few nanoseconds a character; occurrences inside
    longer words are then dropped. A regex alternation, even nested as a trie, tries its
    branches at every word start and was several times slower.
    """

    def __init__(self, words: Iterable[str]) -> None:
        # Only such words can occur in lower-cased ASCII text.
        self.words = frozenset(w for w in words if w.isascii() and w.isalpha() and w.islower())
        self._automaton = ahocorasick.Automaton()
        for word in self.words:
            self._automaton.add_word(word, word)
        if self.words:
            self._automaton.make_automaton()

    def find(self, lowered: str) -> tuple[tuple[int, str], ...]:
        """(start, word) of each whole-word occurrence in ``lowered``, in text order."""
        if not self.words:
            return ()
        hits = []
        last = len(lowered) - 1
        for end, word in self._automaton.iter(lowered):
            start = end - len(word) + 1
            if (start == 0 or not "a" <= lowered[start - 1] <= "z") and (end == last or not "a" <= lowered[end + 1] <= "z"):
                hits.append((start, word))
        return tuple(hits)  # whole words cannot overlap: in order of their ends is in order of their starts


def _word_test(word: str) -> re.Pattern[str]:
    """Whether ``word`` occurs as a letters-only word of lower-cased ASCII text. The pattern
    begins with the word itself, so the regex engine skips to its occurrences."""
    if not (word.isascii() and word.isalpha() and word.islower()):
        return re.compile("(?!)")
    escaped = re.escape(word)
    return re.compile(rf"{escaped}(?<![a-z]{escaped})(?![a-z])")


class _Scan(NamedTuple):
    """The keywords of an ASCII paragraph: where each occurs, and which occur (a named
    tuple: one is made for every paragraph, and a frozen dataclass costs several times more)."""

    lowered: str
    hits: tuple[tuple[int, str], ...]  # (start, keyword), in text order
    present: frozenset[str]


@lru_cache(maxsize=512)
def _scan(text: str, finder: WordFinder) -> _Scan | None:
    """``finder``'s keywords in ``text`` (shared by ATT003 and ATT004); None if ``text`` is not ASCII."""
    if not text.isascii():
        return None
    lowered = text.lower()
    hits = finder.find(lowered)
    return _Scan(lowered, hits, frozenset(word for _, word in hits) if hits else _NOTHING)


_NOTHING: frozenset[str] = frozenset()


def _bounded(text: str, start: int, end: int, inside: Callable[[str], bool]) -> bool:
    """Whether ``text[start:end]`` has no ``inside`` character on either side."""
    return (start == 0 or not inside(text[start - 1])) and (end == len(text) or not inside(text[end]))


def _anchors(text: str, grammar: _Grammar) -> tuple[Anchors, list[int]]:
    """Where group patterns may start in ``text``, and where fixed phrases' key words are (sorted).

    Most paragraphs contain none of the anchor words. In ASCII text the keyword scan says
    so (:func:`_scan`); other text is tokenised into a word set, and positions are then
    found with ``str.find``. Either way a position is a whole word between characters
    that are not letters or digits.
    """
    scan = _scan(text, grammar.keywords)
    if scan is None:
        return _anchors_by_words(text, grammar)
    present, lowered = scan.present, scan.lowered
    keys = {key for key in present.intersection(grammar.phrase_keys)
            if any(all(_occurs(word, present, lowered, grammar) for word in phrase)
                   for phrase in grammar.phrase_keys[key])}
    anchored = present.intersection(grammar.anchors) if not present.isdisjoint(grammar.group_words) else ()
    if not anchored and not keys:
        return [], []
    anchors = [(start, grammar.anchors[word]) for start, word in scan.hits
               if word in anchored and _bounded(lowered, start, start + len(word), str.isalnum)]
    phrase_positions = [start for start, word in scan.hits
                        if word in keys and _bounded(lowered, start, start + len(word), str.isalnum)]
    return anchors, phrase_positions


def _occurs(word: str, present: frozenset[str], lowered: str, grammar: _Grammar) -> bool:
    """Whether a word of a fixed phrase occurs in a scanned paragraph (``present``: its keywords)."""
    if word in present:
        return True
    test = grammar.phrase_words.get(word)  # None: a keyword, which the scan would have found
    return test is not None and test.search(lowered) is not None


def _anchors_by_words(text: str, grammar: _Grammar) -> tuple[Anchors, list[int]]:
    """:func:`_anchors` from the paragraph's word set (any text)."""
    lowered, words = _paragraph_words(text)
    keys = [key for key in words.intersection(grammar.phrase_keys)
            if any(phrase <= words for phrase in grammar.phrase_keys[key])]
    present = words.intersection(grammar.anchors) if not words.isdisjoint(grammar.group_words) else set()
    if not present and not keys:
        return [], []
    if len(lowered) != len(text):  # lower() changed lengths (rare letters): positions would drift
        tokens = [(m.start(), m.group().lower()) for m in _TOKEN.finditer(text)]
        return ([(start, grammar.anchors[w]) for start, w in tokens if w in grammar.anchors],
                [start for start, w in tokens if w in keys])
    anchors = [(position, grammar.anchors[word]) for word in present for position in _positions(lowered, word)]
    phrase_positions = [position for key in keys for position in _positions(lowered, key)]
    return sorted(anchors, key=lambda anchor: anchor[0]), sorted(phrase_positions)


def _may_match(text: str, grammar: _Grammar, anchors: Anchors, phrase_keys: Sequence[int]) -> bool:
    """Whether a pattern matches at one of its anchors, or a phrase near one of its keys, in the
    whole paragraph: most paragraphs with an anchor word have none, and need no sentence split.

    A match inside a sentence is a match in the paragraph too: the patterns end in ``\\b``
    or a lookahead for punctuation or the end, which hold at a sentence's end in the
    paragraph as well (a sentence ends in punctuation, or where the paragraph does).
    """
    if any(pattern.match(text, position) for position, patterns in anchors for pattern in patterns):
        return True
    return grammar.phrase_gate is not None and any(
        grammar.phrase_gate.search(text, max(0, key - _PHRASE_REACH), key + _PHRASE_REACH) for key in phrase_keys)


def _positions(lowered: str, word: str) -> Iterable[int]:
    """Start of each whole-word occurrence of ``word`` in ``lowered``."""
    position = lowered.find(word)
    while position >= 0:
        end = position + len(word)
        if (position == 0 or not lowered[position - 1].isalnum()) and \
                (end == len(lowered) or not lowered[end].isalnum()):
            yield position
        position = lowered.find(word, end)


def _next_sentence(body: Sequence[Paragraph], number: int, spans: list[tuple[int, int]], index: int,
                   spans_of: Callable[[int], list[tuple[int, int]]]) -> str:
    """The sentence after ``spans[index]``: in the same paragraph, else the next body paragraph's first."""
    if index + 1 < len(spans):
        start, end = spans[index + 1]
        return body[number].text[start:end]
    if number + 1 < len(body):
        following = spans_of(number + 1)
        if following:
            return body[number + 1].text[following[0][0]:following[0][1]]
    return ""


def _vague_matches(text: str, grammar: _Grammar, anchors: Anchors | None = None,
                   phrase_keys: Sequence[int] | None = None) -> list[_Vague]:
    """Vague attributions in one sentence: group patterns tried at ``anchors``, fixed phrases
    searched around ``phrase_keys`` (both found here when None)."""
    if anchors is None or phrase_keys is None:
        anchors, phrase_keys = _anchors(text, grammar)
    found: list[_Vague] = []
    for position, patterns in anchors:
        for pattern in patterns:
            match = pattern.match(text, position)
            if match is not None:
                vague = _interpret(match, pattern, text, grammar)
                if vague is not None:
                    found.append(vague)
    if grammar.phrases is not None:
        for key in phrase_keys:
            window = grammar.phrases.finditer(text, max(0, key - _PHRASE_REACH), key + _PHRASE_REACH)
            found += [_Vague(m.start(), m.end(), None, None) for m in window if m.start() <= key < m.end()]
    return _without_overlaps(found)


def _interpret(match: re.Match[str], pattern: re.Pattern[str], text: str, grammar: _Grammar) -> _Vague | None:
    """A pattern's match as a vague attribution, or None when the context rules it out."""
    if pattern is grammar.group_verb:
        if match.group("verb")[:1].isupper():
            return None  # "Experts Warn ...": a title-case headline, usually another story's
        if match.group("group")[:1].isupper() and text[:match.start()].strip():
            return None  # "Northfield Research suggested": a capitalised group word inside a name
        mods = _modifiers_before(text, match.start(), grammar)
        if mods is None:
            return None
        start = match.start() - len(mods[0])
        closed = "," in text[match.end("group"):match.start("verb")]
        if closed and _AFTER_NAME.search(text[:start]):
            return None  # "Jane Doe, an analyst at Acme, said": an apposition to a named person
        return _Vague(start, match.end(), match.group("group").casefold(),
                      _qualifier(mods[1], match.group("post"), grammar))
    words = match.group("mods").split()
    if not all(_is_modifier_word(w, grammar) for w in words):
        return None
    if pattern is grammar.according_to and not match.group("post") and \
            match.group("group").casefold() not in _DETERMINERS and _NAME_AFTER.match(text, match.end("group")):
        return None  # "according to analyst Jane Doe", "according to analysts Northfield": named
    if pattern is grammar.according_to and not match.group("post") and \
            not match.group("group").endswith("s") and _PLURAL_NOUN_AFTER.match(text, match.end("group")):
        return None  # "according to official figures": the person word is an adjective
    if match.group("group")[:1].isupper() and words and words[-1][:1].isupper():
        return None  # "according to Northfield Research": a capitalised group word ending a name
    if words and words[0].casefold() in _BACK_REFERENCES:
        return None
    return _Vague(match.start(), match.end(), match.group("group").casefold(),
                  _qualifier(words, match.groupdict().get("post"), grammar))


def _modifiers_before(text: str, position: int, grammar: _Grammar) -> tuple[str, list[str]] | None:
    """The modifier words just before a group ("some senior Pentagon"), or None for a back-reference."""
    words: list[str] = []
    cursor = position
    while len(words) < 4:
        match = re.search(r"([\w.'’-]{1,30})\s+$", text[max(0, cursor - 40):cursor])
        if match is None:
            break
        word = match.group(1)
        folded = word.casefold()
        if folded in _BACK_REFERENCES:
            return None
        if folded in _FUNCTION_WORDS:
            break
        if folded not in _MODIFIERS and not word[:1].isupper():
            if folded in grammar.qualifiers:
                words.insert(0, word)
                cursor -= len(match.group(0))
                continue
            break
        if word.endswith(("'s", "’s")):
            break  # "the company's analysts": the possessive names the group's owner
        words.insert(0, word)
        cursor -= len(match.group(0))
    return text[cursor:position], words


def _is_modifier_word(word: str, grammar: _Grammar) -> bool:
    folded = word.casefold()
    if folded in _FUNCTION_WORDS:
        return False
    return folded in _MODIFIERS or folded in grammar.qualifiers or word[:1].isupper()


def _qualifier(words: Sequence[str], post: str | None, grammar: _Grammar) -> str | None:
    """What ties the group to an institution ("at Acme Bank", "police", "White House"); None if nothing."""
    if post:
        return post.strip()
    qualifying = [word for word in words if word.casefold() in grammar.qualifiers
                  or (word[:1].isupper() and word.casefold() not in _NOT_QUALIFYING)]
    return " ".join(qualifying) or None


def _without_overlaps(found: list[_Vague]) -> list[_Vague]:
    kept: list[_Vague] = []
    for candidate in sorted(found, key=lambda v: (v.start, -(v.end - v.start))):
        if kept and candidate.start < kept[-1].end:
            continue
        kept.append(candidate)
    return kept


def _named_source_near(match: _Vague, text: str, following: str, grammar: _Grammar) -> bool:
    """Whether this or the next sentence names a member of the group (or the report) being cited."""
    if match.group in grammar.people and text[match.start:match.start + 6].lower() == "other ":
        leader = _NAMED_THEN_AND.search(text[:match.start])
        if leader and leader.group(1).casefold() not in grammar.people:
            return True  # "Cornyn, the bill's sponsor, and other supporters said": a member is named
    for candidate in (text[:match.start] + " " + text[match.end:], following):
        if match.group is None or match.group not in grammar.people:
            if _MEMBER_OF_DOCUMENT.search(candidate):
                return True
            continue
        if _NAMED_SPEAKER.search(candidate) and grammar.member_roles.search(candidate):
            return True
    return False


def _names_publisher(match: _Vague, text: str, grammar: _Grammar) -> bool:
    """Whether a vague text ("according to reports", "it was reported") is followed by who
    published it: a news outlet ("in the Daily Planet"), or a name with its own capitalised
    article ("from The Lantern": mid-sentence, "The" belongs to a title). A place ("reports from
    Ruritania", "from the North") or a group ("from Ruritanian officials") stays vague."""
    if match.group is not None and match.group in grammar.people:
        return False
    published = _PUBLISHED_IN.search(text, match.start, match.end + 120)
    if published is None or published.start() >= match.end:
        return False
    after = [(published.group(part) or "").strip().casefold() for part in ("next", "then")]
    if after[0] in grammar.group_words:
        return False  # "reports from Ruritanian officials": a group, not a publisher
    names = published.group("names")
    return names.startswith("The ") or _outlet_in(names) or not _MEDIA_NOUNS.isdisjoint(after)


def _outlet_in(names: str) -> bool:
    return _default_outlet_search().search(names) is not None


@lru_cache(maxsize=1)
def _default_outlet_search() -> re.Pattern[str]:
    return outlet_pattern()


def _vague_finding(document: Document, paragraph: Paragraph, start: int, end: int, match: _Vague) -> Finding:
    phrase = _snippet(paragraph.text[start:end])
    if match.qualifier:
        message = (f'vague attribution "{phrase}": unnamed group (qualified by "{_snippet(match.qualifier)}"), '
                   "no named source in this or the next sentence")
        severity: Severity | None = Severity.INFO
    else:
        message = f'vague attribution "{phrase}": no named source in this or the next sentence'
        severity = None
    return Finding("ATT003", message, document.path, paragraph_region(document, paragraph, start, end),
                   severity=severity)


# -- ATT004 ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _SecondHandGrammar:
    """ATT004's patterns, split by where the keyword sits so each is tried at one place only."""

    #: Tried exactly at a keyword ("reported by X", "according to X", "citing X", "a report in X").
    after_keyword: re.Pattern[str]
    #: Tried on the text just before and including a keyword ("a Reuters report", "X reported").
    before_keyword: tuple[re.Pattern[str], ...]
    #: Keyword (lower case) -> the ``before_keyword`` patterns that can end with it: each
    #: pattern ends in a word list anchored at the keyword's end, so "according" needs none.
    before_by_keyword: dict[str, tuple[re.Pattern[str], ...]]


# Every second-hand phrase contains one of these words ("reported by", "according to", "a report in").
_SECOND_HAND_WORDS = frozenset(("reported", "reports", "report", "according", "citing", "revealed", "story",
                                "article", "investigation", "analysis", "dispatch", "poll", "survey"))
_SECOND_HAND_KEYWORD = re.compile(rf"\b(?i:{'|'.join(sorted(_SECOND_HAND_WORDS, key=len, reverse=True))})\b")
# Characters before a keyword that an outlet name and its article can span.
_WINDOW = 100


@lru_cache(maxsize=16)
def _second_hand_grammar(extra_outlets: tuple[str, ...]) -> _SecondHandGrammar:
    outlet = outlet_pattern(DEFAULT_OUTLETS + extra_outlets).pattern
    o = rf"(?P<outlet>{outlet})"
    report = r"(?:report|reports|story|article|investigation|analysis|dispatch)"
    after = (rf"(?i:reported\s+(?:first\s+|earlier\s+|exclusively\s+|previously\s+)?(?:by|in)\s+)"
             rf"|(?i:according\s+to\s+(?:(?:a|an|the)\s+)?(?:{report}\s+(?:in|by|from|on)\s+)?)"
             rf"|(?i:citing\s+(?:(?:a|an)\s+)?(?:{report}\s+(?:in|by|from|on)\s+)?)"
             rf"|(?i:{report}\s+(?:in|by|from)\s+)")
    nouns = ("report", "reports", "story", "article", "investigation", "analysis", "dispatch", "poll", "survey")
    verbs = ("reported", "reports", "revealed")
    before = (rf"\b(?i:(?:a|an)\s+(?:recent\s+|new\s+|earlier\s+)?){o}\s+(?i:{'|'.join(nouns)})",
              (rf"{o}\s+(?i:(?:first\s+|previously\s+|earlier\s+|originally\s+|has\s+|had\s+){{0,2}}"
               rf"(?:{'|'.join(verbs)}))"))
    compiled = tuple(re.compile(rf"(?:{pattern})\Z") for pattern in before)
    by_keyword = {word: tuple(pattern for pattern, ends in zip(compiled, (nouns, verbs)) if word in ends)
                  for word in _SECOND_HAND_WORDS}
    return _SecondHandGrammar(re.compile(rf"(?:{after}){o}"), compiled, by_keyword)


def _second_hand_findings(document: Document, rules: ActiveRules) -> list[Finding]:
    grammar = _second_hand_grammar(tuple(rules.option("ATT004", "outlets")))
    # The scan ATT003 made of each paragraph serves here too (its keywords include these).
    finder = _grammar_for(rules).keywords if rules.enabled("ATT003") else _second_hand_finder()
    findings: list[tuple[Paragraph, int, int, re.Match[str]]] = []
    for paragraph in document.body_paragraphs:
        text = paragraph.text
        scan = _scan(text, finder)
        if _SECOND_HAND_WORDS.isdisjoint(scan.present if scan else _paragraph_words(text)[1]):
            continue
        quotes: list[tuple[int, int]] | None = None
        for start, end in _keyword_spans(text, scan):
            # Every phrase contains a keyword: try the patterns there, not along the whole text.
            window_start = max(0, start - _WINDOW)
            match = grammar.after_keyword.match(text, start)
            before = grammar.before_by_keyword.get(text[start:end].lower(), grammar.before_keyword)
            for pattern in before:
                if match is None:
                    match = pattern.search(text, window_start, end)
            if match is None:
                continue
            quotes = quoted_spans(text) if quotes is None else quotes
            if _inside(quotes, match.start(), match.end()):
                continue
            if findings and findings[-1][0] is paragraph and match.start() < findings[-1][2]:
                continue  # one phrase, two keywords ("reported in a report by ...")
            findings.append((paragraph, match.start(), match.end(), match))
    return [_second_hand_finding(document, *found) for found in findings]


@lru_cache(maxsize=1)
def _second_hand_finder() -> WordFinder:
    return WordFinder(_SECOND_HAND_WORDS)


def _keyword_spans(text: str, scan: _Scan | None = None) -> list[tuple[int, int]]:
    """Spans of ``_SECOND_HAND_KEYWORD``'s matches, in order.

    In ASCII text (nearly every paragraph) the keywords are where the paragraph's scan
    found them (``scan``), or are known from its word set and located with ``str.find``:
    either is several times cheaper than running the case-insensitive alternation along
    the text. The boundary test is the regex's ``\\b`` (letters, digits and "_" are word
    characters).
    """
    if not text.isascii():
        return [keyword.span() for keyword in _SECOND_HAND_KEYWORD.finditer(text)]
    if scan is not None:
        return [(start, start + len(word)) for start, word in scan.hits
                if word in _SECOND_HAND_WORDS and _bounded(scan.lowered, start, start + len(word), _is_word_character)]
    lowered, words = _paragraph_words(text)
    spans = []
    for word in _SECOND_HAND_WORDS.intersection(words):
        position = lowered.find(word)
        while position >= 0:
            end = position + len(word)
            if (position == 0 or not _is_word_character(lowered[position - 1])) and \
                    (end == len(lowered) or not _is_word_character(lowered[end])):
                spans.append((position, end))
            position = lowered.find(word, end)
    return sorted(spans)


def _is_word_character(character: str) -> bool:
    return character.isalnum() or character == "_"


def _second_hand_finding(document: Document, paragraph: Paragraph, start: int, end: int,
                         match: re.Match[str]) -> Finding:
    outlet = " ".join(match.group("outlet").split())
    message = (f'second-hand sourcing: "{_snippet(match.group())}" relays reporting by {outlet} '
               "instead of the source's own")
    return Finding("ATT004", message, document.path, paragraph_region(document, paragraph, start, end))
