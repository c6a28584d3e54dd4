"""Built-in output formats: ``text`` (lint lines, like ruff) and ``json`` (for tools)."""

from __future__ import annotations

import json
from typing import Any

import click

import srcaudit
from srcaudit.api import Finding, Report, Reporter, Severity

from .summary import document_json, render_summary_table, summary_rows

_SEVERITY_COLOURS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "blue"}


def render_text(report: Report) -> str:
    """``path:line:col: CODE message`` per finding, sorted, then a one-line summary."""
    lines = [_text_line(finding, report.color) for finding in report.findings]
    if report.options.get("summary"):
        lines.append(render_summary_table(report).rstrip("\n"))
    if not report.options.get("quiet"):
        lines.append(_summary_line(report))
    return "".join(line + "\n" for line in lines)


def _text_line(finding: Finding, color: bool) -> str:
    region = finding.region
    location = f"{finding.path}:{region.line}:{region.column}:"
    code = finding.code
    if color:
        location = click.style(location, bold=True)
        code = click.style(code, fg=_SEVERITY_COLOURS[finding.severity or Severity.WARNING], bold=True)
    return f"{location} {code} {finding.message}"


def _summary_line(report: Report) -> str:
    documents = len(report.documents)
    noun = "document" if documents == 1 else "documents"
    if not report.findings:
        return f"No findings in {documents} {noun}."
    counts = report.severity_counts()
    parts = [f"{counts[s]} {s.value}" for s in (Severity.ERROR, Severity.WARNING, Severity.INFO) if counts[s]]
    total = len(report.findings)
    return f"Found {total} finding{'s' if total != 1 else ''} ({', '.join(parts)}) in {documents} {noun}."


def render_json(report: Report) -> str:
    """One JSON object: ``version``, ``findings``, ``documents`` (with measures), ``problems``."""
    rows = {row.path: row for row in summary_rows(report)}
    payload: dict[str, Any] = {
        "version": report.version,
        "findings": [_finding_json(f) for f in report.findings],
        "documents": [
            {"path": d.path, "encoding": d.encoding, "lines": d.lines, **dict(sorted(d.measures.items())),
             **document_json(d, report, rows)}
            for d in report.documents
        ],
        "problems": [
            {"level": p.level, "message": p.message, "path": p.path, "plugin": p.plugin}
            for p in report.problems
        ],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def _finding_json(finding: Finding) -> dict[str, Any]:
    region = finding.region
    return {
        "code": finding.code,
        "severity": (finding.severity or Severity.WARNING).value,
        "message": finding.message,
        "path": finding.path,
        "line": region.line,
        "column": region.column,
        "end_line": region.end_line,
        "end_column": region.end_column,
        "fingerprint": finding.fingerprint,
        "related": [
            {"path": r.path, "line": r.region.line, "column": r.region.column,
             "end_line": r.region.end_line, "end_column": r.region.end_column, "message": r.message}
            for r in finding.related
        ],
    }


@srcaudit.hookimpl(trylast=True)
def srcaudit_reporters() -> list[Reporter]:
    return [
        Reporter("text", "one line per finding: path:line:col: CODE message (default)", render_text),
        Reporter("json", "findings, per-document measures and problems as one JSON object", render_json),
    ]
