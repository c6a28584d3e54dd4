"""``--format html``: one self-contained page that shows the sources side by side.

A fact-checker comparing five outlets would rather look at the documents than read sixty
lint lines. The page has four parts, all plain HTML with inline CSS (no script, no font,
no request of any kind at view time; a Content-Security-Policy forbids them):

1. a per-source summary table: findings per rule family and every measure plugins published;
2. cross-source panels: every finding with a related location in another document, its text
   span next to the other document's span, with the differing words marked;
3. each document in full, one anchor per line, findings highlighted in place (with a note
   before the span that links to its related locations), spans that other findings point at
   marked with a link back, and boilerplate lines greyed and labelled;
4. the rules that fired, and any problems of the run.

Where the text comes from. The :class:`~srcaudit.report.Report` carries findings and
measures, not text; keeping every document's text in memory until rendering would cost
every other format memory for nothing. srcaudit never modifies the files it audits, and
the reporter runs in the same process right after the check, so it re-reads each file by
its path (as the user gave it, relative to the same working directory) with the same
decoder (:meth:`Document.from_bytes`). If a file has gone or its line count no longer
matches the check's, its text is left out with a note instead of being misaligned.

Where the line roles come from. Line roles exist inside the map phase, after the
configured classifier ran with the configured options; the engine keeps the roles the
checks actually saw in :attr:`DocumentSummary.line_roles` (a tuple per document, mostly
``None``). Re-running the classifier here would need the run's plugin manager and
effective options, which a reporter does not get; publishing them as a measure would put
a bulky, non-measure value into every JSON report.

All document text, messages, paths and measure values are escaped with
:func:`html.escape`: the documents are untrusted input, and a ``<script>`` in an article
must stay text.
"""

from __future__ import annotations

import difflib
import html
import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import srcaudit
from srcaudit.api import Document, DocumentSummary, Finding, Region, Report, Reporter, Severity
from srcaudit.decoding import NotText

#: Longest span shown in a side-by-side panel; the full text is one link away.
_PANEL_CHARS = 1500
#: Spans longer than this many words are shown without a word diff (difflib is quadratic).
_DIFF_WORDS = 400

_ICONS = {Severity.ERROR: "✖", Severity.WARNING: "▲", Severity.INFO: "ℹ"}
_ORDER = (Severity.ERROR, Severity.WARNING, Severity.INFO)


# -- hooks -------------------------------------------------------------------------------


@srcaudit.hookimpl
def srcaudit_reporters() -> list[Reporter]:
    return [Reporter("html", "one self-contained HTML page: summary table, sources side by side, "
                             "documents with findings in place (use with --output)", render_html)]


# -- the documents' text ----------------------------------------------------------------------


@dataclass
class SourceText:
    """One audited document as the page shows it."""

    index: int
    summary: DocumentSummary
    document: Document | None
    unavailable: str = ""

    @property
    def anchor(self) -> str:
        return f"doc-{self.index}"

    def line_anchor(self, line: int) -> str:
        return f"doc-{self.index}-L{line}"

    def span(self, region: Region) -> str | None:
        """The text of ``region``, or ``None`` if the text is not available or too short."""
        if self.document is None or region.end_line > len(self.document.lines):
            return None
        start = self.document.line_offset(region.line) + region.column - 1
        end = self.document.line_offset(region.end_line) + region.end_column - 1
        return self.document.text[start:end]


def load_texts(documents: Iterable[DocumentSummary]) -> list[SourceText]:
    """Re-read every audited file (see the module docstring for why that is sound)."""
    texts = []
    for index, summary in enumerate(documents):
        document, unavailable = _reread(summary)
        texts.append(SourceText(index, summary, document, unavailable))
    return texts


def _reread(summary: DocumentSummary) -> tuple[Document | None, str]:
    try:
        document = Document.from_bytes(summary.path, Path(summary.path).read_bytes())
    except OSError as exc:
        return None, f"text not shown: cannot read the file again ({exc.strerror or exc})"
    except NotText as exc:
        return None, f"text not shown: {exc}"
    if len(document.lines) != summary.lines:
        return None, (f"text not shown: the file has {len(document.lines)} lines now but had "
                      f"{summary.lines} when it was checked")
    return document, ""


# -- small HTML helpers -------------------------------------------------------------------------


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _severity(finding: Finding) -> Severity:
    return finding.severity or Severity.WARNING


def _severity_badge(severity: Severity) -> str:
    """Icon plus the word: severity must be readable without colour."""
    return (f'<span class="sev sev-{severity.value}"><span aria-hidden="true">{_ICONS[severity]}</span> '
            f"{severity.value}</span>")


def _family(code: str) -> str:
    return code.rstrip("0123456789") or code


def _format_measure(name: str, value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if ("share" in name or "ratio" in name) and 0.0 <= value <= 1.0:
            return f"{value:.0%}"
        return f"{value:.2f}"
    text = str(value)
    return text if len(text) <= 80 else text[:79] + "…"


# -- the page -------------------------------------------------------------------------------------


@dataclass
class _Page:
    """Everything the sections share: texts by path, findings numbered once."""

    report: Report
    texts: list[SourceText]
    by_path: dict[str, SourceText]
    finding_ids: dict[int, str]
    cross: list[tuple[int, Finding]]

    def location_link(self, path: str, region: Region, label: str | None = None) -> str:
        source = self.by_path.get(path)
        text = _e(label or f"{path}:{region.line}")
        if source is None:
            return text
        return f'<a href="#{source.line_anchor(region.line)}">{text}</a>'


def render_html(report: Report) -> str:
    """The whole page, as one string."""
    texts = load_texts(report.documents)
    findings = list(report.findings)
    page = _Page(
        report=report,
        texts=texts,
        by_path={t.summary.path: t for t in texts},
        finding_ids={n: f"finding-{n}" for n in range(len(findings))},
        cross=[(n, f) for n, f in enumerate(findings)
               if any(r.path != f.path for r in f.related)],
    )
    body = "\n".join([
        _header(report, page),
        '<main id="main" tabindex="-1">',
        _summary_section(page),
        _cross_section(page),
        _documents_section(page),
        _rules_section(page),
        _problems_section(report),
        "</main>",
    ])
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "style-src 'unsafe-inline'; img-src data:\">\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>srcaudit report: {len(report.findings)} findings in {len(report.documents)} documents</title>\n"
        f"<style>{_CSS}</style>\n</head>\n<body>\n"
        '<a class="skip" href="#main">Skip to the report</a>\n'
        f"{body}\n</body>\n</html>\n"
    )


def _header(report: Report, page: _Page) -> str:
    counts = report.severity_counts()
    parts = [f"{_severity_badge(s)}: {counts[s]}" for s in _ORDER if counts[s]] or ["no findings"]
    nav = [('summary', "Summary per source"), ('cross', f"Across sources ({len(page.cross)})"),
           ('documents', f"Documents ({len(page.texts)})"), ('rules', "Rules")]
    if report.problems:
        nav.append(('problems', f"Problems ({len(report.problems)})"))
    links = "".join(f'<li><a href="#{anchor}">{_e(label)}</a></li>' for anchor, label in nav)
    return (f"<header><h1>srcaudit report</h1>\n<p>{len(report.findings)} findings in "
            f"{len(report.documents)} documents: {', '.join(parts)}. srcaudit {_e(report.version)}.</p>\n"
            f'<nav aria-label="Sections"><ul>{links}</ul></nav></header>')


# -- 1. summary table ----------------------------------------------------------------------------


def _summary_section(page: _Page) -> str:
    report = page.report
    families = sorted({_family(code) for code in report.rules} | {_family(f.code) for f in report.findings})
    measures = sorted({name for d in report.documents for name in d.measures})
    per_document: dict[str, list[Finding]] = defaultdict(list)
    for finding in report.findings:
        per_document[finding.path].append(finding)
    head = ['<th scope="col">Document</th>', '<th scope="col">Lines</th>', '<th scope="col">Findings</th>']
    head += [f'<th scope="col" class="num">{_e(f)}</th>' for f in families]
    head += [f'<th scope="col" class="num">{_e(m.replace("_", " "))}</th>' for m in measures]
    rows = []
    for text in page.texts:
        summary = text.summary
        found = per_document.get(summary.path, [])
        worst = max((_severity(f) for f in found), key=lambda s: s.rank, default=None)
        total = f"{len(found)} " + (_severity_badge(worst) if worst else "")
        cells = [f'<th scope="row"><a href="#{text.anchor}">{_e(summary.path)}</a></th>',
                 f'<td class="num">{summary.lines}</td>', f"<td>{total}</td>"]
        for family in families:
            codes = Counter(f.code for f in found if _family(f.code) == family)
            detail = ", ".join(f"{code}×{n}" for code, n in sorted(codes.items()))
            cells.append(f'<td class="num">{sum(codes.values())}'
                         + (f'<br><small>{_e(detail)}</small>' if detail else "") + "</td>")
        cells += [f'<td class="num">{_e(_format_measure(m, summary.measures.get(m)))}</td>' for m in measures]
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (
        '<section id="summary" aria-labelledby="summary-title"><h2 id="summary-title">Summary per source</h2>\n'
        '<div class="scroll"><table class="summary">'
        "<caption>One row per document: findings by rule family (code prefix) and the measures "
        "rules published; — means not measured.</caption>\n"
        f"<thead><tr>{''.join(head)}</tr></thead>\n<tbody>\n" + "\n".join(rows) + "\n</tbody></table></div></section>"
    )


# -- 2. cross-source panels ----------------------------------------------------------------------


def _cross_section(page: _Page) -> str:
    if not page.cross:
        panels = "<p>No finding links two documents.</p>"
    else:
        panels = "\n".join(_cross_panel(page, number, finding) for number, finding in page.cross)
    return ('<section id="cross" aria-labelledby="cross-title"><h2 id="cross-title">Across sources</h2>\n'
            "<p>Findings that point at another document (copies, conflicting titles, quotes, figures, names): "
            "this document's span beside the other's. Words that differ are <mark class=\"diff\">boxed and "
            "bold</mark>.</p>\n" + panels + "</section>")


def _cross_panel(page: _Page, number: int, finding: Finding) -> str:
    severity = _severity(finding)
    here = page.by_path.get(finding.path)
    here_text = here.span(finding.region) if here else None
    sides = []
    for related in finding.related:
        if related.path == finding.path:
            continue
        other = page.by_path.get(related.path)
        other_text = other.span(related.region) if other else None
        left, right, note = _word_diff(here_text, other_text)
        sides.append(
            '<div class="pair">'
            f'<figure class="side"><figcaption>This source: '
            f"{page.location_link(finding.path, finding.region, _where(finding.path, finding.region))}"
            f"</figcaption><blockquote>{left}</blockquote></figure>"
            f'<figure class="side"><figcaption>{_e(related.message or "Other source")}: '
            f"{page.location_link(related.path, related.region, _where(related.path, related.region))}"
            f"</figcaption><blockquote>{right}</blockquote></figure>"
            f"{note}</div>"
        )
    return (f'<article class="conflict sev-{severity.value}" id="cross-{number}" '
            f'aria-labelledby="cross-{number}-title">'
            f'<h3 id="cross-{number}-title">{_severity_badge(severity)} <code>{_e(finding.code)}</code> '
            f"{_e(finding.message)}</h3>"
            f'<p class="back"><a href="#{page.finding_ids[number]}">Show in the document</a></p>'
            + "".join(sides) + "</article>")


def _where(path: str, region: Region) -> str:
    return f"{path}:{region.line}:{region.column}"


def _clip(text: str) -> str:
    return text if len(text) <= _PANEL_CHARS else text[:_PANEL_CHARS - 1] + "…"


def _word_diff(left: str | None, right: str | None) -> tuple[str, str, str]:
    """Both spans as HTML, differing words wrapped in ``<mark class="diff">``, and a note."""
    if left is None or right is None:
        missing = '<span class="missing">(text not available)</span>'
        return (_e(_clip(left)) if left is not None else missing,
                _e(_clip(right)) if right is not None else missing, "")
    left, right = _clip(left), _clip(right)
    left_words, right_words = left.split(), right.split()
    if left_words == right_words:
        return _e(left), _e(right), '<p class="note-diff">Same wording.</p>'
    if max(len(left_words), len(right_words)) > _DIFF_WORDS:
        return _e(left), _e(right), '<p class="note-diff">Too long for a word-by-word comparison.</p>'
    matcher = difflib.SequenceMatcher(a=left_words, b=right_words, autojunk=False)
    left_html: list[str] = []
    right_html: list[str] = []
    changed = 0
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        _append_words(left_html, left_words[a1:a2], tag != "equal")
        _append_words(right_html, right_words[b1:b2], tag != "equal")
        changed += 0 if tag == "equal" else max(a2 - a1, b2 - b1)
    note = f'<p class="note-diff">{changed} word{"s" if changed != 1 else ""} differ.</p>'
    return " ".join(left_html), " ".join(right_html), note


def _append_words(out: list[str], words: list[str], changed: bool) -> None:
    if not words:
        return
    text = _e(" ".join(words))
    out.append(f'<mark class="diff">{text}</mark>' if changed else text)


# -- 3. documents with findings in place ----------------------------------------------------------


@dataclass
class _Mark:
    """A highlighted span on the page: a finding's own region, or a span another finding cites."""

    region: Region
    severity: Severity | None  # None: cited by another finding (a twin, the other side)


def _documents_section(page: _Page) -> str:
    notes_at: dict[str, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    marks: dict[str, list[_Mark]] = defaultdict(list)
    for number, finding in enumerate(page.report.findings):
        marks[finding.path].append(_Mark(finding.region, _severity(finding)))
        notes_at[finding.path][finding.region.line].append(_finding_note(page, number, finding))
        for related in finding.related:
            marks[related.path].append(_Mark(related.region, None))
            notes_at[related.path][related.region.line].append(_cited_note(page, number, finding, related.message))
    parts = [_document(page, text, marks[text.summary.path], notes_at[text.summary.path]) for text in page.texts]
    return ('<section id="documents" aria-labelledby="documents-title"><h2 id="documents-title">Documents</h2>\n'
            "<p>Each document in full. Highlighted spans carry findings (a note above says which); "
            '<span class="cited">dotted underlines</span> are spans another finding cites; '
            "greyed lines were classified as boilerplate (their kind is shown in the margin).</p>\n"
            + "\n".join(parts) + "</section>")


def _finding_note(page: _Page, number: int, finding: Finding) -> str:
    links = [f"{page.location_link(r.path, r.region, _where(r.path, r.region))}"
             + (f" ({_e(r.message)})" if r.message else "") for r in finding.related]
    related = f' <span class="related">See {"; ".join(links)}.</span>' if links else ""
    cross = (f' <a href="#cross-{number}">Side by side</a>.'
             if any(r.path != finding.path for r in finding.related) else "")
    return (f'<div class="note sev-{_severity(finding).value}" id="{page.finding_ids[number]}" role="note">'
            f"{_severity_badge(_severity(finding))} <code>{_e(finding.code)}</code> "
            f"line {finding.region.line}: {_e(finding.message)}.{related}{cross}</div>")


def _cited_note(page: _Page, number: int, finding: Finding, label: str) -> str:
    what = f" as {_e(label)}" if label else ""
    source = page.location_link(finding.path, finding.region, _where(finding.path, finding.region))
    return (f'<div class="note cited-note" role="note"><span aria-hidden="true">↩</span> Cited{what} by '
            f'<a href="#{page.finding_ids[number]}"><code>{_e(finding.code)}</code></a> at {source}.</div>')


def _document(page: _Page, text: SourceText, marks: list[_Mark], notes: Mapping[int, list[str]]) -> str:
    summary = text.summary
    heading = (f'<h3 id="{text.anchor}-title"><a href="#summary" class="up" aria-label="Back to the summary">↑</a> '
               f"{_e(summary.path)}</h3><p class=\"meta\">{summary.lines} lines, {_e(summary.encoding)}</p>")
    if text.document is None:
        body = f'<p class="missing">{_e(text.unavailable)}</p>' + "".join(
            note for line in sorted(notes) for note in notes[line])
    else:
        by_line: dict[int, list[_Mark]] = defaultdict(list)
        for mark in marks:
            for covered in range(mark.region.line, mark.region.end_line + 1):
                by_line[covered].append(mark)
        roles = text.summary.line_roles
        if len(roles) != len(text.document.lines):  # no classifier ran: every line is body
            roles = (None,) * len(text.document.lines)
        rows: list[str] = []
        for number, (line, role) in enumerate(zip(text.document.lines, roles), 1):
            rows.extend(notes.get(number, ()))
            rows.append(_line(text, number, line, by_line.get(number, []), role))
        body = '<div class="text">' + "\n".join(rows) + "</div>"
    return (f'<article class="document" id="{text.anchor}" aria-labelledby="{text.anchor}-title">'
            f"{heading}{body}</article>")


def _line(text: SourceText, number: int, line: str, marks: list[_Mark], role: str | None) -> str:
    classes = "line boilerplate" if role else "line"
    label = f'<span class="role">{_e(role)}</span>' if role else ""
    return (f'<div class="{classes}" id="{text.line_anchor(number)}">'
            f'<span class="ln" aria-hidden="true">{number}</span>{label}'
            f'<span class="t">{_highlight(line, number, marks)}</span></div>')


def _highlight(line: str, number: int, marks: list[_Mark]) -> str:
    """The escaped line with each segment wrapped by the marks covering it."""
    if not marks or not line:
        return _e(line)
    end_of_line = len(line) + 1
    spans = []
    for mark in marks:
        start = mark.region.column if mark.region.line == number else 1
        end = mark.region.end_column if mark.region.end_line == number else end_of_line
        start, end = max(1, min(start, end_of_line)), max(1, min(end, end_of_line))
        if end > start:
            spans.append((start, end, mark))
    cuts = sorted({1, end_of_line} | {s for s, _, _ in spans} | {e for _, e, _ in spans})
    out = []
    for start, end in itertools.pairwise(cuts):
        segment = _e(line[start - 1:end - 1])
        covering = [m for s, e, m in spans if s <= start and end <= e]
        own = [m.severity for m in covering if m.severity is not None]
        if own:
            worst = max(own, key=lambda s: s.rank)
            out.append(f'<mark class="hl sev-{worst.value}">{segment}</mark>')
        elif covering:
            out.append(f'<span class="cited">{segment}</span>')
        else:
            out.append(segment)
    return "".join(out)


# -- 4. rules and problems ------------------------------------------------------------------------


def _rules_section(page: _Page) -> str:
    fired = Counter(f.code for f in page.report.findings)
    rows = []
    for code, rule in sorted(page.report.rules.items()):
        rows.append(f'<tr><th scope="row"><code>{_e(code)}</code></th><td>{_e(rule.name)}</td>'
                    f"<td>{_severity_badge(rule.severity)}</td><td class=\"num\">{fired.get(code, 0)}</td>"
                    f"<td>{_e(rule.summary)}</td></tr>")
    return ('<section id="rules" aria-labelledby="rules-title"><h2 id="rules-title">Rules</h2>\n'
            "<p><code>srcaudit explain CODE</code> shows a rule's documentation.</p>"
            '<div class="scroll"><table><caption>The rules that ran</caption><thead><tr>'
            '<th scope="col">Code</th><th scope="col">Name</th><th scope="col">Default severity</th>'
            '<th scope="col" class="num">Findings</th><th scope="col">What it finds</th></tr></thead><tbody>'
            + "".join(rows) + "</tbody></table></div></section>")


def _problems_section(report: Report) -> str:
    if not report.problems:
        return ""
    items = "".join(f"<li><strong>{_e(p.level)}</strong>: {_e(p.path + ': ') if p.path else ''}{_e(p.message)}</li>"
                    for p in report.problems)
    return (f'<section id="problems" aria-labelledby="problems-title"><h2 id="problems-title">Problems</h2>'
            f"<ul>{items}</ul></section>")


_CSS = re.sub(r"\s*\n\s*", "", """
:root { color-scheme: light; --ink: #1b1b1b; --muted: #5c5c5c; --line: #d0d0d0; --focus: #0b57d0; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
       margin: 0 auto; max-width: 78rem; padding: 0 1rem 4rem; background: #fff; }
h1 { margin: 1rem 0 .25rem; } h2 { border-bottom: 2px solid var(--ink); margin-top: 2.5rem; }
a { color: #0b4fa8; } a:focus-visible, main:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.skip { position: absolute; left: -999px; top: 0; background: #fff; padding: .5rem 1rem; z-index: 10; }
.skip:focus { left: 1rem; }
nav ul { display: flex; flex-wrap: wrap; gap: .25rem 1.25rem; list-style: none; padding: 0; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; font-size: 14px; }
caption { text-align: left; color: var(--muted); padding: .25rem 0; }
th, td { border: 1px solid var(--line); padding: .3rem .5rem; text-align: left; vertical-align: top; }
thead th { background: #f1f1f1; } .num { text-align: right; }
small { color: var(--muted); }
.sev { font-weight: 600; white-space: nowrap; }
.sev-error .sev, .sev.sev-error { color: #a50e0e; }
.sev.sev-warning { color: #7a4a00; } .sev.sev-info { color: #0b4fa8; }
.conflict { border: 1px solid var(--line); border-left: 6px double var(--ink); padding: .5rem 1rem;
            margin: 1rem 0; }
.conflict h3 { font-size: 1rem; margin: .25rem 0; }
.pair { display: grid; grid-template-columns: 1fr 1fr; gap: 1rem; }
.pair .note-diff { grid-column: 1 / -1; margin: 0; color: var(--muted); }
.side { margin: 0; } .side figcaption { font-weight: 600; }
blockquote { margin: .25rem 0; padding: .5rem; background: #f7f7f7; border-left: 3px solid var(--line);
             white-space: pre-wrap; }
mark.diff { background: #fff1a8; font-weight: 700; outline: 1px solid #6b5800; }
.document { margin: 2rem 0; }
.meta { color: var(--muted); margin: 0 0 .5rem; }
.text { border-top: 1px solid var(--line); }
.line { display: grid; grid-template-columns: 3.5rem auto 1fr; gap: .5rem; white-space: pre-wrap;
        overflow-wrap: anywhere; padding: 0 .25rem; }
.line:target { outline: 3px dashed var(--focus); background: #eef4ff; }
.ln { color: var(--muted); text-align: right; user-select: none; font-variant-numeric: tabular-nums; }
.role { grid-column: 2; font-size: 12px; border: 1px solid var(--muted); border-radius: 3px; padding: 0 .25rem;
        align-self: start; color: var(--muted); }
.line .t { grid-column: 3; }
.boilerplate { color: #767676; font-style: italic; background: #f4f4f4; }
mark.hl { background: #fff1a8; color: inherit; border-bottom: 2px solid var(--ink); }
mark.hl.sev-error { background: #ffd7d2; border-bottom-style: double; border-bottom-width: 4px; }
mark.hl.sev-info { background: #dceaff; border-bottom-style: dashed; }
.cited { text-decoration: underline dotted 2px; text-underline-offset: 3px; }
.note { margin: .5rem 0 .25rem 4rem; padding: .25rem .5rem; border: 1px solid var(--line);
        border-left: 4px solid var(--ink); background: #fafafa; font-size: 14px; }
.note:target { outline: 3px dashed var(--focus); }
.cited-note { border-left-style: dotted; }
.missing { color: var(--muted); font-style: italic; }
.up { text-decoration: none; }
@media (prefers-color-scheme: dark) {
  :root { color-scheme: dark; --ink: #e8e8e8; --muted: #a8a8a8; --line: #4a4a4a; --focus: #8ab4f8; }
  body { background: #161616; } a { color: #8ab4f8; } thead th { background: #262626; }
  blockquote, .note { background: #202020; } .boilerplate { background: #1f1f1f; color: #9a9a9a; }
  mark.hl, mark.diff { background: #5c4b00; color: #fff; } mark.hl.sev-error { background: #6b1d1d; }
  mark.hl.sev-info { background: #1d3a6b; } .skip { background: #161616; }
  .sev.sev-error { color: #ff8a80; } .sev.sev-warning { color: #ffcc66; } .sev.sev-info { color: #8ab4f8; }
}
@media (max-width: 50rem) { .pair { grid-template-columns: 1fr; } }
""")
