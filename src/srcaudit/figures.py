"""Figures in running text: a number, what it counts, and how hedged it is.

"over 11,000 North Korean troops" -> value 11000, unit "troops", modifiers "north korean",
range (11000, 16500); "$4.7 billion" -> 4.7e9 dollars; "about 10,000 soldiers" -> a range
of plus or minus ten percent. Round numbers also get the range a writer rounding them
would allow ("10,000" may be 9,500..10,500). Years, dates, times, ordinals and numbers
glued to names ("Section 8") are not figures. Used by the conflicting-figures rule and
anyone who needs quantities with their units.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass

from .asciire import ascii_twin

_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "mn": 1e6, "bn": 1e9, "m": 1e6,
           "k": 1e3}
_HEDGES = {
    "over": "above", "more than": "above", "above": "above", "upwards of": "above", "at least": "above",
    "nearly": "below", "almost": "below", "fewer than": "below", "less than": "below", "under": "below",
    "up to": "below", "at most": "below", "just under": "below",
    "about": "about", "around": "about", "approximately": "about", "roughly": "about", "some": "about",
    "an estimated": "about", "estimated": "about", "close to": "below", "as many as": "below",
}
_HEDGE = "|".join(sorted((re.escape(h) for h in _HEDGES), key=len, reverse=True))
_MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|december|"
           "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec")
_HEDGE_BEFORE = re.compile(rf"\b(?P<hedge>{_HEDGE})\s+$", re.IGNORECASE)
# Starts at a digit or a currency sign, so the scan is one cheap pass; hedges are looked up behind.
FIGURE = re.compile(
    r"(?P<currency>[$€£¥])?(?P<number>\d{1,3}(?:,\d{3}){1,4}|\d{1,9})"
    r"(?P<decimal>\.\d{1,4})?(?:\s?(?P<scale>thousand|million|billion|trillion|bn|mn|[mk])\b)?"
    r"(?P<percent>\s?%|\s(?:percent|per cent)\b)?",
    re.IGNORECASE,
)
_UNIT_WORD = re.compile(r"[ \t\u00A0]+(?:[-–]\s*)?([A-Za-z][\w’'-]{1,30})")
#: Words that end the noun phrase after a number (the unit is the word before them).
_STOP = frozenset("""
to in of on at for from by with and or but that which who were was are is have has had will would
could should may might be been as than into over after before during since per a an the its their
his her said says more less people's
""".split())
_NOT_UNITS = frozenset(_MONTHS.split("|")) | {"am", "pm", "a.m", "p.m", "bc", "ad", "th", "st", "nd", "rd"}


@dataclass(frozen=True, slots=True)
class Figure:
    """One figure: the value as written, its numeric range, unit and what modifies the unit."""

    text: str
    start: int
    end: int
    value: float
    low: float
    high: float
    hedge: str | None
    unit: str
    modifiers: tuple[str, ...]


def _rounding_margin(digits: str, decimal: str | None) -> float:
    """Half a unit of the last significant digit: 10,000 -> 500; 10,500 -> 50; 4.7 -> 0.05."""
    if decimal:
        return 0.5 * 10 ** -(len(decimal) - 1)
    plain = digits.replace(",", "")
    zeros = len(plain) - len(plain.rstrip("0"))
    # a writer may round 10,480 to "10,500" but rarely 14,000 to "10,000": cap at 5%
    return min(0.5 * 10 ** zeros, 0.05 * int(plain)) if zeros else 0.0


def _unit(text: str, end: int) -> tuple[str, tuple[str, ...], int]:
    """The counted noun after a number: up to four words, stopping at a function word."""
    words: list[str] = []
    position = end
    for _ in range(4):
        match = _UNIT_WORD.match(text, position)
        if not match:
            break
        word = match.group(1).lower().replace("’", "'")
        if word in _STOP:
            break
        words.append(word.removesuffix("'s"))
        position = match.end()
        if not match.group(1)[0].isupper() and not word.endswith(("-", "an", "ese", "ish")):
            plural = _UNIT_WORD.match(text, position)
            if plural and plural.group(1).islower() and plural.group(1).endswith("s") \
                    and plural.group(1) not in _STOP and not word.endswith("s"):
                words.append(plural.group(1))  # a compound count: "dock workers"
                position = plural.end()
            break  # a lower-case noun ends the phrase ("troops"), proper adjectives do not
    if not words:
        return "", (), end
    return words[-1], tuple(words[:-1]), position


# Compiled once: re's own cache lookup costs more than the match on these short strings.
#: A month (a date) or "no."/"number" (a rank) right before a number: one search for both.
_DATE_OR_RANK_BEFORE = re.compile(rf"\b(?:{_MONTHS}|no|number|nos)\.?\s*$")
_DATE_OR_ORDINAL_AFTER = re.compile(r"[:/]\d|[\w-]*(?:st|nd|rd|th)\b")
#: Where a figure can start. ``FIGURE`` begins with an optional group, so ``re`` tries it at
#: every character; this class lets it skip to the next digit or currency sign at C speed.
_FIGURE_START = re.compile(r"[$€£¥\d]")
#: Their twins for ASCII text (:mod:`srcaudit.asciire`): a bitmap test per character
#: instead of a Unicode "decimal?" look-up, on every character of a paragraph with a digit.
#: The currency signs beyond ASCII are left out of them (ASCII text holds none): a class of
#: ASCII members only is one bitmap test per character.
_ASCII_FIGURE_START, _ASCII_FIGURE = (ascii_twin(re.compile(pattern.pattern.replace("€£¥", ""), pattern.flags))
                                      for pattern in (_FIGURE_START, FIGURE))


def _date_or_rank_before(window: str) -> bool:
    """``_DATE_OR_RANK_BEFORE.search(window)`` (``window`` in lower case), searched only when
    the window, its trailing white space and one full stop left out, ends with a month, "no",
    "nos" or "number": the pattern is tried at each of the window's positions, and most
    numbers follow other words."""
    tail = window.rstrip()
    if tail.endswith("."):
        tail = tail[:-1]
    return tail.endswith(_DATE_OR_RANK_WORDS) and _DATE_OR_RANK_BEFORE.search(window) is not None


_DATE_OR_RANK_WORDS = (*_MONTHS.split("|"), "no", "number", "nos")


def _hedge_before(text: str, start: int) -> re.Match[str] | None:
    """``_HEDGE_BEFORE.search(text, start - 16, start)``: a hedge ("over", "at least") and white
    space right before the number at ``start``.

    Searched only when white space ends the window and, in ASCII text, the words before it end
    with a hedge (any case): otherwise the pattern, tried at each of the 16 positions, cannot
    match. Text that is not ASCII is always searched (case-insensitive matching knows more
    letters than ``str.lower``).
    """
    first = max(0, start - 16)
    lead = text[first:start]
    tail = lead.rstrip()
    if len(tail) == len(lead) or lead.isascii() and not tail.lower().endswith(_HEDGE_PHRASES):
        return None
    return _HEDGE_BEFORE.search(text, first, start)


_HEDGE_PHRASES = tuple(_HEDGES)


def _figure_matches(text: str, start: int, end: int, ascii: bool = False) -> Iterator[re.Match[str]]:
    """``FIGURE.finditer(text, start, end)``, the same matches, found faster.

    A figure starts at a digit or a currency sign, so trying ``FIGURE`` only there finds the
    same leftmost, non-overlapping matches. ``ascii``: ``text[start:end]`` is ASCII (the
    ASCII twins of the patterns then find the same matches, faster).
    """
    position = start
    if ascii:
        search, match_at = _ASCII_FIGURE_START.search, _ASCII_FIGURE.match
    else:
        search, match_at = _FIGURE_START.search, FIGURE.match
    while True:
        candidate = search(text, position, end)
        if candidate is None:
            return
        match = match_at(text, candidate.start(), end)
        if match is None:  # a currency sign without a number
            position = candidate.start() + 1
            continue
        yield match
        position = match.end()


def find_figures(text: str, start: int = 0, end: int | None = None, ascii: bool | None = None) -> list[Figure]:
    """The figures of ``text[start:end]`` that count something (a unit word or a currency).

    ``ascii``: whether ``text[start:end]`` is ASCII, when the caller knows (else it is tested).
    """
    end = len(text) if end is None else end
    if ascii is None:
        ascii = text[start:end].isascii()
    figures: list[Figure] = []
    for match in _figure_matches(text, start, end, ascii):
        currency, number, decimal, scale, percent = match.groups()  # the groups in FIGURE's order
        # cheapest tests first: most matches are years, dates and numbers glued to words
        begin = match.start()
        if begin > 0 and (text[begin - 1].isalpha() or text[begin - 1] in ".-/#"):
            continue  # "A-10", "v2", "No.5"
        plain = number.replace(",", "")
        if len(plain) == 4 and "," not in number and 1800 <= int(plain) <= 2100 and not currency:
            continue  # a year
        after = match.end()
        if _DATE_OR_ORDINAL_AFTER.match(text, after, after + 3):  # as on text[after:after + 3]: \b at the end
            continue  # times, dates, ordinals
        if _date_or_rank_before(text[max(0, begin - 12):begin].lower()):
            continue  # dates; "the No. 2 position": a rank
        value = float(plain + (decimal or ""))
        factor = _SCALES.get(scale.lower(), 1.0) if scale else 1.0
        modifiers: tuple[str, ...]
        if currency:
            unit, modifiers, unit_end = {"$": "dollars", "€": "euros", "£": "pounds", "¥": "yen"}[currency], (), match.end()
        elif percent:
            unit, modifiers, unit_end = "percent", (), match.end()
        else:
            unit, modifiers, unit_end = _unit(text, match.end())
            if not unit or unit in _NOT_UNITS:
                continue
        margin = _rounding_margin(number, decimal) * factor
        if not decimal:
            margin = max(margin, 0.5 * factor)  # "$27bn" may be $27.4bn, "29%" may be 28.9%
        value *= factor
        low, high = value - margin, value + margin
        hedged = _hedge_before(text, match.start())
        hedge = _HEDGES.get(hedged.group("hedge").lower()) if hedged else None
        if hedge == "above":
            low, high = value, max(high, value * 1.5)
        elif hedge == "below":
            low, high = min(low, value * 0.67), value
        elif hedge == "about":
            low, high = min(low, value * 0.9), max(high, value * 1.1)
        text_end = unit_end if not currency and not percent else match.end()
        first = hedged.start() if hedged else match.start()
        figures.append(Figure(text[first:text_end], match.start(), text_end, value, low, high,
                              hedge, unit, modifiers))
    return figures


def ranges_overlap(a: Figure, b: Figure) -> bool:
    """Whether two figures can describe the same quantity, hedges and rounding allowed."""
    return a.low <= b.high and b.low <= a.high or math.isclose(a.value, b.value)
