"""The plugin host: every hook is called with what it promises, and failures stay contained."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import srcaudit
from srcaudit.api import Finding, Region, RelatedLocation, Reporter, Rule, Severity
from srcaudit.check import CheckOptions, exit_status, run_check
from srcaudit.plugins import create_plugin_manager
from srcaudit.session import open_session

from conftest import write_files

ARTICLE = "Officials met on Monday.\nThe meeting lasted three hours and ended without a deal.\n"

RULE = Rule(code="TST001", name="test-rule", summary="A rule for tests.", severity=Severity.WARNING,
            documentation="## What it does\nFlags the first line.", scope="document")
CORPUS_RULE = Rule(code="TST002", name="test-corpus-rule", summary="A corpus rule for tests.",
                   severity=Severity.INFO, documentation="## What it does\nCounts documents.", scope="corpus")


class RecordingPlugin:
    """Implements every hook and records what it was given."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, object]] = []

    @srcaudit.hookimpl
    def srcaudit_rules(self):
        return [RULE, CORPUS_RULE]

    @srcaudit.hookimpl
    def srcaudit_reporters(self):
        return [Reporter("count", "number of findings", lambda report: f"{len(report.findings)}\n")]

    @srcaudit.hookimpl
    def srcaudit_classify_lines(self, document):
        self.calls.append(("classify", document.path))
        return ["navigation"] + [None] * (len(document.lines) - 1)

    @srcaudit.hookimpl
    def srcaudit_check_document(self, document, rules):
        self.calls.append(("check", (document.path, document.line_roles, rules.enabled("TST001"))))
        return [Finding("TST001", "first line flagged", document.path, document.line_region(1))]

    @srcaudit.hookimpl
    def srcaudit_measure_document(self, document):
        return {"line_count_measure": len(document.lines)}

    @srcaudit.hookimpl
    def srcaudit_extract_facts(self, document):
        return {"test": {"first_line": document.lines[0]}}

    @srcaudit.hookimpl
    def srcaudit_check_corpus(self, corpus, rules):
        self.calls.append(("corpus", [d.path for d in corpus.documents]))
        first, *others = [d for d, _ in corpus.facts("test")]
        return [Finding("TST002", f"{len(corpus)} documents", first.path, Region(1, 1, 1, 2),
                        related=tuple(RelatedLocation(o.path, Region(1, 1, 1, 2), "other") for o in others),
                        anchor="corpus-size")]

    @srcaudit.hookimpl
    def srcaudit_measure_corpus(self, corpus):
        return {d.path: {"corpus_size": len(corpus)} for d in corpus.documents}


def session_with(*plugins, tmp_path: Path):
    manager, errors = create_plugin_manager()
    assert errors == []
    for plugin in plugins:
        manager.register(plugin, name=type(plugin).__name__)
    return open_session(None, tmp_path, manager=manager)


def test_every_hook_is_called_with_documents_rules_and_facts(tmp_path):
    write_files(tmp_path, {"a.txt": ARTICLE, "b.txt": ARTICLE.upper()})
    plugin = RecordingPlugin()
    session = session_with(plugin, tmp_path=tmp_path)
    assert {"TST001", "TST002"} <= set(session.rules) and "count" in session.reporters
    report = run_check(session, CheckOptions(paths=[str(tmp_path)], select=["TST"], jobs=1))
    paths = [str(tmp_path / "a.txt"), str(tmp_path / "b.txt")]
    assert ("classify", paths[0]) in plugin.calls
    assert ("check", (paths[0], ("navigation", None), True)) in plugin.calls
    assert ("corpus", paths) in plugin.calls
    assert [(f.code, f.path) for f in report.findings] == [
        ("TST002", paths[0]), ("TST001", paths[0]), ("TST001", paths[1])]  # by position, then code
    corpus_finding = report.findings[0]
    assert corpus_finding.severity == Severity.INFO and corpus_finding.related[0].path == paths[1]
    measures = report.documents[0].measures
    assert (measures["line_count_measure"], measures["corpus_size"]) == (2, 2)
    assert session.reporters["count"].render(report) == "3\n"
    assert exit_status(report) == 1


def test_disabled_rules_findings_are_dropped(tmp_path):
    write_files(tmp_path, {"a.txt": ARTICLE})
    session = session_with(RecordingPlugin(), tmp_path=tmp_path)
    report = run_check(session, CheckOptions(paths=[str(tmp_path)], select=["TST002"], jobs=1))
    assert [f.code for f in report.findings] == ["TST002"]


class RaisingPlugin:
    @srcaudit.hookimpl
    def srcaudit_check_document(self, document):
        raise RuntimeError("boom in check")

    @srcaudit.hookimpl
    def srcaudit_check_corpus(self, corpus):
        raise KeyError("boom in corpus")


class MalformedPlugin:
    @srcaudit.hookimpl
    def srcaudit_check_document(self, document):
        return ["not a finding", Finding("TST001", "past the end", document.path, Region(99, 1, 99, 2))]


def test_a_raising_plugin_is_reported_and_the_others_still_run(tmp_path):
    write_files(tmp_path, {"a.txt": ARTICLE})
    session = session_with(RecordingPlugin(), RaisingPlugin(), tmp_path=tmp_path)
    report = run_check(session, CheckOptions(paths=[str(tmp_path)], select=["TST"], jobs=1))
    assert {f.code for f in report.findings} == {"TST001", "TST002"}
    messages = [p.message for p in report.problems]
    assert any("raised RuntimeError: boom in check while checking" in m and "a.txt" in m for m in messages)
    assert any("raised KeyError" in m and "the corpus" in m for m in messages)
    assert all(p.plugin and "RaisingPlugin" in p.plugin for p in report.problems)
    assert exit_status(report) == 2


def test_malformed_findings_are_reported_not_printed(tmp_path):
    write_files(tmp_path, {"a.txt": ARTICLE})
    session = session_with(RecordingPlugin(), MalformedPlugin(), tmp_path=tmp_path)
    report = run_check(session, CheckOptions(paths=[str(tmp_path)], select=["TST001"], jobs=1))
    assert len(report.findings) == 1  # the recording plugin's finding survives
    messages = " ".join(p.message for p in report.problems)
    assert "str is not a srcaudit Finding" in messages and "past the end" in messages


def test_duplicate_rule_codes_are_a_configuration_error(tmp_path):
    class Twin:
        @srcaudit.hookimpl
        def srcaudit_rules(self):
            return [RULE]

    from srcaudit.config import ConfigError
    with pytest.raises(ConfigError, match="TST001 is declared by both"):
        session_with(RecordingPlugin(), Twin(), tmp_path=tmp_path)


THIRD_PARTY = '''
import srcaudit
from srcaudit.api import Finding, Rule, Severity

@srcaudit.hookimpl
def srcaudit_rules():
    return [Rule(code="EXT001", name="shouting", summary="A line in capitals.",
                 severity=Severity.WARNING, documentation="## What it does\\nFinds shouting.")]

@srcaudit.hookimpl
def srcaudit_check_document(document, rules):
    if rules.enabled("EXT001"):
        for number, line in enumerate(document.lines, 1):
            if len(line) > 10 and line.isupper():
                yield Finding("EXT001", "line is in capitals", document.path, document.line_region(number))
'''


def test_a_third_party_plugin_is_found_through_its_entry_point(tmp_path):
    """A test-only distribution on sys.path, with an entry point in the srcaudit.plugins group."""
    site = tmp_path / "site"
    write_files(site, {
        "shouting_plugin.py": THIRD_PARTY,
        "shouting_plugin-1.0.dist-info/METADATA": "Metadata-Version: 2.1\nName: shouting-plugin\nVersion: 1.0\n",
        "shouting_plugin-1.0.dist-info/entry_points.txt": "[srcaudit.plugins]\nshouting = shouting_plugin\n",
    })
    write_files(tmp_path / "docs", {"a.txt": "A QUIET HEADLINE SHOUTS\nThe story itself is calm.\n"})
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")])}
    listed = subprocess.run([sys.executable, "-m", "srcaudit", "rules", "--format", "json"],
                            capture_output=True, text=True, env=env, cwd=tmp_path)
    assert any(r["code"] == "EXT001" and r["plugin"] == "shouting" for r in json.loads(listed.stdout))
    checked = subprocess.run([sys.executable, "-m", "srcaudit", "check", "--select", "EXT", "docs"],
                             capture_output=True, text=True, env=env, cwd=tmp_path)
    assert checked.returncode == 1, checked.stderr
    assert checked.stdout.startswith("docs/a.txt:1:1: EXT001 line is in capitals\n")


def test_a_plugin_that_fails_to_import_is_reported_not_fatal(tmp_path):
    site = tmp_path / "site"
    write_files(site, {
        "broken_plugin.py": "raise ImportError('missing dependency')\n",
        "broken_plugin-1.0.dist-info/METADATA": "Metadata-Version: 2.1\nName: broken-plugin\nVersion: 1.0\n",
        "broken_plugin-1.0.dist-info/entry_points.txt": "[srcaudit.plugins]\nbroken = broken_plugin\n",
    })
    write_files(tmp_path / "docs", {"a.txt": ARTICLE})
    env = {**os.environ, "PYTHONPATH": str(site)}
    result = subprocess.run([sys.executable, "-m", "srcaudit", "check", "docs"],
                            capture_output=True, text=True, env=env, cwd=tmp_path)
    assert result.returncode == 2
    assert "plugin 'broken' (broken_plugin) failed to load: ImportError: missing dependency" in result.stderr
    assert "Traceback" not in result.stderr
