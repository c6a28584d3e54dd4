"""Memory of the reduce phase: findings wait compressed, facts are released before fingerprinting."""

from __future__ import annotations

import gc
import tracemalloc
import weakref
from pathlib import Path

import srcaudit
from srcaudit import engine
from srcaudit.api import Finding, Region, RelatedLocation, Rule, Severity
from srcaudit.check import CheckOptions, run_check
from srcaudit.packing import PackedFindings
from srcaudit.plugins import create_plugin_manager
from srcaudit.session import open_session

from conftest import write_files


def _finding(number: int, path: str = "b-copies/copy_000001.txt") -> Finding:
    related = tuple(RelatedLocation(f"a-originals/business_{number + k:03d}.txt", Region(3 + k, 1, 5 + k, 80),
                                    "earlier copy") for k in range(5))
    return Finding("DUP002", f"run of 3 paragraphs also in 7 other documents: a-originals/business_{number:03d}.txt:"
                             f"3-5 and {number % 9} more", path, Region(number + 1, 1, number + 3, 40), related,
                   severity=Severity.WARNING if number % 2 else None, anchor=f"{number:016x}|{number * 7:016x}")


def test_packed_findings_come_back_equal_in_the_order_added_and_the_store_empties():
    findings = [_finding(n) for n in range(11)]
    store = PackedFindings(batch=4, keep=0)  # two full batches and three pending
    store.extend(findings[:6])
    for finding in findings[6:]:
        store.append(finding)
    assert len(store) == 11
    back = list(store.drain())
    assert back == findings
    assert [f.anchor for f in back] == [f.anchor for f in findings]  # not compared by ==: fingerprint basis
    assert len(store) == 0 and list(store.drain()) == []


def test_a_finding_that_cannot_be_pickled_is_kept_as_it_is():
    class LocalAnchor(str):  # defined in a function: pickle cannot find the class again
        pass

    odd = Finding("TST001", "message", "a.txt", Region(1, 1, 1, 2), anchor=LocalAnchor("anchor"))
    findings = [_finding(1), odd, _finding(2), _finding(3)]
    store = PackedFindings(batch=2, keep=0)
    store.extend(findings)
    back = list(store.drain())
    assert back == findings and back[1].anchor is odd.anchor
    subclassed = type("Sub", (Finding,), {"__slots__": ()})("TST001", "m", "a.txt", Region(1, 1, 1, 2))
    store.extend([_finding(4), subclassed])
    assert [type(f) for f in store.drain()] == [Finding, type(subclassed)]


def test_packed_findings_take_a_fraction_of_the_memory_of_the_objects():
    count = 4096

    def held(build) -> int:
        gc.collect()
        tracemalloc.start()
        try:
            kept = build()
            gc.collect()
            size = tracemalloc.get_traced_memory()[0]
            del kept
        finally:
            tracemalloc.stop()
        return size

    def packed() -> PackedFindings:
        store = PackedFindings(keep=0)
        store.extend(_finding(n) for n in range(count))
        return store

    as_objects = held(lambda: [_finding(n) for n in range(count)])
    as_packed = held(packed)
    assert as_packed * 4 < as_objects, (as_packed, as_objects)


class _Marker:
    """A fact value the test can watch (weak references) through the whole run."""


_MARKERS: list[weakref.ref] = []
CORPUS_RULE = Rule(code="TST009", name="test-memory-rule", summary="A corpus rule for tests.",
                   severity=Severity.INFO, documentation="## What it does\nFlags each document.", scope="corpus")


class _FactsPlugin:
    @srcaudit.hookimpl
    def srcaudit_rules(self):
        return [CORPUS_RULE]

    @srcaudit.hookimpl
    def srcaudit_extract_facts(self, document):
        marker = _Marker()
        _MARKERS.append(weakref.ref(marker))
        return {"memory-test": {"marker": marker}}

    @srcaudit.hookimpl
    def srcaudit_check_corpus(self, corpus, rules):
        assert all(isinstance(facts["marker"], _Marker) for _, facts in corpus.facts("memory-test"))
        return [Finding("TST009", f"document {index}", document.path, Region(1, 1, 1, 2), anchor=str(index))
                for index, (document, _) in enumerate(corpus.facts("memory-test"))]


def test_facts_are_released_before_findings_are_fingerprinted(tmp_path: Path, monkeypatch):
    write_files(tmp_path, {f"doc{n}.txt": f"Document number {n} says something.\n" for n in range(5)})
    manager, errors = create_plugin_manager()
    assert errors == []
    manager.register(_FactsPlugin(), name="facts-plugin")
    session = open_session(None, tmp_path, manager=manager)
    alive_at_fingerprints: list[int] = []
    original = engine.assign_fingerprints

    def fingerprints(findings, severity_of=None):
        findings = list(findings)
        alive_at_fingerprints.append(sum(marker() is not None for marker in _MARKERS))
        return original(findings, severity_of)

    monkeypatch.setattr(engine, "assign_fingerprints", fingerprints)
    _MARKERS.clear()
    report = run_check(session, CheckOptions(paths=[str(tmp_path)], select=["TST009"], jobs=1))
    assert [f.message for f in report.findings] == [f"document {n}" for n in range(5)]
    assert len(_MARKERS) == 5 and alive_at_fingerprints == [0]


def test_packing_knows_every_field_of_a_finding():
    # PackedFindings stores findings as tuples of these fields: a new field must be added there
    from dataclasses import fields

    assert [f.name for f in fields(Finding)] == ["code", "message", "path", "region", "related", "severity",
                                                 "anchor", "fingerprint"]
    assert [f.name for f in fields(RelatedLocation)] == ["path", "region", "message"]
    assert [f.name for f in fields(Region)] == ["line", "column", "end_line", "end_column"]
    finding = Finding("TST001", "m", "a.txt", Region(1, 1, 1, 2), [RelatedLocation("b.txt", Region(2, 1, 2, 3))],
                      fingerprint="abc")
    store = PackedFindings(batch=1, keep=0)
    store.append(finding)
    back = next(store.drain())
    assert back.fingerprint == "abc" and back.related == finding.related and type(back.related) is list


def test_findings_handed_on_as_flat_rows_come_back_the_same():
    """An incremental run hands a base's findings on as flat rows (drain_flat, extend_flat),
    packed or not, and an item packing refuses travels as itself."""

    class Special(Finding):
        pass

    findings = [Finding("TST001", f"m{n}", f"{n % 3}.txt", Region(n + 1, 1, n + 1, 2),
                        (RelatedLocation("b.txt", Region(2, 1, 2, 3), "first"),), Severity.INFO, f"a{n}")
                for n in range(7)]
    findings.append(Special("TST002", "odd", "0.txt", Region(1, 1, 1, 2)))
    for keep in (0, 100):
        source = PackedFindings(batch=3, keep=keep)
        source.extend(findings)
        rows = list(source.drain_flat())
        assert sum(type(row) is tuple for row in rows) == 7
        target = PackedFindings(batch=2, keep=keep)
        target.append(findings[0])
        target.extend_flat(rows)
        back = list(target.drain())
        assert back == [findings[0], *findings] and type(back[-1]) is Special and len(target) == 0


def test_a_released_namespace_is_gone_from_every_document_and_the_others_stay():
    from types import MappingProxyType

    from srcaudit.corpus import Corpus, DocumentFacts

    documents = tuple(DocumentFacts(f"d{n}.txt", "hash", 3, {"mine": {"n": n}, "theirs": [n]}) for n in range(3))
    frozen = DocumentFacts("e.txt", "hash", 1, MappingProxyType({"mine": 1}))  # not the engine's: left alone
    corpus = Corpus(documents + (frozen,))
    corpus.release("mine")
    corpus.release("nothing here")
    assert [facts for _, facts in corpus.facts("mine")] == [1]
    assert [facts for _, facts in corpus.facts("theirs")] == [[0], [1], [2]]


def test_syndication_measures_survive_the_release_of_its_facts(tmp_path: Path):
    from conftest import check_json

    paragraph = ("The regional council approved the new budget on Tuesday after a long debate about "
                 "road repairs, school buildings and the cost of public transport in the valley.")
    write_files(tmp_path, {"a.txt": f"First title\n\n{paragraph}\n\nAn unrelated closing paragraph of our own "
                                    "with enough words to count as body text here.\n",
                           "b.txt": f"Second title\n\n{paragraph}\n"})
    write_files(tmp_path, {"rules.toml": 'select = ["DUP002", "DUP004"]\n'})
    _, report = check_json(str(tmp_path), cwd=tmp_path)
    shares = {Path(d["path"]).name: d["duplicated_share"] for d in report["documents"]}
    assert 0.9 < shares["b.txt"] < 1 and 0.3 < shares["a.txt"] < shares["b.txt"]  # the titles are not copies
    assert [f["code"] for f in report["findings"]].count("DUP002") == 1


def test_packed_summaries_come_back_equal_and_corpus_measures_merge_as_before():
    from srcaudit.packing import PackedSummaries
    from srcaudit.report import DocumentSummary

    summaries = [DocumentSummary(f"d{n}.txt", "utf-8", n + 2, {"share": n / 10, "words": n},
                                 ("navigation",) + (None,) * n) for n in range(5)]
    store = PackedSummaries(batch=2, keep=0)
    store.extend(summaries)
    assert list(store.drain()) == summaries

    kept = engine._Summaries()
    for summary in summaries:
        kept.add(summary)
    problems = engine._CorpusProblems()
    engine._merge_corpus_measures(kept, {"d1.txt": {"copied": 0.5, "share": 0.9}, "gone.txt": {"x": 1}}, "p", problems)
    engine._merge_corpus_measures(kept, {"d1.txt": {"copied": 0.25}, "d2.txt": 3}, "q", problems)
    merged = {s.path: s for s in kept.unpack()}
    assert list(merged["d1.txt"].measures.items()) == [("share", 0.9), ("words", 1), ("copied", 0.25)]
    assert merged["d2.txt"] == summaries[2] and len(merged) == 5
    assert [p.path for p in problems.problems] == ["d2.txt"]  # a measure that is not a mapping


def test_the_first_items_stay_unpacked_so_small_runs_pay_nothing():
    from srcaudit.packing import Packed

    flattened = []

    def flat(item: int) -> int:
        flattened.append(item)
        return item

    store = Packed(flat, int, batch=2, keep=4)
    store.extend(range(9))
    assert flattened == [4, 5, 6, 7]  # batches after the first four items; 8 still pending
    assert list(store.drain()) == list(range(9))


def test_the_memory_profile_bench_runs_and_names_every_phase():
    import subprocess
    import sys

    from conftest import REPO, SEEDS

    result = subprocess.run([sys.executable, str(REPO / "bench" / "memory_profile.py"), str(SEEDS), "--jobs", "1",
                             "--sizes", "--trace", "2", "--watch", "srcaudit.engine:assign_fingerprints"],
                            capture_output=True, text=True, timeout=300, check=True)
    out = result.stdout
    assert "map results: " in out and "reported findings" in out and " DUP001\n" in out
    for phase in ("map phase", "syndication check_corpus", "consistency check_corpus", "  engine.assign_fingerprints",
                  "sifting (suppressions, baseline)", "render json"):
        assert f"\n{phase}" in out, phase
