"""The run pauses the cyclic collector; forked children get it back, pool workers collect in batches."""

from __future__ import annotations

import gc
import multiprocessing
import sys
import weakref
from pathlib import Path

import pluggy
import pytest

from srcaudit import engine, hookspecs
from srcaudit.discovery import SourceFile
from srcaudit.gcpause import BatchCollector, collector_paused
from srcaudit.report import Problem


def _report_collector(queue) -> None:
    queue.put(gc.isenabled())


def test_collector_is_off_inside_and_back_on_after():
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():  # nested: still off, and the outer block decides
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_collector_comes_back_after_an_error():
    with pytest.raises(RuntimeError), collector_paused():
        raise RuntimeError("boom")
    assert gc.isenabled()


def test_a_disabled_collector_stays_disabled():
    gc.disable()
    try:
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


@pytest.mark.skipif(sys.platform == "win32", reason="no fork on Windows")
def test_forked_workers_collect():
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    with collector_paused():
        process = context.Process(target=_report_collector, args=(queue,))
        process.start()
        enabled_in_child = queue.get(timeout=30)
        process.join(timeout=30)
    assert enabled_in_child is True


class _Node:
    """An object in a reference cycle: only the cyclic collector frees it."""

    def __init__(self) -> None:
        self.myself = self


def test_batch_collector_collects_cycles_every_n_documents():
    collector = BatchCollector(every=3)
    collector.start()
    try:
        assert not gc.isenabled()
        cycle = weakref.ref(_Node())
        collector.document_done()
        collector.document_done()
        assert cycle() is not None  # nothing collected automatically
        collector.document_done()
        assert cycle() is None  # the third document triggered a collection
    finally:
        gc.enable()


def _collector_state(sources, settings, manager, trial_pickle):
    for source in sources:
        yield engine.DocumentOutcome(source, problems=[Problem("notice", f"collector on: {gc.isenabled()}")]), {}


@pytest.mark.skipif(sys.platform == "win32", reason="no fork on Windows")
def test_pool_workers_map_with_the_collector_off(monkeypatch, tmp_path):
    monkeypatch.setattr(engine, "_map_many", _collector_state)  # forked workers see the patch
    sources = [SourceFile(f"{n}.txt", Path(tmp_path, f"{n}.txt")) for n in range(8)]
    settings = engine.RunSettings(rules=None)  # type: ignore[arg-type]  # unused by the stand-in
    manager = pluggy.PluginManager("srcaudit")  # no plugins: nothing to prepare
    manager.add_hookspecs(hookspecs)
    outcomes = engine._map_sources(sources, settings, manager, jobs=2, pool_min_files=1, progress=None)
    assert {outcome.problems[0].message for outcome in outcomes} == {"collector on: False"}
    assert gc.isenabled()  # the parent's collector is untouched


_EXIT_SCRIPT = """
import gc, sys
from srcaudit.gcpause import freeze_at_exit

class Noisy:
    def __del__(self):
        sys.stdout.write("collected at exit\\n")

node = Noisy()
node.myself = node  # a cycle: only a collection frees it
del node
gc.disable()  # no automatic collection before exit: only the interpreter's final one
if sys.argv[1] == "freeze":
    freeze_at_exit()
    freeze_at_exit()  # registered once
"""


@pytest.mark.parametrize(("mode", "expected"), [("plain", "collected at exit\n"), ("freeze", "")])
def test_freeze_at_exit_skips_the_final_collection(mode, expected):
    import subprocess

    result = subprocess.run([sys.executable, "-c", _EXIT_SCRIPT, mode], capture_output=True, text=True, check=True)
    assert result.stdout == expected


def test_objects_made_while_paused_do_not_wait_in_the_youngest_generation():
    # Otherwise the first allocation after the pause starts a collection over all of them.
    gc.collect()
    with collector_paused():
        kept = [(i, [i]) for i in range(50_000)]
    assert gc.isenabled()
    assert any(item is kept for item in gc.get_objects(generation=2))  # moved there unscanned
