"""Duplication within one document: DUP001 (repeated paragraphs) and DUP003 (repeated short lines).

Both rules find the same thing at two sizes: a unit of text that appears again later in
the same document. Long paragraphs are compared by MinHash signatures of their word
shingles (candidate pairs from the banded LSH in :mod:`srcaudit.lsh`) and confirmed with
the exact Jaccard similarity; short lines (headlines, captions, widget labels) are compared
exactly after folding case, accents and punctuation. Repeats that follow each other are
merged into one run, so a block of ten pasted paragraphs is one finding that points at
the first copy.

Memory stays a fraction of the document's size: per paragraph only a word count and,
for long paragraphs, one signature row are kept; objects are built only for paragraphs
that repeat (a 200 MB file of half a million paragraphs needs under 1x its size here).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

import srcaudit
from srcaudit.api import ActiveRules, Document, Finding, Paragraph, Region, RelatedLocation, Rule, RuleOption, Severity
from srcaudit.lsh import band_layout, candidate_pairs
from srcaudit.text import SignatureTable, comparison_key, jaccard, prepare_signing, shingle_hashes, word_count, word_tuple

NUM_PERM = 64
SHINGLE_SIZE = 2
_SNIPPET = 48
# How many earlier occurrences of one text a copy is compared with (bounds the work on
# pages that repeat a block thousands of times).
_MAX_ORIGINALS = 16

DUP001 = Rule(
    code="DUP001",
    name="repeated-paragraph",
    summary="A paragraph repeats an earlier paragraph of the same document, exactly or nearly.",
    severity=Severity.WARNING,
    tags=("duplication",),
    options=(
        RuleOption("threshold", 0.6, "Lowest Jaccard similarity of word-pair shingles that counts as a repeat."),
        RuleOption("min_words", 10, "Paragraphs with fewer words are left to DUP003."),
    ),
    documentation="""
## What it does
Finds paragraphs that appear twice in one document, word for word or with small edits.
Consecutive repeated paragraphs are reported once, as a run, pointing at the first copy.

## Why it matters
A source that repeats itself was assembled carelessly: a scraper that captured a page
twice, a CMS that rendered a block twice, or an editor who pasted text over itself. The
repeated text inflates the document and skews every count made from it, and the mistake
suggests nobody checked the source before publishing or collecting it.

## Example
```text
Officials note that the project was delayed by two years.   <- line 5
...
Officials note that the project was delayed by two years.   <- line 17: DUP001, repeats line 5
```

## How to fix
Delete the second copy (or re-collect the page). If the repetition is in the original
publication, keep the file as collected and suppress the finding for it.
""",
)

DUP003 = Rule(
    code="DUP003",
    name="repeated-short-line",
    summary="A short line (headline, caption, label) appears again in the same document.",
    severity=Severity.INFO,
    tags=("duplication",),
    options=(RuleOption("min_words", 1, "Shorter lines are ignored."),),
    documentation="""
## What it does
Finds short lines (fewer words than DUP001's `min_words`) that appear more than once in a
document, also when only case, accents or punctuation differ: a headline printed twice
(once in capitals), a caption repeated under a photo, a widget label.

## Why it matters
Repeated headlines and labels are a sign of a page saved with its template or captured
twice. They distort word counts and duplicate detection, and a headline repeated in
another case often means two versions of the page were merged.

## Example
```text
Markets Rally After Rate Cut          <- line 1
markets rally after rate cut          <- line 3: DUP003, repeats line 1 (differs in case or punctuation)
```

## How to fix
Remove the extra copy, or re-save the page's text without its template.
""",
)


@srcaudit.hookimpl
def srcaudit_rules() -> list[Rule]:
    return [DUP001, DUP003]


@srcaudit.hookimpl
def srcaudit_prepare(rules: ActiveRules) -> None:
    """Draw the permutations and choose the band layout once, before the workers fork."""
    if rules.enabled("DUP001"):
        prepare_signing(NUM_PERM)
        _lsh_params(rules.option("DUP001", "threshold"))


@dataclass(frozen=True)
class _Unit:
    """A paragraph taking part in a repeat (built only for those: most paragraphs never repeat)."""

    position: int  # index among the body paragraphs (runs must be contiguous here)
    paragraph: Paragraph
    word_count: int
    key: str


class _Paragraphs:
    """The body paragraphs in compact form: word counts in an array, no object per paragraph.

    A 200 MB file has half a million paragraphs; a dataclass and a folded key string for
    each cost several times the file's size, so only short lines keep their key (they are
    compared exactly) and long paragraphs keep nothing but a row of MinHash signature
    (:class:`srcaudit.text.SignatureTable`: only one batch's shingles live at once).
    """

    def __init__(self, document: Document, min_long: int) -> None:
        self.paragraphs = document.body_paragraphs
        self.word_counts = np.zeros(len(self.paragraphs), dtype=np.int64)
        self.long_positions: list[int] = []
        self.short_keys: dict[int, str] = {}  # position -> comparison key
        self._min_long = min_long
        self._table = SignatureTable(len(self.paragraphs), SHINGLE_SIZE, NUM_PERM)
        for position, paragraph in enumerate(self.paragraphs):
            tokens = word_tuple(paragraph.text)  # the cached tuple: no copy
            if not tokens:  # nothing to compare (the paragraph is only punctuation)
                continue
            words_here = self.word_counts[position] = word_count(paragraph.text)
            if words_here < min_long:
                self.short_keys[position] = " ".join(tokens)
                continue
            self.long_positions.append(position)
            self._table.add(tokens)

    @property
    def signatures(self) -> np.ndarray:
        """The long paragraphs' MinHash signatures, one row each, in order."""
        return self._table.signatures

    def unit(self, position: int) -> _Unit:
        paragraph = self.paragraphs[position]
        key = self.short_keys.get(position)
        return _Unit(position, paragraph, int(self.word_counts[position]),
                     key if key is not None else comparison_key(paragraph.text))

    def is_long(self, position: int) -> bool:
        return bool(self.word_counts[position] >= self._min_long)


@srcaudit.hookimpl
def srcaudit_check_document(document: Document, rules: ActiveRules) -> list[Finding]:
    if not rules.any_enabled("DUP001", "DUP003"):
        return []
    min_long = rules.option("DUP001", "min_words") if rules.enabled("DUP001") else DUP001.options[1].default
    paragraphs = _Paragraphs(document, min_long)
    threshold = rules.option("DUP001", "threshold") if rules.enabled("DUP001") else 1.0
    earlier: dict[int, dict[int, float]] = defaultdict(dict)  # later position -> {earlier position: similarity}
    _pair_long(paragraphs, threshold, earlier)
    _pair_short(paragraphs.short_keys, earlier)
    findings: list[Finding] = []
    covered: set[int] = set()
    short_singles: list[tuple[_Unit, _Unit]] = []
    for position in sorted(earlier):
        if position in covered:
            continue
        start, length = _longest_run(position, earlier)
        run = range(position, position + length)
        covered.update(run)
        has_long = any(paragraphs.is_long(p) for p in run)
        if has_long and rules.enabled("DUP001"):
            findings.append(_run_finding("DUP001", document, paragraphs, run, start, earlier))
        elif not has_long and length > 1 and rules.enabled("DUP003"):
            findings.append(_run_finding("DUP003", document, paragraphs, run, start, earlier))
        elif not has_long:
            short_singles.append((paragraphs.unit(position), paragraphs.unit(start)))
    if rules.enabled("DUP003"):
        findings.extend(_short_line_findings(document, short_singles, rules.option("DUP003", "min_words")))
    return findings


def _pair_long(paragraphs: _Paragraphs, threshold: float, earlier: dict[int, dict[int, float]]) -> None:
    """Record near-duplicate pairs among long paragraphs: LSH candidates, exact Jaccard check."""
    positions = paragraphs.long_positions
    if len(positions) < 2:
        return
    pairs = candidate_pairs(paragraphs.signatures, *_lsh_params(threshold), leaders=_MAX_ORIGINALS)
    # Each paragraph is compared with the first few members of its buckets only: later copies
    # are still found (through those), and a page of a thousand identical blocks stays linear.
    # Shingles are computed again for the few candidates instead of being kept for all.
    for j, i in pairs.tolist():  # j < i: j is the earlier paragraph
        later, first = positions[i], positions[j]
        similarity = jaccard(_shingles(paragraphs.paragraphs[later].text), _shingles(paragraphs.paragraphs[first].text))
        if similarity >= threshold:
            earlier[later][first] = similarity


def _shingles(text: str) -> np.ndarray:
    return shingle_hashes(word_tuple(text), SHINGLE_SIZE)


def _pair_short(short_keys: dict[int, str], earlier: dict[int, dict[int, float]]) -> None:
    seen: dict[str, list[int]] = defaultdict(list)
    for position, key in short_keys.items():
        for first in seen[key]:
            earlier[position][first] = 1.0
        # Link to the first few occurrences only: linear even for a widget label repeated
        # ten thousand times, while pasted blocks still line up as runs.
        if len(seen[key]) < _MAX_ORIGINALS:
            seen[key].append(position)


@lru_cache(maxsize=16)
def _lsh_params(threshold: float) -> tuple[int, int]:
    # Index at a lower threshold than we report at: MinHash estimates vary, the exact check decides.
    return band_layout(max(0.2, threshold - 0.2), NUM_PERM)


def _longest_run(position: int, earlier: dict[int, dict[int, float]]) -> tuple[int, int]:
    """The earlier start and length of the longest run of repeats beginning at ``position``."""
    best_start, best_length = min(earlier[position]), 1
    for start in sorted(earlier[position]):
        length = 1
        while (start + length < position  # the original run ends before the copy begins
               and start + length in earlier.get(position + length, {})):
            length += 1
        if length > best_length:
            best_start, best_length = start, length
    return best_start, best_length


def _span(units: list[_Unit]) -> Region:
    first, last = units[0].paragraph.region, units[-1].paragraph.region
    return Region(first.line, first.column, last.end_line, last.end_column)


def _run_finding(code: str, document: Document, paragraphs: _Paragraphs, run: range, start: int,
                 earlier: dict[int, dict[int, float]]) -> Finding:
    copies = [paragraphs.unit(p) for p in run]
    originals = [paragraphs.unit(p) for p in range(start, start + len(run))]
    original_region = _span(originals)
    similarity = min(earlier[c.position][o.position] for c, o in zip(copies, originals))
    what = "paragraph" if code == "DUP001" else "line"
    if len(copies) == 1:
        subject = f"{what} repeats {original_region.describe_lines()}"
    else:
        subject = f"run of {len(copies)} {what}s repeats {original_region.describe_lines()}"
    detail = f"similarity {similarity:.2f}" if code == "DUP001" else _case_note(copies, originals)
    return Finding(
        code=code,
        message=f"{subject} ({detail})" if detail else subject,
        path=document.path,
        region=_span(copies),
        related=(RelatedLocation(document.path, original_region, "first copy"),),
    )


def _case_note(copies: list[_Unit], originals: list[_Unit]) -> str:
    same = all(c.paragraph.text == o.paragraph.text for c, o in zip(copies, originals))
    return "" if same else "differs only in case or punctuation"


def _short_line_findings(document: Document, singles: list[tuple[_Unit, _Unit]], min_words: int) -> list[Finding]:
    """One finding per distinct repeated short line, at its second occurrence, listing the others."""
    groups: dict[str, list[tuple[_Unit, _Unit]]] = defaultdict(list)
    for copy, original in singles:
        if copy.word_count >= min_words:
            groups[copy.key].append((copy, original))
    findings = []
    for occurrences in groups.values():
        copy, original = occurrences[0]
        snippet = original.paragraph.text
        if len(snippet) > _SNIPPET:
            snippet = snippet[:_SNIPPET - 1].rstrip() + "…"
        more = len(occurrences) - 1
        message = f'line "{snippet}" repeats {original.paragraph.region.describe_lines()}'
        notes = [note for note in (_case_note([copy], [original]),
                                   f"and {more} more time{'s' if more != 1 else ''}" if more else "") if note]
        if notes:
            message += f" ({'; '.join(notes)})"
        related = [RelatedLocation(document.path, original.paragraph.region, "first occurrence")]
        related += [RelatedLocation(document.path, later.paragraph.region, "repeated again")
                    for later, _ in occurrences[1:20]]
        findings.append(Finding("DUP003", message, document.path, copy.paragraph.region, tuple(related)))
    return findings
