"""The content-hash cache: reuse exactly what is unchanged, survive damage, write nowhere else."""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from srcaudit import cache as cache_module
from srcaudit import hookimpl
from srcaudit.cache import DATABASE_NAME, DocumentCache, key_components
from srcaudit.check import CheckOptions, run_check
from srcaudit.discovery import discover
from srcaudit.engine import RunSettings, map_all
from srcaudit.plugins import create_plugin_manager
from srcaudit.rules import ActiveRules
from srcaudit.session import open_session

from conftest import run_cli, write_files

PARAGRAPH = ("The regional council approved a new budget for the harbour district on Tuesday evening, "
             "after a debate that lasted well into the night and drew a large crowd of residents.")
OTHER = ("Fishermen said the plan would make the old pier safer, while shop owners worried about "
         "months of building work on the only road into the village centre.")
CONFIG = 'select = ["DUP", "MET", "BOI", "RDB"]\n'


def _files(count: int = 3) -> dict[str, str]:
    files = {"rules.toml": CONFIG,
             "docs/a.txt": f"Harbour budget approved\n\n{PARAGRAPH}\n\n{OTHER}\n",
             "docs/b.txt": f"Council backs harbour plan\n\n{PARAGRAPH}\n\nA spokesman declined to comment.\n",
             "docs/c.md": f"# Pier works\n\n{OTHER}\n\n{OTHER}\n"}
    for index in range(3, count):
        files[f"docs/more/d{index}.txt"] = f"Item {index}\n\n{OTHER} Number {index}.\n"
    return files


def _run(root: Path, cache_dir: Path | None, *paths: str) -> tuple[str, DocumentCache | None]:
    """One check of ``paths`` under ``root`` (the current folder), as JSON, with its cache's counters."""
    os.chdir(root)
    session = open_session(None, Path(paths[0] if paths else "docs"))
    cache = DocumentCache(cache_dir) if cache_dir is not None else None
    try:
        report = run_check(session, CheckOptions(paths=list(paths or ["docs"]), jobs=1), cache=cache)
    finally:
        if cache is not None:
            cache.close()
    return session.reporters["json"].render(report), cache


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return write_files(tmp_path, _files())


def _counts(cache: DocumentCache | None) -> tuple[int, int]:
    assert cache is not None
    return cache.stats.hits, cache.stats.misses


def test_warm_run_reuses_everything_and_prints_the_same_bytes(tree: Path) -> None:
    cold, first = _run(tree, tree / "cache")
    warm, second = _run(tree, tree / "cache")
    assert _counts(first) == (0, 3) and first.stats.stored == 3
    assert _counts(second) == (3, 0) and second.stats.stored == 0
    assert warm == cold
    assert json.loads(cold)["findings"], "the fixture should produce findings, or the comparison says little"
    uncached, _ = _run(tree, None)
    assert uncached == cold


def test_cli_warm_run_is_byte_identical_and_debug_shows_counters(tree: Path) -> None:
    cold = run_cli("check", "docs", "--jobs", "1", "--debug", cwd=tree)
    warm = run_cli("check", "docs", "--jobs", "1", "--debug", cwd=tree)
    assert cold.stdout == warm.stdout and cold.exit_code == warm.exit_code
    assert "cache: 0 reused, 3 computed" in cold.stderr
    assert "cache: 3 reused, 0 computed" in warm.stderr
    assert (tree / ".srcaudit_cache" / ".gitignore").read_text().splitlines()[-1] == "*"


def test_changed_file_is_the_only_miss_and_its_old_entry_is_pruned(tree: Path) -> None:
    _run(tree, tree / "cache")
    (tree / "docs/b.txt").write_text(f"Council backs harbour plan\n\n{OTHER}\n", encoding="utf-8")
    changed, cache = _run(tree, tree / "cache")
    assert _counts(cache) == (2, 1) and cache.stats.pruned == 1
    assert changed == _run(tree, None)[0]
    assert _rows(tree / "cache") == 3


def test_changed_option_invalidates_everything(tree: Path) -> None:
    _run(tree, tree / "cache")
    (tree / "rules.toml").write_text(CONFIG + "[rules.DUP001]\nthreshold = 0.9\n", encoding="utf-8")
    _, cache = _run(tree, tree / "cache")
    assert _counts(cache) == (0, 3)
    _, again = _run(tree, tree / "cache")
    assert _counts(again) == (3, 0)


def test_changed_plugin_version_invalidates_everything(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _run(tree, tree / "cache")
    real_version = importlib.metadata.version
    monkeypatch.setattr(importlib.metadata, "version",
                        lambda name: "999.0" if name == "srcaudit" else real_version(name))
    _, cache = _run(tree, tree / "cache")
    assert _counts(cache) == (0, 3)


def test_key_names_each_plugin_with_its_distribution_version() -> None:
    session = open_session(None, None)
    components = key_components({"DUP001": {"threshold": 0.6}}, 1000, session.manager)
    plugins = {name: dist for name, _module, dist, _code in components["plugins"]}
    assert plugins["duplicates"] == f"srcaudit=={importlib.metadata.version('srcaudit')}"
    assert components["options"] == {"DUP001": {"threshold": 0.6}}


def test_entry_point_plugins_are_keyed_without_reading_every_package(monkeypatch: pytest.MonkeyPatch) -> None:
    # The entry point names its distribution; scanning all installed metadata is only the
    # fallback for plugins registered by module name.
    session = open_session(None, None)
    cache_module._installed_packages.cache_clear()

    def scan() -> None:
        raise AssertionError("read every installed package's metadata")
    monkeypatch.setattr(importlib.metadata, "packages_distributions", scan)
    plugins = {name: dist for name, _module, dist, _code in key_components({}, 1000, session.manager)["plugins"]}
    assert plugins["syndication"] == f"srcaudit=={importlib.metadata.version('srcaudit')}"
    monkeypatch.undo()
    cache_module._installed_packages.cache_clear()
    from srcaudit.plugins import create_plugin_manager
    by_module, errors = create_plugin_manager(["srcaudit_plugins.readability"], load_entry_points=False)
    assert errors == []
    plugins = {name: dist for name, _module, dist, _code in key_components({}, 1000, by_module)["plugins"]}
    assert plugins["srcaudit_plugins.readability"] == f"srcaudit=={importlib.metadata.version('srcaudit')}"


def test_changed_plugin_code_invalidates_everything(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An edited plugin keeps its version in an editable install: its code fingerprint changes."""
    _run(tree, tree / "cache")
    real = cache_module._code_fingerprint
    monkeypatch.setattr(cache_module, "_code_fingerprint", lambda module: real(module) + "edited")
    _, cache = _run(tree, tree / "cache")
    assert _counts(cache) == (0, 3)


def test_running_a_subset_keeps_the_other_entries(tree: Path) -> None:
    _run(tree, tree / "cache")
    _, subset = _run(tree, tree / "cache", "docs/a.txt")
    assert _counts(subset) == (1, 0) and subset.stats.pruned == 0
    _, full = _run(tree, tree / "cache")
    assert _counts(full) == (3, 0)


def test_deleted_files_are_pruned(tree: Path) -> None:
    _run(tree, tree / "cache")
    (tree / "docs/c.md").unlink()
    _, cache = _run(tree, tree / "cache", "docs/a.txt")
    assert cache.stats.pruned == 1 and _rows(tree / "cache") == 2


def test_damaged_entry_is_recomputed_not_trusted(tree: Path) -> None:
    cold, _ = _run(tree, tree / "cache")
    with sqlite3.connect(tree / "cache" / DATABASE_NAME) as connection:
        key, value = connection.execute("SELECT key, value FROM entries ORDER BY key LIMIT 1").fetchone()
        connection.execute("UPDATE entries SET value = ? WHERE key = ?", (value[:-7] + b"garbage", key))
    warm, cache = _run(tree, tree / "cache")
    assert _counts(cache) == (2, 1) and cache.stats.damaged == 1
    assert json.loads(warm)["findings"] == json.loads(cold)["findings"]
    assert any("damaged cache entry" in p["message"] for p in json.loads(warm)["problems"])
    _, healed = _run(tree, tree / "cache")
    assert _counts(healed) == (3, 0) and healed.stats.damaged == 0


def test_well_formed_but_wrong_entry_is_rejected(tree: Path) -> None:
    """A row whose checksum matches but which holds another document's outcome is not used."""
    _run(tree, tree / "cache")
    with sqlite3.connect(tree / "cache" / DATABASE_NAME) as connection:
        rows = connection.execute("SELECT key, checksum, value FROM entries ORDER BY file").fetchall()
        connection.execute("UPDATE entries SET checksum = ?, value = ? WHERE key = ?",
                           (rows[1][1], rows[1][2], rows[0][0]))
    _, cache = _run(tree, tree / "cache")
    assert cache.stats.damaged == 1 and _counts(cache) == (2, 1)


def test_damaged_database_is_set_aside_and_rebuilt(tree: Path) -> None:
    cold, _ = _run(tree, tree / "cache")
    database = tree / "cache" / DATABASE_NAME
    database.write_bytes(b"this is not a database" * 100)
    for suffix in ("-wal", "-shm"):
        database.with_name(DATABASE_NAME + suffix).unlink(missing_ok=True)
    warm, cache = _run(tree, tree / "cache")
    assert _counts(cache) == (0, 3) and cache.stats.stored == 3
    assert json.loads(warm)["findings"] == json.loads(cold)["findings"]
    assert [p["level"] for p in json.loads(warm)["problems"] if "cache" in p["message"]] == ["notice"]
    _, again = _run(tree, tree / "cache")
    assert _counts(again) == (3, 0)


def test_a_database_held_by_another_run_is_waited_for_never_set_aside(tree: Path, monkeypatch) -> None:
    """A lock is not damage: renaming a healthy database under another run broke that run."""
    database = tree / "cache" / DATABASE_NAME
    database.parent.mkdir()
    holder = sqlite3.connect(database, isolation_level=None)
    holder.execute("CREATE TABLE other (x)")
    holder.execute("BEGIN EXCLUSIVE")  # as a run that is creating the database or switching it to WAL
    monkeypatch.setattr(cache_module, "LOCK_WAIT_SECONDS", 0.3)
    try:
        output, cache = _run(tree, tree / "cache")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert json.loads(output)["findings"] == json.loads(_run(tree, None)[0])["findings"]
    assert [p.message for p in cache.stats.problems if "busy" in p.message]
    assert not any("damaged" in p.message for p in cache.stats.problems)
    assert database.is_file() and not database.with_name(DATABASE_NAME + ".damaged").exists()
    _, after = _run(tree, tree / "cache")  # once it is free, the cache works
    assert _counts(after) == (0, 3) and after.stats.stored == 3


def test_unwritable_cache_folder_does_not_stop_the_run(tree: Path) -> None:
    (tree / "blocker").write_text("a file where the cache folder should be", encoding="utf-8")
    output, cache = _run(tree, tree / "blocker" / "cache")
    assert json.loads(output)["findings"] == json.loads(_run(tree, None)[0])["findings"]
    assert any("running without the cache" in p.message for p in cache.stats.problems)


def test_pool_and_cache_give_the_same_outcomes(tmp_path: Path) -> None:

    root = write_files(tmp_path, _files(count=12))
    session = open_session(root / "rules.toml", None)
    sources, _ = discover([str(root / "docs")], session.config)
    active = {code: rule.default_options() for code, rule in session.rules.items()}
    plain = map_all(sources, RunSettings(ActiveRules(active)), session.manager, jobs=1)
    cold_cache = DocumentCache(tmp_path / "cache")
    pooled = map_all(sources, RunSettings(ActiveRules(active), cache=cold_cache), session.manager,
                     jobs=2, pool_min_files=1)
    warm_cache = DocumentCache(tmp_path / "cache")
    warm = map_all(sources, RunSettings(ActiveRules(active), cache=warm_cache), session.manager, jobs=1)
    for outcomes in (pooled, warm):
        assert [(o.source, o.findings, o.summary, o.problems) for o in outcomes] == \
               [(o.source, o.findings, o.summary, o.problems) for o in plain]
        assert [o.facts.path for o in outcomes] == [o.facts.path for o in plain]
    assert _counts(warm_cache) == (12, 0)


def test_concurrent_runs_do_not_corrupt_the_cache(tmp_path: Path) -> None:
    root = write_files(tmp_path, _files(count=40))
    command = [sys.executable, "-m", "srcaudit", "check", "docs", "--format", "json", "--jobs", "1",
               "--cache-dir", "shared-cache"]
    environment = {**os.environ, "CI": "1"}
    runs = [subprocess.Popen(command + ["--debug"], cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             env=environment) for _ in range(2)]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [1, 1], outputs[0][1].decode()
    assert outputs[0][0] == outputs[1][0]
    final = subprocess.run(command + ["--debug"], cwd=root, capture_output=True, env=environment, timeout=120)
    assert final.stdout == outputs[0][0]
    assert "cache: 40 reused, 0 computed, 0 stored, 0 damaged" in final.stderr.decode()


def test_no_cache_writes_nothing(tree: Path) -> None:
    before = _snapshot(tree)
    result = run_cli("check", "docs", "--no-cache", "--jobs", "1", cwd=tree)
    assert result.exit_code == 1
    assert _snapshot(tree) == before


def test_cache_sits_next_to_the_config_and_the_audited_files_are_untouched(tree: Path) -> None:
    before = _snapshot(tree / "docs")
    elsewhere = tree / "docs"
    run_cli("check", ".", "--jobs", "1", "--config", str(tree / "rules.toml"), cwd=elsewhere)
    run_cli("check", ".", "--jobs", "1", "--config", str(tree / "rules.toml"), cwd=elsewhere)
    assert (tree / ".srcaudit_cache" / DATABASE_NAME).is_file()
    assert _snapshot(tree / "docs") == before


def test_without_config_the_cache_goes_in_the_current_folder(tmp_path: Path) -> None:
    files = _files()
    del files["rules.toml"]
    root = write_files(tmp_path / "work", files)
    run_cli("check", "docs", "--jobs", "1", "--select", "DUP", cwd=root)
    assert (root / ".srcaudit_cache" / DATABASE_NAME).is_file()


def _rows(directory: Path) -> int:
    with sqlite3.connect(directory / DATABASE_NAME) as connection:
        return connection.execute("SELECT COUNT(*) FROM entries").fetchone()[0]


def _snapshot(root: Path) -> dict[str, str]:
    """Every file under ``root`` (relative path -> content hash and mode)."""
    return {str(path.relative_to(root)): f"{hashlib.sha256(path.read_bytes()).hexdigest()}:{path.stat().st_mode}"
            for path in sorted(root.rglob("*")) if path.is_file()}


class _Flaky:
    """A plugin whose check fails: its outcome must be retried next run, not cached."""

    @hookimpl
    def srcaudit_check_document(self, document):
        raise RuntimeError("temporary failure")


def test_outcomes_with_errors_are_not_stored(tmp_path: Path) -> None:

    root = write_files(tmp_path, _files())
    manager, _ = create_plugin_manager(load_entry_points=False)
    manager.register(_Flaky(), name="flaky")
    sources, _ = discover([str(root / "docs")], open_session(root / "rules.toml", None).config)
    for _ in range(2):
        cache = DocumentCache(tmp_path / "cache")
        outcomes = map_all(sources, RunSettings(ActiveRules({}), cache=cache), manager, jobs=1)
        assert all(o.problems and o.problems[0].level == "error" for o in outcomes)
        assert _counts(cache) == (0, 3) and cache.stats.stored == 0
        cache.close()


def _settle(root: Path) -> None:
    """Date every file 10 s back, as files not edited just now are."""
    past = time.time_ns() - 10 * 1_000_000_000
    for path in root.rglob("*.txt"):
        os.utime(path, ns=(past, past))


def test_a_settled_unchanged_file_is_not_read_again(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _settle(tree / "docs")
    time.sleep(0.01)
    _run(tree, tree / "cache")  # records the files' signatures (their ctime is now, so ...)
    monkeypatch.setattr(cache_module, "SETTLED_NS", 0)  # ... treat them as settled from here on
    _run(tree, tree / "cache")
    read: list[str] = []

    def counting(file, *args, **kwargs):
        read.append(str(file))
        return open(file, *args, **kwargs)

    monkeypatch.setattr(cache_module, "open", counting, raising=False)  # what probe() opens
    warm, store = _run(tree, tree / "cache")
    assert read == [] and _counts(store) == (3, 0)
    (tree / "docs" / "b.txt").write_text("Council backs harbour plan\n\nNew text.\n", encoding="utf-8")
    _run(tree, tree / "cache")
    assert read == [str(tree / "docs" / "b.txt")]


def test_a_file_changed_behind_its_mtime_is_hashed_again(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache_module, "SETTLED_NS", 0)
    first, _ = _run(tree, tree / "cache")
    target = tree / "docs" / "a.txt"
    before = target.stat()
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace("Harbour", "Harboar"), encoding="utf-8")  # same size
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))  # same mtime: only ctime tells
    assert target.stat().st_size == before.st_size and target.stat().st_mtime_ns == before.st_mtime_ns
    second, store = _run(tree, tree / "cache")
    assert _counts(store) == (2, 1) and second != first


def test_a_file_hashed_just_after_a_write_is_not_trusted_by_its_signature(tree: Path) -> None:
    """Racily clean: a file written in the clock tick it was hashed in could change unseen."""
    _run(tree, tree / "cache")
    with sqlite3.connect(tree / "cache" / DATABASE_NAME) as connection:
        assert connection.execute("SELECT COUNT(*) FROM hashes").fetchone()[0] == 0


def test_rows_a_run_uses_are_touched_and_long_unused_ones_dropped(tree: Path) -> None:
    _run(tree, tree / "cache")
    long_ago = int(time.time()) - cache_module.STALE_AFTER - 10
    with sqlite3.connect(tree / "cache" / DATABASE_NAME) as connection:
        connection.execute("UPDATE entries SET used = ?", (long_ago,))
    _, store = _run(tree, tree / "cache", "docs/a.txt")  # a subset: b and c are not seen
    with sqlite3.connect(tree / "cache" / DATABASE_NAME) as connection:
        rows = connection.execute("SELECT file, used FROM entries").fetchall()
    assert [Path(file).name for file, _ in rows] == ["a.txt"] and rows[0][1] > long_ago
    assert store is not None and store.stats.pruned == 2
