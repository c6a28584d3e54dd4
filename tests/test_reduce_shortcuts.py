"""Shortcuts of the corpus (reduce) phase give exactly what the straightforward computation gives."""

from __future__ import annotations

import random

import numpy as np

from srcaudit.api import Region
from srcaudit.names import name_key
from srcaudit_plugins.consistency import checks, packed
from srcaudit_plugins.consistency.extract import extract
from srcaudit_plugins.syndication import matching, report
from conftest import doc

_TEXT = """Maria Lopez-Garcia, the agency's deputy director, said the plan was ready.
Dr. Maria Lopez Garcia added that Lopez-Garcia's team had checked it twice.
Jon Havrén met Jon Havren and Ana Ruiz at the port; Ruiz said little.
"We will review every figure before the vote," Ms. Ruiz said on Monday.
"""


def _spellings_straightforward(rows: packed.Packed) -> list[tuple[str, list[tuple[str, packed.Mention]]]]:
    """The full-name spellings of each person, from the unpacked people, as first written."""
    found = []
    for person in packed.people(rows):
        spelled: dict[str, packed.Mention] = {}
        for mention in person.mentions:
            if " " in mention.spelling and mention.spelling not in spelled and name_key(mention.surface) == person.key:
                spelled[mention.spelling] = mention
        if spelled:
            found.append((person.key, list(spelled.items())))
    return found


def test_spellings_read_from_raw_rows_are_those_of_the_unpacked_people():
    facts = extract(doc(_TEXT))
    expected = _spellings_straightforward(facts["people"])
    assert expected  # the text names people with full names
    assert checks._document_spellings(facts["people"]) == expected
    empty = packed.Packed.pack("people", [])
    assert checks._document_spellings(empty) == _spellings_straightforward(empty) == []


def test_rows_looked_up_by_bytes_are_those_of_the_unpacked_rows():
    facts = extract(doc(_TEXT))
    titled = {p.key: p for p in packed.people(facts["people"]) if " " in p.key and p.titles}
    assert titled  # the text gives a full name a title
    assert checks._titled(facts["people"].data) == packed.titled_people(facts["people"]) == titled
    assert checks._quotes(facts["quotes"].data) == packed.quotes(facts["quotes"])
    by_speaker = checks._quotes_by_speaker(facts["quotes"].data)
    assert [q for quotes in by_speaker.values() for q in quotes] == [q for q in packed.quotes(facts["quotes"])
                                                                      if q.speaker]
    checks.release()


def _figure_item(rnd: random.Random, vocabulary: list[str], unit: str) -> checks._Sentenced:
    context = tuple(rnd.sample(vocabulary, rnd.randrange(0, 8)))
    modifiers = tuple(rnd.sample(["annual", "new", "total"], rnd.randrange(0, 2)))
    value = float(rnd.choice([3, 4, 30, 40, 300]))
    figure = packed.Figure(f"{value:g}", value, value, value, None, unit, modifiers, context, (1, 1, 1, 3))
    return checks._Sentenced(figure, frozenset(context), frozenset(modifiers), checks._months(context), 0, (value,))


def test_the_inline_context_test_never_rejects_an_aligned_figure_pair():
    rnd = random.Random(7)
    vocabulary = "strike worker capit agenc union march octob monda citi polic".split()
    aligned = 0
    for _ in range(5000):
        unit = rnd.choice(["workers", "percent", "dollars", "people"])
        first, second = _figure_item(rnd, vocabulary, unit), _figure_item(rnd, vocabulary, unit)
        if checks._aligned(first, second):
            aligned += 1
            assert len(first.context & second.context) >= checks.MIN_CONTEXT_SHARED
    assert aligned  # the property was exercised


def test_quote_flags_of_a_paragraph_are_its_slice_of_the_document_flags():
    rnd = random.Random(13)
    for _ in range(300):
        counts = [rnd.randrange(0, 40) for _ in range(rnd.randrange(1, 8))]
        offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        total = int(offsets[-1])
        flags = np.array([rnd.random() < 0.3 for _ in range(total)], dtype=bool)
        facts = {"offsets": offsets, "quoted": np.packbits(flags), "tokens": np.arange(total, dtype=np.uint64)}
        paragraphs = matching.Paragraphs(["a.txt"], [facts], np.zeros(len(counts), dtype=np.int64),
                                         np.arange(len(counts)), np.array([0, len(counts)]),
                                         np.zeros(len(counts), dtype=np.uint64), np.array(counts),
                                         np.ones((len(counts), 4), dtype=np.int32), np.array([total]))
        for paragraph in range(len(counts)):
            begin, end = int(offsets[paragraph]), int(offsets[paragraph + 1])
            whole = np.unpackbits(facts["quoted"], count=total)[begin:end].astype(bool)
            found = paragraphs.quoted(paragraph)
            if whole.any():
                assert found is not None and found.tolist() == whole.tolist()
            else:
                assert found is None
            assert paragraphs.tokens(paragraph) == list(range(begin, end))


def test_a_related_paragraph_region_is_built_once():
    class Copies:  # only what _paragraph_region reads
        class paragraphs:
            regions = np.array([[1, 1, 1, 9], [3, 1, 4, 12]], dtype=np.int32)

    cache: dict[int, Region] = {}
    region = report._paragraph_region(Copies, 1, cache)
    assert region == Region(3, 1, 4, 12)
    assert report._paragraph_region(Copies, 1, cache) is region
    assert report._share_label(0.456) == "46% of this document's words are shared with it"


def test_the_inline_context_minimum_never_exceeds_the_loose_one():
    # conflicting_figures rejects a pair on MIN_CONTEXT_SHARED before _aligned: that is only
    # the same answer while no unit's minimum is below it.
    assert checks.MIN_CONTEXT_SHARED <= checks.MIN_LOOSE_CONTEXT_SHARED
