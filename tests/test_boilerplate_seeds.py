"""The issue's expectations for BOI001 and BOI002 on the five seed articles."""

from __future__ import annotations

import pytest

from conftest import REPO, check_json, codes_at

SEED = {n: f"seeds/{name}" for n, name in enumerate(sorted(p.name for p in (REPO / "seeds").glob("*.txt")))}

# The article paragraphs of each seed (first and last line): no BOI002 may touch them.
ARTICLE_LINES = {0: (8, 34), 1: (3, 30), 2: (10, 22), 3: (5, 41), 4: (3, 11)}


@pytest.fixture(scope="module")
def payload() -> dict:
    _, result = check_json("seeds", cwd=REPO)
    return result


def _blocks(payload: dict, seed: int) -> list[dict]:
    return [f for f in payload["findings"] if f["code"] == "BOI002" and f["path"] == SEED[seed]]


def _block_at(payload: dict, seed: int, line: int) -> dict:
    """The BOI002 finding whose region covers ``line``."""
    [block] = [f for f in _blocks(payload, seed) if f["line"] <= line <= f["end_line"]]
    return block


def test_mostly_boilerplate_seeds_get_boi001(payload: dict) -> None:
    flagged = {path for path, _ in codes_at(payload, "BOI001")}
    assert flagged == {SEED[2], SEED[3]}
    shares = {d["path"]: d["boilerplate_share"] for d in payload["documents"]}
    assert shares[SEED[2]] > 0.4 and shares[SEED[3]] > 0.4
    assert shares[SEED[4]] < 0.1 and shares[SEED[0]] < 0.4 and shares[SEED[1]] < 0.1


@pytest.mark.parametrize(("seed", "line", "kind"), [
    (2, 27, "share-widget"),      # "Comments0" counter
    (2, 33, "related-links"),     # [LATEST] Latest Stories
    (2, 69, "related-links"),     # Popular Now
    (2, 123, "related-links"),    # Popular Now, again
    (2, 150, "share-widget"),     # Share it on...
    (3, 43, "subscription"),      # trial prompt
    (3, 45, "timestamp-list"),    # OTHER NEWS, "13 minutes ago" ...
    (3, 205, "timestamp-list"),
    (1, 31, "cms-credit"),        # Powered by ...
    (0, 38, "related-links"),     # Read more: list
])
def test_boilerplate_blocks_get_boi002_with_their_kind(payload: dict, seed: int, line: int, kind: str) -> None:
    assert f"({kind})" in _block_at(payload, seed, line)["message"]


@pytest.mark.parametrize("seed", sorted(ARTICLE_LINES))
def test_article_paragraphs_get_no_boi002(payload: dict, seed: int) -> None:
    first, last = ARTICLE_LINES[seed]
    touching = [f for f in _blocks(payload, seed) if f["line"] <= last and f["end_line"] >= first]
    assert touching == []


def test_headline_after_skip_links_stays_body(payload: dict) -> None:
    # 002 opens with a line of skip links (template), then its headline on line 3.
    assert _block_at(payload, 2, 1)["line"] == 1
    assert [f for f in _blocks(payload, 2) if f["line"] <= 3 <= f["end_line"]] == []


def test_repeated_popular_lists_are_not_duplicated_paragraphs(payload: dict) -> None:
    # 002 prints its "Popular Now" list twice (lines 69-148): template, not repeated article text.
    repeats = codes_at(payload, "DUP001") + codes_at(payload, "DUP003")
    assert [line for path, line in repeats if path == SEED[2] and line >= 24] == []
    assert [line for path, line in repeats if path == SEED[3] and line >= 43] == []  # "13 minutes ago" x15
    # The article's own repeats are still found (the pasted run in 001, the caption in 002).
    assert (SEED[1], 18) in codes_at(payload, "DUP001")
    assert (SEED[2], 8) in codes_at(payload, "DUP001")
