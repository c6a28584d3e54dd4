"""DUP002 (shared paragraphs), DUP004 (overlapping documents) and duplicated_share.

Fixtures are short invented news paragraphs written for these tests; the seeds are
independent rewrites of one story and must give no cross-document duplication.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SEEDS, check_json, codes_at
from srcaudit.lsh import band_layout, candidate_pairs, candidate_probability
from srcaudit.text import _permutations, words

P = [
    ("The harbour commission voted on Thursday to extend the ferry schedule through the winter, "
    "citing a steady rise in commuters from the northern islands since the bridge closed."),
    ("Local fishermen said the extra crossings would help them reach the morning market in time, "
    "although several warned that fuel prices could make the route hard to sustain."),
    ("A spokesperson for the operator declined to say how much the additional sailings would cost, "
    "adding only that the company expected a decision on subsidies before March."),
    ("Residents of the eastern quarter have complained for months about noise from the new cargo "
    "terminal, which now handles container ships around the clock."),
    ("The regional council will publish its review of the terminal's licence next spring, after an "
    "independent survey of night-time sound levels along the waterfront."),
    ("Weather forecasters expect strong westerly winds for the rest of the week, and the coastguard has "
    "advised small boats to stay inside the breakwater until Sunday."),
    ("Tickets for the annual lantern festival sold out within hours, prompting organisers to add a "
    "second evening of performances in the old customs house."),
    ("Volunteers spent the weekend clearing litter from the dunes, collecting more than two tonnes of "
    "plastic that had washed up during the autumn storms."),
]
SHORT = "Schools across the district will reopen on Monday morning."  # 9 words


def _doc(*paragraphs: str, title: str = "A headline for this story") -> str:
    return title + "\n\n" + "\n\n".join(paragraphs) + "\n"


def _edit(paragraph: str, replacements: dict[str, str]) -> str:
    for old, new in replacements.items():
        assert old in paragraph
        paragraph = paragraph.replace(old, new, 1)
    return paragraph


def _findings(payload: dict, code: str) -> list[dict]:
    return [f for f in payload["findings"] if f["code"] == code]


def _run(corpus, files: dict[str, str], *args: str) -> dict:
    root = corpus(files)
    _, payload = check_json("--select", "DUP002,DUP004", *args, ".", cwd=root)
    return payload


# -- DUP002 ------------------------------------------------------------------------------


def test_exact_copy_is_reported_once_at_the_later_document(corpus):
    payload = _run(corpus, {"a.txt": _doc(P[0], P[1], P[2]), "b.txt": _doc(P[3], P[1], P[4])})
    found = _findings(payload, "DUP002")
    assert [(f["path"], f["line"]) for f in found] == [("b.txt", 5)]
    assert "a.txt:5" in found[0]["message"] and "similarity 1.00" in found[0]["message"]
    assert found[0]["related"][0]["path"] == "a.txt" and found[0]["related"][0]["line"] == 5


def test_short_paragraph_with_three_words_replaced_is_found(corpus):
    edited = _edit(SHORT, {"district": "county", "reopen": "open", "morning": "afternoon"})
    payload = _run(corpus, {"a.txt": _doc(P[0], SHORT), "b.txt": _doc(edited, P[5])})
    assert codes_at(payload, "DUP002") == [("b.txt", 3)]


def test_words_added_and_dropped_still_count(corpus):
    edited = _edit(P[2], {"declined to say": "would not say", "adding only that": "but said"})
    edited = edited.replace("before March.", "before the end of March at the earliest.")
    payload = _run(corpus, {"a.txt": _doc(P[2]), "b.txt": _doc(P[6], edited)})
    assert codes_at(payload, "DUP002") == [("b.txt", 5)]


def test_independent_paragraphs_on_the_same_topic_are_not_copies(corpus):
    rewrite = ("Commuters from the northern islands will get more ferry crossings this winter after the "
               "harbour commission backed a longer timetable on Thursday.")
    payload = _run(corpus, {"a.txt": _doc(P[0], P[1]), "b.txt": _doc(rewrite, P[7])})
    assert _findings(payload, "DUP002") == []


def test_near_miss_half_the_words_replaced_is_not_a_copy(corpus):
    edited = _edit(SHORT, {"Schools": "Libraries", "district": "city", "reopen": "close", "Monday": "Friday",
                           "morning": "evening"})
    payload = _run(corpus, {"a.txt": _doc(P[0], SHORT), "b.txt": _doc(edited, P[5])})
    assert _findings(payload, "DUP002") == []


HEADLINE = "Harbour commission urges council to extend the winter ferry timetable"  # 11 words


def test_two_outlets_headlines_of_one_story_are_not_copies(corpus):
    other = "Harbour commission: council should extend ferry timetable for winter"  # 0.73 of the other
    payload = _run(corpus, {"a.txt": _doc(P[0], title=HEADLINE), "b.txt": _doc(P[5], title=other)})
    assert _findings(payload, "DUP002") == []


def test_a_syndicated_headline_is_still_a_copy(corpus):
    payload = _run(corpus, {"a.txt": _doc(P[0], title=HEADLINE), "b.txt": _doc(P[5], title=HEADLINE + " | Daily")})
    assert codes_at(payload, "DUP002") == [("b.txt", 1)]


def test_near_miss_a_headline_just_below_the_title_threshold_is_a_copy_in_the_body(corpus):
    close = "Harbour commission urges council to extend winter ferry schedule"  # 8 of 9 words: 0.89
    as_titles = _run(corpus, {"a.txt": _doc(P[0], title=HEADLINE), "b.txt": _doc(P[5], title=close)})
    in_bodies = _run(corpus, {"a.txt": _doc(P[0], HEADLINE), "b.txt": _doc(P[5], close)})
    assert _findings(as_titles, "DUP002") == []
    assert codes_at(in_bodies, "DUP002") == [("b.txt", 5)]  # not a title line: the usual threshold


def test_near_miss_copied_line_below_min_words_is_left_to_boilerplate(corpus):
    line = "Share this story with your friends today."  # 7 words
    payload = _run(corpus, {"a.txt": _doc(P[0], line), "b.txt": _doc(line, P[5])})
    assert _findings(payload, "DUP002") == []
    root_payload = _run(corpus, {"rules.toml": "[rules.DUP002]\nmin_words = 7\n"}, "--config", "rules.toml")
    assert codes_at(root_payload, "DUP002") == [("b.txt", 3)]


def test_consecutive_copied_paragraphs_are_one_run(corpus):
    payload = _run(corpus, {"a.txt": _doc(P[0], P[1], P[2], P[3]), "b.txt": _doc(P[6], P[1], P[2], P[3], P[7])})
    found = _findings(payload, "DUP002")
    assert len(found) == 1
    assert found[0]["message"].startswith("run of 3 paragraphs shared with a.txt:5-9")
    assert (found[0]["line"], found[0]["end_line"]) == (5, 9)


def test_paragraph_in_many_documents_gives_one_finding_per_document(corpus):
    files = {f"d{n}.txt": _doc(P[n], P[7]) for n in range(5)}
    found = _findings(_run(corpus, files), "DUP002")
    assert [f["path"] for f in found] == ["d1.txt", "d2.txt", "d3.txt", "d4.txt"]  # 4 findings, not 10
    assert "also in 3 other documents: d0.txt:5, d1.txt:5, d2.txt:5" in found[2]["message"]
    assert [r["path"] for r in found[3]["related"]] == ["d0.txt", "d1.txt", "d2.txt", "d3.txt"]


def test_copy_of_a_much_copied_text_is_one_run_not_one_finding_per_paragraph(corpus):
    # ten copies of a two-paragraph text; d3 dropped the second paragraph, d4 the first
    files = {f"d{n}.txt": _doc(P[0], P[1]) for n in range(10)}
    files["d3.txt"], files["d4.txt"] = _doc(P[0], P[5]), _doc(P[6], P[1])
    found = _findings(_run(corpus, files), "DUP002")
    last = [f for f in found if f["path"] == "d9.txt"]
    # 7 earlier documents hold both paragraphs (d3 and d4 hold one each): one run, listing 5 of them
    assert len(last) == 1
    assert last[0]["message"].startswith("run of 2 paragraphs also in 7 other documents: d0.txt:3-5")
    assert [r["path"] for r in last[0]["related"]] == ["d0.txt", "d1.txt", "d2.txt", "d5.txt", "d6.txt"]
    # near miss: d5's paragraphs have 4 earlier holders each, all listed, and not the same ones
    assert [(f["line"], f["end_line"]) for f in found if f["path"] == "d5.txt"] == [(3, 3), (5, 5)]


def test_repeat_within_one_document_is_not_dup002(corpus):
    payload = _run(corpus, {"a.txt": _doc(P[0], P[1], P[0]), "b.txt": _doc(P[5])})
    assert _findings(payload, "DUP002") == []


# -- DUP004 ------------------------------------------------------------------------------


def test_lightly_edited_republished_document_is_dup004(corpus):
    copy = _doc(P[2], _edit(P[0], {"Thursday": "Friday"}), P[1], P[3])  # shuffled, one word edited
    payload = _run(corpus, {"a.txt": _doc(P[0], P[1], P[2], P[3], P[4]), "b.txt": copy})
    found = _findings(payload, "DUP004")
    assert [(f["path"], f["related"][0]["path"]) for f in found] == [("b.txt", "a.txt")]
    shared = sum(len(words(p)) for p in P[:4])
    copy_share, original_share = shared / (shared + 5), shared / (shared + len(words(P[4])) + 5)
    assert (f"shares {copy_share:.0%} of its words with a.txt (which shares {original_share:.0%} of its own)"
            in found[0]["message"])


def test_one_shared_paragraph_is_not_document_overlap(corpus):
    payload = _run(corpus, {"a.txt": _doc(P[0], P[1], P[2], P[3]), "b.txt": _doc(P[4], P[5], P[6], P[0])})
    assert len(_findings(payload, "DUP002")) == 1
    assert _findings(payload, "DUP004") == []


def test_near_miss_overlap_just_below_the_threshold(corpus):
    files = {"a.txt": _doc(P[0], P[1], P[2], P[3], P[4]), "b.txt": _doc(P[0], P[1], P[5], P[6], P[7])}
    share = sum(len(words(p)) for p in P[:2]) / sum(len(words(p)) for p in ("A headline for this story", *P[:2], *P[5:8]))
    assert 0.35 < share < 0.45
    payload = _run(corpus, files)
    assert _findings(payload, "DUP004") == []  # b shares less than half of its words
    payload = _run(corpus, {**files, "rules.toml": f"[rules.DUP004]\nthreshold = {share - 0.01:.3f}\n"},
                   "--config", "rules.toml")
    assert codes_at(payload, "DUP004") == [("b.txt", 3)]


def test_template_text_does_not_count_but_can_be_the_first_shared_location(corpus):
    # P7 is in three documents: over max_copies = 2, so it is template text for DUP004
    files = {"a.txt": _doc(P[7], P[0], P[1], P[2]), "b.txt": _doc(P[7], P[0], P[1], P[2], P[3]),
             "c.txt": _doc(P[7], SHORT), "rules.toml": "[rules.DUP004]\nmax_copies = 2\n"}
    found = _findings(_run(corpus, files, "--config", "rules.toml"), "DUP004")
    assert [(f["path"], f["line"]) for f in found] == [("b.txt", 5)]  # at b's first counted paragraph (P0)
    shared = sum(len(words(p)) for p in P[:3])  # P7 is not counted on either side
    a_share = shared / (5 + len(words(P[7])) + shared)
    assert f"with a.txt (which shares {a_share:.0%} of its own)" in found[0]["message"]
    assert (found[0]["related"][0]["path"], found[0]["related"][0]["line"]) == ("a.txt", 3)  # a's first shared: P7
    # near miss: with P7 counted, c (P7 and a short paragraph) overlaps a and b too
    files["rules.toml"] = "[rules.DUP004]\nmax_copies = 3\n"
    assert len(_findings(_run(corpus, files, "--config", "rules.toml"), "DUP004")) == 2


def test_findings_do_not_depend_on_the_batch_sizes(corpus, monkeypatch):
    """DUP002 runs are turned into findings in batches and DUP004 compares documents in
    slices: a batch of one run and slices of one document give the same report."""
    from srcaudit_plugins.syndication import report

    files = {f"d{n}.txt": _doc(P[0], P[1], P[n % 8]) for n in range(10)}
    files["d3.txt"], files["d4.txt"] = _doc(P[0], P[5], P[6]), _doc(P[6], P[1], P[2], P[3])
    root = corpus(files)
    _, whole = check_json("--select", "DUP002,DUP004", ".", cwd=root)
    monkeypatch.setattr(report, "_RUN_BATCH", 1)
    monkeypatch.setattr(report, "_PAIR_ROWS", 1)
    _, batched = check_json("--select", "DUP002,DUP004", ".", cwd=root)
    assert len(_findings(whole, "DUP002")) > 5 and len(_findings(whole, "DUP004")) > 5
    assert batched == whole


def test_findings_have_the_rules_severity_unless_configured(corpus):
    """DUP002/DUP004 findings carry their rule's default severity (so the engine need not
    copy each one to set it); a severity set in rules.toml still replaces it."""
    from srcaudit_plugins.syndication import report
    from srcaudit_plugins.syndication.rules import DUP002, DUP004

    files = {"a.txt": _doc(P[0], P[1], P[2]), "b.txt": _doc(P[0], P[1], P[2], P[3])}
    calls = []
    original = report._overlap_finding
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setattr(report, "_overlap_finding", lambda *a: calls.append(original(*a)) or calls[-1])
    payload = _run(corpus, files)
    monkeypatch.undo()
    assert [f.severity for f in calls] == [DUP004.severity]
    assert {(f["code"], f["severity"]) for f in payload["findings"]} == {
        ("DUP002", DUP002.severity.value), ("DUP004", DUP004.severity.value)}
    files["rules.toml"] = '[rules.DUP002]\nseverity = "info"\n'
    payload = _run(corpus, files, "--config", "rules.toml")
    assert {(f["code"], f["severity"]) for f in payload["findings"]} == {("DUP002", "info"), ("DUP004", "warning")}


# -- duplicated_share ----------------------------------------------------------------------


def test_duplicated_share_counts_copies_here_and_elsewhere(corpus):
    root = corpus({"a.txt": _doc(P[0], P[1], P[0]), "b.txt": _doc(P[1], P[5]), "c.txt": _doc(P[6])})
    _, payload = check_json(".", cwd=root)
    shares = {d["path"]: d["duplicated_share"] for d in payload["documents"]}
    assert shares["c.txt"] == 0.0
    assert 0.9 < shares["a.txt"] < 1.0  # all three paragraphs, not the title
    assert 0.4 < shares["b.txt"] < 0.6


def test_corpus_without_a_paragraph_long_enough_gives_nothing_and_no_error(corpus):
    root = corpus({"a.txt": _doc("Tiny line here."), "b.txt": _doc("Tiny line here.")})
    _, payload = check_json(".", cwd=root)
    assert payload["problems"] == []
    assert [d["duplicated_share"] for d in payload["documents"]] == [0.0, 0.0]
    assert _findings(payload, "DUP002") == [] and _findings(payload, "DUP004") == []


# -- planted copies and seeds ----------------------------------------------------------------


def test_planted_copies_give_exactly_the_planted_findings(corpus):
    originals = {"a1.txt": _doc(P[0], P[1]), "a2.txt": _doc(P[2], P[3], P[4]), "a3.txt": _doc(P[5], P[6])}
    copies = {  # "b" sorts after "a": the copies are the later documents
        "b1.txt": _doc(P[7], _edit(P[1], {"fishermen": "traders"})),
        "b2.txt": _doc(_edit(P[4], {"spring": "summer", "survey": "study", "along": "on"}), P[7], P[3]),
        "b3.txt": _doc(_edit(P[6], {"hours": "minutes"}), SHORT),
    }
    payload = _run(corpus, {**originals, **copies})
    found = sorted((f["path"], f["line"], f["end_line"], tuple(r["path"] for r in f["related"]))
                   for f in _findings(payload, "DUP002"))
    assert found == [
        ("b1.txt", 5, 5, ("a1.txt",)),  # P1, one word edited
        ("b2.txt", 3, 3, ("a2.txt",)),  # P4, three words edited
        ("b2.txt", 5, 5, ("b1.txt",)),  # P7, planted in both copies
        ("b2.txt", 7, 7, ("a2.txt",)),  # P3: not a run with line 3, the shared P7 lies between
        ("b3.txt", 3, 3, ("a3.txt",)),  # P6, one word edited; SHORT is nowhere else
    ]
    # b2 and b3 are mostly copied text; b1 shares one of its two paragraphs with a1 (under half its words).
    assert sorted((f["path"], f["related"][0]["path"]) for f in _findings(payload, "DUP004")) == [
        ("b2.txt", "a2.txt"), ("b3.txt", "a3.txt")]


def test_seeds_give_no_cross_document_duplication():
    _, payload = check_json("--select", "DUP002,DUP004", str(SEEDS))
    assert _findings(payload, "DUP002") == [] and _findings(payload, "DUP004") == []
    assert payload["documents"]  # the seeds were read


# -- the machinery ------------------------------------------------------------------------------


def test_permutations_match_datasketch():
    from datasketch import MinHash

    a, b = _permutations(64)
    expected = MinHash(num_perm=64, seed=1, scheme="affine32").permutations
    assert np.array_equal(a, expected[0]) and np.array_equal(b, expected[1])


@pytest.mark.parametrize("threshold", [0.3, 0.5, 0.8])
def test_band_layout_matches_datasketch(threshold):
    from datasketch.lsh import _optimal_param

    assert band_layout(threshold, 64) == _optimal_param(threshold, 64, 0.5, 0.5)


def test_candidate_pairs_pairs_rows_sharing_a_band_and_bounds_big_buckets():
    rows = np.array([[1, 2, 3, 4], [1, 2, 9, 9], [7, 7, 3, 4], [5, 6, 7, 8]], dtype=np.uint32)
    assert candidate_pairs(rows, bands=2, rows=2).tolist() == [[0, 1], [0, 2]]
    same = np.ones((10, 4), dtype=np.uint32)
    assert len(candidate_pairs(same, bands=2, rows=2, leaders=2)) == 9 + 8  # not 45
    assert candidate_probability(0.62, 21, 3) > 0.99


def test_memory_of_a_large_document_stays_small(tmp_path) -> None:
    """Signing every paragraph's shingles in one call once peaked at 5.2x a large page's size.

    What stays is the facts themselves: a 512-byte signature per paragraph (about 1.4 bytes
    per byte of this prose) and 4 bytes per word.
    """
    from memory_support import hook_bytes_per_byte

    peak, kept = hook_bytes_per_byte(tmp_path, "syndication", "extract_facts")
    assert peak < 3.0, f"{peak:.2f} bytes of memory per byte of text at the peak"
    assert kept < 3.0, f"{kept:.2f} bytes per byte of text left resident"


def test_facts_signed_in_batches_equal_one_call(monkeypatch) -> None:
    """A long document is signed a batch at a time; the facts must not depend on the batch size."""
    import importlib

    from conftest import doc

    from srcaudit.text import SignatureTable

    facts = importlib.import_module("srcaudit_plugins.syndication.facts")
    text = "\n\n".join(f"Paragraph {n} tells how the council voted {n} times on the {n % 3} plans for the bridge."
                       for n in range(11))
    whole = facts.extract(doc(text), 8)
    monkeypatch.setattr(SignatureTable, "batch_size", 3)
    batched = facts.extract(doc(text), 8)
    assert len(whole["keys"]) == 11
    for name, value in whole.items():
        assert np.array_equal(np.asarray(value), np.asarray(batched[name])), name


def _facts_corpus(documents: list[list[str]]):
    """A corpus of syndication facts, one document per list of paragraphs (paths in order)."""
    import importlib

    from conftest import doc
    from srcaudit.corpus import Corpus, DocumentFacts
    from srcaudit.text import prepare_signing

    facts = importlib.import_module("srcaudit_plugins.syndication.facts")
    prepare_signing(facts.NUM_PERM)
    built = []
    for number, paragraphs in enumerate(documents):
        document = doc(_doc(*paragraphs), f"d{number:02d}.txt")
        built.append(DocumentFacts(document.path, document.content_hash, len(document.lines),
                                   {facts.NAMESPACE: facts.extract(document, 8)}))
    return Corpus(tuple(built))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.integers(0, 4), min_size=1, max_size=5), min_size=2, max_size=7), st.integers(1, 8))
def test_document_overlaps_equal_a_pair_by_pair_count(documents, max_copies):
    """DUP004's numpy sums (in slices of one document) against a plain count over each pair
    of documents: shared words both ways and the first shared paragraph on each side."""
    from srcaudit_plugins.syndication import matching, report

    texts = [*P[:4], SHORT]  # few texts: most documents share some
    copies = matching.find_copies(_facts_corpus([[texts[i] for i in d] for d in documents]), 0.6, 0.3)
    paragraphs = copies.paragraphs
    holders = {g: set(copies.documents(g)) for g in range(copies.count)}

    def shared(d: int, o: int) -> tuple[int, int | None]:
        counted = [p for p in range(paragraphs.start[d], paragraphs.start[d + 1])
                   if copies.group[p] >= 0 and len(holders[copies.group[p]]) <= max_copies
                   and o in holders[copies.group[p]]]
        return sum(int(paragraphs.words[p]) for p in counted), (min(counted) if counted else None)

    expected = {}
    for d in range(len(documents)):
        for o in range(len(documents)):
            words, first = shared(d, o)
            if o != d and first is not None:
                expected[d, o] = (min(1.0, words / int(paragraphs.body_words[d])),
                                  min(1.0, shared(o, d)[0] / int(paragraphs.body_words[o])), first, shared(o, d)[1])
    overlaps = report._Overlaps(copies, max_copies)
    found = {}
    for begin in range(len(documents)):
        pairs = overlaps.pairs(begin, begin + 1)
        if pairs is not None:
            for d, o, share, back, first, first_other in zip(*(a.tolist() for a in pairs)):
                found[d, o] = (share, back, first, first_other)
    assert found == expected


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.integers(0, 4), min_size=1, max_size=5), min_size=2, max_size=7))
def test_earlier_copy_locations_equal_a_paragraph_by_paragraph_lookup(documents):
    """DUP002's related locations (looked up for a batch of runs at once) against the copies
    of each run paragraph in each listed document, found one by one."""
    from srcaudit_plugins.syndication import matching, report

    texts = [*P[:4], SHORT]
    copies = matching.find_copies(_facts_corpus([[texts[i] for i in d] for d in documents]), 0.6, 0.3)
    paragraphs = copies.paragraphs
    runs = list(report._runs(copies))
    for (document, run, others), finding in zip(runs, report._shared_findings(copies, runs), strict=True):
        expected = []
        for other in others[:report.MAX_RELATED]:
            matched = [m for p in run for m in range(paragraphs.start[other], paragraphs.start[other + 1])
                       if copies.group[m] == copies.group[p]]
            rows = [tuple(paragraphs.regions[m].tolist()) for m in matched]
            first, last = min(rows), max(rows, key=lambda r: (r[2], r[3]))
            expected.append((f"d{other:02d}.txt", (*first[:2], *last[2:])))
        assert [(r.path, (r.region.line, r.region.column, r.region.end_line, r.region.end_column))
                for r in finding.related] == expected
        assert finding.path == f"d{document:02d}.txt"
