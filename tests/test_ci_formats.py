"""github, gitlab and junit formats: escaping, structure, and third-party formats through the hook."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree

from srcaudit_plugins.ci_formats import (
    escape_github_data,
    escape_github_property,
    render_github,
    render_gitlab,
    render_junit,
)

import srcaudit
from conftest import run_cli
from crossref_plugin import CONFIG
from srcaudit.api import DocumentSummary, Finding, Problem, Region, Report, Reporter, Severity
from srcaudit.plugins import create_plugin_manager
from srcaudit.session import open_session

TRICKY = 'figure "10,000": 50% up\r\nsecond line, with: colon'
TRICKY_PATH = "dir, with: odd%/a.txt"


def tricky_report() -> Report:
    findings = (
        Finding("XRF001", TRICKY, TRICKY_PATH, Region(3, 2, 3, 9), severity=Severity.ERROR).with_fingerprint(),
        Finding("XRF001", "plain", "b.txt", Region(1, 1, 4, 1), severity=Severity.INFO).with_fingerprint(),
    )
    return Report(findings=findings, documents=(DocumentSummary(TRICKY_PATH, "utf-8", 5),
                                                DocumentSummary("b.txt", "utf-8", 4),
                                                DocumentSummary("clean.txt", "utf-8", 1)),
                  problems=(Problem("error", "cannot read: 100%, sure:\nno", "x.txt"),), rules={}, version="0")


def unescape_github(text: str) -> str:
    for escaped, plain in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(escaped, plain)
    return text


def parse_github_command(line: str) -> tuple[str, dict[str, str], str]:
    assert line.startswith("::")
    head, _, message = line[2:].partition("::")
    command, _, fields = head.partition(" ")
    properties = dict(field.split("=", 1) for field in fields.split(","))
    return command, {k: unescape_github(v) for k, v in properties.items()}, unescape_github(message)


def test_github_escaping_follows_the_actions_toolkit():
    assert escape_github_data("100%\r\nnext: a, b") == "100%25%0D%0Anext: a, b"
    assert escape_github_property("100%\r\nnext: a, b") == "100%25%0D%0Anext%3A a%2C b"
    assert escape_github_data("%0A") == "%250A"  # an escape sequence in the text stays literal


def test_github_annotations_round_trip_every_special_character():
    lines = render_github(tricky_report()).splitlines()
    assert len(lines) == 3  # every command fits on one line, newlines included
    command, properties, message = parse_github_command(lines[0])
    assert command == "error" and message == TRICKY
    assert properties == {"file": TRICKY_PATH, "line": "3", "endLine": "3", "col": "2", "endColumn": "9",
                          "title": "XRF001"}
    command, properties, _ = parse_github_command(lines[1])
    assert command == "notice" and "col" not in properties  # columns only on one-line spans
    command, properties, message = parse_github_command(lines[2])
    assert (command, properties["file"], message) == ("error", "x.txt", "cannot read: 100%, sure:\nno")


def test_gitlab_code_quality_report():
    issues = json.loads(render_gitlab(tricky_report()))
    assert [i["severity"] for i in issues] == ["major", "info"]
    first = issues[0]
    assert first["description"] == f"XRF001 {TRICKY}"
    assert first["check_name"] == "XRF001" and first["type"] == "issue"
    assert first["location"] == {"path": TRICKY_PATH, "lines": {"begin": 3, "end": 3}}
    assert len({i["fingerprint"] for i in issues}) == 2 and all(i["fingerprint"] for i in issues)


def test_junit_report_escapes_and_counts():
    report = tricky_report()
    report = Report(**{**report.__dict__, "findings": report.findings + (
        Finding("XRF001", "bell \x07 and <tag> & more", "b.txt", Region(2, 1, 2, 2)).with_fingerprint(),)})
    root = ElementTree.fromstring(render_junit(report).encode("utf-8"))
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("5", "3", "1")
    suites = {suite.get("name"): suite for suite in root.iter("testsuite")}
    failure = suites[TRICKY_PATH].find("testcase/failure")
    assert failure.get("message") == TRICKY  # CR and LF survive as character references
    assert failure.get("type") == "XRF001"
    messages = [f.get("message") for f in suites["b.txt"].iter("failure")]
    assert "bell \ufffd and <tag> & more" in messages  # control characters are not allowed in XML
    clean = suites["clean.txt"].findall("testcase")
    assert len(clean) == 1 and clean[0].find("failure") is None
    assert suites["srcaudit"].find("testcase/error").get("message") == "cannot read: 100%, sure:\nno"


def test_every_format_runs_from_the_command_line(corpus):
    root = corpus({"rules.toml": CONFIG, "a.txt": "Same first line\nA.\n", "b.txt": "Same first line\nB.\n"})
    outputs = {}
    for name in ("github", "gitlab", "junit", "sarif", "json", "text"):
        result = run_cli("check", "--format", name, "--jobs", "1", ".", cwd=root)
        assert result.exit_code == 1, (name, result.output)
        outputs[name] = result.stdout
    assert outputs["github"].startswith("::error file=b.txt,line=1,")
    assert json.loads(outputs["gitlab"])[0]["location"]["path"] == "b.txt"
    assert ElementTree.fromstring(outputs["junit"]).get("failures") == "1"


class _ShoutingFormat:
    """A third-party plugin object: one more output format."""

    @srcaudit.hookimpl
    def srcaudit_reporters(self):
        return [Reporter("shout", "findings in capitals", lambda report: "".join(
            f"{f.code} {f.message.upper()}\n" for f in report.findings))]


def test_a_reporter_registered_on_a_plugin_manager_is_selectable(corpus):
    manager, errors = create_plugin_manager()
    assert errors == []
    manager.register(_ShoutingFormat(), name="shouting")
    session = open_session(None, None, manager=manager)
    assert {"shout", "sarif", "github", "gitlab", "junit"} <= set(session.reporters)
    assert session.reporters["shout"].render(tricky_report()).startswith("XRF001 FIGURE")


def test_a_reporter_from_a_configured_plugin_module_is_selectable(corpus):
    root = corpus({"rules.toml": CONFIG, "a.txt": "Same first line\n", "b.txt": "Same first line\n"})
    listed = run_cli("formats", "--config", str(Path(root) / "rules.toml"))
    assert "count" in listed.stdout
    result = run_cli("check", "--format", "count", ".", cwd=root)
    assert result.stdout == "1 findings\n"
