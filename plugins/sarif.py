"""``--format sarif``: SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

One run per report. The driver lists every active rule with the rule's own documentation
as help, so a reviewer reads the same text as ``srcaudit explain``. Results point at
files relative to ``%SRCROOT%`` (the folder srcaudit ran in, normally the repository
root in CI), carry the finding's content-based fingerprint in ``partialFingerprints``
(stable when lines are inserted elsewhere), and link cross-document evidence from the
message as ``[label](id)`` to ``relatedLocations``.

GitHub rejects uploads over its limits (25,000 results per run, 1,000 locations per
result); rather than fail the upload, the most severe results are kept and a tool
notification says what was left out.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import quote

import srcaudit
from srcaudit.api import (
    Finding,
    Problem,
    Region,
    RelatedLocation,
    Report,
    Reporter,
    Rule,
    Severity,
    SuppressedFinding,
)

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SRCROOT = "%SRCROOT%"
#: Used when the installed package declares no ``Homepage`` project URL.
DEFAULT_HOMEPAGE = "https://github.com/srcaudit/srcaudit"
FINGERPRINT_KEY = "srcauditFindingHash/v1"

# GitHub code scanning's documented upload limits.
MAX_RESULTS = 25_000
MAX_LOCATIONS = 1_000
MAX_TAGS = 20

_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
# SARIF message text: "[" and "]" that are not part of a link must be escaped (SARIF 3.11.6).
_BRACKETS = re.compile(r"([\[\]\\])")
_PRECISIONS = ("very-high", "high", "medium", "low")


def render_sarif(report: Report) -> str:
    """The whole SARIF log as indented JSON."""
    return json.dumps(sarif_log(report, Path.cwd()), indent=2, ensure_ascii=False) + "\n"


def sarif_log(report: Report, root: Path) -> dict[str, Any]:
    """The SARIF log as a dict; paths are made relative to ``root`` (``%SRCROOT%``)."""
    rules = list(report.rules.values())
    rule_index = {rule.code: n for n, rule in enumerate(rules)}
    notifications = [_problem_notification(p, root) for p in report.problems]
    findings, dropped = _within_result_limit(report)
    if dropped:
        notifications.append(_notification(
            "warning", f"{dropped} of {len(report.findings) + len(report.suppressed)} results were left out: "
                       f"GitHub code scanning accepts at most {MAX_RESULTS:,} results per run, "
                       "so the most severe were kept."))
    results = []
    truncated = 0
    for finding, suppression in findings:
        result, cut = _result(finding, suppression, rule_index, report.rules, root)
        results.append(result)
        truncated += cut
    if truncated:
        notifications.append(_notification(
            "warning", f"{truncated} related locations were left out: GitHub code scanning accepts "
                       f"at most {MAX_LOCATIONS:,} locations per result."))
    homepage = _homepage()
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "srcaudit",
                "version": report.version,
                "semanticVersion": report.version,
                "informationUri": homepage,
                "rules": [_rule_descriptor(rule, homepage) for rule in rules],
            }},
            "invocations": [{
                "executionSuccessful": not any(p.level == "error" for p in report.problems),
                "toolExecutionNotifications": notifications,
            }],
            "originalUriBaseIds": {SRCROOT: {"uri": root.resolve().as_uri().rstrip("/") + "/"}},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }


def _homepage() -> str:
    try:
        for entry in metadata.metadata("srcaudit").get_all("Project-URL") or ():
            label, _, url = entry.partition(",")
            if label.strip().lower() in {"homepage", "home", "source", "repository"} and url.strip():
                return url.strip()
    except metadata.PackageNotFoundError:
        pass
    return DEFAULT_HOMEPAGE


# -- rules --------------------------------------------------------------------------------


def _rule_descriptor(rule: Rule, homepage: str) -> dict[str, Any]:
    help_text = rule.explain()
    tags = [*rule.tags, f"scope:{rule.scope}"][:MAX_TAGS]
    return {
        "id": rule.code,
        "name": _pascal_case(rule.name),
        "shortDescription": {"text": _sentence(" ".join(rule.summary.split()))},
        "fullDescription": {"text": _sentence(_section(rule.documentation, "What it does") or rule.summary)},
        "help": {"text": help_text, "markdown": help_text},
        # The page `srcaudit docs` generates from the same documentation (docs/rules/CODE.md).
        "helpUri": f"{homepage}/blob/main/docs/rules/{quote(rule.code)}.md",
        "defaultConfiguration": {"level": _LEVELS[rule.severity]},
        "properties": {"tags": tags, "precision": _precision(rule)},
    }


def _pascal_case(name: str) -> str:
    # SARIF viewers show ``name`` as an identifier; the SARIF Multitool asks for PascalCase.
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[^0-9A-Za-z]+", name) if part)


def _section(documentation: str, title: str) -> str:
    """The first paragraph under ``## title`` in a rule's Markdown documentation."""
    match = re.search(rf"^##\s+{re.escape(title)}\s*\n(.*?)(?:\n\s*\n|\n##|\Z)", documentation,
                      re.MULTILINE | re.DOTALL)
    return " ".join(match.group(1).split()) if match else ""


def _precision(rule: Rule) -> str:
    """A rule may declare ``precision:<level>`` among its tags; otherwise ``medium``."""
    for tag in rule.tags:
        if tag.startswith("precision:") and tag.split(":", 1)[1] in _PRECISIONS:
            return tag.split(":", 1)[1]
    return "medium"


def _sentence(text: str) -> str:
    """End with a full stop, as SARIF viewers expect of messages; inner line breaks are kept."""
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."


# -- results ------------------------------------------------------------------------------


def _within_result_limit(report: Report) -> tuple[list[tuple[Finding, SuppressedFinding | None]], int]:
    """Reported and (if shown) suppressed findings, at most MAX_RESULTS, most severe first kept."""
    entries: list[tuple[Finding, SuppressedFinding | None]] = [(f, None) for f in report.findings]
    entries += [(s.finding, s) for s in report.suppressed]
    if len(entries) <= MAX_RESULTS:
        return entries, 0
    # Reported before suppressed, then by severity; the kept ones stay in their original order.
    ranked = sorted(range(len(entries)), key=lambda n: (entries[n][1] is not None,
                                                        -_severity(entries[n][0]).rank, n))
    kept = sorted(ranked[:MAX_RESULTS])
    return [entries[n] for n in kept], len(entries) - MAX_RESULTS


def _severity(finding: Finding) -> Severity:
    return finding.severity or Severity.WARNING


def _result(finding: Finding, suppression: SuppressedFinding | None, rule_index: dict[str, int],
            rules: Any, root: Path) -> tuple[dict[str, Any], int]:
    related = list(finding.related[:MAX_LOCATIONS])
    result: dict[str, Any] = {
        "ruleId": finding.code,
        "level": _LEVELS[_severity(finding)],
        "message": {"text": _message(finding.message, related)},
        "locations": [{"physicalLocation": _physical(finding.path, finding.region, root)}],
        "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
    }
    if finding.code in rule_index:
        result["ruleIndex"] = rule_index[finding.code]
    if related:
        result["relatedLocations"] = [
            {"id": n, "physicalLocation": _physical(r.path, r.region, root),
             "message": {"text": _related_label(r)}}
            for n, r in enumerate(related, 1)
        ]
    if suppression is not None:
        entry: dict[str, Any] = {"kind": suppression.kind, "status": "accepted"}
        if suppression.justification:
            entry["justification"] = suppression.justification
        result["suppressions"] = [entry]
    return result, len(finding.related) - len(related)


def _message(text: str, related: list[RelatedLocation]) -> str:
    """The finding's message as a sentence, with links to its related locations."""
    message = _sentence(_BRACKETS.sub(r"\\\1", text))
    if related:
        links = ", ".join(f"[{_escape_link_text(_related_label(r))}]({n})" for n, r in enumerate(related[:10], 1))
        more = f" and {len(related) - 10} more" if len(related) > 10 else ""
        message += f" See {links}{more}."
    return message


def _related_label(related: RelatedLocation) -> str:
    where = f"{related.path}:{related.region.line}"
    return f"{related.message} ({where})" if related.message else where


def _escape_link_text(text: str) -> str:
    return _BRACKETS.sub(r"\\\1", text)


def _physical(path: str, region: Region, root: Path) -> dict[str, Any]:
    return {"artifactLocation": _artifact(path, root), "region": _region(region)}


def _artifact(path: str, root: Path) -> dict[str, Any]:
    """A URI relative to %SRCROOT% when the file is under it, else an absolute file URI."""
    absolute = Path(os.path.abspath(path))
    try:
        relative = absolute.relative_to(os.path.abspath(root))
    except ValueError:
        return {"uri": absolute.as_uri()}
    return {"uri": quote(relative.as_posix()), "uriBaseId": SRCROOT}


def _region(region: Region) -> dict[str, int]:
    return {"startLine": region.line, "startColumn": region.column,
            "endLine": region.end_line, "endColumn": region.end_column}


# -- notifications -------------------------------------------------------------------------


def _problem_notification(problem: Problem, root: Path) -> dict[str, Any]:
    level = "error" if problem.level == "error" else "note"
    text = problem.message if problem.plugin is None else f"{problem.message} (plugin {problem.plugin})"
    notification = _notification(level, text)
    if problem.path:
        notification["locations"] = [{"physicalLocation": {"artifactLocation": _artifact(problem.path, root)}}]
    return notification


def _notification(level: str, text: str) -> dict[str, Any]:
    return {"level": level, "message": {"text": _sentence(text)}}


def sarif_reporters() -> Iterable[Reporter]:
    """The reporter this module provides (also used by tests without a plugin manager)."""
    return [Reporter("sarif", "SARIF 2.1.0 for GitHub code scanning and SARIF viewers", render_sarif)]


@srcaudit.hookimpl
def srcaudit_reporters() -> list[Reporter]:
    return list(sarif_reporters())
