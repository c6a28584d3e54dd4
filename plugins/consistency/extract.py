"""The map phase of the consistency rules: one document's people, quotes, figures and entities.

Everything returned is plain data with 1-based regions, because the corpus phase never
sees the text: the entities (a sorted list of name keys), the topic signature (a uint32
numpy array), and the people, quotes and figures as rows of tuples packed into one string
per kind (:mod:`.packed`, which says why). ``srcaudit facts`` prints them as dicts.

Cost matters here more than anywhere in the family: this runs on every document, in
worker processes. Per-word answers are kept in :class:`srcaudit.names.WordTable` tables,
figures are looked for once per paragraph, and sentences are split only where a figure is
(``bench/extract_facts.py`` measures it).
"""

from __future__ import annotations

import bisect
import re
import threading
from collections.abc import Iterable
from typing import Any

import numpy as np

from srcaudit.api import Document
from srcaudit.figures import find_figures
from srcaudit.names import NOT_NAME_WORDS, WordTable, fold_word, spelling_key
from srcaudit.people import find_people
from srcaudit.quotes import find_quotes
from srcaudit.text import hash_set_signature, sentence_spans, word_hash32, word_tuple

from .packed import Packed, RegionTuple
from .topics import TOPIC_PERMUTATIONS

NAMESPACE = "consistency"
_WORD = re.compile(r"\w+")
_DIGIT = re.compile(r"\d")
_ASCII_DIGITS = "0123456789"  # what \d matches in ASCII text
_STOPWORDS = frozenset("""
the a an of to in on at for from by with and or but that which who whom this these those it its
is are was were be been being has have had will would could should may might can do does did not
no as than then there their they them he she his her we our you your i said says say also about
into over after before more most some such up out if when while all any each other only just so
""".split())


def body_spans(document: Document) -> list[tuple[int, int]]:
    """Character spans of the document's body paragraphs (boilerplate left out)."""
    spans = []
    for paragraph in document.body_paragraphs:
        region = paragraph.region
        start = document.line_offset(region.line) + region.column - 1
        end = document.line_offset(region.end_line) + region.end_column - 1
        spans.append((start, end))
    return spans


def _region(document: Document, start: int, end: int) -> RegionTuple:
    """``document.region(start, end)`` as a tuple, without building a :class:`Region` (thousands per corpus)."""
    line, column = document.position(start)
    if end <= start:
        return line, column, line, column
    if document.text.find("\n", start, end) < 0:  # one line (names, most quotes): the end is counted from the start
        return line, column, line, column + end - start
    end_line, end_column = document.position(end)
    return line, column, end_line, end_column


def stem(word: str) -> str:
    """A crude stem (first five letters) so "deployed" meets "deployment": enough for alignment."""
    return word[:5]


def content_stem(word: str) -> str:
    """The stem of a lower-cased word, or "" when it is not a content word."""
    if word in _STOPWORDS or word.isdigit() or len(word) <= 2:
        return ""
    # an ASCII word here is lower case already: folding it changes nothing
    return stem(word) if word.isascii() else stem(fold_word(word))


_CONTENT_STEMS = WordTable(content_stem, limit=1 << 17)


def sentence_stems(sentence: str) -> frozenset[str]:
    """Content-word stems of a sentence, numbers left out (they are compared apart).

    An ASCII sentence's words are those of its lower case, which is what
    :func:`srcaudit.text.word_tuple` gives (a whole paragraph is then usually a hit in the
    cache other rules filled; a part of one is tokenised by ``bytes.translate``, several
    times faster than the regex). Repeated words are looked up again rather than made
    distinct first: a sentence repeats few words, and a set of them cost more.
    """
    tokens = word_tuple(sentence) if sentence.isascii() else _WORD.findall(sentence.lower())
    found = set(map(_CONTENT_STEMS.__getitem__, tokens))
    found.discard("")
    return frozenset(found)


def context_stems(sentence: str | frozenset[str], unit: str) -> list[str]:
    """Content-word stems of a figure's sentence, its unit and numbers left out.

    Accepts the sentence's stems already computed: a sentence with many figures is
    stemmed once, not once per figure (quadratic on a long run-on line).
    """
    found = sentence if isinstance(sentence, frozenset) else sentence_stems(sentence)
    return sorted(found - {stem(unit)})


_SPELLINGS = WordTable(spelling_key)


class _RecentTexts:
    """The facts of the last documents extracted, by their text and line roles (an LRU).

    A corpus of news from several outlets holds the same wire story word for word under
    several names (98 of the 2,226 BBC files repeat an earlier one). The facts are a
    function of the text and its line roles alone (the body is the text's lines that are
    not boilerplate; regions are counted in the text), so a repeated document is given the
    facts of the first, at the price of a dictionary look-up keyed by its text. Bounded by
    the characters held, not only by the count: the keys keep their texts alive.
    """

    def __init__(self, documents: int = 512, characters: int = 1 << 22) -> None:
        self.documents = documents
        self.characters = characters
        self.held = 0
        self._facts: dict[tuple[str, tuple[str | None, ...]], dict[str, Any]] = {}
        self._lock = threading.Lock()  # the map phase may run in threads (``--executor dask:threads``)

    def get(self, key: tuple[str, tuple[str | None, ...]]) -> dict[str, Any] | None:
        with self._lock:
            facts = self._facts.pop(key, None)
            if facts is not None:
                self._facts[key] = facts  # now the most recent
            return facts

    def put(self, key: tuple[str, tuple[str | None, ...]], facts: dict[str, Any]) -> None:
        if len(key[0]) > self.characters // 4:
            return  # a very long text: kept alive for one repeat at most, never worth it
        with self._lock:
            if key in self._facts:
                return  # put by another thread meanwhile
            self._facts[key] = facts
            self.held += len(key[0])
            while len(self._facts) > self.documents or self.held > self.characters:
                oldest = next(iter(self._facts))
                del self._facts[oldest]
                self.held -= len(oldest[0])


_RECENT = _RecentTexts()


def extract(document: Document) -> dict[str, Any]:
    """All facts of one document (see the module docstring); a repeat of one of the last
    documents (the same text and line roles) is given a copy of its facts (:class:`_RecentTexts`)."""
    key = (document.text, document.line_roles)
    facts = _RECENT.get(key)
    if facts is None:
        facts = extract_anew(document)
        _RECENT.put(key, facts)
    return dict(facts)  # the values are never changed: only the dictionary is the document's own


def extract_anew(document: Document) -> dict[str, Any]:
    """All facts of one document, extracted from its text."""
    text = document.text
    spans = body_spans(document)
    finder = find_people(text, spans)
    people = [(person.name, person.key,
               tuple((m.surface, _SPELLINGS[m.surface], _region(document, m.start, m.end)) for m in person.mentions),
               tuple((m.title.text, _region(document, m.title.start, m.title.end))
                     for m in person.mentions if m.title is not None))
              for person in finder.people.values()]
    quotes = []
    for quote in find_quotes(text, spans, finder):
        speaker = finder.people.get(quote.speaker) if quote.speaker else None
        quotes.append((quote.text, quote.speaker, speaker.name if speaker else None, quote.speaker_text,
                       quote.start, quote.end, _region(document, quote.start, quote.end)))
    entities = {key for key in finder.entities if key and key not in NOT_NAME_WORDS}
    entities.update(person.key for person in finder.people.values())
    return {"people": Packed.pack("people", people), "quotes": Packed.pack("quotes", quotes),
            "figures": Packed.pack("figures", _figures(document, spans)), "entities": sorted(entities),
            "topic": topic_signature(p.text for p in document.body_paragraphs)}


def _figures(document: Document, spans: list[tuple[int, int]]) -> list[tuple]:
    """The figures of the body (rows of :class:`.packed.Figure`), each with the content stems of its sentence.

    A figure never spans two sentences (a sentence ends at punctuation followed by white
    space, which no figure contains), so the figures of a paragraph are found in one pass,
    and the paragraph is split into sentences only when it holds a figure: most paragraphs
    with a digit hold only years and dates.
    """
    text = document.text
    figures: list[tuple] = []
    for span_start, span_end in spans:
        paragraph = text[span_start:span_end]
        ascii = paragraph.isascii()
        # no figure in the paragraph: an ASCII one is searched for each digit at memory speed
        # (the pattern tests every character against its class)
        if not (any(map(paragraph.__contains__, _ASCII_DIGITS)) if ascii else _DIGIT.search(text, span_start, span_end)):
            continue
        found = find_figures(text, span_start, span_end, ascii)
        if not found:
            continue
        sentences = [(span_start + a, span_start + b) for a, b in sentence_spans(text[span_start:span_end])]
        starts = [a for a, _ in sentences]
        stems: dict[int, frozenset[str]] = {}
        for figure in found:
            index = bisect.bisect_right(starts, figure.start) - 1
            if index not in stems:  # a sentence with many figures is stemmed once
                first, last = sentences[index]
                stems[index] = sentence_stems(text[first:last])
            figures.append((figure.text, figure.value, figure.low, figure.high, figure.hedge, figure.unit,
                            figure.modifiers, tuple(context_stems(stems[index], figure.unit)),
                            _region(document, figure.start, figure.end)))
    return figures


def _topic_hash(word: str) -> int:
    """A word's :func:`srcaudit.text.word_hash32` if it is a content word, else -1 (see :func:`topic_signature`)."""
    if word in _STOPWORDS or len(word) <= 2 or word.isdigit():
        return -1
    return word_hash32(word)


#: Each word's topic hash (:func:`_topic_hash`): a document's vocabulary is mostly words seen before.
_TOPIC_HASHES = WordTable(_topic_hash)


def topic_signature(paragraphs: Iterable[str]) -> np.ndarray:
    """Whole-text MinHash of the body's content words, for pairing documents of one story.

    A uint32 array (512 bytes to pickle and keep, not 128 Python ints). The words of an
    ASCII paragraph are :func:`srcaudit.text.word_tuple` (lower case there): other rules have
    already tokenised the same paragraph, so that is a cache hit.

    Only distinct content words count (no stop words, no words of one or two letters, no
    numbers): the signature is :func:`srcaudit.text.word_set_signature` of them. Whether a
    word counts and its hash are read from a table (:data:`_TOPIC_HASHES`) in one C loop
    over the vocabulary, instead of testing, encoding and hashing every word of every
    document (half the signature's instructions).
    """
    vocabulary: set[str] = set()
    for paragraph in paragraphs:
        vocabulary.update(word_tuple(paragraph) if paragraph.isascii() else _WORD.findall(paragraph.lower()))
    hashes = np.fromiter(map(_TOPIC_HASHES.__getitem__, vocabulary), dtype=np.int64, count=len(vocabulary))
    return hash_set_signature(hashes[hashes >= 0], TOPIC_PERMUTATIONS)
