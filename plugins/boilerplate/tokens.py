"""The words of each line of a document, computed once per document.

Classifying, counting words for the measures and hashing lines for the corpus phase all
need the same folded words; the hooks run one after another on the same document, so a
tiny cache keyed by the document's lines saves tokenising it three times.
"""

from __future__ import annotations

from functools import lru_cache

from srcaudit.text import words


@lru_cache(maxsize=4)
def line_words(lines: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """The folded words of every line (``srcaudit.text.words``)."""
    return tuple(tuple(words(line)) for line in lines)


def line_word_counts(lines: tuple[str, ...]) -> tuple[int, ...]:
    """How many words each line has."""
    return tuple(len(tokens) for tokens in line_words(lines))
