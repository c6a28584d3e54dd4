"""Built-in output formats: ``text`` (lint lines, like ruff) and ``json`` (for tools)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import partial
from typing import Any

import click

import srcaudit
from srcaudit.api import DocumentSummary, Finding, Report, Reporter, Severity

from .summary import document_json, family_counts, render_summary_table

_SEVERITY_COLOURS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "blue"}


def render_text(report: Report) -> str:
    """``path:line:col: CODE message`` per finding, sorted, then a one-line summary."""
    return "".join(stream_text(report))


def stream_text(report: Report) -> Iterator[str]:
    """:func:`render_text` in chunks of lines (a large report is never one string).

    With the ``statistics`` option (``check --statistics``) a count per rule stands in for
    the findings, as ``ruff check --statistics`` prints it.
    """
    if report.options.get("statistics"):
        yield from _statistics_lines(report)
    else:
        color = report.color
        chunk: list[str] = []
        for block in report.finding_blocks(partial(_text_block, color=color), "text:color" if color else "text"):
            chunk.append(block)
            if len(chunk) >= _CHUNK_DOCUMENTS:
                yield "".join(chunk)
                chunk = []
        if chunk:
            yield "".join(chunk)
    if report.options.get("summary"):
        yield render_summary_table(report).rstrip("\n") + "\n"
    if not report.options.get("quiet"):
        yield _summary_line(report) + "\n"


def _text_block(findings: Sequence[Finding], color: bool) -> str:
    """The lines of one document's findings."""
    return "".join(_text_line(finding, color) + "\n" for finding in findings)


def _text_line(finding: Finding, color: bool) -> str:
    region = finding.region
    location = f"{finding.path}:{region.line}:{region.column}:"
    code = finding.code
    if color:
        location = click.style(location, bold=True)
        code = click.style(code, fg=_SEVERITY_COLOURS[finding.severity or Severity.WARNING], bold=True)
    return f"{location} {code} {finding.message}"


def _statistics_lines(report: Report) -> Iterator[str]:
    """One line per rule with findings, most frequent first: count, code, severity, name."""
    counts = Counter(finding.code for finding in report.findings)
    severities = {finding.code: finding.severity or Severity.WARNING for finding in report.findings}  # as configured
    width = len(str(max(counts.values(), default=0)))
    for code, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        rule = report.rules.get(code)
        name = rule.name if rule else ""
        yield f"{count:>{width}}  {code}  {severities[code].value:<7}  {name}".rstrip() + "\n"


def _summary_line(report: Report) -> str:
    documents = len(report.documents)
    noun = "document" if documents == 1 else "documents"
    if not report.findings:
        return f"No findings in {documents} {noun}."
    counts = report.severity_counts()
    parts = [f"{counts[s]} {s.value}" for s in (Severity.ERROR, Severity.WARNING, Severity.INFO) if counts[s]]
    total = len(report.findings)
    return f"Found {total} finding{'s' if total != 1 else ''} ({', '.join(parts)}) in {documents} {noun}."


#: Above this many findings and documents together, the JSON report is written one compact
#: line per item (the C encoder) instead of indented: ``indent=2`` runs Python's pure-Python
#: encoder, and at 100k documents its output is twice the size and takes minutes.
LARGE_JSON_ITEMS = 50_000
#: Items encoded per chunk handed to the writer: few write calls, bounded memory.
_CHUNK_ITEMS = 2_000
#: Documents' blocks of text lines per chunk handed to the writer.
_CHUNK_DOCUMENTS = 500


def render_json(report: Report) -> str:
    """One JSON object: ``version``, ``findings``, ``documents`` (with measures), ``problems``."""
    return "".join(stream_json(report))


def stream_json(report: Report) -> Iterator[str]:
    """:func:`render_json` in chunks, so the whole report never sits in memory as one string.

    Up to :data:`LARGE_JSON_ITEMS` items the text is exactly ``json.dumps(payload, indent=2)``;
    above, each finding, document and problem is one compact line (still one JSON object).
    """
    compact = len(report.findings) + len(report.documents) > LARGE_JSON_ITEMS
    layout = "compact" if compact else "indented"
    problems = ({"level": p.level, "message": p.message, "path": p.path, "plugin": p.plugin}
                for p in report.problems)
    encode = _compact_encoder.encode if compact else _indented_item
    separator = _separators(compact)[1]
    findings = report.finding_blocks(lambda group: separator.join(encode(_finding_json(f)) for f in group),
                                     f"json:{layout}")
    yield "{\n  \"version\": " + json.dumps(report.version, ensure_ascii=False) + ",\n  \"findings\": "
    yield from _json_array(findings, compact)  # a document's items, joined as the array joins them
    yield ",\n  \"documents\": "
    families = family_counts(report)
    yield from _json_array(report.document_blocks(lambda d: encode(_document_json(d, families)),
                                                  f"json-document:{layout}"), compact)
    yield ",\n  \"problems\": "
    yield from _json_array(map(encode, problems), compact)
    yield "\n}\n"


def _separators(compact: bool) -> tuple[str, str, str]:
    """Opening, separator and closing of an array at depth 1: one item per line, or as ``json.dumps(indent=2)``."""
    return ("[\n", ",\n", "\n]") if compact else ("[\n    ", ",\n    ", "\n  ]")


def _json_array(encoded: Iterable[str], compact: bool) -> Iterator[str]:
    """A JSON list at depth 1 of the report from its items encoded (or runs of them already
    joined by the separator): as ``json.dumps(indent=2)`` writes it, or one item per line."""
    opening, separator, closing = _separators(compact)
    chunk: list[str] = []
    for item in encoded:
        chunk.append(item)
        if len(chunk) == _CHUNK_ITEMS:
            yield (opening if opening else separator) + separator.join(chunk)
            chunk, opening = [], ""
    if chunk:
        yield (opening if opening else separator) + separator.join(chunk)
        opening = ""
    yield "[]" if opening else closing


_compact_encoder = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def _indented_item(item: dict[str, Any]) -> str:
    # JSON strings never hold a raw newline, so re-indenting the item's lines is exact.
    return json.dumps(item, indent=2, ensure_ascii=False).replace("\n", "\n    ")


def _document_json(document: DocumentSummary, families: Mapping[str, Counter[str]]) -> dict[str, Any]:
    return {"path": document.path, "encoding": document.encoding, "lines": document.lines,
            **dict(sorted(document.measures.items())), **document_json(document, families)}


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
        Reporter("text", "one line per finding: path:line:col: CODE message (default)", render_text,
                 stream=stream_text),
        Reporter("json", "findings, per-document measures and problems as one JSON object", render_json,
                 stream=stream_json),
    ]
