"""Identical output bytes across runs, --jobs values, file creation and listing order."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

import srcaudit.discovery
from conftest import SEEDS, run_cli, write_files
from robustness_support import GOOD

# Enough files for the process pool to be used (engine._POOL_MIN_FILES).
POOL_FILES = 70


def corpus_files() -> dict[str, bytes]:
    files = {f"seeds/{p.name}": p.read_bytes() for p in sorted(SEEDS.glob("*.txt"))}
    rng = random.Random(5)
    lines = GOOD.splitlines()
    for n in range(POOL_FILES):
        rng.shuffle(lines)
        files[f"batch/{n % 7}/doc{n:03}.txt"] = ("\n\n".join(lines) + f"\n\nNote {n}.\n\n" + lines[0] + "\n").encode()
    files["shared-a.txt"] = files["shared-b.md"] = GOOD.encode("utf-16")
    files["binary.txt"] = b"\x89PNG\r\n\x1a\n"
    files["empty.txt"] = b""
    return files


def write_in_order(root: Path, files: dict[str, bytes], order: list[str]) -> Path:
    """Create the same files in a different order (directory listings follow creation order)."""
    for name in order:
        write_files(root, {name: files[name]})
    (root / "rules.toml").write_text('select = ["ALL"]\n', encoding="utf-8")
    return root


def outputs(root: Path, *extra: str) -> dict[str, tuple[int, str, str]]:
    return {
        fmt: (result.exit_code, result.stdout, result.stderr)
        for fmt in ("text", "json")
        for result in [run_cli("check", "--format", fmt, *extra, ".", cwd=root)]
    }


@pytest.fixture(scope="module")
def files() -> dict[str, bytes]:
    return corpus_files()


def test_same_bytes_across_runs_jobs_and_creation_order(tmp_path, files):
    names = sorted(files)
    first = write_in_order(tmp_path / "one", files, names)
    second = write_in_order(tmp_path / "two", files, list(reversed(names)))
    reference = outputs(first, "--jobs", "1")
    assert reference["json"][0] == 1 and '"DUP003"' in reference["json"][1]
    assert outputs(first, "--jobs", "1") == reference            # run twice
    assert outputs(first, "--jobs", "2") == reference            # process pool
    assert outputs(second, "--jobs", "1") == reference           # other creation order
    assert outputs(second, "--jobs", "2") == reference


def test_same_bytes_whatever_order_the_file_system_lists(tmp_path, files, monkeypatch):
    root = write_in_order(tmp_path / "corpus", files, sorted(files))
    reference = outputs(root, "--jobs", "1")
    real_walk = srcaudit.discovery.os.walk
    rng = random.Random(11)

    def shuffled_walk(top, *args, **kwargs):
        for folder, subfolders, names in real_walk(top, *args, **kwargs):
            rng.shuffle(subfolders)  # in place: os.walk recurses into this very list
            rng.shuffle(names)
            yield folder, subfolders, names

    monkeypatch.setattr(srcaudit.discovery.os, "walk", shuffled_walk)
    for _ in range(3):
        assert outputs(root, "--jobs", "1") == reference


def test_same_bytes_whatever_order_paths_are_named(tmp_path, files):
    root = write_in_order(tmp_path / "corpus", files, sorted(files))
    forward = run_cli("check", "--format", "json", "seeds", "batch", "shared-a.txt", "binary.txt", cwd=root)
    backward = run_cli("check", "--format", "json", "binary.txt", "shared-a.txt", "batch", "seeds", cwd=root)
    assert (forward.exit_code, forward.stdout, forward.stderr) == (backward.exit_code, backward.stdout,
                                                                   backward.stderr)
