"""Person names in running text: candidate spans, honorifics, and the keys that compare them.

Shared by every rule that needs to know "is this the same person?" (conflicting titles,
quote speakers, name spellings). Recognition is deliberately light: a run of capitalised
words (with particles such as "bin" or "de" and hyphenated parts such as "Min-ho"),
without sentence-initial function words, months or weekdays. Whether a run really is a
*person* is decided by the caller from context (a title, a speech verb, an honorific).

Two keys compare names:

- :func:`name_key` folds case, diacritics and hyphens: "Lee Min-ho" and "Lee Min Ho"
  share it, so they are one person;
- :func:`spelling_key` keeps hyphens, diacritics and letters but not case: it tells
  apart the spellings of one person's name.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .asciire import ascii_twin
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
# The first word of a run is _UPPER_WORD with its capital letter matched first: a pattern that
# starts with a character class lets ``re`` skip to the next capital letter at C speed instead
# of trying the lookbehind at every position (a third of the scan). Same matches: the
# lookbehind looks at the character before that capital, the alternatives keep their order.
_FIRST_UPPER_WORD = (r"[A-Z\u00C0-\u00DE](?<![\w\u00C0-\u024F].)"
                     r"(?:(?<=[A-Z])\.(?:[A-Z]\.){1,3}|(?<=[A-Z])\."
                     r"|[\w\u00C0-\u024F'’]*(?:-[A-Za-z\u00C0-\u024F][\w\u00C0-\u024F'’]*){0,2})")
_PARTICLE = r"(?:" + "|".join(sorted(PARTICLES, key=len, reverse=True)) + r")"
#: A run of capitalised words (2 to 5), with particles or initials inside.
NAME_RUN = re.compile(
    rf"{_FIRST_UPPER_WORD}(?:[ \t\u00A0]{{1,2}}(?:{_PARTICLE}[ \t])?{_UPPER_WORD}){{0,4}}(?![\w\u00C0-\u024F])"
)
_POSSESSIVE = re.compile(r"['’]s?$")
#: :data:`NAME_RUN` for ASCII text: its classes without their non-ASCII members (which ASCII
#: text cannot hold), spelled out as bitmaps (:mod:`srcaudit.asciire`). The same matches in
#: ``text[start:end]`` when that and the character before ``start`` (the look-behind's) are
#: ASCII; scanning every body paragraph for capitals is a tenth of the consistency family's
#: instructions, and a bitmap test per character costs less than a Unicode category test.
ASCII_NAME_RUN = ascii_twin(re.compile(
    NAME_RUN.pattern.replace("\\u00C0-\\u00DE", "").replace("\\u00C0-\\u024F", "").replace("’", "")
    .replace("\\u00A0", "")))


@lru_cache(maxsize=1 << 16)
def fold_word(word: str) -> str:
    """:func:`srcaudit.text.fold` for one word, cached: names repeat a lot within a corpus."""
    return fold(word)


_SKIP_FIRST = NOT_NAME_WORDS | HONORIFICS
_WEEKDAYS_MONTHS = frozenset("monday tuesday wednesday thursday friday saturday sunday january february march "
                             "april june july august september october november december".split())
#: What :func:`single_word_name` rejects.
_NOT_LONE_NAMES = _SKIP_FIRST | PARTICLES | _WEEKDAYS_MONTHS


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
    """'Okafor’s' -> 'Okafor'.

    ``_POSSESSIVE.sub("", word)``, with string methods for a word without a line break (the
    words of names: ``$`` then only matches at the end, and only once).
    """
    if len(word) <= 3:
        return word
    if "\n" in word:
        return _POSSESSIVE.sub("", word)
    if word.endswith(("'s", "’s")):
        return word[:-2]
    return word[:-1] if word.endswith(("'", "’")) else word


class WordTable(dict):  # type: ignore[type-arg]
    """word -> ``compute(word)``, computed once per word; a known word is a plain dict read.

    Extraction asks the same questions of the same words in every paragraph ("The",
    "London", "said"). Reading a ``dict`` subclass whose ``__missing__`` computes is cheaper
    than calling a cached function, and ``map(table.__getitem__, words)`` stays in C for
    known words. Bounded: cleared when ``limit`` words are held.
    """

    def __init__(self, compute: Callable[[str], Any], limit: int = 1 << 16) -> None:
        super().__init__()
        self.compute = compute
        self.limit = limit

    def __missing__(self, word: str) -> Any:
        if len(self) >= self.limit:
            self.clear()
        value = self[word] = self.compute(word)
        return value


def single_word_name(word: str) -> str | None:
    """A one-word run as kept (possessive stripped), or None when it cannot start a name."""
    if word.isascii() and word.isalpha():  # most words: folding is lower-casing, no dot, no possessive
        return None if word.lower() in _NOT_LONE_NAMES else word
    folded = fold_word(word).rstrip(".")
    if folded in _SKIP_FIRST or folded in PARTICLES or folded in _WEEKDAYS_MONTHS:
        return None
    if len(word) > 3 and not word.isalpha() and _POSSESSIVE.search(word):
        return strip_possessive(word)
    return word


# Capitalised words recur in every paragraph ("The", "But", "London"): decide each once.
_SINGLE_WORDS = WordTable(single_word_name)
_POSSESSIVE_ENDINGS = ("'", "’", "'s", "’s")
_SKIP = 1  # a run does not start with this word ("The", "Mr")
_DROP_LAST = 2  # nor end with it (a particle, a weekday or month)


def _flags(word: str) -> int:
    """``_SKIP`` and ``_DROP_LAST`` of one word of a run."""
    folded = word.lower() if word.isascii() else fold_word(word)  # ASCII: folding is lower-casing
    return (_SKIP if folded.rstrip(".") in _SKIP_FIRST else 0) | (
        _DROP_LAST if folded in PARTICLES or folded in _WEEKDAYS_MONTHS else 0)


_WORD_FLAGS = WordTable(_flags)


def name_runs(text: str) -> list[NameSpan]:
    """Runs of capitalised words in ``text``, trimmed of leading function words and honorifics.

    A run is cut after a possessive ("Okafor’s remarks" keeps "Okafor"). Single words
    are kept (surname references); callers decide which runs are people.
    """
    return [NameSpan(run, start, end) for run, start, end, _ in name_run_tuples(text)]


#: A run as plain data: its text, start, end, and its words as ``(start, end, word)`` (None
#: for a one-word run, the usual case).
RunTuple = tuple[str, int, int, "list[tuple[int, int, str]] | None"]


def name_run_tuples(text: str, start: int = 0, end: int | None = None) -> list[RunTuple]:
    """:func:`name_runs` as plain tuples, with each run's words: what hot loops use.

    Only ``text[start:end]`` is searched (offsets stay those of ``text``: no slice to copy).
    Building a frozen dataclass per run costs more than finding the run; most runs are
    one word, looked up in a per-word table.
    """
    runs: list[RunTuple] = []
    append = runs.append
    single = _SINGLE_WORDS
    for match in NAME_RUN.finditer(text, start, len(text) if end is None else end):
        chunk = match.group()
        if " " not in chunk and "\t" not in chunk and "\u00a0" not in chunk:  # one word: the common case
            word = single[chunk]
            if word is not None:
                first = match.start()
                append((word, first, first + len(word), None))
            continue
        run = several_word_run(text, match.start(), chunk)
        if run is not None:
            append(run)
    return runs


def several_word_run(text: str, offset: int, chunk: str) -> RunTuple | None:
    """The run a match of several words at ``offset`` stands for: leading function words and
    honorifics dropped, cut after a possessive, trailing particles, weekdays and months dropped."""
    flags = _WORD_FLAGS
    if "'" not in chunk and "’" not in chunk and "  " not in chunk and "\t" not in chunk and "\u00a0" not in chunk:
        return _plain_run(text, offset, chunk)
    tokens = []
    position = 0
    for word in chunk.split():  # the \S+ runs of the chunk, with their offsets (no match objects)
        position = chunk.find(word, position)
        tokens.append((position + offset, position + len(word) + offset, word))
        position += len(word)
    while tokens and flags[tokens[0][2]] & _SKIP:
        tokens.pop(0)
    for index, (_, end, token) in enumerate(tokens):
        if len(token) > 3 and token.endswith(_POSSESSIVE_ENDINGS):  # what _POSSESSIVE finds
            trimmed = strip_possessive(token)
            tokens = tokens[:index] + [(tokens[index][0], end - (len(token) - len(trimmed)), trimmed)]
            break
    while tokens and flags[tokens[-1][2]] & _DROP_LAST:
        tokens.pop()
    if len(tokens) > 1:
        start, end = tokens[0][0], tokens[-1][1]
        return text[start:end], start, end, tokens
    if tokens:
        return tokens[0][2], tokens[0][0], tokens[0][1], None
    return None


def _plain_run(text: str, offset: int, chunk: str) -> RunTuple | None:
    """:func:`several_word_run` of a chunk whose words are separated by single spaces and
    hold no apostrophe (most runs): no possessive to cut, and each word starts one past the
    previous word's end, so only the first and last words are looked up and the offsets
    are counted, not searched for."""
    flags = _WORD_FLAGS
    words = chunk.split(" ")
    first, last = 0, len(words)
    position = offset
    while first < last and flags[words[first]] & _SKIP:
        position += len(words[first]) + 1
        first += 1
    while last > first and flags[words[last - 1]] & _DROP_LAST:
        last -= 1
    if last - first > 1:
        tokens = []
        for word in words[first:last]:
            tokens.append((position, position + len(word), word))
            position += len(word) + 1
        start, end = tokens[0][0], tokens[-1][1]
        return text[start:end], start, end, tokens
    if last > first:
        word = words[first]
        return word, position, position + len(word), None
    return None


_KEY_SEPARATORS = re.compile(r"[\s\-‐‑–]+")


@lru_cache(maxsize=1 << 16)
def name_key(name: str) -> str:
    """Identity key: case, diacritics, hyphens, honorifics and possessives folded away.

    >>> name_key("Lee Min-ho") == name_key("LEE Min Ho")
    True
    """
    if name.isascii() and name.isalpha():  # one plain word (most calls): nothing to split, strip or fold away
        folded = name.lower()
        return "" if folded in HONORIFICS else folded
    if name.isascii() and "-" not in name and "'" not in name:
        # no hyphen, no possessive, nothing to fold but case: the separators are white space
        tokens = [t.rstrip(".") for t in name.lower().split()]
    else:
        tokens = [strip_possessive(t).rstrip(".") for t in _KEY_SEPARATORS.split(fold(name)) if t]
    while tokens and tokens[0] in HONORIFICS:
        tokens = tokens[1:]
    return " ".join(t for t in tokens if t)


def spelling_key(name: str) -> str:
    """The spelling as written, case and spacing aside: hyphens and diacritics kept."""
    text = unicodedata.normalize("NFC", name).casefold().replace("’", "'")
    return " ".join(strip_possessive(t) for t in text.split())


def surname(name: str) -> str:
    """The last word of a name, folded ("Lee Min-ho" -> "ho"; callers use full keys for such names)."""
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
