"""Positions in a document, shared by paragraphs, findings and reporters.

Lines and columns are 1-based; columns count Unicode code points (SARIF's
``unicodeCodePoints``) and ``end_column`` is exclusive: it is the column just after
the last character, as in SARIF and LSP.
"""

from __future__ import annotations

from dataclasses import dataclass

from .pickling import fast_pickling


@fast_pickling
@dataclass(frozen=True, slots=True, order=True)
class Region:
    """A span of text: from (line, column) up to, not including, (end_line, end_column)."""

    line: int
    column: int
    end_line: int
    end_column: int

    def __post_init__(self) -> None:
        if self.line < 1 or self.column < 1 or self.end_line < self.line:
            raise ValueError(f"invalid region {self!r}: lines and columns are 1-based")
        if self.end_line == self.line and self.end_column < self.column:
            raise ValueError(f"invalid region {self!r}: ends before it starts")

    def describe_lines(self) -> str:
        """``line 4`` or ``lines 4-9``: how messages refer to a region."""
        if self.end_line == self.line:
            return f"line {self.line}"
        return f"lines {self.line}-{self.end_line}"


@dataclass(frozen=True, slots=True)
class Location:
    """A region in a named file (the path as the user gave it)."""

    path: str
    region: Region
