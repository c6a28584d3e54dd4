"""Person names in running text: candidate spans, honorifics, and the keys that compare them.

Shared by every rule that needs to know "is this the same person?" (conflicting titles,
quote speakers, name spellings). Recognition is deliberately light: a run of capitalised
words (with particles such as "bin" or "de" and hyphenated parts such as "Jong-un"),
without sentence-initial function words, months or weekdays. Whether a run really is a
*person* is decided by the caller from context (a title, a speech verb, an honorific).

Two keys compare names:

- :func:`name_key` folds case, diacritics and hyphens: "Kim Jong-un" and "Kim Jong Un"
  share it, so they are one person;
- :func:`spelling_key` keeps hyphens, diacritics and letters but not case: it tells
  apart the spellings of one person's name.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from .text import fold

HONORIFICS = frozenset("mr mrs ms miss mx dr sir dame madam mme mlle herr prof".split())

# Lower-case words allowed inside a name ("Osama bin Laden", "Charles de Gaulle").
PARTICLES = frozenset("bin bint ibn al el de del della der di da dos du la le van von ter ten y".split())

# Capitalised words that start sentences or name things other than people.
NOT_NAME_WORDS = frozenset("""
the a an this that these those there here it its he she they we i you his her their our my your
but and or if when while after before as at in on of for to from by with without into over under
however although though because since so yet also then still even just only not no yes
according during despite meanwhile additionally instead later earlier now today yesterday tonight several many some most all both every each
monday tuesday wednesday thursday friday saturday sunday
january february march april may june july august september october november december
jan feb mar apr jun jul aug sep sept oct nov dec
god mr mrs ms dr
""".split())

_UPPER_WORD = r"(?:(?:[A-Z]\.){2,4}|[A-Z]\.|[A-Z\u00C0-\u00DE][\w\u00C0-\u024F'’]*(?:-[A-Za-z\u00C0-\u024F][\w\u00C0-\u024F'’]*){0,2})"
_PARTICLE = r"(?:" + "|".join(sorted(PARTICLES, key=len, reverse=True)) + r")"
#: A run of capitalised words (2 to 5), with particles or initials inside.
NAME_RUN = re.compile(
    rf"(?<![\w\u00C0-\u024F]){_UPPER_WORD}(?:[ \t\u00A0]{{1,2}}(?:{_PARTICLE}[ \t])?{_UPPER_WORD}){{0,4}}(?![\w\u00C0-\u024F])"
)
_POSSESSIVE = re.compile(r"['’]s?$")
_NON_SPACE = re.compile(r"\S+")


@lru_cache(maxsize=1 << 16)
def fold_word(word: str) -> str:
    """:func:`srcaudit.text.fold` for one word, cached: names repeat a lot within a corpus."""
    return fold(word)


_SKIP_FIRST = NOT_NAME_WORDS | HONORIFICS
_WEEKDAYS_MONTHS = frozenset("monday tuesday wednesday thursday friday saturday sunday january february march "
                             "april june july august september october november december".split())


@dataclass(frozen=True, slots=True)
class NameSpan:
    """A candidate name as written, with its character span in the text searched."""

    text: str
    start: int
    end: int

    @property
    def tokens(self) -> list[str]:
        return self.text.split()


def strip_possessive(word: str) -> str:
    """'Campbell’s' -> 'Campbell'."""
    return _POSSESSIVE.sub("", word) if len(word) > 3 else word


def _single_word_name(word: str) -> str | None:
    """A one-word run as kept (possessive stripped), or None when it cannot start a name; cached."""
    folded = fold_word(word).rstrip(".")
    if folded in _SKIP_FIRST or folded in PARTICLES or folded in _WEEKDAYS_MONTHS:
        kept = None
    elif len(word) > 3 and _POSSESSIVE.search(word):
        kept = strip_possessive(word)
    else:
        kept = word
    if len(_SINGLE_WORDS) > 1 << 16:
        _SINGLE_WORDS.clear()
    _SINGLE_WORDS[word] = kept
    return kept


# Capitalised words recur in every paragraph ("The", "But", "London"): decide each once.
_SINGLE_WORDS: dict[str, str | None] = {}


def name_runs(text: str) -> list[NameSpan]:
    """Runs of capitalised words in ``text``, trimmed of leading function words and honorifics.

    A run is cut after a possessive ("Campbell’s remarks" keeps "Campbell"). Single words
    are kept (surname references); callers decide which runs are people.
    """
    runs: list[NameSpan] = []
    for match in NAME_RUN.finditer(text):
        chunk = match.group()
        if " " not in chunk and "\t" not in chunk and "\u00a0" not in chunk:  # one word: the common case
            word = _SINGLE_WORDS[chunk] if chunk in _SINGLE_WORDS else _single_word_name(chunk)
            if word is not None:
                runs.append(NameSpan(word, match.start(), match.start() + len(word)))
            continue
        tokens = [(m.start() + match.start(), m.end() + match.start(), m.group())
                  for m in _NON_SPACE.finditer(chunk)]
        while tokens and fold_word(tokens[0][2]).rstrip(".") in _SKIP_FIRST:
            tokens.pop(0)
        for index, (_, end, token) in enumerate(tokens):
            if len(token) > 3 and _POSSESSIVE.search(token):
                trimmed = strip_possessive(token)
                tokens = tokens[:index] + [(tokens[index][0], end - (len(token) - len(trimmed)), trimmed)]
                break
        while tokens and (fold_word(tokens[-1][2]) in PARTICLES or fold_word(tokens[-1][2]) in _WEEKDAYS_MONTHS):
            tokens.pop()
        if tokens:
            start, end = tokens[0][0], tokens[-1][1]
            runs.append(NameSpan(text[start:end], start, end))
    return runs


@lru_cache(maxsize=1 << 16)
def name_key(name: str) -> str:
    """Identity key: case, diacritics, hyphens, honorifics and possessives folded away.

    >>> name_key("Kim Jong-un") == name_key("KIM Jong Un")
    True
    """
    tokens = [strip_possessive(t) for t in re.split(r"[\s\-‐‑–]+", fold(name)) if t]
    tokens = [t.rstrip(".") for t in tokens]
    while tokens and tokens[0] in HONORIFICS:
        tokens = tokens[1:]
    return " ".join(t for t in tokens if t)


def spelling_key(name: str) -> str:
    """The spelling as written, case and spacing aside: hyphens and diacritics kept."""
    text = unicodedata.normalize("NFC", name).casefold().replace("’", "'")
    return " ".join(strip_possessive(t) for t in text.split())


def surname(name: str) -> str:
    """The last word of a name, folded ("Kim Jong-un" -> "un"; callers use full keys for such names)."""
    key = name_key(name)
    return key.rsplit(" ", 1)[-1] if key else ""


def edit_distance(a: str, b: str, limit: int = 3) -> int:
    """Levenshtein distance, stopping early once it exceeds ``limit`` (names are short)."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]
