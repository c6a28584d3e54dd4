"""Turn copy groups into DUP002/DUP004 findings and the ``duplicated_share`` measure.

Reporting rule for both: a pair of documents is reported once, at the document later in
path order; a paragraph held by many documents gives one finding per document, listing
the earlier copies, never one finding per pair.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator


from srcaudit.api import Finding, Region, RelatedLocation

from .matching import CopyGroups, similarity

MAX_RELATED = 10  # earlier copies listed per finding (the message names 3); bounds memory at scale
_LISTED_IN_MESSAGE = 3


def _region(copies: CopyGroups, paragraph: int) -> Region:
    paragraphs = copies.paragraphs
    line, column, end_line, end_column = paragraphs.facts[paragraphs.document[paragraph]]["regions"][
        paragraphs.local[paragraph]].tolist()
    return Region(line, column, end_line, end_column)


def _span(regions: list[Region]) -> Region:
    first = min(regions)
    last = max(regions, key=lambda r: (r.end_line, r.end_column))
    return Region(first.line, first.column, last.end_line, last.end_column)


def _where(path: str, region: Region) -> str:
    lines = str(region.line) if region.end_line == region.line else f"{region.line}-{region.end_line}"
    return f"{path}:{lines}"


def shared_paragraph_findings(copies: CopyGroups) -> Iterator[Finding]:
    """DUP002: runs of consecutive paragraphs of a document held by the same earlier documents."""
    paragraphs = copies.paragraphs
    for document, path in enumerate(paragraphs.paths):
        run: list[int] = []
        run_others: tuple[int, ...] = ()
        for paragraph in range(int(paragraphs.start[document]), int(paragraphs.start[document + 1])):
            group = int(copies.group[paragraph])
            others = tuple(d for d in copies.documents[group] if d < document) if group >= 0 else ()
            if others and others == run_others:
                run.append(paragraph)
                continue
            if run:
                yield _shared_finding(copies, document, path, run, run_others)
            run, run_others = ([paragraph], others) if others else ([], ())
        if run:
            yield _shared_finding(copies, document, path, run, run_others)


def _shared_finding(copies: CopyGroups, document: int, path: str, run: list[int],
                    others: tuple[int, ...]) -> Finding:
    paragraphs = copies.paragraphs
    related = []
    lowest = 1.0
    for other in others[:MAX_RELATED]:
        matched = []
        for paragraph in run:
            theirs = [m for m in copies.members[int(copies.group[paragraph])].tolist()
                      if paragraphs.document[m] == other]
            matched.extend(theirs)
            if len(others) == 1:
                lowest = min(lowest, max(similarity(paragraphs, paragraph, m) for m in theirs))
        related.append(RelatedLocation(paragraphs.paths[other], _span([_region(copies, m) for m in matched]),
                                       "earlier copy"))
    what = "paragraph" if len(run) == 1 else f"run of {len(run)} paragraphs"
    if len(others) == 1:
        message = f"{what} shared with {_where(related[0].path, related[0].region)} (similarity {lowest:.2f})"
    else:
        listed = ", ".join(_where(r.path, r.region) for r in related[:_LISTED_IN_MESSAGE])
        more = len(others) - _LISTED_IN_MESSAGE
        message = f"{what} also in {len(others)} other documents: {listed}" + (f" and {more} more" if more > 0 else "")
    keys = paragraphs.facts[document]["keys"]
    anchor = "+".join(f"{int(keys[paragraphs.local[p]]):016x}" for p in run) + "|" + "|".join(
        paragraphs.paths[o] for o in others[:MAX_RELATED])
    return Finding("DUP002", message, path, _span([_region(copies, p) for p in run]), tuple(related), anchor=anchor)


def overlaps(copies: CopyGroups, max_copies: int) -> tuple[dict[tuple[int, int], int], dict[tuple[int, int], int]]:
    """Words of document A in paragraphs shared with document B, and A's first such paragraph, per (A, B)."""
    paragraphs = copies.paragraphs
    shared_words: dict[tuple[int, int], int] = defaultdict(int)
    first: dict[tuple[int, int], int] = {}
    for group, documents in copies.documents.items():
        if len(documents) < 2 or len(documents) > max_copies:
            continue
        words_in: dict[int, int] = defaultdict(int)
        first_in: dict[int, int] = {}
        for paragraph in copies.members[group].tolist():
            holder = int(paragraphs.document[paragraph])
            words_in[holder] += paragraphs.word_count(paragraph)
            first_in[holder] = min(first_in.get(holder, paragraph), paragraph)
        for a in documents:
            for b in documents:
                if a != b:
                    shared_words[a, b] += words_in[a]
                    first[a, b] = min(first.get((a, b), first_in[a]), first_in[a])
    return shared_words, first


def overlapping_document_findings(copies: CopyGroups, threshold: float, max_copies: int) -> Iterator[Finding]:
    """DUP004: a document whose shared paragraphs with another reach ``threshold`` of its words."""
    paragraphs = copies.paragraphs
    shared_words, first = overlaps(copies, max_copies)
    share: dict[tuple[int, int], float] = {}
    for (a, b), count in shared_words.items():
        body = paragraphs.facts[a]["body_words"]
        share[a, b] = min(1.0, count / body) if body else 0.0
    by_document: dict[int, list[int]] = defaultdict(list)
    for (a, b), value in share.items():
        if value >= threshold and not (share.get((b, a), 0.0) >= threshold and b > a):
            by_document[a].append(b)
    for document in sorted(by_document):
        others = sorted(by_document[document], key=lambda o: (-share[document, o], o))
        top = others[0]
        message = (f"document shares {share[document, top]:.0%} of its words with {paragraphs.paths[top]} "
                   f"(which shares {share[top, document]:.0%} of its own)")
        if len(others) > 1:
            message += f" and overlaps {len(others) - 1} more document{'s' if len(others) > 2 else ''}"
        related = tuple(
            RelatedLocation(paragraphs.paths[o], _region(copies, first[o, document]),
                            f"shares {share[o, document]:.0%} of its words; this one {share[document, o]:.0%}")
            for o in others[:MAX_RELATED])
        anchor = "DUP004|" + "|".join(paragraphs.paths[o] for o in others[:MAX_RELATED])
        yield Finding("DUP004", message, paragraphs.paths[document], _region(copies, first[document, top]),
                      related, anchor=anchor)


def duplicated_shares(copies: CopyGroups) -> dict[str, dict[str, float]]:
    """Share of each document's body words in paragraphs that have a copy, here or elsewhere."""
    paragraphs = copies.paragraphs
    measures = {}
    for document, path in enumerate(paragraphs.paths):
        body = paragraphs.facts[document]["body_words"]
        copied = sum(paragraphs.word_count(p)
                     for p in range(int(paragraphs.start[document]), int(paragraphs.start[document + 1]))
                     if copies.group[p] >= 0)
        measures[path] = {"duplicated_share": round(min(1.0, copied / body), 3) if body else 0.0}
    return measures



