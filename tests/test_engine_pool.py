"""The process pool: output is byte-identical whatever ``--jobs`` is, and the pool really runs."""

from __future__ import annotations

import random
from concurrent.futures import ProcessPoolExecutor

import pytest

from conftest import run_cli, write_files
from srcaudit import engine

_SUBJECTS = [
    "The council", "A local charity", "The port authority", "Two residents", "The mayor's office",
    "A rail union",
]
_VERBS = ["approved", "questioned", "delayed", "announced", "criticised", "welcomed", "reviewed"]
_OBJECTS = [
    "a plan for new cycle lanes", "the budget for the library", "repairs to the old pier",
    "a study of river pollution", "longer opening hours", "the sale of the market hall",
]
_TAILS = [
    "on Tuesday evening", "after a long debate", "despite objections from traders",
    "in a statement to reporters", "for the third time this year",
    "ahead of the spring elections",
]


def _paragraph(rng: random.Random) -> str:
    sentences = [f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)} {rng.choice(_TAILS)}."
                 for _ in range(rng.randint(2, 4))]
    return " ".join(sentences)


def _corpus(count: int, seed: int = 7) -> dict[str, str]:
    """``count`` invented articles; every fifth one copies paragraphs of an earlier one."""
    rng = random.Random(seed)
    files: dict[str, str] = {}
    bodies: list[list[str]] = []
    for number in range(count):
        body = [_paragraph(rng) for _ in range(rng.randint(3, 6))]
        if number % 5 == 4:
            body[1:3] = bodies[rng.randrange(len(bodies))][:2]
        if number % 11 == 0:
            body.append(body[0])  # a repeat within the document
        bodies.append(body)
        files[f"news/{number:03d}.txt"] = f"Headline number {number}\n\n" + "\n\n".join(body) + "\n"
    return files


class _CountingPool(ProcessPoolExecutor):
    started = 0

    def __init__(self, *args, **kwargs):
        type(self).started += 1
        super().__init__(*args, **kwargs)


@pytest.mark.parametrize("output_format", ["text", "json"])
def test_jobs_1_and_2_give_byte_identical_output(tmp_path, monkeypatch, output_format):
    files = _corpus(engine.POOL_MIN_FILES + 6)  # enough files for the pool at its default threshold
    write_files(tmp_path, files)
    monkeypatch.setattr(engine, "ProcessPoolExecutor", _CountingPool)
    _CountingPool.started = 0
    # --no-cache: the second run must map the documents again, not reuse the first run's results.
    serial = run_cli("check", "--format", output_format, "--jobs", "1", "--no-cache", "news", cwd=tmp_path)
    assert _CountingPool.started == 0
    parallel = run_cli("check", "--format", output_format, "--jobs", "2", "--no-cache", "news", cwd=tmp_path)
    assert _CountingPool.started == 1
    assert serial.exit_code == parallel.exit_code == 1
    assert "DUP002" in serial.stdout and "DUP001" in serial.stdout
    assert serial.stdout == parallel.stdout


def test_repeated_runs_give_the_same_output(tmp_path):
    write_files(tmp_path, _corpus(20))
    first = run_cli("check", "--format", "json", "--jobs", "2", "news", cwd=tmp_path)
    second = run_cli("check", "--format", "json", "--jobs", "2", "news", cwd=tmp_path)
    assert first.stdout == second.stdout


def test_pool_threshold_is_configurable(tmp_path, monkeypatch):
    write_files(tmp_path, _corpus(6))
    monkeypatch.setattr(engine, "ProcessPoolExecutor", _CountingPool)
    monkeypatch.setattr(engine, "POOL_MIN_FILES", 2)
    _CountingPool.started = 0
    parallel = run_cli("check", "--jobs", "2", "news", cwd=tmp_path)
    assert _CountingPool.started == 1
    monkeypatch.setattr(engine, "POOL_MIN_FILES", 64)
    serial = run_cli("check", "--jobs", "2", "news", cwd=tmp_path)
    assert _CountingPool.started == 1  # too few files: mapped in this process
    assert parallel.stdout == serial.stdout


def test_fact_compactor_shares_strings_and_stores_long_integer_lists_as_arrays():
    import numpy as np

    from srcaudit.engine import FactCompactor

    compactor = FactCompactor()
    name = "".join(["Dana ", "Smith"])  # built at run time: not the same object as the literal below
    first = compactor.value({"people": [{"name": name, "region": [1, 2, 1, 12]}], "topic": list(range(40)),
                             "pair": ("a", 1), "big": [2**70] * 40, "mixed": [1] * 39 + ["x"]})
    second = compactor.value({"people": [{"name": "Dana Smith", "region": [3, 1, 3, 11]}]})
    assert first["people"][0]["name"] is second["people"][0]["name"] == "Dana Smith"
    assert isinstance(first["topic"], np.ndarray) and first["topic"].tolist() == list(range(40))
    assert first["people"][0]["region"] == [1, 2, 1, 12]  # short lists stay lists
    assert first["big"] == [2**70] * 40 and first["mixed"] == [1] * 39 + ["x"]  # cannot be arrays: unchanged
    assert first["pair"] == ("a", 1)


def test_a_worker_outcome_is_pickled_once_and_unpicklable_facts_are_the_plugins_problem(tmp_path):
    """Workers skip the trial pickling: pickling the outcome is the check, and only its failure
    looks at each plugin's facts alone."""
    from srcaudit.corpus import DocumentFacts
    from srcaudit.discovery import SourceFile

    source = SourceFile("a.txt", tmp_path / "a.txt")
    facts = DocumentFacts("a.txt", "hash", 3, {"good": [1, 2], "bad": (lambda: None), "also_good": "x"})
    outcome = engine.DocumentOutcome(source, facts=facts)
    restored = engine._unpickled_outcome(engine._pickled_outcome(outcome, {"p1": ["good"], "p2": ["bad", "also_good"]}),
                                         source)
    assert dict(restored.facts.facts) == {"good": [1, 2]}  # p2 loses all it returned, as map_document does
    [problem] = restored.problems
    assert problem.plugin == "p2" and problem.path == "a.txt" and "cannot be pickled" in problem.message

    fine = engine.DocumentOutcome(source, facts=DocumentFacts("a.txt", "hash", 3, {"good": [1, 2]}))
    again = engine._unpickled_outcome(engine._pickled_outcome(fine, {"p1": ["good"]}), source)
    assert dict(again.facts.facts) == {"good": [1, 2]} and not again.problems
