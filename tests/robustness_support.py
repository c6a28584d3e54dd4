"""Helpers shared by the robustness tests: a known-good document, audit runs, test plugins.

Every bad-input test puts one odd thing next to ``good.txt`` and checks three things:
the message about the odd thing, the exit status, and that ``good.txt`` was still
audited (its known DUP003 finding is in the report).
"""

from __future__ import annotations

import json
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

from click.testing import Result

from conftest import run_cli

#: A document with exactly one finding: DUP003 at line 5 (a headline printed twice).
GOOD = ("Breaking news today\n\n"
        "The council approved the new budget after a long debate on Tuesday evening in the town hall.\n\n"
        "Breaking news today\n")


@dataclass
class Audit:
    """One ``srcaudit check --format json`` run: exit status, parsed report, standard error."""

    exit_code: int
    payload: dict
    stderr: str
    result: Result

    def problems(self, level: str | None = None) -> list[dict]:
        return [p for p in self.payload["problems"] if level is None or p["level"] == level]

    def problem_for(self, path: str) -> dict:
        matches = [p for p in self.payload["problems"] if p["path"] == path]
        assert len(matches) == 1, f"expected one problem for {path}, got {self.payload['problems']}"
        return matches[0]

    def audited(self) -> list[str]:
        return [d["path"] for d in self.payload["documents"]]

    def assert_good_audited(self, path: str = "good.txt") -> None:
        """The known-good document was read and its one finding reported."""
        assert path in self.audited()
        assert (path, 5) in [(f["path"], f["line"]) for f in self.payload["findings"] if f["code"] == "DUP003"]


def audit(root: Path, *args: str) -> Audit:
    """Run ``srcaudit check --format json --jobs 1 ARGS`` in ``root``; never a traceback.

    Only the duplicate rules run unless ARGS select others or a rules.toml does: the
    matrix is about files, and ``good.txt``'s one known finding is its witness.
    """
    selection = [] if "--select" in args or (root / "rules.toml").exists() else ["--select", "DUP001,DUP003"]
    result = run_cli("check", "--format", "json", "--jobs", "1", *selection, *args, cwd=root)
    assert_no_traceback(result)
    payload = json.loads(result.stdout) if result.stdout.strip() else {}
    return Audit(result.exit_code, payload, result.stderr, result)


def assert_no_traceback(result: Result) -> None:
    assert "Traceback" not in result.stdout and "Traceback" not in result.stderr, result.stderr


def write_plugin(folder: Path, module: str, source: str, monkeypatch) -> None:
    """Make ``module`` importable from ``folder`` (outside the audited tree) for this test only."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{module}.py").write_text(textwrap.dedent(source), encoding="utf-8")
    monkeypatch.syspath_prepend(str(folder))
    monkeypatch.delitem(sys.modules, module, raising=False)


def use_plugin(root: Path, module: str) -> None:
    """Configure ``root/rules.toml`` to load ``module`` as a plugin."""
    (root / "rules.toml").write_text(f'plugins = ["{module}"]\n', encoding="utf-8")


#: A rule declaration for test plugins (code ZZZ001).
TEST_RULE = '''
import srcaudit
from srcaudit.api import Finding, Region, RelatedLocation, Rule, Severity

@srcaudit.hookimpl
def srcaudit_rules():
    return [Rule(code="ZZZ001", name="test-rule", summary="A rule for tests.",
                 severity=Severity.WARNING, documentation="## What it does\\nTests.")]
'''
