"""Output formats for CI systems: ``github`` annotations, ``gitlab`` Code Quality, ``junit`` XML.

SARIF, the format for code review, lives in :mod:`srcaudit_plugins.sarif`. Each format
here is a pure function of the report; escaping follows each consumer's own rules, so a
message containing ``%``, ``:``, ``,`` or a newline cannot break out of its field.
"""

from __future__ import annotations

import json
import os
import re
from typing import Any
from xml.etree import ElementTree

import srcaudit
from srcaudit.api import Finding, Problem, Report, Reporter, Severity

# -- GitHub Actions workflow commands ------------------------------------------------------

_GITHUB_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_github_data(text: str) -> str:
    """Escape a workflow command's message, as ``@actions/core`` ``escapeData`` does."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_github_property(text: str) -> str:
    """Escape a workflow command property value (``escapeProperty``): data rules plus ``:`` and ``,``."""
    return escape_github_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(report: Report) -> str:
    """One ``::warning file=...,line=...::message`` line per finding and per problem."""
    lines = [_github_finding(finding, report) for finding in report.findings]
    lines += [_github_problem(problem) for problem in report.problems]
    return "".join(line + "\n" for line in lines)


def _github_finding(finding: Finding, report: Report) -> str:
    region = finding.region
    rule = report.rules.get(finding.code)
    properties = {"file": finding.path, "line": region.line, "endLine": region.end_line}
    if region.line == region.end_line:  # GitHub ignores columns on multi-line annotations
        properties |= {"col": region.column, "endColumn": region.end_column}
    properties["title"] = f"{finding.code} ({rule.name})" if rule else finding.code
    level = _GITHUB_LEVELS[finding.severity or Severity.WARNING]
    return _github_command(level, properties, finding.message)


def _github_problem(problem: Problem) -> str:
    properties: dict[str, Any] = {"title": "srcaudit"}
    if problem.path:
        properties["file"] = problem.path
    return _github_command("error" if problem.level == "error" else "notice", properties, problem.message)


def _github_command(command: str, properties: dict[str, Any], message: str) -> str:
    fields = ",".join(f"{key}={escape_github_property(str(value))}" for key, value in properties.items())
    return f"::{command} {fields}::{escape_github_data(message)}"


# -- GitLab Code Quality ------------------------------------------------------------------

_GITLAB_SEVERITIES = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


def render_gitlab(report: Report) -> str:
    """A JSON array of Code Quality issues (GitLab's subset of the Code Climate format)."""
    issues = [_gitlab_issue(finding, report) for finding in report.findings]
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"


def _gitlab_issue(finding: Finding, report: Report) -> dict[str, Any]:
    rule = report.rules.get(finding.code)
    return {
        "type": "issue",
        "check_name": finding.code,
        "description": f"{finding.code} {finding.message}",
        "content": {"body": rule.summary} if rule else {"body": finding.message},
        "categories": ["Style"],
        "severity": _GITLAB_SEVERITIES[finding.severity or Severity.WARNING],
        # GitLab compares fingerprints between the merge request and its target branch.
        "fingerprint": finding.fingerprint,
        "location": {"path": _relative(finding.path),
                     "lines": {"begin": finding.region.line, "end": finding.region.end_line}},
    }


def _relative(path: str) -> str:
    """GitLab wants paths relative to the repository root: the folder CI runs in."""
    relative = os.path.relpath(os.path.abspath(path))
    return path if relative.startswith("..") else relative.replace(os.sep, "/")


# -- JUnit XML ----------------------------------------------------------------------------

# XML 1.0 forbids most control characters even when escaped.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def render_junit(report: Report) -> str:
    """One test suite per document, one failing test case per finding (a clean file passes)."""
    by_path: dict[str, list[Finding]] = {d.path: [] for d in report.documents}
    for finding in report.findings:
        by_path.setdefault(finding.path, []).append(finding)
    errors = [p for p in report.problems if p.level == "error"]
    tests = sum(max(1, len(findings)) for findings in by_path.values()) + len(errors)
    root = ElementTree.Element("testsuites", name="srcaudit", tests=str(tests),
                               failures=str(len(report.findings)), errors=str(len(errors)))
    for path, findings in sorted(by_path.items()):
        suite = ElementTree.SubElement(root, "testsuite", name=_xml(path), tests=str(max(1, len(findings))),
                                       failures=str(len(findings)), errors="0")
        if not findings:
            ElementTree.SubElement(suite, "testcase", name="srcaudit", classname=_xml(path))
        for finding in findings:
            _junit_case(suite, finding)
    if errors:
        suite = ElementTree.SubElement(root, "testsuite", name="srcaudit", tests=str(len(errors)),
                                       failures="0", errors=str(len(errors)))
        for problem in errors:
            case = ElementTree.SubElement(suite, "testcase", name=_xml(problem.path or "run"), classname="srcaudit")
            error = ElementTree.SubElement(case, "error", message=_xml(problem.message))
            error.text = _xml(problem.message)
    ElementTree.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(root, encoding="unicode") + "\n"


def _junit_case(suite: ElementTree.Element, finding: Finding) -> None:
    region = finding.region
    case = ElementTree.SubElement(suite, "testcase", name=f"{finding.code} line {region.line}",
                                  classname=_xml(finding.path), file=_xml(finding.path), line=str(region.line))
    failure = ElementTree.SubElement(case, "failure", message=_xml(finding.message), type=finding.code)
    failure.text = _xml(f"{finding.path}:{region.line}:{region.column}: {finding.code} {finding.message}")


def _xml(text: str) -> str:
    return _XML_INVALID.sub("\ufffd", text)


@srcaudit.hookimpl
def srcaudit_reporters() -> list[Reporter]:
    return [
        Reporter("github", "GitHub Actions workflow-command annotations (::warning file=...::)", render_github),
        Reporter("gitlab", "GitLab Code Quality report (JSON)", render_gitlab),
        Reporter("junit", "JUnit XML: one test suite per document, a failure per finding", render_junit),
    ]
