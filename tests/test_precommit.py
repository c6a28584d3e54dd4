"""The pre-commit hook: compares staged files with the whole corpus, reports what involves them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DUP_ONLY, REPO, check_json
from crossref_plugin import CONFIG, PARAGRAPH

REPEATED = f"{PARAGRAPH}\n\nA line between the copies.\n\n{PARAGRAPH}\n"


def test_hook_definition():
    yaml = pytest.importorskip("yaml", reason="PyYAML comes with pre-commit (test extra)")
    (hook,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "srcaudit" and hook["language"] == "python"
    assert hook["entry"] == "srcaudit check" and hook["args"] == ["--corpus", "."]
    assert hook["types_or"] == ["plain-text", "markdown"] and hook["require_serial"] is True


def test_corpus_findings_are_reported_only_when_they_involve_a_named_file(corpus):
    root = corpus({"rules.toml": CONFIG,
                   "articles/a.txt": "Shared opening line\nBody of a.\n",
                   "articles/b.txt": "Shared opening line\nBody of b.\n",
                   "articles/c.txt": "Another opening\n\n" + REPEATED,
                   "articles/d.txt": "Shared opening line\nBody of d.\n"})
    # a.txt is the first copy: the findings are on b.txt and d.txt, pointing at a.txt.
    status, payload = check_json("--corpus", "articles", "articles/a.txt", cwd=root)
    assert status == 1
    assert sorted((f["code"], f["path"]) for f in payload["findings"]) == [
        ("XRF001", "articles/b.txt"), ("XRF001", "articles/d.txt")]
    assert len(payload["documents"]) == 4  # the whole corpus was read
    # b.txt is involved only in its own finding; c.txt's own repeat is not b.txt's business.
    _, payload = check_json("--corpus", "articles", "articles/b.txt", cwd=root)
    assert [(f["code"], f["path"]) for f in payload["findings"]] == [("XRF001", "articles/b.txt")]
    _, payload = check_json("--corpus", "articles", "articles/c.txt", cwd=root)
    assert [(f["code"], f["path"]) for f in payload["findings"]] == [("DUP001", "articles/c.txt")]
    # Without --corpus only the named files are compared with each other.
    status, payload = check_json("articles/a.txt", "articles/c.txt", cwd=root)
    assert [f["code"] for f in payload["findings"]] == ["DUP001"]


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=cwd,
                   check=True, capture_output=True)


def _try_repo(cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PRE_COMMIT_COLOR": "never", "GIT_AUTHOR_NAME": "t", "GIT_COMMITTER_NAME": "t",
           "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_EMAIL": "t@example.org"}
    return subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", str(REPO), "srcaudit", "--verbose"],
                          cwd=cwd, env=env, capture_output=True, text=True, timeout=900, check=False)


def test_pre_commit_try_repo(tmp_path):
    """The real thing: pre-commit installs srcaudit from this repository and runs the hook."""
    pytest.importorskip("pre_commit", reason="pre-commit is not installed (pip install -e '.[test]')")
    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.skip("needs git and a git checkout of srcaudit (pre-commit clones the repository)")
    articles = tmp_path / "articles"
    articles.mkdir()
    (tmp_path / "rules.toml").write_text(DUP_ONLY, encoding="utf-8")
    (articles / "old.txt").write_text("Old article\n\n" + REPEATED, encoding="utf-8")
    (articles / "notes.md").write_text("# Notes\n\nNothing repeated here.\n", encoding="utf-8")
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-q", "-m", "existing corpus")
    (articles / "new.txt").write_text("New article\n\n" + REPEATED, encoding="utf-8")
    (articles / "notes.md").write_text("# Notes\n\nStill nothing repeated here.\n", encoding="utf-8")
    _git(tmp_path, "add", "articles/new.txt", "articles/notes.md")

    # One run (pre-commit installs srcaudit into a fresh environment each time: about a minute).
    result = _try_repo(tmp_path)
    output = result.stdout + result.stderr
    if result.returncode == 3 and "Installing environment" in output:
        pytest.skip(f"pre-commit could not install the hook's environment: {output[-500:]}")
    assert result.returncode == 1, output
    report = output.split("hook id: srcaudit")[-1]
    assert "articles/new.txt:7:1: DUP001 paragraph repeats line 3" in report
    assert "old.txt" not in report  # committed and unchanged: its own repeat is not reported
    assert "notes.md" not in report  # staged but clean
    assert "Found 1 finding (1 warning) in 3 documents." in report  # the whole corpus was read
