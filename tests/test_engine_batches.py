"""The map phase runs plugin by plugin over batches of documents, with the results of one at a time."""

from __future__ import annotations

from pathlib import Path

import pluggy
import pytest

import srcaudit
from srcaudit import engine, hookspecs
from srcaudit.api import ActiveRules, Finding, Rule, Severity
from srcaudit.discovery import SourceFile


class _Recorder:
    """A plugin that records every call it gets and fails on one chosen document."""

    def __init__(self, name: str, fail_on: str | None = None, log: list[tuple[str, str, str]] | None = None) -> None:
        self.name = name
        self.fail_on = fail_on
        self.calls: list[tuple[str, str]] = []
        self.log = [] if log is None else log  # (plugin, hook, path), shared between plugins

    def _called(self, hook: str, path: str) -> None:
        self.calls.append((hook, path))
        self.log.append((self.name, hook, path))

    @srcaudit.hookimpl
    def srcaudit_rules(self) -> list[Rule]:
        return [Rule(code=f"{self.name.upper()}001", name=self.name, summary="test rule", severity=Severity.INFO,
                     documentation="## What it does\nCounts lines.")]

    @srcaudit.hookimpl
    def srcaudit_check_document(self, document, rules):
        self._called("check", document.path)
        if document.path == self.fail_on:
            raise RuntimeError("boom")
        return [Finding(f"{self.name.upper()}001", f"{self.name} saw {len(document.lines)} lines", document.path,
                        document.line_region(1))]

    @srcaudit.hookimpl
    def srcaudit_measure_document(self, document, rules):
        self._called("measure", document.path)
        return {f"{self.name}_lines": len(document.lines)}

    @srcaudit.hookimpl
    def srcaudit_extract_facts(self, document, rules):
        self._called("facts", document.path)
        return {self.name: document.path}


def _manager(*plugins: _Recorder) -> pluggy.PluginManager:
    manager = pluggy.PluginManager("srcaudit")
    manager.add_hookspecs(hookspecs)
    for plugin in plugins:
        manager.register(plugin, name=plugin.name)
    return manager


def _sources(tmp_path: Path, count: int) -> list[SourceFile]:
    sources = []
    for number in range(count):
        path = tmp_path / f"{number:02d}.txt"
        path.write_text("A line of text.\n" * (number % 3 + 1) if number != 4 else "", encoding="utf-8")
        sources.append(SourceFile(path.name, path))
    return sources


def _settings(manager: pluggy.PluginManager) -> engine.RunSettings:
    codes = {rule.code: {} for rules in manager.hook.srcaudit_rules() for rule in rules}
    return engine.RunSettings(ActiveRules(codes))


def _plain(outcome: engine.DocumentOutcome) -> tuple:
    return (outcome.source.display, [(f.code, f.message, f.anchor) for f in outcome.findings],
            [(p.level, p.message.split(" while ")[0], p.path, p.plugin) for p in outcome.problems],
            dict(outcome.summary.measures) if outcome.summary else None,
            dict(outcome.facts.facts) if outcome.facts else None)


def test_batched_map_gives_the_outcomes_of_one_document_at_a_time(tmp_path, monkeypatch):
    monkeypatch.setattr(engine, "BATCH_DOCUMENTS", 4)
    sources = _sources(tmp_path, 10)  # 02.txt ... one empty file (04.txt), skipped with a notice
    first, second = _Recorder("alpha", fail_on="07.txt"), _Recorder("beta")
    manager = _manager(first, second)
    settings = _settings(manager)
    batched = [_plain(outcome) for outcome in engine.map_documents(sources, settings, manager)]
    alone = [_plain(engine.map_document(source, settings, manager)) for source in sources]
    assert batched == alone
    failed = batched[7]
    assert [p[3] for p in failed[2]] == ["alpha"]  # only the failing plugin, only on its document
    assert [f[0] for f in failed[1]] == ["BETA001"]
    assert batched[4][1] == [] and "empty file" in batched[4][2][0][1]


def test_a_plugin_runs_over_the_whole_batch_with_its_hooks_back_to_back(tmp_path, monkeypatch):
    monkeypatch.setattr(engine, "BATCH_DOCUMENTS", 3)
    sources = [s for s in _sources(tmp_path, 6) if s.display != "04.txt"]
    log: list[tuple[str, str, str]] = []
    first, second = _Recorder("alpha", log=log), _Recorder("beta", log=log)
    manager = _manager(first, second)
    list(engine.map_documents(sources, _settings(manager), manager))
    batch = ["00.txt", "01.txt", "02.txt"]
    # one plugin over the whole batch, then the next; each document's three hooks in a row
    # (what once_per_document memos rely on)
    one_plugin = [(hook, path) for path in batch for hook in ("check", "measure", "facts")]
    leading = log[0][0]  # pluggy's order: the plugin registered last comes first
    trailing = "alpha" if leading == "beta" else "beta"
    assert log[:18] == [(leading, *call) for call in one_plugin] + [(trailing, *call) for call in one_plugin]
    assert len(first.calls) == len(second.calls) == 15


def test_a_large_file_closes_its_batch(tmp_path, monkeypatch):
    monkeypatch.setattr(engine, "BATCH_CHARS", 40)
    sources = _sources(tmp_path, 4)
    plugin = _Recorder("alpha")
    manager = _manager(plugin)
    outcomes = engine.map_documents(sources, _settings(manager), manager)
    next(outcomes)  # 00.txt has 16 characters, 01.txt 32: together over the limit, a batch of two
    assert [path for hook, path in plugin.calls if hook == "check"] == ["00.txt", "01.txt"]


@pytest.mark.parametrize("count, jobs", [(0, 2), (3, 2), (100, 2), (2226, 2), (1000, 4)])
def test_pool_chunks_cover_every_file_in_order_and_shrink_towards_the_end(count, jobs):
    sources = list(range(count))
    chunks = engine._chunks(sources, jobs)  # type: ignore[arg-type]
    assert [item for chunk in chunks for item in chunk] == sources
    sizes = [len(chunk) for chunk in chunks]
    assert all(size <= engine.BATCH_DOCUMENTS for size in sizes)
    assert all(size >= engine.MIN_CHUNK for size in sizes[:-1])
    assert sizes == sorted(sizes, reverse=True)  # the last chunks are the shortest
    if count >= 2000:
        assert sizes[0] == engine.BATCH_DOCUMENTS and sizes[-2] <= 2 * engine.MIN_CHUNK


def test_worker_chunks_pickle_each_outcome_alone(tmp_path):
    sources = _sources(tmp_path, 3)
    plugin = _Recorder("alpha")
    manager = _manager(plugin)
    engine._worker_manager, engine._worker_settings = manager, _settings(manager)
    try:
        pickled = engine._map_chunk_in_worker(sources)
    finally:
        engine._worker_manager = engine._worker_settings = None
    outcomes = [engine._unpickled_outcome(item, source) for item, source in zip(pickled, sources, strict=True)]
    assert [o.summary.path for o in outcomes] == ["00.txt", "01.txt", "02.txt"]
