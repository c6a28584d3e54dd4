"""Telling a shared quotation from a copied paragraph.

Outlets that cover one story independently quote the same statement, tweet or court
filing word for word, so their paragraphs share most of their words while each frames
the quote in its own sentence ("Posting on Facebook on Friday evening, X wrote: ..."
against "X, who ..., posted to her page: ..."). That is reporting, not syndication. A
copied paragraph carries its framing along with the quote.

So the map phase marks which of a paragraph's words stand inside quotation marks
(:func:`quoted_words`), and a candidate pair that passes the similarity test is still
not a copy when the match lies in the quotation and the words around it differ
(:func:`is_shared_quotation`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
from rapidfuzz.distance import LCSseq

from srcaudit.quotes import quote_segments
from srcaudit.text import FOLDED_WORD, fold

_QUOTE_MARK = re.compile("[\"“”«»„]")

#: Fewer words outside the quotation marks than this, and a paragraph is a bare quote
#: ("..." he said): it has no framing of its own to compare.
MIN_FRAME_WORDS = 4


def quoted_words(text: str, count: int) -> np.ndarray | None:
    """For each of the ``count`` words of ``text`` (as :func:`srcaudit.text.words` finds them),
    whether it stands inside quotation marks; None when none does (most paragraphs).

    Quotes are found in the folded text, where the words were found, so positions agree.
    A quote's bounds fall next to its marks, never inside a word, so counting the words
    of each stretch between bounds gives the flags without looking at words one by one.
    """
    if _QUOTE_MARK.search(text) is None:
        return None
    folded = fold(text)
    segments = quote_segments(folded, 0, len(folded))
    if not segments:
        return None
    bounds = [0]
    for start, end, _ in segments:
        bounds += [start, end]
    bounds.append(len(folded))
    # The longest stretch (usually the quote itself) holds the rest of the count: only the
    # others are searched for words.
    longest = max(range(len(bounds) - 1), key=lambda i: bounds[i + 1] - bounds[i])
    counts = [0 if i == longest else len(FOLDED_WORD.findall(folded, bounds[i], bounds[i + 1]))
              for i in range(len(bounds) - 1)]
    counts[longest] = count - sum(counts)
    if counts[longest] < 0 or not any(counts[1::2]):
        return None  # no quoted word (or, defensively, words that do not line up: treat as unquoted)
    return np.repeat(np.arange(len(counts)) % 2 == 1, counts)  # stretches alternate: outside, inside, ...


def is_shared_quotation(first: Sequence[int], first_quoted: np.ndarray | None,
                        second: Sequence[int], second_quoted: np.ndarray | None, threshold: float) -> bool:
    """Whether two similar paragraphs (word hash sequences) share a quotation rather than a text.

    True when at least one of them quotes, and either one is a bare quote while the other
    frames it in words of its own, or both frame it and their framing words do not match
    (the same test as for whole paragraphs: ``threshold`` of the shorter framing found in
    order in the other). Two bare quotes are compared as they are: nothing tells a copied
    quote from the same quote reported twice.
    """
    if first_quoted is None and second_quoted is None:
        return False
    frame_a = _frame(first, first_quoted)
    frame_b = _frame(second, second_quoted)
    bare_a, bare_b = len(frame_a) < MIN_FRAME_WORDS, len(frame_b) < MIN_FRAME_WORDS
    if bare_a and bare_b:
        return False
    if bare_a or bare_b:
        return True
    return LCSseq.similarity(frame_a, frame_b) / min(len(frame_a), len(frame_b)) < threshold


def _frame(tokens: Sequence[int], quoted: np.ndarray | None) -> list[int]:
    """The words outside quotation marks."""
    if quoted is None:
        return list(tokens)
    return [token for token, inside in zip(tokens, quoted.tolist()) if not inside]
