"""How the consistency facts travel and wait: rows of plain tuples, packed into one string per kind.

A document's people, quotes and figures are a few dozen small records. As dicts with a
region list each they cost, on every document: building them, pickling them back from a
worker, walking them in :class:`srcaudit.engine.FactCompactor`, keeping them alive until the
reduce phase (on 100,000 documents, about a gigabyte) and freeing them. Packed, each kind
is one ``bytes`` object (``marshal`` of tuples, written in C): the compactor passes it by,
pickling copies it whole, and it takes about a quarter of the memory. The reduce phase
unpacks a document's rows when a check needs them (:func:`people`, :func:`quotes`,
:func:`figures`, :func:`titled_people`), as named tuples; the checks keep what they
unpacked for the last few thousand documents (:mod:`.checks`).

Regions are ``(line, column, end_line, end_column)``, 1-based, end column exclusive, as
:class:`srcaudit.api.Region` takes them. ``marshal`` output depends on the Python version,
which is part of the cache key, so a cached document never meets another version's rows.

``srcaudit facts`` prints the documented shape: :meth:`Packed.tolist` turns the rows back
into lists of dicts (the same protocol as a numpy array's, which the command already uses).
"""

from __future__ import annotations

import marshal
from typing import Any, NamedTuple

RegionTuple = tuple[int, int, int, int]


class Mention(NamedTuple):
    surface: str
    spelling: str
    region: RegionTuple


class Title(NamedTuple):
    text: str
    region: RegionTuple


class Person(NamedTuple):
    name: str
    key: str
    mentions: tuple[Mention, ...]
    titles: tuple[Title, ...]


class Quote(NamedTuple):
    text: str
    speaker: str | None
    speaker_name: str | None
    speaker_text: str | None
    start: int
    end: int
    region: RegionTuple


class Figure(NamedTuple):
    text: str
    value: float
    low: float
    high: float
    hedge: str | None
    unit: str
    modifiers: tuple[str, ...]
    context: tuple[str, ...]
    region: RegionTuple


class Packed:
    """One kind of fact of one document ("people", "quotes" or "figures"): its rows, marshalled."""

    __slots__ = ("kind", "data")

    def __init__(self, kind: str, data: bytes) -> None:
        self.kind = kind
        self.data = data

    @classmethod
    def pack(cls, kind: str, rows: list[tuple]) -> Packed:
        return cls(kind, marshal.dumps(tuple(rows)))

    def rows(self) -> tuple[tuple, ...]:
        """The rows as plain tuples (nested tuples for mentions, titles and regions)."""
        return marshal.loads(self.data)

    def tolist(self) -> list[dict[str, Any]]:
        """The rows in the documented ``srcaudit facts`` shape: dicts, regions as lists."""
        return [_PLAIN[self.kind](row) for row in self.rows()]

    def __reduce__(self) -> tuple[type[Packed], tuple[str, bytes]]:
        return Packed, (self.kind, self.data)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Packed) and self.kind == other.kind and self.data == other.data

    def __hash__(self) -> int:
        return hash(self.data)

    def __repr__(self) -> str:
        return f"Packed({self.kind!r}, {len(self.data)} bytes)"


def _plain_person(row: tuple) -> dict[str, Any]:
    name, key, mentions, titles = row
    return {"name": name, "key": key,
            "mentions": [{"surface": surface, "spelling": spelling, "region": list(region)}
                         for surface, spelling, region in mentions],
            "titles": [{"text": text, "region": list(region)} for text, region in titles]}


def _plain_quote(row: tuple) -> dict[str, Any]:
    text, speaker, speaker_name, speaker_text, start, end, region = row
    return {"text": text, "speaker": speaker, "speaker_name": speaker_name, "speaker_text": speaker_text,
            "start": start, "end": end, "region": list(region)}


def _plain_figure(row: tuple) -> dict[str, Any]:
    text, value, low, high, hedge, unit, modifiers, context, region = row
    return {"text": text, "value": value, "low": low, "high": high, "hedge": hedge, "unit": unit,
            "modifiers": list(modifiers), "context": list(context), "region": list(region)}


_PLAIN = {"people": _plain_person, "quotes": _plain_quote, "figures": _plain_figure}


def people(packed: Packed) -> tuple[Person, ...]:
    """A document's people, unpacked."""
    return tuple(Person(name, key, tuple(Mention._make(m) for m in mentions), tuple(Title._make(t) for t in titles))
                 for name, key, mentions, titles in packed.rows())


def quotes(packed: Packed) -> tuple[Quote, ...]:
    """A document's quotes, unpacked."""
    return tuple(map(Quote._make, packed.rows()))


def figures(packed: Packed) -> tuple[Figure, ...]:
    """A document's figures, unpacked."""
    return tuple(map(Figure._make, packed.rows()))


def titled_people(packed: Packed) -> dict[str, Person]:
    """A document's people with a full name (two words or more) and a title, by key, in
    document order; only those are built from the rows (most people are named once, or
    have no title)."""
    found: dict[str, Person] = {}
    for name, key, mentions, titles in packed.rows():
        if " " in key and titles:
            found[key] = Person(name, key, tuple(map(Mention._make, mentions)), tuple(map(Title._make, titles)))
    return found


def plain(facts: dict[str, Any]) -> dict[str, Any]:
    """A document's consistency facts with the packed kinds as lists of dicts (``srcaudit facts``' shape)."""
    return {name: value.tolist() if isinstance(value, Packed) else value for name, value in facts.items()}
