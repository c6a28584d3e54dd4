"""Group boilerplate lines into blocks and name what each block is.

A page's template is a sequence of widgets: a menu, a "Most read" list, share buttons,
a subscription prompt, a CMS credit. The classifier only says *which* lines are not the
article; here a run of such lines is cut where a new widget starts (a list heading such
as "Popular Now", or a line whose widget phrase is of another kind), and each piece is
named from the evidence in its lines, so that BOI002 can say "related-links block"
rather than "boilerplate".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from .signals import LineSignals

GENERIC = "boilerplate"
_LIST_KINDS = frozenset({"related-links", "timestamp-list"})


@dataclass
class Block:
    """A run of boilerplate lines (1-based, inclusive), with the kind read from its lines."""

    first_line: int
    last_line: int
    kind: str | None = None  # None until named: the block has no telling line yet
    lines: list[int] = field(default_factory=list)  # the non-blank lines, 1-based


def find_blocks(roles: Sequence[str | None], signals: dict[int, LineSignals]) -> list[Block]:
    """Cut every run of boilerplate lines into named blocks.

    ``signals`` maps a 1-based line number to its :class:`LineSignals` (non-blank lines only).
    """
    blocks: list[Block] = []
    current: Block | None = None
    for number in range(1, len(roles) + 1):
        if roles[number - 1] is None:
            current = None
            continue
        line = signals.get(number)
        if line is None:  # a blank line inside a run
            continue
        evidence = _evidence(line)
        if current is None or (line.letters and _starts_new_block(current, evidence)):
            current = Block(number, number, evidence)
            blocks.append(current)
        elif current.kind is None and evidence is not None:
            current.kind = evidence
        current.last_line = number
        current.lines.append(number)
    for block in blocks:
        block.kind = _name(block, signals)
    return blocks


def _evidence(line: LineSignals) -> str | None:
    if line.timestamp:
        return "timestamp-list"
    if line.widget == "advertisement":
        return GENERIC
    return line.widget


def _starts_new_block(current: Block, evidence: str | None) -> bool:
    if evidence is None:
        # A plain line goes on with a list or a menu; after a widget it starts something new.
        return current.kind is not None and current.kind not in _LIST_KINDS
    if evidence == "related-links":
        return True  # a list heading ("Most read", "Related") opens a new list
    if evidence == "timestamp-list":
        return current.kind is not None and current.kind not in _LIST_KINDS
    return evidence != current.kind


def _name(block: Block, signals: dict[int, LineSignals]) -> str:
    lines = [signals[n] for n in block.lines]
    stamps = sum(1 for line in lines if line.timestamp)
    if stamps >= 2 and stamps * 3 >= len(lines):
        return "timestamp-list"
    if block.kind is not None:
        return block.kind
    if len(lines) >= 3:
        short = sum(1 for line in lines if line.word_count <= 4)
        if short * 4 >= len(lines) * 3:
            return "navigation"
        titles = sum(1 for line in lines if 4 <= line.word_count <= 25 and not line.sentence_end)
        if titles * 2 >= len(lines):
            return "related-links"
    return GENERIC
