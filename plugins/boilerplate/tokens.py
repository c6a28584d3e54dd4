"""Per-line word counts and line hashes of a document, computed once per document.

Classifying, counting words for the measures and hashing lines for the corpus phase all
need the same folded words. The classifier tokenises each line once and keeps only what
the later hooks use: each line's word count and, for lines long enough to be template
candidates, the stable hash of its words. The engine classifies a batch of documents
before the other hooks run on them, so the summaries of the documents classified and
not yet finished are kept (each until the document's last hook, ``last_use``), bounded
by their lines in total: a tuple of words per line would hold about ten times a large
file's size for the rest of its map phase (a 200 MB page), a summary two numbers a line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from srcaudit.text import word_tuple

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
        """The summary of ``lines`` (every line added in order), remembered until its last use."""
        summary = LineSummary(tuple(self.counts), tuple(self.hashes))
        _Kept.add(_key(lines), summary)
        return summary


class _Kept:
    """Summaries of documents classified and not yet finished, by the identity of their lines.

    Holds at most :attr:`max_lines` lines' summaries in total (the oldest go first; one
    larger document is still kept on its own), so documents whose last hook never comes
    (a run stopped by an error) cannot pile up. The latest summary is also found by
    equal lines (a caller that passes a list), as before this kept more than one.
    """

    max_lines = 1 << 20
    summaries: dict[int, tuple[tuple[str, ...], LineSummary]] = {}
    lines_held = 0
    latest: tuple[str, ...] | None = None

    @classmethod
    def add(cls, lines: tuple[str, ...], summary: LineSummary) -> None:
        cls.pop(lines)
        while cls.summaries and cls.lines_held + len(lines) > cls.max_lines:
            cls.pop(next(iter(cls.summaries.values()))[0])
        cls.summaries[id(lines)] = (lines, summary)
        cls.lines_held += len(lines)
        cls.latest = lines

    @classmethod
    def find(cls, lines: tuple[str, ...]) -> LineSummary | None:
        entry = cls.summaries.get(id(lines))
        if entry is not None and entry[0] is lines:
            return entry[1]
        latest = cls.latest
        if latest is not None and latest == lines:
            return cls.summaries[id(latest)][1]
        return None

    @classmethod
    def pop(cls, lines: tuple[str, ...]) -> None:
        """Forget the summary of ``lines`` (by identity, or the latest by equality), if kept."""
        entry = cls.summaries.get(id(lines))
        if entry is None or entry[0] is not lines:
            if cls.latest is None or cls.latest != lines:
                return
            lines = cls.latest
            entry = cls.summaries[id(lines)]
        del cls.summaries[id(lines)]
        cls.lines_held -= len(lines)
        if cls.latest is lines:
            cls.latest = None


def _key(lines: Sequence[str]) -> tuple[str, ...]:
    return lines if isinstance(lines, tuple) else tuple(lines)


def line_summary(lines: Sequence[str], last_use: bool = False) -> LineSummary:
    """The summary of ``lines``: the kept one, else tokenised now (one line at a time).

    ``last_use``: the caller is the document's last hook (extract_facts), so the summary
    and the reference to the lines are dropped, not kept while the next documents are mapped.
    """
    key = _key(lines)
    summary = _Kept.find(key)
    if summary is None:
        builder = SummaryBuilder()
        for line in key:
            builder.add(word_tuple(line))
        summary = builder.finish(key)
    if last_use:
        _Kept.pop(key)
    return summary


def line_word_counts(lines: Sequence[str]) -> tuple[int, ...]:
    """How many words each line has."""
    return line_summary(lines).counts
