"""Shared test helpers: write small corpora, run the CLI, build documents in memory."""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from srcaudit.cli import main
from srcaudit.document import Document

REPO = Path(__file__).resolve().parent.parent
#: rules.toml for tests about CLI behaviour (formats, baselines, suppressions): only the
#: duplicate rules run, so other rule families landing later do not change their output.
DUP_ONLY = 'select = ["DUP001", "DUP003"]\n'
SEEDS = REPO / "seeds"


def write_files(root: Path, files: dict[str, str | bytes]) -> Path:
    """Create ``files`` (relative path -> text or bytes) under ``root``; return ``root``."""
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def run_cli(*args: str, cwd: Path | None = None) -> Result:
    """Run ``srcaudit ARGS`` in-process (in ``cwd`` if given) and return click's result."""
    runner = CliRunner()
    if cwd is None:
        return runner.invoke(main, list(args), catch_exceptions=False)
    with contextlib.chdir(cwd) if hasattr(contextlib, "chdir") else _chdir(cwd):
        return runner.invoke(main, list(args), catch_exceptions=False)


@contextlib.contextmanager
def _chdir(path: Path):
    """contextlib.chdir for Python 3.10."""
    old = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(old)


def check_json(*args: str, cwd: Path | None = None) -> tuple[int, dict]:
    """Run ``srcaudit check --format json ARGS``; return (exit code, parsed output)."""
    result = run_cli("check", "--format", "json", "--jobs", "1", *args, cwd=cwd)
    return result.exit_code, json.loads(result.stdout)


def codes_at(payload: dict, code: str) -> list[tuple[str, int]]:
    """(path, line) of every finding with ``code`` in a JSON report."""
    return [(f["path"], f["line"]) for f in payload["findings"] if f["code"] == code]


def doc(text: str, path: str = "doc.txt") -> Document:
    """A document built from text, for testing a rule without touching the disk."""
    return Document.from_text(path, text)


@pytest.fixture
def corpus(tmp_path: Path):
    """``corpus({"a.txt": "..."})`` writes files into a temporary folder and returns it."""
    def make(files: dict[str, str | bytes]) -> Path:
        return write_files(tmp_path, files)
    return make
