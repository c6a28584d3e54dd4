"""Split a document's lines into paragraphs, keeping exact line and column spans.

Plain-text articles come in two shapes: one paragraph per line (often with no blank
lines at all), or blank-line separated blocks that may be hard-wrapped at a fixed
width. A blank-line block is treated as one wrapped paragraph only when its lines show
the signature of greedy wrapping (every line but the last is long, and the next line's
first word would not have fitted on it); otherwise each line is its own paragraph,
which keeps short runs such as a byline above an e-mail address apart.

Markdown paragraphs are blank-line blocks; headings and list items stand alone;
YAML/TOML front matter, fenced code and HTML comments are not prose and are skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .location import Region

_MARKDOWN_BLOCK_START = re.compile(r"^\s{0,3}(?:#{1,6}\s|[-*+]\s|\d{1,9}[.)]\s|>)")
_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_HTML_COMMENT_LINE = re.compile(r"^\s*<!--.*-->\s*$")
_SENTENCE_FINAL = (".", "!", "?", ":", '"', "”", "’", "'", ")")


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph: consecutive lines read as one unit of prose.

    ``text`` joins the lines with single spaces (a hard wrap is not a word break).
    """

    index: int
    text: str
    region: Region

    @property
    def start_line(self) -> int:
        return self.region.line

    @property
    def end_line(self) -> int:
        return self.region.end_line


def split_paragraphs(lines: tuple[str, ...], markdown: bool) -> tuple[Paragraph, ...]:
    """Return the paragraphs of ``lines`` (1-based line numbers in each region)."""
    prose_lines = _markdown_prose_lines(lines) if markdown else [True] * len(lines)
    groups: list[list[int]] = []
    for block in _blank_line_blocks(lines, prose_lines):
        if markdown:
            groups.extend(_split_markdown_block(lines, block))
        elif _looks_hard_wrapped([lines[i] for i in block]):
            groups.append(block)
        else:
            groups.extend([i] for i in block)
    return tuple(_make_paragraph(n, lines, group) for n, group in enumerate(groups))


def _blank_line_blocks(lines: tuple[str, ...], prose: list[bool]) -> list[list[int]]:
    blocks: list[list[int]] = []
    current: list[int] = []
    for i, line in enumerate(lines):
        if prose[i] and line.strip():
            current.append(i)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _looks_hard_wrapped(block: list[str]) -> bool:
    if len(block) < 2:
        return False
    stripped = [line.rstrip() for line in block]
    width = max(len(line) for line in stripped)
    if not 40 <= width <= 120:
        return False
    body = stripped[:-1]
    if any(len(line) < 0.5 * width for line in body):
        return False
    # Lines that each end a sentence are one-paragraph-per-line text of similar lengths,
    # not a wrapped paragraph (where most breaks fall mid-sentence).
    sentence_ends = sum(1 for line in body if line.endswith(_SENTENCE_FINAL))
    if sentence_ends * 2 > len(body):
        return False
    greedy = 0
    for line, following in zip(body, stripped[1:]):
        words = following.split()
        if words and len(line) + 1 + len(words[0]) > width:
            greedy += 1
    return greedy >= 0.8 * len(body)


def _markdown_prose_lines(lines: tuple[str, ...]) -> list[bool]:
    """Mark lines that are prose: not front matter, fenced code or comment lines."""
    prose = [True] * len(lines)
    start = 0
    if lines and lines[0].strip() in ("---", "+++"):
        closer = lines[0].strip()
        for i in range(1, min(len(lines), 200)):
            if lines[i].strip() in (closer, "..."):
                for j in range(i + 1):
                    prose[j] = False
                start = i + 1
                break
    fence: str | None = None
    for i in range(start, len(lines)):
        match = _FENCE.match(lines[i])
        if fence is not None:
            prose[i] = False
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = None
        elif match:
            fence = match.group(1)
            prose[i] = False
        elif _HTML_COMMENT_LINE.match(lines[i]):
            prose[i] = False
    return prose


def _split_markdown_block(lines: tuple[str, ...], block: list[int]) -> list[list[int]]:
    groups: list[list[int]] = []
    for i in block:
        line = lines[i]
        starts_new = _MARKDOWN_BLOCK_START.match(line) is not None
        previous_is_heading = bool(groups) and lines[groups[-1][-1]].lstrip().startswith("#")
        if not groups or starts_new or previous_is_heading:
            groups.append([i])
        else:
            groups[-1].append(i)
    return groups


def _make_paragraph(index: int, lines: tuple[str, ...], group: list[int]) -> Paragraph:
    first, last = lines[group[0]], lines[group[-1]]
    start_column = len(first) - len(first.lstrip()) + 1
    end_column = len(last.rstrip()) + 1
    text = " ".join(lines[i].strip() for i in group)
    region = Region(group[0] + 1, start_column, group[-1] + 1, end_column)
    return Paragraph(index=index, text=text, region=region)
