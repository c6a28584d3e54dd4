"""The reduce phase: compare the facts of document pairs that tell the same story.

Each check receives the pairs from :mod:`.topics` and yields findings that point at one
document and relate the other, with an ``anchor`` built from content (names, titles,
words, values) so fingerprints survive line shifts.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from functools import lru_cache
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, NamedTuple

from srcaudit.api import DocumentFacts, Finding, Region, RelatedLocation
from srcaudit.names import edit_distance, name_key
from srcaudit.text import words

from . import titles as title_rules
from .extract import content_stem
from .packed import Figure, Mention, Packed, Person, Quote, Title, figures, quotes, titled_people

Pair = tuple[tuple[DocumentFacts, dict], tuple[DocumentFacts, dict]]


def _region(values: Sequence[int]) -> Region:
    return Region(*values)


def _where(document: DocumentFacts, values: Sequence[int]) -> str:
    return f"{document.path}:{values[0]}"


def _related(document: DocumentFacts, values: Sequence[int], label: str) -> RelatedLocation:
    return RelatedLocation(document.path, _region(values), label)


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


# -- Reading a pair's rows ---------------------------------------------------------------------
#
# The checks take pairs grouped by their later document (the plugin orders them so), so
# each check keeps that document's rows while its pairs go by and looks up only the
# earlier one's. The lookups below are keyed by the packed bytes, whose hash and
# equality run in C (a ``Packed`` key costs two Python calls a lookup, half a million
# pairs three times over at 100k documents); two documents with
# the same rows share one entry. Two rows of one kind are equal when their bytes are.
# The later document's rows are read without these caches: its pairs come together, so
# they would only push out the earlier documents (a few thousand story leaders that meet
# document after document; corpus-100000: misses of the earlier documents' rows 66,499 -> 3,319
# in ATT001, 51,915 -> 3,116 in CON001).

#: Documents whose unpacked rows each lookup keeps while the checks run.
UNPACKED_DOCUMENTS = 4096


@lru_cache(maxsize=UNPACKED_DOCUMENTS)
def _titled(data: bytes) -> dict[str, Person]:
    """:func:`.packed.titled_people` of a document's packed people, kept for its next pairs."""
    return titled_people(Packed("people", data))


@lru_cache(maxsize=UNPACKED_DOCUMENTS)
def _quotes(data: bytes) -> tuple[Quote, ...]:
    """:func:`.packed.quotes` of a document's packed quotes, kept for its next pairs."""
    return quotes(Packed("quotes", data))


@lru_cache(maxsize=UNPACKED_DOCUMENTS)
def _quotes_by_speaker(data: bytes) -> dict[str, list[Quote]]:
    """A document's attributed quotes by speaker key, in document order."""
    by_speaker: dict[str, list[Quote]] = defaultdict(list)
    for quote in _quotes(data):
        if quote.speaker:
            by_speaker[quote.speaker].append(quote)
    return dict(by_speaker)


# -- ATT001 -----------------------------------------------------------------------------------


def conflicting_titles(pairs: Iterable[Pair], close: Iterable[Pair] = ()) -> Iterator[Finding]:
    """ATT001: one person (same full name) given titles that cannot both be right.

    ``close`` are the pairs similar enough for "former" vs current to count as a conflict.
    """
    close_paths: set[tuple[str, str]] | None = None  # built when first needed: few pairs get that far
    last_b: Packed | None = None
    people_b: dict[str, Person] = {}
    for (doc_a, facts_a), (doc_b, facts_b) in pairs:
        packed_a, packed_b = facts_a["people"], facts_b["people"]
        if packed_a.data == packed_b.data:
            continue  # copies with the same people and titles: every title is compatible with itself
        if packed_b is not last_b:  # pairs come grouped by their later document (see above)
            last_b, people_b = packed_b, titled_people(packed_b)
        if not people_b:
            continue
        for person_a in _titled(packed_a.data).values():
            person_b = people_b.get(person_a.key)
            if person_b is None:
                continue
            found = _title_conflict(person_a.titles, person_b.titles)
            if found is None:
                continue
            title_a, title_b, reason = found
            if reason == "former vs current":
                if close_paths is None:
                    close_paths = {(a.path, b.path) for (a, _), (b, _) in close}
                if (doc_a.path, doc_b.path) not in close_paths:
                    continue
            yield Finding(
                "ATT001",
                f"\"{person_b.name}\" is \"{_short(title_b.text)}\" here but "
                f"\"{_short(title_a.text)}\" in {_where(doc_a, title_a.region)} ({reason})",
                doc_b.path, _region(title_b.region),
                related=(_related(doc_a, title_a.region, f"title of {person_a.name} there"),),
                anchor=f"{person_a.key}|{title_a.text}|{title_b.text}",
            )


def _title_conflict(titles_a: Sequence[Title], titles_b: Sequence[Title]) -> tuple[Title, Title, str] | None:
    """The first pair of titles that conflict. "Former" against current is no conflict when
    either document gives both forms ("coach" and, later, "former coach"): time, not a
    disagreement."""
    for title_a in titles_a:
        for title_b in titles_b:
            if any(title_rules.compatible(title_b.text, t.text) for t in titles_a):
                continue
            reason = title_rules.conflict(title_a.text, title_b.text)
            if reason == "former vs current" and any(title_rules.compatible(title_a.text, t.text) for t in titles_b):
                continue
            if reason:
                return title_a, title_b, reason
    return None


# -- ATT002 -----------------------------------------------------------------------------------

_ELLIPSIS = re.compile(r"\.\s?\.\s?\.|…|\[[^\]]{0,80}\]")
MIN_QUOTE_WORDS = 8
MIN_SHARED_SHARE = 0.6
#: Two quotes of one remark share a run of words; two remarks on one theme share scattered words.
MIN_COMMON_RUN = 4


_CONTRACTIONS = {"re": "are", "ll": "will", "ve": "have", "m": "am", "d": "would", "t": "not", "s": "is",
                 "n't": "not", "gonna": "going", "wanna": "want"}
_FUNCTION_WORDS = frozenset("a an the and or but that this to of in on at for is are was be it i we you he she they "
                            "have has not will would so just very well".split())
MIN_CHANGED_WORDS = 2


@lru_cache(maxsize=1 << 14)
def quote_words(text: str) -> list[str]:
    """Folded words of a quote, contractions spelled out ("we're" = "we are"). Cached: quotes meet many pairs."""
    return [_CONTRACTIONS.get(w, w) for w in words(text)]


def _fragments(text: str) -> list[list[str]]:
    return [w for w in (quote_words(part) for part in _ELLIPSIS.split(text)) if w]


def _substantive_change(first: list[str], second: list[str]) -> bool:
    """Do the quotes differ inside their shared stretch by at least two content words (not "that", "very")?"""
    changed = 0
    opcodes = difflib.SequenceMatcher(None, first, second, autojunk=False).get_opcodes()
    # words only one quote has, before or after the shared stretch, are a different cut of the remark
    while opcodes and opcodes[0][0] in ("insert", "delete"):
        opcodes = opcodes[1:]
    while opcodes and opcodes[-1][0] in ("insert", "delete"):
        opcodes = opcodes[:-1]
    for op, a1, a2, b1, b2 in opcodes:
        if op == "equal":
            continue
        shorter = first if len(first) <= len(second) else second
        span = first[a1:a2] if shorter is first else second[b1:b2]
        changed += sum(1 for w in span if w not in _FUNCTION_WORDS)
    return changed >= MIN_CHANGED_WORDS


def _contains(longer: list[str], fragment: list[str]) -> bool:
    joined, piece = " " + " ".join(longer) + " ", " " + " ".join(fragment) + " "
    return piece in joined


def _is_partial(quote_a: str, quote_b: str) -> bool:
    """One quote is the other, or a part of it (ellipses and [bracketed] insertions allowed)."""
    words_a, words_b = quote_words(_ELLIPSIS.sub(" ", quote_a)), quote_words(_ELLIPSIS.sub(" ", quote_b))
    return (all(_contains(words_b, f) for f in _fragments(quote_a))
            or all(_contains(words_a, f) for f in _fragments(quote_b)))


def word_diff(first: list[str], second: list[str], limit: int = 2) -> str:
    """A short word-level diff: 'of the discussions we've had' -> 'discussions'; ..."""
    changes = []
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(None, first, second, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        old, new = " ".join(first[a1:a2][:6]), " ".join(second[b1:b2][:6])
        changes.append(f"'{old or '∅'}' -> '{new or '∅'}'")
    more = f" (+{len(changes) - limit} more)" if len(changes) > limit else ""
    return "; ".join(changes[:limit]) + more


def _overlap(first: list[str], second: list[str]) -> float:
    """Share of the shorter quote's words found, in order, in the other (0 without a common run)."""
    matcher = difflib.SequenceMatcher(None, first, second, autojunk=False)
    blocks = matcher.get_matching_blocks()
    if max(block.size for block in blocks) < MIN_COMMON_RUN:
        return 0.0
    return sum(block.size for block in blocks) / min(len(first), len(second))


def _shared_bound(first: list[str], second: list[str]) -> float:
    """An upper bound of :func:`_overlap`, in one pass: the share of the shorter quote's words found anywhere in the other.

    Words matched in order are words found anywhere, so a bound below the threshold
    means the exact alignment (difflib, the costly part) cannot reach it.
    """
    shorter, longer = (first, second) if len(first) <= len(second) else (second, first)
    vocabulary = set(longer)
    return sum(1 for word in shorter if word in vocabulary) / len(shorter)


@lru_cache(maxsize=1 << 16)
def _compared(text_a: str, text_b: str) -> float | None:
    """How quote ``text_a`` (there) stands to ``text_b`` (here, at least MIN_QUOTE_WORDS words):
    None when it is too short or another remark, -1 when it quotes the same words (the
    same text, a part of it, or no substantive change), else the share of words in common.

    Cached: copies of one story bring the same two quotes together in pair after pair.
    """
    words_a, words_b = quote_words(text_a), quote_words(text_b)
    if len(words_a) < MIN_QUOTE_WORDS:
        return None
    if words_a == words_b:  # the same words (as in copies of one text): no drift, no diff needed
        return -1.0
    if _shared_bound(words_a, words_b) < MIN_SHARED_SHARE:
        return None  # most pairs of one speaker's quotes are different remarks: skip the alignment
    overlap = _overlap(words_a, words_b)
    if overlap < MIN_SHARED_SHARE:
        return None
    if _is_partial(text_a, text_b) or not _substantive_change(words_a, words_b):
        return -1.0
    return overlap


def release() -> None:
    """Forget the quote comparisons of this run (they are garbage once the checks are done)."""
    for cache in (_compared, _sentenced, _titled, _quotes, _quotes_by_speaker):
        cache.cache_clear()


def quote_drift(pairs: Iterable[Pair]) -> Iterator[Finding]:
    """ATT002: the same speaker's quotation worded differently in two documents."""
    last_b: Packed | None = None
    quoted_b: list[tuple[Quote, list[str]]] = []
    for (doc_a, facts_a), (doc_b, facts_b) in pairs:
        packed_a, packed_b = facts_a["quotes"], facts_b["quotes"]
        if packed_a.data == packed_b.data:
            continue  # copies with the same quotes: each quote meets itself there, so none drifts
        if packed_b is not last_b:
            # the later document's quotes that can drift: attributed, and long enough
            last_b, quoted_b = packed_b, [(quote, quote_words(quote.text)) for quote in quotes(packed_b)
                                          if quote.speaker]
            quoted_b = [(quote, words_b) for quote, words_b in quoted_b if len(words_b) >= MIN_QUOTE_WORDS]
        if not quoted_b:
            continue
        by_speaker = _quotes_by_speaker(packed_a.data)
        reported: set[str] = set()
        for quote_b, words_b in quoted_b:
            if quote_b.speaker not in by_speaker:
                continue
            best: Quote | None = None
            best_overlap = MIN_SHARED_SHARE
            for quote_a in by_speaker[quote_b.speaker]:
                overlap = _compared(quote_a.text, quote_b.text)
                if overlap is None:
                    continue  # too short, or another remark of the same speaker
                if overlap < 0:
                    best = None
                    break  # the same words are quoted there: no drift for this quote
                if overlap > best_overlap or best is None and overlap >= MIN_SHARED_SHARE:
                    best, best_overlap = quote_a, overlap
            if best is None or best.text in reported:
                continue
            reported.add(best.text)
            diff = word_diff(quote_words(best.text), words_b)
            yield Finding(
                "ATT002",
                f"quote of {quote_b.speaker_name} worded differently in {_where(doc_a, best.region)}: {diff}",
                doc_b.path, _region(quote_b.region),
                related=(_related(doc_a, best.region, f"{best.speaker_name}'s quote there"),),
                anchor=f"{quote_b.speaker}|{' '.join(words(best.text))}|{' '.join(words_b)}",
            )


# -- CON001 -----------------------------------------------------------------------------------

MIN_CONTEXT_SHARED = 3
MIN_CONTEXT_SHARE = 0.3


#: Money and shares are everywhere in a story: their sentences must agree more before they pair.
_LOOSE_UNITS = frozenset({"dollars", "euros", "pounds", "yen", "percent"})
MIN_LOOSE_CONTEXT_SHARE = 0.6
MIN_LOOSE_CONTEXT_SHARED = 5
# conflicting_figures tests MIN_CONTEXT_SHARED inline for every unit: it must not exceed the
# loose minimum (tests/test_reduce_shortcuts.py checks it)


#: Month names and their abbreviations, as context stems (:func:`.extract.stem`), by month.
#: "may" is a modal verb and "mar" a verb: neither is read as a month.
_MONTH_STEMS = {stem: month for month, stems in enumerate((
    ("janua", "jan"), ("febru", "feb"), ("march",), ("april", "apr"), (), ("june", "jun"), ("july", "jul"),
    ("augus", "aug"), ("septe", "sept", "sep"), ("octob", "oct"), ("novem", "nov"), ("decem", "dec")), 1)
    for stem in stems}
#: Weekday names as context stems, numbered after the months (one set holds both kinds).
_WEEKDAY_STEMS = {stem: 13 + day for day, stem in enumerate(("monda", "tuesd", "wedne", "thurs", "frida",
                                                              "satur", "sunda"))}
_PERIOD_STEMS = {**_MONTH_STEMS, **_WEEKDAY_STEMS}


def _months(context: Iterable[str]) -> frozenset[int]:
    """The months (1-12) and weekdays (13-19) a figure's sentence names.

    The period words present are found by one set intersection (most sentences name none),
    not by a test per word.
    """
    return frozenset(map(_PERIOD_STEMS.__getitem__, _PERIOD_WORDS.intersection(context)))


_PERIOD_WORDS = frozenset(_PERIOD_STEMS)


def _other_period(first: frozenset[int], second: frozenset[int]) -> bool:
    """Whether two sentences name different months, or different weekdays: two periods."""
    for low, high in ((1, 12), (13, 19)):
        a = {p for p in first if low <= p <= high}
        b = {p for p in second if low <= p <= high}
        if a and b and a.isdisjoint(b):
            return True
    return False


class _Sentenced(NamedTuple):
    """A figure with its sentence's words, modifiers and months as sets.

    Built once per document (:func:`_sentenced`): a figure meets the figures of every
    document of its story, and building these sets at each meeting was most of CON001.
    """

    figure: Figure
    context: frozenset[str]
    modifiers: frozenset[str]
    months: frozenset[int]
    #: The values of its unit in its sentence, in order, and its place among them. A sentence
    #: with several ("$44 in New York and $48 in London") aligns with one giving as many value
    #: by value, and with one giving a single value only through the one value of the same
    #: magnitude (:func:`_crowd_aligned`): which of two close values it matches is a guess.
    place: int
    values: tuple[float, ...]


@lru_cache(maxsize=UNPACKED_DOCUMENTS)
def _sentenced(data: bytes) -> tuple[tuple[_Sentenced, ...], dict[str, tuple[_Sentenced, ...]]]:
    """A document's figures (its packed figures' bytes) in document order, and grouped by
    unit (each group in document order)."""
    rows = figures(Packed("figures", data))
    sentences: dict[tuple[str, int, tuple[str, ...]], list[float]] = {}  # one sentence's values of a unit
    keys, places = [], []
    for figure in rows:
        key = (figure.unit, figure.region[0], figure.context)
        values = sentences.setdefault(key, [])
        keys.append(key)
        places.append(len(values))
        values.append(figure.value)
    crowds = {key: tuple(values) for key, values in sentences.items()}
    ordered = tuple(_Sentenced(figure, frozenset(figure.context), frozenset(figure.modifiers), _months(figure.context),
                               place, crowds[key])
                    for figure, key, place in zip(rows, keys, places))
    groups: dict[str, list[_Sentenced]] = {}
    for item in ordered:
        groups.setdefault(item.figure.unit, []).append(item)
    return ordered, {unit: tuple(group) for unit, group in groups.items()}


def _aligned(first: _Sentenced, second: _Sentenced) -> bool:
    """Same unit, compatible modifiers and sentences about the same thing.

    Sentences that name different months ("337,000 jobs were added in October" against
    "157,000 in December") or weekdays ("closed at $40 on Monday" against "$42 on Friday")
    count two periods, not one quantity told two ways.
    """
    unit = first.figure.unit
    if unit != second.figure.unit:
        return False
    loose = unit in _LOOSE_UNITS
    if first.modifiers and second.modifiers and first.modifiers.isdisjoint(second.modifiers):
        return False
    shared = len(first.context & second.context)
    smaller = min(len(first.context), len(second.context)) or 1
    if loose:
        if shared < MIN_LOOSE_CONTEXT_SHARED or shared / smaller < MIN_LOOSE_CONTEXT_SHARE:
            return False
    elif shared < MIN_CONTEXT_SHARED or shared / smaller < MIN_CONTEXT_SHARE:
        return False
    if first.months and second.months and _other_period(first.months, second.months):
        return False
    # tested last: few pairs get this far
    return _crowd_aligned(first, second) and _one_quantity_apart(first.figure.value, second.figure.value) \
        and not _duration_tail(first) and not _duration_tail(second)


#: Larger time units, as context stems, of the duration units a figure can be the tail of.
_LARGER_TIME_UNITS = {"seconds": frozenset({"minut", "hour", "hours"}), "minutes": frozenset({"hour", "hours"})}


def _duration_tail(item: _Sentenced) -> bool:
    """Whether the figure may be the tail of a compound duration ("two minutes, 35.4 seconds"):
    the sentence names a larger time unit, so the seconds alone are not the quantity."""
    larger = _LARGER_TIME_UNITS.get(item.figure.unit)
    return larger is not None and not larger.isdisjoint(item.context)


#: Values within this factor of each other are of one magnitude ("$4.4bn" and "$5bn", not "$125m").
SAME_MAGNITUDE = 3.0


def _crowd_aligned(first: _Sentenced, second: _Sentenced) -> bool:
    """Whether two figures can be one quantity given the other values of their sentences."""
    many_a, many_b = len(first.values) > 1, len(second.values) > 1
    if not (many_a or many_b):
        return True
    if len(first.values) == len(second.values):
        return first.place == second.place  # "$20m (£10m) ... $1.8bn (£94m)": value by value
    if many_a and many_b:
        return False
    crowded, single = (first, second) if many_a else (second, first)
    near = [place for place, value in enumerate(crowded.values) if _same_magnitude(value, single.figure.value)]
    return near == [crowded.place]


#: Two reports of one quantity rarely differ by this factor or more, unless by a slipped
#: decimal point or digit (ten times, within :data:`SLIP_TOLERANCE`): "7.6 seconds"
#: against "53.4 seconds", or "800,000 units" against "19.9 million", are two quantities.
FAR_APART = 5.0
SLIP_TOLERANCE = 0.05


def _one_quantity_apart(first: float, second: float) -> bool:
    """Whether two values are close enough, or ten times apart, to be one quantity told two ways."""
    if first <= 0 or second <= 0:
        return True
    ratio = max(first, second) / min(first, second)
    return ratio < FAR_APART or abs(ratio / 10.0 - 1.0) <= SLIP_TOLERANCE


def _same_magnitude(first: float, second: float) -> bool:
    if first <= 0 or second <= 0:
        return first == second
    return max(first, second) < SAME_MAGNITUDE * min(first, second)


def _overlaps(first: Figure, second: Figure) -> bool:
    return first.low <= second.high and second.low <= first.high


def _name_stems(entities: Sequence[str]) -> frozenset[str]:
    """The context stems of the words of the names a document gives ("Pia Lund" -> "pia", "lund")."""
    return frozenset(stem for entity in entities for word in entity.split()
                     for stem in (content_stem(word),) if stem)


def _other_subjects(first: _Sentenced, second: _Sentenced, names: tuple[frozenset[str], frozenset[str]]) -> bool:
    """Whether the two sentences are about different named things: they name nothing in
    common, and each names someone or something (``names``: the name stems of each
    document) that the other document never mentions ("Lund won in 7.6 seconds" against
    "Sandor won in 7.9 seconds"). Names both documents give may just be attributed
    differently ("the agency said" against "the minister said") and do not count."""
    names_a, names_b = names
    named_a, named_b = first.context & names_a, second.context & names_b
    return named_a.isdisjoint(named_b) and bool(named_a - names_b) and bool(named_b - names_a)


def conflicting_figures(pairs: Iterable[Pair]) -> Iterator[Finding]:
    """CON001: the same quantity (unit, subject, sentence) given values that cannot both hold."""
    last_b: Packed | None = None
    ordered_b: tuple[_Sentenced, ...] = ()
    units_b: dict[str, tuple[_Sentenced, ...]] = {}
    for (doc_a, facts_a), (doc_b, facts_b) in pairs:
        packed_a, packed_b = facts_a["figures"], facts_b["figures"]
        if packed_a.data == packed_b.data:
            continue  # copies with the same figures: each value is also given there, so none conflicts
        if packed_b is not last_b:
            last_b, (ordered_b, units_b) = packed_b, _sentenced.__wrapped__(packed_b.data)
        if not ordered_b:
            continue
        units_a = _sentenced(packed_a.data)[1]
        if not units_a:
            continue
        reported: set[tuple[float, float]] = set()
        names: tuple[frozenset[str], frozenset[str]] | None = None
        for item_b in ordered_b:
            figure_b = item_b.figure
            same_unit_a = units_a.get(figure_b.unit, ())  # only a figure of the same unit can align
            if not same_unit_a:
                continue
            low_b, high_b, context_b = figure_b.low, figure_b.high, item_b.context
            for item_a in same_unit_a:
                figure_a = item_a.figure
                # values that can both hold (the cheapest test), too few shared sentence words
                # (most figure pairs: the first test of _aligned, inline), or not one quantity
                if figure_a.low <= high_b and low_b <= figure_a.high or \
                        len(item_a.context & context_b) < MIN_CONTEXT_SHARED or not _aligned(item_a, item_b):
                    continue
                # the other document also gives this value for this unit: two quantities, not a conflict
                if any(_overlaps(f.figure, figure_a) for f in units_b[figure_b.unit]) or \
                        any(_overlaps(f.figure, figure_b) for f in same_unit_a):
                    continue
                if names is None:
                    names = (_name_stems(facts_a["entities"]), _name_stems(facts_b["entities"]))
                if _other_subjects(item_a, item_b, names):
                    continue
                key = (figure_a.value, figure_b.value)
                if key in reported:
                    continue
                reported.add(key)
                yield Finding(
                    "CON001",
                    f"\"{figure_b.text}\" here but \"{figure_a.text}\" in {_where(doc_a, figure_a.region)}",
                    doc_b.path, _region(figure_b.region),
                    related=(_related(doc_a, figure_a.region, f"\"{figure_a.text}\" there"),),
                    anchor=f"{figure_b.unit}|{figure_a.value:g}|{figure_b.value:g}",
                )
                break


# -- CON002 -----------------------------------------------------------------------------------


def _document_spellings(packed: Packed) -> list[tuple[str, list[tuple[str, Mention]]]]:
    """Each person's key with its full-name spellings (not a surname alone, nor a full name
    keyed to someone else), first mention of each, read from the raw rows.

    Every document is read once here, so the unpacked people (:func:`.packed.people`) would
    only fill and churn its cache: named tuples are built for the mentions kept, not for
    every person, title and mention (corpus-100000: CON002 1.7 -> 0.9 s).
    """
    found = []
    for _name, key, mentions, _titles in packed.rows():
        spelled: dict[str, Mention] = {}
        for surface, spelling, region in mentions:
            if " " in spelling and spelling not in spelled and name_key(surface) == key:
                spelled[spelling] = Mention(surface, spelling, region)
        if spelled:
            found.append((key, list(spelled.items())))
    return found


def _transliterated(key_a: str, key_b: str) -> bool:
    """'volodymyr zelensky' / 'volodymyr zelenskyy': same first names, surname off by a letter or two."""
    parts_a, parts_b = key_a.split(), key_b.split()
    if len(parts_a) != len(parts_b) or parts_a[:-1] != parts_b[:-1] or parts_a == parts_b:
        return False
    last_a, last_b = parts_a[-1], parts_b[-1]
    if min(len(last_a), len(last_b)) < 5 or last_a[:3] != last_b[:3]:
        return False
    # only the usual transliteration slips (doubled letters, y/i, ph/f, k/c), not any letter:
    # "Davies" and "Davis" are two people
    return _romanised(last_a) == _romanised(last_b) and edit_distance(last_a, last_b, 2) <= 2


def _romanised(word: str) -> str:
    """A name with the choices transliterations differ on folded away: 'zelenskyy' -> 'zelenski'."""
    word = word.replace("ph", "f").replace("y", "i").replace("k", "c").replace("j", "i")
    return re.sub(r"(.)\1+", r"\1", word)


def name_variants(documents: Sequence[tuple[DocumentFacts, dict]], pairs: Sequence[tuple[int, int]]) -> Iterator[Finding]:
    """CON002: one person's full name spelled differently (hyphens, diacritics, transliteration)."""
    partners: dict[int, set[int]] = defaultdict(set)
    for first, second in pairs:
        partners[first].add(second)
        partners[second].add(first)
    # every (document, person key, spelling) -> first mention
    occurrences: dict[str, list[tuple[int, str, Mention]]] = defaultdict(list)
    for index, (_, facts) in enumerate(documents):
        for key, spelled in _document_spellings(facts["people"]):
            occurrences[key].extend((index, spelling, mention) for spelling, mention in spelled)
    # join transliterated keys that co-occur in paired documents
    groups: dict[str, str] = {}
    for keys in _transliteration_candidates(occurrences):
        for position, key_a in enumerate(keys):
            for key_b in keys[position + 1:]:
                if _transliterated(key_a, key_b) and not _same_document(occurrences[key_a], occurrences[key_b]):
                    groups[key_b] = groups.get(key_a, key_a)
    merged: dict[str, list[tuple[int, str, Mention]]] = defaultdict(list)
    for key, items in occurrences.items():
        merged[groups.get(key, key)].extend(items)
    for key, items in sorted(merged.items()):
        yield from _variant_findings(documents, partners, key, items)


def _transliteration_candidates(keys: Iterable[str]) -> Iterator[list[str]]:
    """``keys`` in groups, in their order, such that :func:`_transliterated` holds only between
    two keys of one group: two words or more, the same words but the last, a last word of
    five letters or more starting with the same three (the first word alone grouped them
    before, and a one-word key was only ever tried against keys of other lengths). Pairs of keys are tried within a group only (a common first
    name brought hundreds of keys together, most of them with other surnames).
    """
    grouped: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for key in keys:
        parts = key.split()
        if len(parts) >= 2 and len(parts[-1]) >= 5:  # a one-word key meets no key of its own length
            grouped[(*parts[:-1], parts[-1][:3])].append(key)
    return (group for group in grouped.values() if len(group) > 1)


def _same_document(first: list[tuple[int, str, Mention]], second: list[tuple[int, str, Mention]]) -> bool:
    """Two keys used in one document are two people (who share a first name), not two spellings."""
    return bool({i for i, _, _ in first} & {i for i, _, _ in second})


def variant_finding(document: DocumentFacts, mention: Any, majors: list[tuple[DocumentFacts, Any]], key: str,
                    spelling: str, majority: str) -> Finding:
    """The CON002 finding for one minority spelling ``mention`` in ``document``; ``majors`` are
    up to three partners' mentions in the majority spelling (the first is named in the message).
    Shared with the incremental update (:mod:`.incremental`), which must word it identically."""
    first_document, first = majors[0]
    related = tuple(_related(other, major.region, f"spelled \"{major.surface}\"") for other, major in majors)
    return Finding(
        "CON002",
        f"\"{mention.surface}\" is spelled \"{first.surface}\" in {_where(first_document, first.region)}",
        document.path, _region(mention.region), related=related, anchor=f"{key}|{spelling}|{majority}",
    )


def _variant_findings(documents, partners, key, items) -> Iterator[Finding]:
    spellings: dict[str, list[tuple[int, Mention]]] = defaultdict(list)
    for index, spelling, mention in items:
        spellings[spelling].append((index, mention))
    if len(spellings) < 2:
        return
    ranked = sorted(spellings, key=lambda s: (-len({i for i, _ in spellings[s]}), s))
    majority = ranked[0]
    major_docs = {i: m for i, m in spellings[majority]}
    for spelling in ranked[1:]:
        for index, mention in spellings[spelling]:
            others = [i for i in sorted(major_docs) if i == index or i in partners[index]]
            if not others:
                continue
            yield variant_finding(documents[index][0], mention,
                                  [(documents[i][0], major_docs[i]) for i in others[:3]], key, spelling, majority)
