"""A tiny third-party plugin for tests: a corpus rule and an output format.

XRF001 reports documents whose first line is the same as another document's, with the
other document as a related location; its message deliberately contains the characters
every output format must escape (``%``, ``:``, ``,``, ``[``, ``]`` and a newline).
Loaded through ``plugins = ["crossref_plugin"]`` in a test's rules.toml, exactly as a
user's own plugin module would be.
"""

from __future__ import annotations

from collections import defaultdict

import srcaudit
from srcaudit.api import Finding, Region, RelatedLocation, Report, Reporter, Rule, Severity

XRF001 = Rule(
    code="XRF001", name="shared-first-line", summary="Two documents start with the same line.",
    severity=Severity.ERROR, scope="corpus", tags=("test",),
    documentation="## What it does\nFinds documents that start alike.\n\n## Why it matters\nTests.\n\n"
                  "## Example\n```text\nsame\n```\n\n## How to fix\nChange one.\n",
)


@srcaudit.hookimpl
def srcaudit_rules():
    return [XRF001]


@srcaudit.hookimpl
def srcaudit_extract_facts(document, rules):
    if not rules.enabled("XRF001") or not document.lines:
        return None
    return {"crossref": {"first": document.lines[0].strip(), "length": len(document.lines[0])}}


@srcaudit.hookimpl
def srcaudit_check_corpus(corpus, rules):
    if not rules.enabled("XRF001"):
        return []
    groups = defaultdict(list)
    for document, facts in corpus.facts("crossref"):
        if facts["first"]:
            groups[facts["first"]].append((document.path, facts["length"]))
    findings = []
    for first, members in groups.items():
        (original, length), *others = members
        for path, other_length in others:
            findings.append(Finding(
                "XRF001", f'first line [shared] with {original}:1, 100% "same"\nsecond line', path,
                Region(1, 1, 1, other_length + 1),
                related=(RelatedLocation(original, Region(1, 1, 1, length + 1), "first seen"),),
                anchor=first,
            ))
    return findings


def render_count(report: Report) -> str:
    return f"{len(report.findings)} findings\n"


@srcaudit.hookimpl
def srcaudit_reporters():
    return [Reporter("count", "number of findings (a third-party format)", render_count)]


#: A rules.toml that loads this plugin.
CONFIG = 'plugins = ["crossref_plugin"]\nselect = ["DUP001", "DUP003", "XRF"]\n'

#: A paragraph long enough for DUP001 (which compares paragraphs of ten words or more).
PARAGRAPH = "The regional council approved the new library budget on Monday after a long public debate."
