"""Turn copy groups into DUP002/DUP004 findings and the ``duplicated_share`` measure.

Reporting rule for both: a pair of documents is reported once, at the document later in
path order; a paragraph held by many documents gives one finding per document, listing
the earlier copies, never one finding per pair.

Findings carry their rule's default severity: the engine would otherwise copy each one
to set it (a severity configured in rules.toml still replaces it). At 100k documents
there are over 200,000 of them.
"""

from __future__ import annotations

from bisect import bisect_left
from functools import lru_cache
from collections.abc import Iterator

import numpy as np

from srcaudit.api import Finding, Region, RelatedLocation

from .matching import CopyGroups, similarity
from .rules import DUP002, DUP004

MAX_RELATED = 5  # earlier copies listed per finding (the message names 3); bounds memory at scale
_LISTED_IN_MESSAGE = 3
# DUP004 compares documents in slices of about this many (document, other document, group)
# rows: at 100k documents of 45 copies each there are tens of millions in all. A slice's
# arrays take about 80 bytes a row at their peak (~40 MB), and smaller slices cost no time.
_PAIR_ROWS = 1 << 19
_RUN_BATCH = 4096  # DUP002 runs whose findings are built together


def _span(regions: np.ndarray, paragraphs: list[int]) -> Region:
    """The region from the first of ``paragraphs`` to the end of the last (rows of ``regions``)."""
    rows = regions[paragraphs].tolist()
    if len(rows) == 1:
        return Region(*rows[0])
    first = min(rows)  # as Region orders: line, column, end line, end column
    last = max(rows, key=lambda r: (r[2], r[3]))
    return Region(first[0], first[1], last[2], last[3])


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

    Runs are found one paragraph at a time; their findings are built a batch of runs at a
    time (:func:`_shared_findings`).
    """
    batch: list[tuple[int, list[int], tuple[int, ...]]] = []
    earlier: dict[int, tuple[RelatedLocation, str]] = {}
    for run in _runs(copies):
        batch.append(run)
        if len(batch) == _RUN_BATCH:
            yield from _shared_findings(copies, batch, earlier)
            batch = []
    yield from _shared_findings(copies, batch, earlier)


def _runs(copies: CopyGroups) -> Iterator[tuple[int, list[int], tuple[int, ...]]]:
    """Each run as (document, its paragraphs, the earlier documents holding all of them)."""
    paragraphs = copies.paragraphs
    group = copies.group
    # A paragraph has an earlier copy when its group's first holder comes before its document.
    grouped = np.flatnonzero(group >= 0)
    earlier = np.zeros(len(group), dtype=bool)
    earlier[grouped] = copies.holders[copies.holder_start[group[grouped]]] < paragraphs.document[grouped]
    for document in np.unique(paragraphs.document[earlier]).tolist():
        begin, end = int(paragraphs.start[document]), int(paragraphs.start[document + 1])
        run: list[int] = []
        run_others: tuple[int, ...] = ()
        for paragraph, paragraph_group, copied in zip(range(begin, end), group[begin:end].tolist(),
                                                      earlier[begin:end].tolist()):
            if copied:
                holders = copies.documents(paragraph_group)
                others = holders[:bisect_left(holders, document)]
            else:
                others = ()
            common = _common(run_others, others) if run and others else ()
            if common and (common == others == run_others or len(common) > MAX_RELATED):
                run.append(paragraph)
                run_others = common
                continue
            if run:
                yield document, run, run_others
            run, run_others = ([paragraph], others) if others else ([], ())
        if run:
            yield document, run, run_others


def _common(first: tuple[int, ...], second: tuple[int, ...]) -> tuple[int, ...]:
    """Documents in both ascending tuples, ascending."""
    if first == second:
        return first
    return tuple(filter(set(second).__contains__, first))


def _shared_findings(copies: CopyGroups, runs: list[tuple[int, list[int], tuple[int, ...]]],
                     earlier: dict[int, tuple[RelatedLocation, str]] | None = None) -> Iterator[Finding]:
    """The DUP002 findings of ``runs``, their related locations looked up for all at once.

    A run's paragraphs are consecutive, and paragraphs are in text order, so a run's region
    goes from its first paragraph's start to its last one's end, and the copies an earlier
    document holds span from the first copy's start to the last one's end.

    ``earlier`` keeps each related location made so far (with its ``path:lines``), by its
    first and last paragraph: the earliest copies of a text are named in the finding of
    every later copy, and related locations are immutable, so one object serves them all.
    """
    if not runs:
        return
    if earlier is None:
        earlier = {}
    paragraphs = copies.paragraphs
    regions = paragraphs.regions
    # One segment per (run, listed earlier document), one row per (segment, run paragraph).
    listed = [others[:MAX_RELATED] for _, _, others in runs]
    run_first = np.array([run[0] for _, run, _ in runs], dtype=np.int64)
    run_length = np.array([len(run) for _, run, _ in runs], dtype=np.int64)
    segment_run = np.repeat(np.arange(len(runs)), [len(others) for others in listed])
    segment_length = run_length[segment_run]
    segment_start = np.cumsum(segment_length) - segment_length
    row_segment = np.repeat(np.arange(len(segment_run)), segment_length)
    row_paragraph = run_first[segment_run][row_segment] + np.arange(int(segment_length.sum())) - \
        segment_start[row_segment]
    row_other = np.repeat(np.fromiter((o for others in listed for o in others), dtype=np.int64,
                                      count=len(segment_run)), segment_length)
    holder = copies.holder_of(copies.group[row_paragraph], row_other)
    copy_first = copies.members[copies.holder_members[holder]]
    copy_last = copies.members[copies.holder_members[holder + 1] - 1]
    first = np.minimum.reduceat(copy_first, segment_start)
    last = np.maximum.reduceat(copy_last, segment_start)
    spans = (first * len(regions) + last).tolist()  # a related location's key: its first and last paragraph
    first, last = first.tolist(), last.tolist()
    starts = regions[:, :2]
    ends = regions[:, 2:]
    run_last = run_first + run_length - 1
    own_starts, own_ends = starts[run_first].tolist(), ends[run_last].tolist()
    keys = paragraphs.keys
    paths = paragraphs.paths
    segment = 0
    for index, (document, run, others) in enumerate(runs):
        related = []
        where = []
        for other in listed[index]:
            made = earlier.get(spans[segment])
            if made is None:
                line, column = starts[first[segment]].tolist()
                end_line, end_column = ends[last[segment]].tolist()
                location = RelatedLocation(paths[other], Region(line, column, end_line, end_column), "earlier copy")
                made = earlier[spans[segment]] = (location, _where(location.path, location.region))
            related.append(made[0])
            where.append(made[1])
            segment += 1
        what = "paragraph" if len(run) == 1 else f"run of {len(run)} paragraphs"
        if len(others) == 1:
            begin = int(segment_start[segment - 1])
            lowest = _lowest_similarity(copies, run, holder[begin:begin + len(run)].tolist())
            message = f"{what} shared with {where[0]} (similarity {lowest:.2f})"
        else:
            named = ", ".join(where[:_LISTED_IN_MESSAGE])
            more = len(others) - _LISTED_IN_MESSAGE
            message = f"{what} also in {len(others)} other documents: {named}" + (f" and {more} more" if more > 0 else "")
        anchor = "+".join(f"{key:016x}" for key in keys[run[0]:run[-1] + 1].tolist()) + "|" + "|".join(
            paths[o] for o in listed[index])
        line, column = own_starts[index]
        end_line, end_column = own_ends[index]
        yield Finding("DUP002", message, paths[document], Region(line, column, end_line, end_column),
                      tuple(related), DUP002.severity, anchor)


def _lowest_similarity(copies: CopyGroups, run: list[int], holders: list[int]) -> float:
    """Over the run's paragraphs, the lowest similarity to their closest copy in the other document.

    ``holders``: the other document's holder of each run paragraph's group. A copy with the
    same word sequence (same key) is similar 1.0 without comparing.
    """
    paragraphs = copies.paragraphs
    keys = paragraphs.keys
    lowest = 1.0
    for paragraph, holder in zip(run, holders):
        theirs = copies.members[copies.holder_members[holder]:copies.holder_members[holder + 1]].tolist()
        if any(keys[m] == keys[paragraph] for m in theirs):
            continue
        lowest = min(lowest, max(similarity(paragraphs, paragraph, m) for m in theirs))
    return lowest


def overlapping_document_findings(copies: CopyGroups, threshold: float, max_copies: int) -> Iterator[Finding]:
    """DUP004: a document whose shared paragraphs with another reach ``threshold`` of its words.

    The share of document ``d``'s words shared with ``o`` is the words of ``d``'s paragraphs
    whose copy group ``o`` is in, over ``d``'s body words. Groups held by more than
    ``max_copies`` documents are template text and do not count. A pair that overlaps both
    ways is reported once, at its later document. Every (document, other document) pair is
    summed at once with numpy, a slice of documents at a time (:class:`_Overlaps`).
    """
    overlaps = _Overlaps(copies, max_copies)
    # One Region per paragraph named as a related location (a document's first shared
    # paragraph is named in the findings of every document it overlaps): built once.
    region_of: dict[int, Region] = {}
    for begin, end in overlaps.slices():
        pairs = overlaps.pairs(begin, end)
        if pairs is None:
            continue
        document, other, shares, reverse, first, first_other = pairs
        keep = (shares >= threshold) & ~((other > document) & (reverse >= threshold))
        if not keep.any():
            continue
        document, other, shares, reverse, first, first_other = (
            a[keep] for a in (document, other, shares, reverse, first, first_other))
        order = np.lexsort((other, -shares, document))  # by document, then largest share, then other
        document, other, shares, reverse, first, first_other = (
            a[order] for a in (document, other, shares, reverse, first, first_other))
        bounds = np.flatnonzero(np.r_[True, document[1:] != document[:-1], True])
        # Only each document's first MAX_RELATED others are listed: their regions in one lookup.
        rank = np.arange(len(document)) - np.repeat(bounds[:-1], np.diff(bounds))
        listed = np.flatnonzero(rank < MAX_RELATED)
        listed_other, listed_document = other[listed].tolist(), document[listed].tolist()
        firsts = first_other[listed].tolist()
        if overlaps.template:
            firsts = [overlaps.first_shared(o, d, f) for o, d, f in zip(listed_other, listed_document, firsts)]
        related_regions = [_paragraph_region(copies, first, region_of) for first in firsts]
        own_regions = copies.paragraphs.regions[first[bounds[:-1]]].tolist()
        listed_shares = shares[listed].tolist()
        at = 0
        for index, (lower, upper, top_reverse) in enumerate(zip(bounds[:-1].tolist(), bounds[1:].tolist(),
                                                               reverse[bounds[:-1]].tolist())):
            count = min(upper - lower, MAX_RELATED)
            yield _overlap_finding(copies, listed_document[at], upper - lower, listed_other[at:at + count],
                                   listed_shares[at:at + count], own_regions[index], top_reverse,
                                   related_regions[at:at + count])
            at += count


class _Overlaps:
    """Words each document shares with each other document, through the copy groups they both hold.

    Works on the groups' holders ``h`` (one per group and document): ``words[h]`` is the
    words of the holder's paragraphs in that group and ``first[h]`` the first of them. For
    documents ``d`` and ``o``, ``d``'s shared words are the sum of ``words`` of ``d``'s
    holders over the groups ``o`` also holds, and the other way round.
    """

    def __init__(self, copies: CopyGroups, max_copies: int) -> None:
        paragraphs = copies.paragraphs
        self.copies = copies
        self.body = paragraphs.body_words
        self.count = len(paragraphs.paths)
        holders = copies.holders
        sizes = np.diff(copies.holder_start)  # documents holding each group
        self.sizes = sizes
        self.holder_group = np.repeat(np.arange(copies.count), sizes)
        member_words = paragraphs.words[copies.members]
        self.words = np.add.reduceat(member_words, copies.holder_members[:-1]) if len(holders) \
            else np.empty(0, dtype=np.int64)
        self.first = copies.members[copies.holder_members[:-1]]
        counted = sizes <= max_copies  # by group
        self.by_document = np.argsort(holders, kind="stable")
        self.by_document = self.by_document[counted[self.holder_group[self.by_document]]]  # by document, then group
        self.document_start = np.searchsorted(holders[self.by_document], np.arange(self.count + 1))
        rows = np.bincount(holders[self.by_document], weights=sizes[self.holder_group[self.by_document]] - 1,
                           minlength=self.count)
        self.rows = np.concatenate([[0], np.cumsum(rows)])
        # Groups too widely held to count may still hold the first paragraph a document shares
        # with another (the related location): those few are looked up one by one.
        grouped = np.flatnonzero(copies.group >= 0)
        template = grouped[~counted[copies.group[grouped]]]
        self.template: dict[int, list[int]] = {}
        for paragraph, document in zip(template.tolist(), paragraphs.document[template].tolist()):
            self.template.setdefault(document, []).append(paragraph)

    def slices(self) -> Iterator[tuple[int, int]]:
        """Ranges of documents with about ``_PAIR_ROWS`` rows each (one document at least)."""
        begin = 0
        while begin < self.count:
            end = int(np.searchsorted(self.rows, self.rows[begin] + _PAIR_ROWS, side="right")) - 1
            end = min(self.count, max(end, begin + 1))
            yield begin, end
            begin = end

    def pairs(self, begin: int, end: int) -> tuple[np.ndarray, ...] | None:
        """Each pair (d, o) with ``begin <= d < end`` that shares a counted group, sorted by (d, o):
        ``d``, ``o``, ``d``'s share of words shared with ``o``, ``o``'s share shared with ``d``,
        ``d``'s first such paragraph, ``o``'s first such paragraph."""
        copies = self.copies
        entries = self.by_document[self.document_start[begin]:self.document_start[end]]
        if not len(entries):
            return None
        group = self.holder_group[entries]
        counts = self.sizes[group]
        total = int(counts.sum())
        row_entry = np.repeat(entries, counts)
        position = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts) + \
            np.repeat(copies.holder_start[group], counts)
        other_row = position != row_entry  # not the document's own holder
        row_entry, position = row_entry[other_row], position[other_row]
        if not len(row_entry):
            return None
        document, other = copies.holders[row_entry], copies.holders[position]
        key = document * self.count + other
        order = np.argsort(key, kind="stable")
        key = key[order]
        starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
        row_entry, position = row_entry[order], position[order]
        shared = np.add.reduceat(self.words[row_entry], starts)
        shared_back = np.add.reduceat(self.words[position], starts)
        first = np.minimum.reduceat(self.first[row_entry], starts)
        first_other = np.minimum.reduceat(self.first[position], starts)
        document, other = key[starts] // self.count, key[starts] % self.count
        return (document, other, self._share(shared, document), self._share(shared_back, other), first,
                first_other)

    def _share(self, shared: np.ndarray, document: np.ndarray) -> np.ndarray:
        """``shared`` words over each document's body words (0 where the body is empty), at most 1."""
        body = self.body[document]
        return np.where(body > 0, np.minimum(1.0, shared / np.maximum(body, 1)), 0.0)

    def first_shared(self, document: int, other: int, counted: int) -> int:
        """The first paragraph of ``document`` that ``other`` holds a copy of (``counted``: the
        first among counted groups)."""
        for paragraph in self.template.get(document, ()):
            if paragraph >= counted:
                break
            holders = self.copies.documents(int(self.copies.group[paragraph]))
            position = bisect_left(holders, other)
            if position < len(holders) and holders[position] == other:
                return paragraph
        return counted


def _paragraph_region(copies: CopyGroups, paragraph: int, region_of: dict[int, Region]) -> Region:
    """The paragraph's Region, kept in ``region_of``: regions are immutable, one object serves every finding."""
    region = region_of.get(paragraph)
    if region is None:
        region = region_of[paragraph] = Region(*copies.paragraphs.regions[paragraph].tolist())
    return region


@lru_cache(maxsize=1024)
def _share_label(share: float) -> str:
    """The related location's label for a share (shares repeat: a few hundred distinct percentages)."""
    return f"{share:.0%} of this document's words are shared with it"


def _overlap_finding(copies: CopyGroups, document: int, overlapping: int, others: list[int], shares: list[float],
                     region: list[int], reverse: float, regions: list[Region]) -> Finding:
    """The DUP004 finding of ``document`` at ``region``; ``others`` (the listed ones), their
    ``shares`` and the ``regions`` of their first shared paragraphs, largest share first."""
    paths = copies.paragraphs.paths
    top = others[0]
    message = (f"document shares {shares[0]:.0%} of its words with {paths[top]} "
               f"(which shares {reverse:.0%} of its own)")
    if overlapping > 1:
        message += f" and overlaps {overlapping - 1} more document{'s' if overlapping > 2 else ''}"
    related = tuple(RelatedLocation(paths[other], shared, _share_label(share))
                    for other, share, shared in zip(others, shares, regions))
    anchor = "DUP004|" + "|".join(paths[o] for o in others)
    return Finding("DUP004", message, paths[document], Region(*region), related, DUP004.severity, anchor)


def duplicated_shares(copies: CopyGroups) -> dict[str, dict[str, float]]:
    """Share of each document's body words in paragraphs that have a copy, here or elsewhere."""
    paragraphs = copies.paragraphs
    copied = np.bincount(paragraphs.document, weights=np.where(copies.group >= 0, paragraphs.words, 0),
                         minlength=len(paragraphs.paths)).astype(np.int64).tolist()
    return {path: {"duplicated_share": round(min(1.0, words / body), 3) if body else 0.0}
            for path, words, body in zip(paragraphs.paths, copied, paragraphs.body_words.tolist())}
