"""Warm runs of the syndication plugin (DUP002, DUP004, duplicated_share) equal full runs.

The heart of it: random invented corpora, random edits relative to one base (changed,
added, removed documents, several at once, accumulating over warm runs), and the update
merged as the engine merges it compared with a full reduce of the edited corpus, for
many seeds. Then targeted cases for what can move a group: joins, splits, a new earliest
holder, representatives whose quote flags or title status differ, widely held text.
"""

from __future__ import annotations

import random

import pytest

from test_syndication_incremental_corpora import (Crafted, Extractor, Story, assert_same, document, edited, full, path,
                                                  rules, sentence, story, text_of, warm)

from srcaudit_plugins import syndication


def _corpus(rng: random.Random, documents: tuple[int, int] = (6, 16)) -> tuple[dict[str, str], list[Story]]:
    """A random corpus of one to three stories (sometimes with a paragraph many documents end
    with), and its stories (for edits)."""
    stories = [story(rng) for _ in range(rng.randint(1, 3))]
    boilerplate = text_of(sentence(rng, 10)) if rng.random() < 0.5 else None
    texts: dict[str, str] = {}
    while len(texts) < rng.randint(*documents):
        texts[path(rng)] = document(rng, stories, boilerplate)
    return texts, stories


def _edit(rng: random.Random, texts: dict[str, str], stories: list[Story]) -> dict[str, str]:
    """One to four random operations on a copy of ``texts``."""
    texts = dict(texts)
    for _ in range(rng.randint(1, 4)):
        operation = rng.random()
        paths = sorted(texts)
        if operation < 0.35 and paths:  # change a document: a paragraph replaced, dropped, added or edited
            target = rng.choice(paths)
            parts = texts[target].rstrip("\n").split("\n\n")
            position = rng.randrange(len(parts))
            action = rng.random()
            if action < 0.3:
                parts[position] = document(rng, stories, None).split("\n\n")[-1].rstrip("\n")
            elif action < 0.5 and len(parts) > 1:
                del parts[position]
            elif action < 0.7:
                parts.insert(position, rng.choice(texts[rng.choice(paths)].rstrip("\n").split("\n\n")))
            else:
                parts[position] = text_of(edited(rng, parts[position].rstrip(".").lower().split(), 0.2))
            texts[target] = "\n\n".join(parts) + "\n"
        elif operation < 0.55:  # a new document, sometimes first in path order, sometimes a copy
            new = path(rng, first=rng.random() < 0.4)
            texts[new] = texts[rng.choice(paths)] if paths and rng.random() < 0.3 else document(rng, stories, None)
        elif operation < 0.75 and len(paths) > 1:  # a document removed
            del texts[rng.choice(paths)]
        elif paths:  # a document rewritten
            texts[rng.choice(paths)] = document(rng, stories, None)
    return texts


def _random_runs(seed: int, documents: tuple[int, int]) -> None:
    rng = random.Random(seed)
    texts, stories = _corpus(rng, documents)
    options = {}
    if seed % 3 == 1:
        options = {"DUP004": {"max_copies": 3}}  # widely held text: not counted for DUP004
    if seed % 5 == 2:
        options = {"DUP002": {"title_threshold": 0.6}}
    active = rules(**options)
    extractor = Extractor()
    base = full(extractor, texts, active)
    assert base.state is not None
    current = texts
    for _ in range(3):  # edits accumulate against the one base, as between full reduces
        current = _edit(rng, current, stories)
        updated = warm(extractor, texts, base, current, active)
        assert updated is not None
        assert_same(updated, full(extractor, current, active))


@pytest.mark.parametrize("seed", range(120))
def test_warm_runs_equal_full_runs_on_random_edits(seed):
    _random_runs(seed, (6, 16))


@pytest.mark.parametrize("seed", range(8))
def test_warm_runs_equal_full_runs_on_larger_corpora(seed):
    """Crowded LSH buckets and groups held by many documents (1,800 more seeds passed once)."""
    _random_runs(1000 + seed, (30, 60))


# -- targeted cases -----------------------------------------------------------------------

RNG = random.Random(7)
STORY = story(RNG)
X = STORY.paragraphs[0]
FAR = edited(random.Random(3), X, 0.5)  # an LSH neighbour of X, too far from it to be a copy


def _texts(*documents: tuple[str, list[str]]) -> dict[str, str]:
    return {name: "\n\n".join(parts) + "\n" for name, parts in documents}


def _check(base_texts: dict[str, str], texts: dict[str, str], extractor: Extractor | None = None,
           **options) -> tuple:
    """Full run, update and full run again on ``texts``: the update merged equals the full run."""
    active = rules(**options)
    extractor = extractor or Extractor()
    base = full(extractor, base_texts, active)
    updated = warm(extractor, base_texts, base, texts, active)
    assert updated is not None
    again = full(extractor, texts, active)
    assert_same(updated, again)
    return base, updated, again


def _plain(words: list[str]) -> str:
    return text_of(words)


OTHER = [_plain(p) for p in story(random.Random(11)).paragraphs]


def test_an_edit_that_joins_two_groups_and_one_that_splits_them():
    """Two texts with the same first half (similarity 0.5: not copies) and a bridge, the
    first half with half of each second half (0.75 to both): adding the bridge joins the
    two groups into one, removing or editing it away splits them again."""
    words = sentence(random.Random(5), 24)
    a, b = words, words[:12] + sentence(random.Random(6), 12)
    bridge = words[:18] + b[18:]
    base_texts = _texts(("b1.txt", [_plain(a), OTHER[0]]), ("b2.txt", [_plain(a), OTHER[1]]),
                        ("c1.txt", [_plain(b), OTHER[2]]), ("c2.txt", [_plain(b)]))
    joined = dict(base_texts, **_texts(("m.txt", [_plain(bridge), OTHER[0]])))
    base, _, again = _check(base_texts, joined)
    assert not any("b1.txt" in f.message for f in base.findings if f.path.startswith("c"))  # two groups
    assert any("b1.txt" in f.message and "c1.txt" in f.message for f in again.findings if f.path == "m.txt")
    assert any("b1.txt" in f.message for f in again.findings if f.path == "c1.txt")  # one group now
    _check(joined, base_texts)  # the bridge removed: split again
    _check(joined, dict(joined, **_texts(("m.txt", [OTHER[2]]))))  # the bridge edited away


def test_a_new_document_first_in_path_order_becomes_every_copys_earliest_holder():
    base_texts = _texts(*((f"d{n}.txt", [_plain(X), OTHER[n % 3]]) for n in range(5)))
    texts = dict(base_texts, **_texts(("a0.txt", [_plain(X)])))
    base, updated, again = _check(base_texts, texts)
    firsts = [f for f in again.findings if f.code == "DUP002" and f.region.line == 1]
    assert {f.path for f in firsts} == {f"d{n}.txt" for n in range(5)}
    assert all("a0.txt" in f.message for f in firsts)
    assert updated.affected == frozenset(texts)


def test_removing_the_earliest_holder_and_a_lone_document():
    base_texts = _texts(("a0.txt", [_plain(X)]), *((f"d{n}.txt", [_plain(X), OTHER[n]]) for n in range(3)),
                        ("z.txt", [_plain(sentence(random.Random(2), 12))]))
    texts = {p: t for p, t in base_texts.items() if p not in ("a0.txt", "z.txt")}
    _check(base_texts, texts)


def test_one_text_with_and_without_quotation_marks_changes_representative():
    """The same words, quoted in one document and not in another: the first in path order
    represents them, and whether a framed quote elsewhere is a copy depends on which it is."""
    framing, quote = STORY.framings[0], STORY.quote
    words = framing + quote
    marked = text_of(words, (len(framing), len(words)))
    other_frame = text_of(STORY.framings[1] + quote, (len(STORY.framings[1]), len(STORY.framings[1]) + len(quote)))
    base_texts = _texts(("b.txt", [_plain(words), OTHER[0]]), ("c.txt", [marked, OTHER[1]]),
                        ("d.txt", [other_frame, OTHER[2]]))
    for texts in ({p: t for p, t in base_texts.items() if p != "b.txt"},
                  dict(base_texts, **_texts(("a.txt", [marked]))),
                  dict(base_texts, **_texts(("a.txt", [_plain(words)])))):
        _check(base_texts, texts)
        _check(texts, base_texts)


def test_title_lines_whose_words_are_a_body_paragraph_elsewhere():
    """One key, a title line in the first document and a body paragraph in the second: its
    representative is the title, and a near copy (above the body threshold, below the
    title one) is not its copy until the title's document goes (and is again when a new
    first document holds the words as a title)."""
    title = sentence(random.Random(12), 18)
    near = title[:5] + ["zz"] + title[6:-5] + ["yy"] + title[-4:]  # two words changed: similarity 0.89
    heading = _plain(title).rstrip(".")
    base_texts = _texts(("a1.txt", [heading, OTHER[0]]), ("a2.txt", [OTHER[1], _plain(title)]),
                        ("a3.txt", [OTHER[2], _plain(near)]))
    without = {p: t for p, t in base_texts.items() if p != "a1.txt"}
    base, _, again = _check(base_texts, without)
    assert not any(f.path == "a3.txt" for f in base.findings)
    assert any(f.path == "a3.txt" and "a2.txt" in f.message for f in again.findings)
    _check(without, base_texts)
    for texts in (dict(without, **_texts(("a0.txt", [heading]))),
                  dict(base_texts, **_texts(("a0.txt", [OTHER[2], _plain(title)]))),
                  dict(base_texts, **_texts(("a3.txt", [OTHER[2], heading])))):
        _check(base_texts, texts)
        _check(texts, base_texts)


def test_a_paragraph_held_by_many_documents():
    shared = _plain(sentence(random.Random(4), 11))
    base_texts = _texts(*((f"d{n:02d}.txt", [shared, OTHER[n % 4] if n % 4 < 3 else _plain(X)])
                          for n in range(14)))
    texts = dict(base_texts, **_texts(("d05.txt", [OTHER[1]]), ("a.txt", [shared, _plain(X)])))
    del texts["d09.txt"]
    for options in ({}, {"DUP004": {"max_copies": 4}}):
        _check(base_texts, texts, **options)


def test_several_edits_whose_new_paragraphs_copy_each_other():
    base_texts = _texts(*((f"d{n}.txt", [OTHER[n]]) for n in range(3)))
    fresh = _plain(sentence(random.Random(9), 14))
    texts = dict(base_texts, **_texts(("d1.txt", [OTHER[1], fresh]), ("e.txt", [fresh, OTHER[2]]),
                                      ("f.txt", [_plain(X)])))
    _, updated, again = _check(base_texts, texts)
    assert any(f.path == "e.txt" and "d1.txt" in f.message for f in again.findings)


def test_an_edit_in_one_story_loads_only_that_storys_documents():
    stories = [story(random.Random(20 + n)) for n in range(6)]
    texts = {}
    for number, told in enumerate(stories):
        for copy in range(5):
            texts[f"s{number}-{copy}.txt"] = _texts(("x", [_plain(p) for p in told.paragraphs]))["x"]
    edited_texts = dict(texts, **{"s2-3.txt": _texts(("x", [_plain(p) for p in stories[2].paragraphs[:-1]]))["x"]})
    _, updated, _ = _check(texts, edited_texts)
    assert updated.affected == frozenset(f"s2-{copy}.txt" for copy in range(5))
    assert updated.loaded <= 1 + 5


def test_a_state_from_other_options_or_no_state_asks_for_a_full_run():
    extractor = Extractor()
    texts = _texts(("a.txt", [_plain(X)]), ("b.txt", [_plain(X)]))
    base = full(extractor, texts, rules())
    changed = dict(texts, **_texts(("c.txt", [_plain(X)])))
    assert warm(extractor, texts, base, changed, rules(DUP002={"threshold": 0.7})) is None
    assert warm(extractor, texts, base, changed, rules(DUP004={"max_copies": 7})) is None
    base.state = None
    assert warm(extractor, texts, base, changed, rules()) is None


def test_no_state_when_the_rules_are_off():
    extractor = Extractor()
    corpus = extractor.corpus(_texts(("a.txt", [_plain(X)])))
    from srcaudit.rules import ActiveRules
    assert list(syndication.srcaudit_check_corpus(corpus, ActiveRules({}))) == []
    assert syndication.corpus_state(corpus, ActiveRules({})) is None


def test_no_state_is_built_for_a_run_that_keeps_none():
    """Without a cache the engine never asks for the state: building it would cost time and memory."""
    extractor = Extractor()
    corpus = extractor.corpus(_texts(("a.txt", [_plain(X)]), ("b.txt", [_plain(X)])))
    assert not corpus.keeps_state
    assert list(syndication.srcaudit_check_corpus(corpus, rules()))
    assert syndication.corpus_state(corpus, rules()) is None


# -- LSH buckets with more members than leaders (hand-written facts) -------------------------

SIMILAR = list(range(1, 11))  # word hashes: a paragraph and its copies below
UNRELATED = [[100 * n + w for w in range(10)] for n in range(1, 6)]
V, W5, W6 = 7, 8, 9  # band values shared on purpose


def _crafted(names: dict[str, list[tuple[int, list[int], dict[int, int]]]]):
    from srcaudit.lsh import band_layout
    return Crafted(names, band_layout(0.3, 64)[1])


def test_a_bucket_keeps_its_leaders_from_outside_the_linked_keys():
    """Band 0 holds four unrelated paragraphs with the smallest keys, then y5 and y6, which
    are copies but share no other band: the index never pairs them. Editing the documents of z5 and z6 (each
    a copy of one of them through another band) relinks y5 and y6 alone; the unrelated
    four, not relinked, must still take the bucket's leader places. (The edits keep z5 and
    z6 and add a paragraph: only their own bands are looked up, not all of their groups'.)"""
    paragraphs = {f"x{n}": [(n, UNRELATED[n - 1], {0: V})] for n in range(1, 5)}
    paragraphs |= {
        "y5": [(100, SIMILAR, {0: V, 1: W5})], "z5": [(101, SIMILAR + [50], {1: W5})],
        "z5'": [(101, SIMILAR + [50], {1: W5}), (104, UNRELATED[4], {})],
        "y6": [(102, SIMILAR + [60], {0: V, 2: W6})], "z6": [(103, SIMILAR + [60, 61], {2: W6})],
        "z6'": [(105, UNRELATED[4][::-1], {}), (103, SIMILAR + [60, 61], {2: W6})],
    }
    extractor = _crafted(paragraphs)
    base_texts = {f"{name}.txt": name for name in ("x1", "x2", "x3", "x4", "y5", "z5", "y6", "z6")}
    texts = dict(base_texts, **{"z5.txt": "z5'", "z6.txt": "z6'"})
    base, _, again = _check(base_texts, texts, extractor)
    assert not any("y5.txt" in f.message for f in again.findings if f.path == "y6.txt")  # never compared


def test_a_removed_leader_lets_the_next_member_lead():
    """As above, but the first leader (a paragraph without copies) goes: y5 moves up to lead
    and is paired with y6, its copy. The removed paragraph's buckets must be relinked."""
    paragraphs = {f"x{n}": [(n, UNRELATED[n - 1], {0: V})] for n in range(1, 5)}
    paragraphs |= {"y5": [(100, SIMILAR, {0: V})], "y6": [(102, SIMILAR + [60], {0: V})]}
    extractor = _crafted(paragraphs)
    base_texts = {f"{name}.txt": name for name in ("x1", "x2", "x3", "x4", "y5", "y6")}
    texts = {p: t for p, t in base_texts.items() if p != "x1.txt"}
    base, _, again = _check(base_texts, texts, extractor)
    assert not base.findings and any(f.path == "y6.txt" for f in again.findings)
    _check(texts, base_texts, extractor)  # and back: y5 loses its place


# -- through the engine and its cache ------------------------------------------------------

@pytest.mark.parametrize("seed", range(4))
def test_warm_runs_of_the_engine_equal_runs_without_the_cache(tmp_path, monkeypatch, seed):
    """The plugin's hooks as the engine calls them: a cached run leaves the base, warm runs
    after random edits are updates (not full reduces), and their JSON reports are the
    reports of runs without the cache."""
    from conftest import write_files

    from srcaudit.cache import DocumentCache
    from srcaudit.check import CheckOptions, run_check
    from srcaudit.session import open_session
    from srcaudit_plugins.syndication import incremental

    answers = []
    original = incremental.update

    def counted(*args, **kwargs):
        answers.append(original(*args, **kwargs))
        return answers[-1]

    monkeypatch.setattr(incremental, "update", counted)

    def report(cached: bool) -> str:
        session = open_session(None, tmp_path)
        store = DocumentCache(tmp_path / "cache") if cached else None
        try:
            options = CheckOptions(paths=[str(tmp_path / "docs")], select=["DUP002", "DUP004"], jobs=1)
            return session.reporters["json"].render(run_check(session, options, cache=store))
        finally:
            if store is not None:
                store.close()

    rng = random.Random(seed)
    texts, stories = _corpus(rng)
    write_files(tmp_path, {f"docs/{p}": t for p, t in texts.items()})
    assert report(cached=True) == report(cached=False)
    for _ in range(3):
        edited_texts = _edit(rng, texts, stories)
        for gone in set(texts) - set(edited_texts):
            (tmp_path / "docs" / gone).unlink()
        write_files(tmp_path, {f"docs/{p}": t for p, t in edited_texts.items() if texts.get(p) != t})
        texts = edited_texts
        answers.clear()
        warm = report(cached=True)
        assert len(answers) == 1 and answers[0] is not None  # updated, not reduced in full
        assert warm == report(cached=False)


def test_a_new_paragraph_that_leads_a_crowded_bucket():
    """A new key takes the last leader place of a bucket (four unrelated smaller keys before it
    would leave it none): it is paired with every member, and joins a copy of it that no
    relinked document holds."""
    paragraphs = {f"x{n}": [(key, UNRELATED[n - 1], {0: V})] for n, key in ((1, 1), (2, 2), (3, 3), (4, 5))}
    paragraphs |= {"m": [(10, SIMILAR, {0: V})], "k": [(4, SIMILAR + [60], {0: V})],
                   "k-later": [(20, SIMILAR + [61], {0: V})]}
    extractor = _crafted(paragraphs)
    base_texts = {f"{name}.txt": name for name in ("x1", "x2", "x3", "x4", "m")}
    _, _, again = _check(base_texts, dict(base_texts, **{"n.txt": "k"}), extractor)
    assert any(f.path == "n.txt" and "m.txt" in f.message for f in again.findings)
    _, _, again = _check(base_texts, dict(base_texts, **{"n.txt": "k-later"}), extractor)
    assert not again.findings  # fifth by key: paired with the leaders only


def test_a_new_copy_of_a_text_whose_every_bucket_is_led_by_others():
    """Every band of the text is shared with four unrelated paragraphs of smaller keys, so the
    text leads no bucket; a new copy must still be linked with the text's other copies."""
    every_band = {band: 40 + band for band in range(21)}
    paragraphs = {f"x{n}": [(n, UNRELATED[n - 1], every_band)] for n in range(1, 5)}
    paragraphs |= {"t": [(100, SIMILAR, every_band)]}
    extractor = _crafted(paragraphs)
    base_texts = {f"{name}.txt": name for name in ("x1", "x2", "x3", "x4", "t")} | {"u.txt": "t"}
    _, _, again = _check(base_texts, dict(base_texts, **{"v.txt": "t"}), extractor)
    assert any(f.path == "v.txt" and "t.txt" in f.message for f in again.findings)


def test_band_keys_bucket_signatures_as_the_lsh_index_does():
    """The state's band keys must put signatures in the buckets srcaudit.lsh puts them in."""
    import numpy as np

    from srcaudit.lsh import candidate_pairs
    from srcaudit_plugins.syndication.incremental import band_keys

    rng = np.random.default_rng(3)
    signatures = rng.integers(0, 4, size=(60, 64), dtype=np.uint32)  # few values: many shared bands
    keys = band_keys(signatures, 21, 3)
    for band in range(21):
        pairs = candidate_pairs(signatures[:, band * 3:(band + 1) * 3], 1, 3, leaders=60)
        expected = {tuple(pair) for pair in pairs.tolist()}
        same = keys[:, band][:, None] == keys[:, band][None, :]
        first, second = np.nonzero(np.triu(same, k=1))
        assert expected and set(zip(first.tolist(), second.tolist())) == expected
