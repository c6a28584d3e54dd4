"""The syndication rules' metadata and documentation (shown by ``srcaudit explain``)."""

from __future__ import annotations

from srcaudit.api import Rule, RuleOption, Severity

DUP002 = Rule(
    code="DUP002",
    name="shared-paragraph",
    summary="A paragraph shares most of its text with a paragraph of another document.",
    severity=Severity.WARNING,
    scope="corpus",
    tags=("duplication",),
    options=(
        RuleOption("min_words", 8, "Paragraphs with fewer words are left to the boilerplate rules."),
        RuleOption("threshold", 0.6, "Lowest share of the shorter paragraph's words that must appear, "
                                     "in order, in the other paragraph."),
        RuleOption("title_threshold", 0.9, "The same share when either paragraph is a title line (the "
                                           "document's first line, alone in its paragraph, at most 20 words)."),
        RuleOption("lsh_threshold", 0.3, "Word-pair Jaccard similarity the LSH index is tuned for "
                                         "(lower finds more heavily edited copies, at more comparisons)."),
    ),
    documentation="""
## What it does
Finds body paragraphs (at least `min_words` words) that appear in another document of the
corpus, word for word or with a few words changed, added or dropped. Consecutive shared
paragraphs are reported as one run, once per pair of documents, at the document that comes
later in path order, with the earlier document's paragraphs as related location. A
paragraph found in several other documents is reported once per document, listing the
earlier copies (the message names three, the related locations give up to five; the first
copy in path order gets no finding), so N copies give N - 1 findings, not N² / 2.

How candidates are found and confirmed:
1. Map phase: each paragraph's words are folded (case, accents, punctuation) and hashed;
   a 64-permutation MinHash signature of its word pairs (2-shingles) is computed.
2. Reduce phase: identical paragraphs are grouped by a hash of their word sequence; one
   paragraph per group enters a banded MinHash LSH index (21 bands of 3 rows at the
   default `lsh_threshold` 0.3), so only paragraphs sharing a band are compared, never
   all pairs.
3. Every candidate pair is confirmed exactly: the longest common subsequence of the two
   word sequences must cover at least `threshold` of the shorter paragraph. An 8-word
   paragraph with 3 words replaced keeps 5 of 8 words in order (0.62) and is found;
   a copy with words added or dropped keeps the shorter one whole (1.0).
   Word-triple Jaccard, by contrast, falls to about 0.33 for one edit in 8 words.
   A title line (the document's first line, alone in its paragraph, at most 20 words)
   needs `title_threshold` (0.9): two outlets' headlines of one story share its names and
   key words ("Mayor urges council to back the budget" / "Mayor: council should back
   budget") without either copying the other, while a syndicated copy keeps its headline
   whole or nearly so.
4. A match that lies in a quotation both paragraphs report is not a copy: outlets that
   cover one story independently quote the same statement word for word, each in a
   sentence of its own. When at least one paragraph quotes (words inside quotation
   marks), the words *outside* the quotes are compared too: if one paragraph is a bare
   quote (fewer than 4 words of its own, as in `"...," she said.`) while the other frames
   it, or both frame it and their framing words do not match by `threshold`, the pair is
   a shared quotation and is not reported. Two bare quotes are compared as they are.

Copies connected through a chain of confirmed near-copies are listed together.

## Why it matters
Sources are only as independent as their texts. A paragraph pasted from another outlet or
a syndicated wire story presented as original reporting means two "sources" are really one,
and any claim they both support has one witness, not two.

## Example
```text
a.txt:5   The council approved the new budget on Tuesday after a three-hour debate.
b.txt:9   The council approved the new budget on Monday after a three-hour debate.
b.txt:9:1: DUP002 paragraph shared with a.txt:5 (similarity 0.92)
```

## How to fix
Keep one copy of the shared text and credit its origin; treat documents that share it as
one source when weighing evidence. If the overlap is a legitimate quotation, suppress the
finding for that file.
""",
)

DUP004 = Rule(
    code="DUP004",
    name="overlapping-documents",
    summary="Two documents largely overlap: likely the same upstream text, lightly edited.",
    severity=Severity.WARNING,
    scope="corpus",
    tags=("duplication",),
    options=(
        RuleOption("threshold", 0.5, "Lowest share of a document's body words, in paragraphs shared "
                                     "with the other document, that counts as overlap."),
        RuleOption("max_copies", 100, "Paragraphs found in more documents than this are treated as "
                                      "template text and do not count towards document overlap."),
    ),
    documentation="""
## What it does
Measures, for each pair of documents that share paragraphs (as DUP002 finds them), the share
of each document's body words that lie in paragraphs shared with the other. When that share
reaches `threshold`, the document is reported once, listing the documents it overlaps with
(largest overlap first). When both documents of a pair overlap each other that much, only
the later one in path order is reported.

## Why it matters
Two documents that are mostly the same text (a wire story republished by two outlets, one
press release rewritten lightly) are one source, not two. Counting them twice overstates how
well a claim is supported.

## Example
```text
b.txt:3:1: DUP004 document shares 86% of its words with a.txt (which shares 91% of its own)
```

## How to fix
Keep the original (or the fullest) version and drop or mark the copies; cite the upstream
source.
""",
)
