"""The map phase of the consistency rules: one document's people, quotes, figures and entities.

Everything returned is plain data (lists, dicts, strings, numbers) with 1-based regions,
because the corpus phase never sees the text. The same facts are printed by
``srcaudit facts``.
"""

from __future__ import annotations

import re
from typing import Any

from srcaudit.api import Document
from srcaudit.figures import find_figures
from srcaudit.names import NOT_NAME_WORDS, fold_word, spelling_key
from srcaudit.people import find_people
from srcaudit.quotes import find_quotes
from srcaudit.text import minhash_signatures, sentence_spans, shingle_hashes

from .topics import TOPIC_PERMUTATIONS

NAMESPACE = "consistency"
_WORD = re.compile(r"\w+")
_DIGIT = re.compile(r"\d")
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


def _region(document: Document, start: int, end: int) -> list[int]:
    region = document.region(start, end)
    return [region.line, region.column, region.end_line, region.end_column]


def stem(word: str) -> str:
    """A crude stem (first five letters) so "deployed" meets "deployment": enough for alignment."""
    return word[:5]


def sentence_stems(sentence: str) -> frozenset[str]:
    """Content-word stems of a sentence, numbers left out (they are compared apart)."""
    return frozenset(stem(fold_word(w)) for w in set(_WORD.findall(sentence.lower()))  # each distinct word once
                     if w not in _STOPWORDS and not w.isdigit() and len(w) > 2)


def context_stems(sentence: str | frozenset[str], unit: str) -> list[str]:
    """Content-word stems of a figure's sentence, its unit and numbers left out.

    Accepts the sentence's stems already computed: a sentence with many figures is
    stemmed once, not once per figure (quadratic on a long run-on line).
    """
    found = sentence if isinstance(sentence, frozenset) else sentence_stems(sentence)
    return sorted(found - {stem(unit)})


def extract(document: Document) -> dict[str, Any]:
    """All facts of one document (see the module docstring)."""
    text = document.text
    spans = body_spans(document)
    finder = find_people(text, spans)
    people = []
    for person in finder.people.values():
        people.append({
            "name": person.name,
            "key": person.key,
            "mentions": [{"surface": m.surface, "spelling": spelling_key(m.surface),
                          "region": _region(document, m.start, m.end)} for m in person.mentions],
            "titles": [{"text": m.title.text, "region": _region(document, m.title.start, m.title.end)}
                       for m in person.mentions if m.title is not None],
        })
    quotes = []
    for quote in find_quotes(text, spans, finder):
        speaker = finder.people.get(quote.speaker) if quote.speaker else None
        quotes.append({"text": quote.text, "speaker": quote.speaker,
                       "speaker_name": speaker.name if speaker else None, "speaker_text": quote.speaker_text,
                       "start": quote.start, "end": quote.end,
                       "region": _region(document, quote.start, quote.end)})
    figures = []
    for span_start, span_end in spans:
        if not _DIGIT.search(text, span_start, span_end):
            continue  # no figure in the paragraph: no need to split it into sentences
        for sentence_start, sentence_end in sentence_spans(text[span_start:span_end]):
            s_start, s_end = span_start + sentence_start, span_start + sentence_end
            if not _DIGIT.search(text, s_start, s_end):
                continue
            stems: frozenset[str] | None = None
            for figure in find_figures(text, s_start, s_end):
                stems = stems if stems is not None else sentence_stems(text[s_start:s_end])
                figures.append({
                    "text": figure.text, "value": figure.value, "low": figure.low, "high": figure.high,
                    "hedge": figure.hedge, "unit": figure.unit, "modifiers": list(figure.modifiers),
                    "context": context_stems(stems, figure.unit),
                    "region": _region(document, figure.start, figure.end),
                })
    entities = {key for key in finder.entities if key and key not in NOT_NAME_WORDS}
    entities |= {p["key"] for p in people}
    return {"people": people, "quotes": quotes, "figures": figures, "entities": sorted(entities),
            "topic": topic_signature(text, spans)}


def topic_signature(text: str, spans: list[tuple[int, int]]) -> list[int]:
    """Whole-text MinHash of the body's content words, for pairing documents of one story."""
    body = " ".join(text[start:end] for start, end in spans).lower()
    vocabulary = set(_WORD.findall(body)) - _STOPWORDS  # distinct words first: each is tested once
    tokens = sorted(w for w in vocabulary if len(w) > 2 and not w.isdigit())
    signature = minhash_signatures([shingle_hashes(tokens, 1)], TOPIC_PERMUTATIONS)[0]
    return signature.tolist()
