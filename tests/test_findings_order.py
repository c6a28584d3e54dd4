"""Findings sort by path, region, code and message: the flat sort key keeps Region's order."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from srcaudit.findings import Finding, assign_fingerprints
from srcaudit.location import Region


@st.composite
def findings(draw) -> Finding:
    line = draw(st.integers(1, 4))
    end_line = line + draw(st.integers(0, 2))
    column = draw(st.integers(1, 4))
    end_column = draw(st.integers(column if end_line == line else 1, 6))
    return Finding(draw(st.sampled_from(["DUP002", "ATT003"])), draw(st.sampled_from(["a", "b 1"])),
                   draw(st.sampled_from(["a.txt", "b.txt"])), Region(line, column, end_line, end_column))


@given(st.lists(findings(), max_size=30))
def test_sort_key_orders_as_comparing_regions(found: list[Finding]) -> None:
    expected = sorted(found, key=lambda f: (f.path, f.region, f.code, f.message))
    assert sorted(found, key=Finding.sort_key) == expected
    assert [f.region for f in assign_fingerprints(found)] == [f.region for f in expected]


def test_near_miss_end_column_breaks_a_tie_before_the_code() -> None:
    later = Finding("ATT003", "m", "a.txt", Region(1, 1, 1, 9))
    earlier = Finding("DUP002", "m", "a.txt", Region(1, 1, 1, 5))
    assert sorted([later, earlier], key=Finding.sort_key) == [earlier, later]
