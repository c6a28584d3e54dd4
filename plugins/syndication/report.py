"""Turn copy groups into DUP002/DUP004 findings and the ``duplicated_share`` measure.

Reporting rule for both: a pair of documents is reported once, at the document later in
path order; a paragraph held by many documents gives one finding per document, listing
the earlier copies, never one finding per pair.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from srcaudit.api import Finding, Region, RelatedLocation

from .matching import CopyGroups, similarity

MAX_RELATED = 5  # earlier copies listed per finding (the message names 3); bounds memory at scale
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
    """DUP002: runs of consecutive paragraphs of a document held by the same earlier documents.

    A run goes on while its paragraphs are held by the same earlier documents, or, for
    text held by more documents than a finding lists (``MAX_RELATED``), while more than
    that many earlier documents hold every paragraph of the run (the finding lists those).
    Requiring the very same holders there would break a copy of a much-copied text into
    one finding per paragraph: with 40 earlier copies, each dropping a paragraph now and
    then, two neighbouring paragraphs almost never have the same holders, and findings
    would grow with the number of copies instead of with the number of documents.
    """
    paragraphs = copies.paragraphs
    for document, path in enumerate(paragraphs.paths):
        run: list[int] = []
        run_others: tuple[int, ...] = ()
        for paragraph in range(int(paragraphs.start[document]), int(paragraphs.start[document + 1])):
            others = copies.earlier_documents(paragraph)
            common = _common(run_others, others) if run and others else ()
            if common and (common == others == run_others or len(common) > MAX_RELATED):
                run.append(paragraph)
                run_others = common
                continue
            if run:
                yield _shared_finding(copies, document, path, run, run_others)
            run, run_others = ([paragraph], others) if others else ([], ())
        if run:
            yield _shared_finding(copies, document, path, run, run_others)


def _common(first: tuple[int, ...], second: tuple[int, ...]) -> tuple[int, ...]:
    """Documents in both ascending tuples, ascending."""
    if first == second:
        return first
    held = set(second)
    return tuple(document for document in first if document in held)


def _shared_finding(copies: CopyGroups, document: int, path: str, run: list[int],
                    others: tuple[int, ...]) -> Finding:
    paragraphs = copies.paragraphs
    related = []
    lowest = 1.0
    for other in others[:MAX_RELATED]:
        matched = []
        for paragraph in run:
            theirs = copies.copies_in(paragraph, other)
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


def _overlap_shares(copies: CopyGroups, document: int, max_copies: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Other documents sharing paragraphs with ``document``: (documents, share of this one's words, first paragraph).

    The share is the words of this document's paragraphs whose copy group the other document
    is in, over this document's body words. Groups held by more than ``max_copies``
    documents are template text and do not count.
    """
    paragraphs = copies.paragraphs
    holders, weights, firsts = [], [], []
    for paragraph in range(int(paragraphs.start[document]), int(paragraphs.start[document + 1])):
        group = int(copies.group[paragraph])
        if group < 0 or len(copies.documents[group]) > max_copies:
            continue
        others = copies.document_array(group)
        others = others[others != document]
        holders.append(others)
        weights.append(np.full(len(others), paragraphs.word_count(paragraph), dtype=np.float64))
        firsts.append(np.full(len(others), paragraph, dtype=np.int64))
    if not holders:
        empty = np.empty(0, dtype=np.int64)
        return empty, np.empty(0, dtype=np.float64), empty
    holder = np.concatenate(holders)
    others, first_index, inverse = np.unique(holder, return_index=True, return_inverse=True)
    shared = np.bincount(inverse.reshape(-1), weights=np.concatenate(weights))
    body = paragraphs.facts[document]["body_words"]
    shares = np.minimum(1.0, shared / body) if body else np.zeros(len(others))
    return others, shares, np.concatenate(firsts)[first_index]


def overlapping_document_findings(copies: CopyGroups, threshold: float, max_copies: int) -> Iterator[Finding]:
    """DUP004: a document whose shared paragraphs with another reach ``threshold`` of its words."""
    count = len(copies.paragraphs.paths)
    overlap = [_overlap_shares(copies, document, max_copies) for document in range(count)]
    for document, (others, shares, firsts) in enumerate(overlap):
        # A pair that overlaps both ways is reported once, at its later document.
        keep = [share >= threshold and not (other > document and _share(overlap[other], document) >= threshold)
                for other, share in zip(others.tolist(), shares.tolist())]
        if not any(keep):
            continue
        others, shares, firsts = others[keep], shares[keep], firsts[keep]
        order = np.lexsort((others, -shares))
        top = int(others[order[0]])
        yield _overlap_finding(copies, document, others[order].tolist(), shares[order].tolist(),
                               int(firsts[order[0]]), _share(overlap[top], document))


def _share(overlap: tuple[np.ndarray, np.ndarray, np.ndarray], other: int) -> float:
    """The share of a document's words shared with ``other``, from its :func:`_overlap_shares`."""
    others, shares, _ = overlap
    position = int(np.searchsorted(others, other))
    return float(shares[position]) if position < len(others) and others[position] == other else 0.0


def _overlap_finding(copies: CopyGroups, document: int, others: list[int], shares: list[float],
                     first: int, reverse: float) -> Finding:
    paragraphs = copies.paragraphs
    top = others[0]
    message = (f"document shares {shares[0]:.0%} of its words with {paragraphs.paths[top]} "
               f"(which shares {reverse:.0%} of its own)")
    if len(others) > 1:
        message += f" and overlaps {len(others) - 1} more document{'s' if len(others) > 2 else ''}"
    related = tuple(
        RelatedLocation(paragraphs.paths[other], _region(copies, _first_shared(copies, other, document)),
                        f"{share:.0%} of this document's words are shared with it")
        for other, share in zip(others[:MAX_RELATED], shares[:MAX_RELATED]))
    anchor = "DUP004|" + "|".join(paragraphs.paths[o] for o in others[:MAX_RELATED])
    return Finding("DUP004", message, paragraphs.paths[document], _region(copies, first), related, anchor=anchor)


def _first_shared(copies: CopyGroups, document: int, other: int) -> int:
    """The first paragraph of ``document`` that ``other`` holds a copy of."""
    paragraphs = copies.paragraphs
    for paragraph in range(int(paragraphs.start[document]), int(paragraphs.start[document + 1])):
        if copies.copies_in(paragraph, other):
            return paragraph
    raise ValueError(f"documents {document} and {other} share no paragraph")


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



