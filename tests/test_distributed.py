"""The Dask executor (``--executor dask...``): same bytes as the built-in pool.

The map phase runs as a Dask bag over partitions of the files; the reduce phase and the
reports are the engine's own, so every output must be byte-identical to a local run.
Fixtures are short invented news paragraphs with planted cross-file copies.
"""

from __future__ import annotations

import json
import sys
from importlib.util import find_spec
from pathlib import Path

import pytest

from conftest import run_cli, write_files
from srcaudit import distributed
from srcaudit.distributed import ExecutorError, mapper_for, partition_count

needs_dask = pytest.mark.skipif(find_spec("dask") is None,
                                reason="Dask is not installed (pip install 'srcaudit[dask]')")
needs_distributed = pytest.mark.skipif(find_spec("dask") is None or find_spec("distributed") is None,
                                       reason="dask.distributed is not installed (pip install 'srcaudit[dask]')")

P = [
    ("The county library will stay open until ten at night during the exam season, after students "
     "petitioned the board for more quiet space to revise in the evenings."),
    ("Librarians said the longer hours would be staffed by volunteers from the reading club, who have "
     "agreed to cover two evenings a week until the end of June."),
    ("The board estimated that heating and lighting the building for the extra hours would cost about "
     "four thousand pounds, to be taken from the maintenance reserve."),
    ("A new cycle lane along the canal towpath opened on Saturday, linking the station with the science "
     "park and removing the need to ride along the busy ring road."),
    ("Engineers resurfaced almost three kilometres of path and fitted solar studs so that riders can see "
     "the edge of the water after dark."),
    ("Allotment holders on the west side of town have been told to expect a rise in their annual fees, "
     "the first increase in six years."),
]


def _doc(title: str, *paragraphs: str) -> str:
    return title + "\n\n" + "\n\n".join(paragraphs) + "\n"


def planted_corpus(root: Path) -> Path:
    """Documents sharing paragraphs exactly and nearly, one near-copy of a whole document,
    an unrelated one, and files that are skipped with a problem (empty, binary)."""
    edited = P[2].replace("about four thousand", "roughly four thousand").replace("taken from", "paid from")
    return write_files(root, {
        "rules.toml": 'select = ["ALL"]\n',
        "local/library.txt": _doc("Library extends opening hours", P[0], P[1], P[2]),
        "wire/library-copy.txt": _doc("Evening hours for county library", P[0], P[1], edited),
        "wire/library-excerpt.md": _doc("Exam season", "Students welcomed the decision on Tuesday.", P[1]),
        "local/cycling.txt": _doc("Towpath cycle lane opens", P[3], P[4]),
        "local/allotments.txt": _doc("Allotment fees to rise", P[5]),
        "empty.txt": "",
        "image.txt": b"\x89PNG\r\n\x1a\n\x00\x00",
    })


def report(root: Path, *args: str) -> tuple[int, str, str]:
    result = run_cli("check", "--format", "json", "--no-cache", *args, ".", cwd=root)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def planted(tmp_path_factory) -> tuple[Path, tuple[int, str, str]]:
    """The corpus and its report from the built-in engine in one process."""
    root = planted_corpus(tmp_path_factory.mktemp("planted"))
    return root, report(root, "--jobs", "1")


def test_reference_run_has_cross_file_findings(planted):
    """Guards the comparisons below: the corpus must exercise the reduce phase."""
    _, (status, stdout, _) = planted
    payload = json.loads(stdout)
    codes = {f["code"] for f in payload["findings"]}
    assert status == 1 and {"DUP002", "DUP004"} <= codes
    cross = [f for f in payload["findings"] if f["code"] == "DUP002"]
    assert any(r["path"].startswith("local/") for f in cross for r in f["related"])
    assert payload["problems"]  # the empty and binary files


@needs_dask
@pytest.mark.parametrize("executor,jobs", [("dask:synchronous", "1"), ("dask:threads", "2"), ("dask", "2")])
def test_dask_local_schedulers_give_identical_bytes(planted, executor, jobs):
    root, reference = planted
    assert report(root, "--executor", executor, "--jobs", jobs) == reference


@needs_dask
def test_environment_variable_chooses_the_executor(planted, monkeypatch):
    root, reference = planted
    seen = []
    original = distributed.DaskMapper.__call__

    def spy(self, sources, settings, manager):
        seen.append((self.scheduler, len(sources)))
        return original(self, sources, settings, manager)

    monkeypatch.setattr(distributed.DaskMapper, "__call__", spy)
    monkeypatch.setenv("SRCAUDIT_EXECUTOR", "dask:synchronous")
    assert report(root, "--jobs", "1") == reference
    assert seen == [("synchronous", 7)]  # every discovered file, the skipped ones too


@needs_dask
def test_cache_from_a_dask_run_serves_a_pool_run(tmp_path, planted):
    """Outcomes mapped on Dask are stored in the cache like the pool's and reused as they are."""
    root, (_, expected, _) = planted
    cache = str(tmp_path / "cache")
    first = run_cli("check", "-f", "json", "--executor", "dask:synchronous", "--cache-dir", cache, ".", cwd=root)
    second = run_cli("check", "-f", "json", "--jobs", "1", "--debug", "--cache-dir", cache, ".", cwd=root)
    assert first.stdout == second.stdout == expected
    assert "7 reused, 0 computed" in second.stderr


@needs_distributed
def test_cluster_address_with_a_separate_worker_process(planted):
    """A real scheduler and a spawned worker on the loopback interface: the worker builds
    its own plugin manager and unpickles the settings, as a remote machine would."""
    from distributed import LocalCluster

    root, reference = planted
    with LocalCluster(n_workers=1, threads_per_worker=2, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster:
        assert report(root, "--executor", f"dask:{cluster.scheduler_address}") == reference


@needs_distributed
def test_unreachable_scheduler_is_a_clear_error(tmp_path):
    import dask

    root = write_files(tmp_path, {"a.txt": _doc("Title", P[0])})
    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):  # refused at once on loopback
        result = run_cli("check", "--no-cache", "--executor", "dask:tcp://127.0.0.1:1", ".", cwd=root)
    assert result.exit_code == 2
    assert "srcaudit: error: cannot reach the Dask scheduler tcp://127.0.0.1:1" in result.stderr


@needs_dask
def test_worker_without_the_runs_plugins_fails_clearly():
    with pytest.raises(ExecutorError, match="missing: \\['not-installed-plugin'\\]"):
        distributed._worker_manager((), ("duplicates", "not-installed-plugin"))


def test_without_dask_the_error_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "dask.bag", None)  # import fails as when not installed
    root = write_files(tmp_path, {"a.txt": _doc("Title", P[0])})
    result = run_cli("check", "--executor", "dask", ".", cwd=root)
    assert result.exit_code == 2
    assert "pip install 'srcaudit[dask]'" in result.output


@pytest.mark.parametrize("spec", ["spark", "dask:fastest", "ray:local"])
def test_unknown_executor_is_a_usage_error(tmp_path, spec):
    result = run_cli("check", "--executor", spec, ".", cwd=tmp_path)
    assert result.exit_code == 2 and "--executor" in result.output


def test_pool_is_the_default_and_needs_no_dask():
    assert mapper_for(None, 2) is None and mapper_for("pool", 2) is None


@needs_dask
def test_scheduler_names_and_addresses_are_parsed():
    assert mapper_for("dask", 3) == distributed.DaskMapper("processes", 3)
    assert mapper_for("dask:sync", 3) == distributed.DaskMapper("synchronous", 3)
    if find_spec("distributed") is not None:
        assert mapper_for("dask:tcp://10.1.2.3:8786", 3).scheduler == "tcp://10.1.2.3:8786"
    with pytest.raises(ExecutorError):
        mapper_for("dask:quick", 3)


def test_partitions_keep_every_slot_busy_and_tasks_small():
    assert partition_count(0, 4) == 1
    assert partition_count(3, 8) == 3           # never more partitions than files
    assert partition_count(2_225, 2) == 8       # four per slot
    assert partition_count(100_000_000, 64) == 100_000  # at most MAX_PARTITION files each
