"""The document model: one source file, decoded, with exact line and column mapping.

A :class:`Document` is immutable and holds everything a per-document rule may read.
Line roles (body or a kind of boilerplate) start empty and are filled in by
``srcaudit_classify_lines`` plugins before the checks run, so that every rule can ask
:meth:`Document.is_body_line` instead of re-deciding what is boilerplate.
"""

from __future__ import annotations

import bisect
import hashlib
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

from .decoding import decode_bytes
from .location import Region
from .paragraphs import Paragraph, split_paragraphs

MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})


def normalise_newlines(text: str) -> str:
    """CRLF and CR become LF; returns ``text`` itself (no copy) when there is nothing to change."""
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


@dataclass(frozen=True)
class Document:
    """A decoded source document.

    ``path`` is the path as the user gave it (relative stays relative); ``text`` has
    its newlines normalised to ``\\n`` (CRLF and CR count as one line break each, so
    line numbers match what an editor shows).
    """

    path: str
    text: str
    encoding: str
    content_hash: str
    markdown: bool
    lines: tuple[str, ...]
    paragraphs: tuple[Paragraph, ...]
    #: Per line (0-based index): ``None`` for body text, else a boilerplate kind.
    line_roles: tuple[str | None, ...] = ()
    _line_starts: tuple[int, ...] = field(default=(), repr=False, compare=False)

    @classmethod
    def from_text(cls, path: str, text: str, *, encoding: str = "utf-8",
                  content_hash: str | None = None, markdown: bool | None = None) -> Document:
        """Build a document from text already in memory (tests, other front ends)."""
        normalised = normalise_newlines(text)
        lines = tuple(normalised.split("\n"))
        if lines and lines[-1] == "" and len(lines) > 1:
            lines = lines[:-1]  # a final newline ends the last line; it does not start another
        if markdown is None:
            markdown = Path(path).suffix.lower() in MARKDOWN_SUFFIXES
        starts = [0]
        for line in lines[:-1]:
            starts.append(starts[-1] + len(line) + 1)
        return cls(
            path=path,
            text=normalised,
            encoding=encoding,
            content_hash=content_hash or hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest(),
            markdown=markdown,
            lines=lines,
            paragraphs=split_paragraphs(lines, markdown),
            _line_starts=tuple(starts),
        )

    @classmethod
    def from_bytes(cls, path: str, data: bytes) -> Document:
        """Decode ``data`` (raises :class:`srcaudit.decoding.NotText` for binary input)."""
        decoded = decode_bytes(data)
        return cls.from_text(path, decoded.text, encoding=decoded.encoding,
                             content_hash=hashlib.sha256(data).hexdigest())

    # -- positions -------------------------------------------------------------

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset into :attr:`text`."""
        index = bisect.bisect_right(self._line_starts, offset) - 1
        return index + 1, offset - self._line_starts[index] + 1

    def region(self, start: int, end: int) -> Region:
        """The region covering ``text[start:end]`` (``end`` exclusive)."""
        line, column = self.position(start)
        end_line, end_column = self.position(max(start, end))
        return Region(line, column, end_line, end_column)

    def line_region(self, first_line: int, last_line: int | None = None) -> Region:
        """The region of whole lines ``first_line..last_line`` (1-based), trimmed of edge blanks."""
        last_line = last_line or first_line
        first = self.lines[first_line - 1]
        last = self.lines[last_line - 1]
        column = len(first) - len(first.lstrip()) + 1
        end_column = max(len(last.rstrip()) + 1, 1)
        if first_line == last_line:
            end_column = max(end_column, column)
        return Region(first_line, column, last_line, end_column)

    def line_offset(self, line: int) -> int:
        """Character offset of the start of a 1-based line in :attr:`text`."""
        return self._line_starts[line - 1]

    # -- line roles ----------------------------------------------------------------

    def with_line_roles(self, roles: tuple[str | None, ...]) -> Document:
        """A copy with line roles set (one entry per line: ``None`` = body)."""
        if len(roles) != len(self.lines):
            raise ValueError(f"{len(roles)} line roles for {len(self.lines)} lines")
        return replace(self, line_roles=tuple(roles))

    def is_body_line(self, line: int) -> bool:
        """Whether a 1-based line is article body (true until a classifier says otherwise)."""
        return not self.line_roles or self.line_roles[line - 1] is None

    def is_body_paragraph(self, paragraph: Paragraph) -> bool:
        """A paragraph is body when most of its lines are."""
        span = range(paragraph.start_line, paragraph.end_line + 1)
        body = sum(1 for line in span if self.is_body_line(line))
        return body * 2 > len(span)

    @cached_property
    def body_paragraphs(self) -> tuple[Paragraph, ...]:
        """The paragraphs that are mostly body lines.

        Computed once per document: most rules ask. ``cached_property`` stores the value in
        the instance ``__dict__`` (the dataclass has no slots, so freezing does not stop it),
        and :meth:`with_line_roles` builds a new instance, so the value never goes stale.
        """
        return tuple(p for p in self.paragraphs if self.is_body_paragraph(p))
