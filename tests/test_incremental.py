"""The incremental reduce: a plugin with a base updates only what a change touches, and the
result is always the one a full reduce gives (srcaudit.incremental)."""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

import pytest

import srcaudit
from srcaudit.api import CorpusUpdate, Finding, Region, RelatedLocation, Rule, Severity
from srcaudit.cache import BASE_PREFIX, DocumentCache
from srcaudit.check import CheckOptions, run_check
from srcaudit.plugins import create_plugin_manager
from srcaudit.session import open_session

from conftest import write_files

OPENER = Rule(code="TST901", name="shared-opening", summary="Opens like an earlier document.",
              severity=Severity.INFO, documentation="## What it does\nFor tests.", scope="corpus")


class SharedOpening:
    """A corpus rule with an exact update: a document whose first line an earlier document
    (in path order) also opens with; measure: how many others open the same way."""

    def __init__(self) -> None:
        self.changes: list[tuple[frozenset[str], frozenset[str]]] = []
        self.full_runs = 0
        self.answer = "update"  # or "none", "raise", "stray finding"

    @srcaudit.hookimpl
    def srcaudit_rules(self):
        return [OPENER]

    @srcaudit.hookimpl
    def srcaudit_extract_facts(self, document):
        return {"opening": document.lines[0]}

    @srcaudit.hookimpl
    def srcaudit_check_corpus(self, corpus):
        self.full_runs += 1
        openers = _openers((d.path, line) for d, line in corpus.facts("opening"))
        return [f for holders in openers.values() for f in _findings(holders, set(holders))]

    @srcaudit.hookimpl
    def srcaudit_measure_corpus(self, corpus):
        openers = _openers((d.path, line) for d, line in corpus.facts("opening"))
        return {path: {"same_opening": len(holders) - 1} for holders in openers.values() for path in holders}

    @srcaudit.hookimpl
    def srcaudit_corpus_state(self, corpus):
        return {d.path: line for d, line in corpus.facts("opening")}

    @srcaudit.hookimpl
    def srcaudit_update_corpus(self, corpus, change):
        self.changes.append((change.changed, change.removed))
        if self.answer == "none":
            return None
        if self.answer == "raise":
            raise RuntimeError("update broke")
        if self.answer == "wrong type":
            return {"not": "an update"}
        lines = {path: line for path, line in change.state.items() if path not in change.removed}
        new = {d.path: line for d, line in corpus.subset(change.changed).facts("opening")}
        touched = {change.state[p] for p in change.changed | change.removed if p in change.state} | set(new.values())
        lines.update(new)
        openers = _openers((path, line) for path, line in sorted(lines.items()) if line in touched)
        affected = {path for holders in openers.values() for path in holders}
        findings = [f for holders in openers.values() for f in _findings(holders, affected)]
        if self.answer == "stray finding":
            findings.append(Finding("TST901", "stray", "not-affected.txt", Region(1, 1, 1, 2), anchor="x"))
        measures = {path: {"same_opening": len(holders) - 1} for holders in openers.values() for path in holders}
        return CorpusUpdate(frozenset(affected), findings, measures)


def _openers(documents):
    openers: dict[str, list[str]] = {}
    for path, line in documents:
        openers.setdefault(line, []).append(path)
    return openers


def _findings(holders: list[str], wanted: set[str]) -> list[Finding]:
    first = holders[0]
    return [Finding("TST901", f"opens like {os.path.basename(first)} and {len(holders) - 1} more", path,
                    Region(1, 1, 1, 2), related=(RelatedLocation(first, Region(1, 1, 1, 2), "first"),),
                    anchor="opening")
            for path in holders[1:] if path in wanted]


def _session(root: Path, plugin: SharedOpening):
    manager, errors = create_plugin_manager()
    assert errors == []
    manager.register(plugin, name="shared_opening")
    return open_session(None, root, manager=manager)


def _check(root: Path, plugin: SharedOpening, cache: bool = True, select: str = "TST901,BOI") -> tuple[str, DocumentCache | None]:
    session = _session(root, plugin)
    store = DocumentCache(root / "cache") if cache else None
    try:
        report = run_check(session, CheckOptions(paths=[str(root / "docs")], select=select.split(","), jobs=1),
                           cache=store)
    finally:
        if store is not None:
            store.close()
    return session.reporters["json"].render(report), store


TEMPLATE = "Sign up for our morning newsletter and never miss a story from the harbour desk."


def _document(rng: random.Random, index: int) -> str:
    opening = rng.choice(["Harbour budget approved", "Pier works begin", "Ferry fares rise", f"Note {index}"])
    body = [f"Paragraph {index} of a short local story about the harbour, with some detail number {rng.randint(1, 9)}."]
    if rng.random() < 0.6:
        body.append(TEMPLATE)
    if rng.random() < 0.3:
        body.append("Read the full council minutes on the town website before the next public meeting.")
    return opening + "\n\n" + "\n\n".join(body) + "\n"


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    rng = random.Random(7)
    return write_files(tmp_path, {f"docs/d{i:02}.txt": _document(rng, i) for i in range(12)})


def test_a_full_reduce_leaves_a_base_and_an_unchanged_corpus_is_updated_from_it(tree: Path) -> None:
    plugin = SharedOpening()
    cold, _ = _check(tree, plugin)
    assert plugin.full_runs == 1 and list((tree / "cache").glob(f"{BASE_PREFIX}*.pickle"))
    warm, store = _check(tree, plugin)
    assert warm == cold
    assert plugin.full_runs == 1 and plugin.changes == [(frozenset(), frozenset())]
    assert store is not None and "corpus rules updated: " in store.stats.describe()
    assert "shared_opening" in store.stats.updated and store.stats.rebased == []


def test_an_update_reads_only_the_facts_it_asks_for(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plugin = SharedOpening()
    _check(tree, plugin, select="TST901")
    loaded: list[str] = []
    original = DocumentCache.load_facts

    def spy(self, wanted):
        loaded.extend(path for _, path in wanted)
        return original(self, wanted)

    monkeypatch.setattr(DocumentCache, "load_facts", spy)
    changed = tree / "docs" / "d03.txt"
    _, body = changed.read_text(encoding="utf-8").split("\n", 1)
    changed.write_text("A new opening line\n" + body, encoding="utf-8")  # the same template lines
    warm, _ = _check(tree, plugin, select="TST901")
    # Nobody else's results depend on the new line; the changed file's facts are in memory.
    assert loaded == []
    assert plugin.changes[-1] == (frozenset({str(changed)}), frozenset())
    assert warm == _check(tree, SharedOpening(), cache=False, select="TST901")[0]


@pytest.mark.parametrize("seed", range(6))
def test_random_edits_give_what_a_full_reduce_gives(tree: Path, seed: int) -> None:
    """Edits, additions and removals over several warm runs against one base; the built-in
    boilerplate plugin's template measures are updated too (BOI selected)."""
    rng = random.Random(seed)
    plugin = SharedOpening()
    _check(tree, plugin)
    for step in range(4):
        paths = sorted((tree / "docs").glob("*.txt"))
        edit = rng.choice(["change", "change", "add", "remove"])
        if edit == "remove" and len(paths) > 4:
            rng.choice(paths).unlink()
        elif edit == "add":
            (tree / "docs" / f"new{seed}{step}.txt").write_text(_document(rng, 50 + step), encoding="utf-8")
        else:
            rng.choice(paths).write_text(_document(rng, 70 + step), encoding="utf-8")
        warm, _ = _check(tree, plugin)
        assert warm == _check(tree, SharedOpening(), cache=False)[0], f"step {step}: {edit}"
    assert plugin.full_runs == 1  # every warm run was an update


def test_a_plugin_that_declines_runs_in_full_and_leaves_a_new_base(tree: Path) -> None:
    plugin = SharedOpening()
    _check(tree, plugin)
    plugin.answer = "none"
    (tree / "docs" / "d01.txt").write_text("Ferry fares rise\n\nA different story.\n", encoding="utf-8")
    warm, _ = _check(tree, plugin)
    assert plugin.full_runs == 2 and warm == _check(tree, SharedOpening(), cache=False)[0]
    plugin.answer = "update"
    _check(tree, plugin)
    assert plugin.changes[-1] == (frozenset(), frozenset())  # the new base has the edit


@pytest.mark.parametrize(("answer", "said"), [("raise", "update broke"), ("wrong type", "not a CorpusUpdate")])
def test_a_raising_or_wrong_update_is_an_error_and_the_plugin_runs_in_full(tree: Path, answer: str,
                                                                          said: str) -> None:
    plugin = SharedOpening()
    cold, _ = _check(tree, plugin)
    plugin.answer = answer
    report = _report(tree, plugin, cached=True)
    [problem] = [p for p in report.problems if p.level == "error"]
    assert said in problem.message and problem.plugin == "shared_opening"
    assert plugin.full_runs == 2
    assert [f.message for f in report.findings] == [f.message for f in _report(tree, SharedOpening()).findings]


def test_a_finding_outside_the_affected_documents_is_refused(tree: Path) -> None:
    plugin = SharedOpening()
    _check(tree, plugin)
    plugin.answer = "stray finding"
    report = _report(tree, plugin, cached=True)
    assert any("did not name as affected" in p.message for p in report.problems)
    assert "stray" not in {f.message for f in report.findings}


def test_too_large_a_change_runs_in_full(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from srcaudit import incremental

    monkeypatch.setattr(incremental, "MIN_CHANGED_LIMIT", 1)
    plugin = SharedOpening()
    _check(tree, plugin)
    for name in ("d01.txt", "d02.txt"):
        (tree / "docs" / name).write_text(f"Opening of {name}\n\nBody text of this document.\n", encoding="utf-8")
    warm, _ = _check(tree, plugin)
    assert plugin.changes == [] and plugin.full_runs == 2
    assert warm == _check(tree, SharedOpening(), cache=False)[0]


def test_a_damaged_base_is_a_notice_and_a_full_reduce(tree: Path) -> None:
    plugin = SharedOpening()
    cold, _ = _check(tree, plugin)
    [base] = (tree / "cache").glob(f"{BASE_PREFIX}*.pickle")
    data = bytearray(base.read_bytes())
    data[-5] ^= 0xFF
    base.write_bytes(bytes(data))
    warm, store = _check(tree, plugin)
    assert plugin.full_runs == 2
    assert [json.loads(warm)[part] for part in ("findings", "documents")] == \
           [json.loads(cold)[part] for part in ("findings", "documents")]
    assert store is not None and any("damaged reduce state" in p.message for p in store.stats.problems)


def test_damaged_stored_facts_are_mapped_again(tree: Path) -> None:
    import sqlite3

    plugin = SharedOpening()
    _check(tree, plugin)
    [base] = (tree / "cache").glob(f"{BASE_PREFIX}*.pickle")
    base.unlink()  # the next run reduces in full, reading every document's stored facts
    with sqlite3.connect(tree / "cache" / "documents.sqlite") as connection:
        connection.execute("UPDATE entries SET facts = substr(facts, 1, length(facts) - 3)")  # truncated blobs
    warm, _ = _check(tree, plugin)
    assert warm == _check(tree, SharedOpening(), cache=False)[0]


def _report(root: Path, plugin: SharedOpening, cached: bool = False):
    store = DocumentCache(root / "cache") if cached else None
    try:
        return run_check(_session(root, plugin), CheckOptions(paths=[str(root / "docs")], select=["TST901", "BOI"],
                                                               jobs=1), cache=store)
    finally:
        if store is not None:
            store.close()
