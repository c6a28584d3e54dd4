"""srcaudit_prepare: called once in the main process before the pool forks, inherited by the workers."""

from __future__ import annotations

import os
import sys

import pytest

from conftest import write_files
from robustness_support import GOOD, audit, write_plugin
from srcaudit import engine

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="workers inherit prepared data only when forked")

# A plugin that records, per document, the process that prepared it (None: never prepared).
_PREPARING = '''
import os
import srcaudit

PREPARED = {"by": None, "calls": 0}

@srcaudit.hookimpl
def srcaudit_prepare(rules):
    PREPARED["by"] = os.getpid()
    PREPARED["calls"] += 1

@srcaudit.hookimpl
def srcaudit_measure_document(document):
    return {"prepared_by": PREPARED["by"], "prepare_calls": PREPARED["calls"], "mapped_by": os.getpid()}
'''

_NAMES = [f"doc{n:02}.txt" for n in range(6)]


def _corpus(tmp_path, module: str):
    return write_files(tmp_path / "corpus", {**{name: GOOD for name in _NAMES},
                                             "rules.toml": f'plugins = ["{module}"]\n'})


def test_workers_inherit_what_the_main_process_prepared(tmp_path, monkeypatch):
    write_plugin(tmp_path / "site", "preparing", _PREPARING, monkeypatch)
    monkeypatch.setattr(engine, "POOL_MIN_FILES", 2)
    run = audit(_corpus(tmp_path, "preparing"), ".", "--select", "DUP003", "--jobs", "2")
    assert run.exit_code == 0 and not run.problems()  # DUP003 is info: below the fail level
    documents = run.payload["documents"]
    assert sorted(d["path"] for d in documents) == _NAMES
    assert {d["prepared_by"] for d in documents} == {os.getpid()}  # this process, once
    assert {d["prepare_calls"] for d in documents} == {1}
    assert os.getpid() not in {d["mapped_by"] for d in documents}  # mapped in workers


def test_not_called_without_a_pool(tmp_path, monkeypatch):
    """The plugin must load lazily anyway: --jobs 1 (or a cached run) does not prepare."""
    write_plugin(tmp_path / "site", "preparing", _PREPARING, monkeypatch)
    run = audit(_corpus(tmp_path, "preparing"), ".", "--select", "DUP003", "--jobs", "1")
    assert {d["prepared_by"] for d in run.payload["documents"]} == {None}


def test_a_raising_prepare_is_an_error_and_the_run_goes_on(tmp_path, monkeypatch):
    write_plugin(tmp_path / "site", "bad_prepare", '''
import srcaudit

@srcaudit.hookimpl
def srcaudit_prepare(rules):
    raise RuntimeError("no dictionary")
''', monkeypatch)
    monkeypatch.setattr(engine, "POOL_MIN_FILES", 2)
    run = audit(_corpus(tmp_path, "bad_prepare"), ".", "--select", "DUP003", "--jobs", "2")
    assert run.exit_code == 2
    [problem] = run.problems("error")
    assert problem["plugin"] == "bad_prepare" and problem["path"] is None
    assert problem["message"] == "plugin 'bad_prepare' raised RuntimeError: no dictionary while preparing the corpus"
    assert sorted(run.audited()) == _NAMES
    assert len([f for f in run.payload["findings"] if f["code"] == "DUP003"]) == len(_NAMES)
