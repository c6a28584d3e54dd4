"""Per-line word counts and line hashes of a document, computed once per document.

Classifying, counting words for the measures and hashing lines for the corpus phase all
need the same folded words. The classifier tokenises each line once and keeps only what
the later hooks use: each line's word count and, for lines long enough to be template
candidates, the stable hash of its words. Only the latest document's summary is kept:
a tuple of words per line would hold about ten times a large file's size for the rest
of its map phase (a 200 MB page).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from srcaudit.text import words

from .templates import MIN_WORDS, line_hash


@dataclass(frozen=True, slots=True)
class LineSummary:
    """Word count of every line, and the hash of each line with at least ``MIN_WORDS`` words (else None)."""

    counts: tuple[int, ...]
    hashes: tuple[int | None, ...]


class SummaryBuilder:
    """Collects the summary line by line, so no line's words outlive its turn."""

    def __init__(self) -> None:
        self.counts: list[int] = []
        self.hashes: list[int | None] = []

    def add(self, tokens: Sequence[str]) -> None:
        """Record the next line's folded words."""
        self.counts.append(len(tokens))
        self.hashes.append(line_hash(tokens) if len(tokens) >= MIN_WORDS else None)

    def finish(self, lines: Sequence[str]) -> LineSummary:
        """The summary of ``lines`` (every line added in order), remembered as the latest."""
        summary = LineSummary(tuple(self.counts), tuple(self.hashes))
        _Latest.lines, _Latest.summary = _key(lines), summary
        return summary


class _Latest:
    """The summary of the latest document's lines (matched by identity, then by equality)."""

    lines: tuple[str, ...] | None = None
    summary: LineSummary | None = None


def _key(lines: Sequence[str]) -> tuple[str, ...]:
    return lines if isinstance(lines, tuple) else tuple(lines)


def line_summary(lines: Sequence[str], last_use: bool = False) -> LineSummary:
    """The summary of ``lines``: the remembered one, else tokenised now (one line at a time).

    ``last_use``: the caller is the document's last hook (extract_facts), so the summary
    and the reference to the lines are dropped, not kept while the next document is read.
    """
    key = _key(lines)
    if _Latest.summary is not None and (_Latest.lines is key or _Latest.lines == key):
        summary = _Latest.summary
        if last_use:
            _Latest.lines = _Latest.summary = None
        return summary
    builder = SummaryBuilder()
    for line in key:
        builder.add(words(line))
    summary = builder.finish(key)
    if last_use:
        _Latest.lines = _Latest.summary = None
    return summary


def line_word_counts(lines: Sequence[str]) -> tuple[int, ...]:
    """How many words each line has."""
    return line_summary(lines).counts
