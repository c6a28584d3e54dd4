"""Reduce phase: which paragraphs of the corpus are copies of each other.

1. Identical word sequences are grouped by their 64-bit key (no comparison needed).
2. One paragraph per group enters a banded MinHash LSH index (:mod:`srcaudit.lsh`);
   only paragraphs that share a band become candidates.
3. Each candidate is confirmed exactly: the longest common subsequence of the two word
   sequences must cover ``threshold`` of the shorter one (rapidfuzz, in C), and the match
   must not lie only in a quotation both paragraphs report (:mod:`.quoting`).
   A title (see :func:`titles`) must match at ``title_threshold``: two outlets' headlines
   of one story share its names and key words without one copying the other.
4. Confirmed pairs are joined into copy groups (union-find); each group lists the
   documents holding a copy.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from rapidfuzz.distance import LCSseq

from srcaudit.api import Corpus
from srcaudit.lsh import band_layout, candidate_pairs
from srcaudit.text import sorted_distinct
from srcaudit.unionfind import join

from .facts import NAMESPACE, NUM_PERM
from .quoting import is_shared_quotation


@dataclass
class Paragraphs:
    """Every considered paragraph of the corpus, in document (path) order, as flat arrays."""

    paths: list[str]
    facts: list[dict[str, Any]]
    document: np.ndarray  # document index of each paragraph
    local: np.ndarray  # index of the paragraph within its document's facts
    start: np.ndarray  # first global paragraph index of each document (len = documents + 1)
    keys: np.ndarray  # word-sequence key of each paragraph (uint64)
    words: np.ndarray  # word count of each paragraph
    regions: np.ndarray  # (paragraphs, 4) line, column, end line, end column of each paragraph
    body_words: np.ndarray  # body words of each document

    def tokens(self, paragraph: int) -> list[int]:
        facts = self.facts[self.document[paragraph]]
        local = self.local[paragraph]
        begin, end = facts["offsets"][local:local + 2].tolist()
        return facts["tokens"][begin:end].tolist()

    def quoted(self, paragraph: int) -> np.ndarray | None:
        """Which of the paragraph's words are quoted (see :mod:`.quoting`); None when none is.

        Only the bytes holding the paragraph's flags are unpacked, not the document's.
        """
        facts = self.facts[self.document[paragraph]]
        packed = facts.get("quoted")
        if packed is None or not len(packed):
            return None
        local = self.local[paragraph]
        begin, end = facts["offsets"][local:local + 2].tolist()
        first_byte = begin >> 3
        skip = begin - (first_byte << 3)
        flags = np.unpackbits(packed[first_byte:(end + 7) >> 3])[skip:skip + end - begin].astype(bool)
        return flags if flags.any() else None


@dataclass
class CopyGroups:
    """Paragraphs joined into groups of copies; only groups of two or more are kept.

    Groups are numbered ``0 .. count - 1`` and stored as flat arrays, not as a Python object
    per group: at 100k documents there are hundreds of thousands of groups, and reporting
    works on all of them at once with numpy. ``members[member_start[g]:member_start[g + 1]]``
    are the paragraphs of group ``g`` (ascending); ``holders[holder_start[g]:holder_start[g + 1]]``
    the distinct documents holding them (ascending).
    """

    paragraphs: Paragraphs
    group: np.ndarray  # group of each paragraph, -1 when it has no copy
    members: np.ndarray
    member_start: np.ndarray
    holders: np.ndarray
    holder_start: np.ndarray
    holder_members: np.ndarray  # members[holder_members[h]:holder_members[h + 1]]: holder h's paragraphs
    _documents: dict[int, tuple[int, ...]] = field(default_factory=dict, repr=False)
    _holder_codes: np.ndarray | None = field(default=None, repr=False)

    @property
    def count(self) -> int:
        return len(self.member_start) - 1

    def documents(self, group: int) -> tuple[int, ...]:
        """The documents holding a copy of ``group`` (ascending)."""
        documents = self._documents.get(group)
        if documents is None:
            documents = self._documents[group] = tuple(
                self.holders[self.holder_start[group]:self.holder_start[group + 1]].tolist())
        return documents

    def holder_of(self, group: np.ndarray, document: np.ndarray) -> np.ndarray:
        """Index of each ``(group, document)`` pair among the holders (every pair must hold a copy)."""
        if self._holder_codes is None:
            self._holder_codes = np.repeat(np.arange(self.count), np.diff(self.holder_start)) * \
                len(self.paragraphs.paths) + self.holders
        return np.searchsorted(self._holder_codes, group * len(self.paragraphs.paths) + document)


def collect(corpus: Corpus) -> Paragraphs:
    paths, facts = [], []
    for document, document_facts in corpus.facts(NAMESPACE):
        paths.append(document.path)
        facts.append(document_facts)
    counts = np.array([len(f["keys"]) for f in facts], dtype=np.int64)
    start = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    document = np.repeat(np.arange(len(facts)), counts)
    local = np.arange(int(start[-1])) - start[document] if len(document) else np.empty(0, dtype=np.int64)
    keys = np.concatenate([f["keys"] for f in facts]) if facts else np.empty(0, dtype=np.uint64)
    regions = np.concatenate([f["regions"] for f in facts]) if facts else np.empty((0, 4), dtype=np.int32)
    # Each document's offsets run from 0 to its word count: the concatenated differences,
    # less the step from one document's last offset to the next one's 0, are the counts.
    offsets = np.concatenate([f["offsets"] for f in facts]) if facts else np.zeros(1, dtype=np.int64)
    steps = np.diff(offsets)
    words = np.delete(steps, start[1:-1] + np.arange(len(facts) - 1)) if len(facts) > 1 else steps
    body_words = np.array([f["body_words"] for f in facts], dtype=np.int64)
    return Paragraphs(paths, facts, document, local, start, keys, words.astype(np.int64), regions, body_words)


def similarity(paragraphs: Paragraphs, first: int, second: int) -> float:
    """Share of the shorter paragraph's words found in order in the other (LCS / shorter length)."""
    return _similarity(paragraphs.tokens(first), paragraphs.tokens(second))


def _similarity(a: list[int], b: list[int]) -> float:
    """:func:`similarity` of two word-hash lists already read (the candidate loop reuses one side)."""
    shorter = min(len(a), len(b))
    return LCSseq.similarity(a, b) / shorter if shorter else 0.0


_UNREAD = object()


class _Side:
    """One paragraph of the candidate pairs, its words and quote flags read once for all its pairs
    (candidates come sorted by their first paragraph)."""

    __slots__ = ("paragraph", "tokens", "_quoted", "_paragraphs")

    def __init__(self, paragraphs: Paragraphs, paragraph: int) -> None:
        self._paragraphs = paragraphs
        self.paragraph = paragraph
        self.tokens = paragraphs.tokens(paragraph)
        self._quoted: Any = _UNREAD

    @property
    def quoted(self) -> np.ndarray | None:
        if self._quoted is _UNREAD:
            self._quoted = self._paragraphs.quoted(self.paragraph)
        return self._quoted


def _is_copy(paragraphs: Paragraphs, first: _Side, second: int, second_tokens: list[int], threshold: float) -> bool:
    """Similar enough, and not only through a quotation both report (:mod:`.quoting`)."""
    if _similarity(first.tokens, second_tokens) < threshold:
        return False
    return not is_shared_quotation(first.tokens, first.quoted, second_tokens, paragraphs.quoted(second), threshold)


#: The most words a title line has: a longer first line is a paragraph of text.
TITLE_MAX_WORDS = 20


def titles(paragraphs: Paragraphs) -> np.ndarray:
    """Which paragraphs are title lines: the document's first line, alone in its paragraph
    and at most :data:`TITLE_MAX_WORDS` words long (a headline, a page title)."""
    regions = paragraphs.regions
    return (regions[:, 0] == 1) & (regions[:, 2] == 1) & (paragraphs.words <= TITLE_MAX_WORDS)


def find_copies(corpus: Corpus, threshold: float, lsh_threshold: float,
                title_threshold: float | None = None,
                indexed: Callable[[CopyGroups, Link], None] | None = None) -> CopyGroups:
    """The corpus's copy groups: the components of LSH candidate pairs confirmed at ``threshold``
    (``title_threshold`` when either paragraph is a title; None: ``threshold``).

    ``indexed``, when given, also receives the linking's representatives and signatures
    (for :mod:`.incremental`'s saved state) while they are still at hand.
    """
    paragraphs = collect(corpus)
    total = int(paragraphs.start[-1])
    if total == 0:
        copies = _groups(paragraphs, np.empty(0, dtype=np.int64))
        if indexed is not None:
            indexed(copies, Link(np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64),
                                 np.empty((0, NUM_PERM), dtype=np.uint32)))
        return copies
    linked = link(paragraphs, np.arange(total), threshold, lsh_threshold, title_threshold)
    copies = _groups(paragraphs, linked.roots)
    if indexed is not None:
        indexed(copies, linked)
    return copies


@dataclass
class Link:
    """What :func:`link` found: each selected paragraph's component, and the paragraphs it compared."""

    roots: np.ndarray  # each selected paragraph's component: the index of its smallest representative
    representatives: np.ndarray  # one paragraph per distinct word sequence (its first), ascending by key
    signatures: np.ndarray  # the representatives' MinHash signatures, in that order


#: ``candidates(signatures, keys, bands, rows)``: the candidate pairs of the representatives
#: (ascending by ``keys``), as :func:`_candidates` returns them.
Candidates = Callable[[np.ndarray, np.ndarray, int, int], np.ndarray]


def link(paragraphs: Paragraphs, selected: np.ndarray, threshold: float, lsh_threshold: float,
         title_threshold: float | None = None, candidates: Candidates | None = None) -> Link:
    """Join the ``selected`` paragraphs (ascending global indices) into components of confirmed copies.

    Paragraphs with one word sequence (key) are one item, represented by their first
    paragraph; items are ordered by key, and candidate pairs of items come from the LSH
    index (``candidates``: :func:`_candidates` by default). A pair is confirmed at
    ``threshold`` (``title_threshold`` when either representative is a title line).
    The components do not depend on the order candidates are confirmed in, so pairs
    already joined through other copies are skipped without changing the result.
    """
    keys = paragraphs.keys[selected]
    _, first_of_key, key_group = np.unique(keys, return_index=True, return_inverse=True)
    representatives = selected[first_of_key]  # one paragraph per distinct word sequence
    signatures = _rows(paragraphs, representatives)
    bands, rows = band_layout(lsh_threshold, NUM_PERM)
    chosen = representatives.tolist()
    title_threshold = threshold if title_threshold is None else max(threshold, title_threshold)
    titled = titles(paragraphs)[representatives].tolist() if title_threshold > threshold else [False] * len(chosen)
    last, side = -1, None  # pairs come sorted by their first item: its words are read once for all its pairs

    def confirmed(a: int, b: int) -> bool:
        nonlocal last, side
        if a != last:
            last, side = a, _Side(paragraphs, chosen[a])
        needed = title_threshold if titled[a] or titled[b] else threshold
        return _is_copy(paragraphs, side, chosen[b], paragraphs.tokens(chosen[b]), needed)

    if candidates is None:
        pairs = _candidates(signatures, bands, rows)
    else:
        pairs = candidates(signatures, keys[first_of_key], bands, rows)
    # Only connectivity matters: a pair already joined through other copies needs no
    # confirmation. Most candidates among 40 copies of one paragraph are such pairs.
    roots = join(len(chosen), pairs.tolist(), confirmed)[key_group.reshape(-1)]
    return Link(roots, representatives, signatures)


def _candidates(signatures: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """:func:`candidate_pairs` of all bands (the same sorted pairs), merged band by band.

    One call over all bands holds every band's pairs before removing repeats: with 44
    near copies of each paragraph that is about 4 pairs a paragraph in each of 21 bands,
    over a gigabyte at 100k documents, while the distinct pairs are a twentieth of it.
    """
    count = len(signatures)
    codes = np.empty(0, dtype=np.int64)
    for band in range(bands):
        pairs = candidate_pairs(signatures[:, band * rows:(band + 1) * rows], 1, rows)
        if len(pairs):
            codes = sorted_distinct(np.concatenate((codes, pairs[:, 0] * count + pairs[:, 1])))
    return np.stack([codes // count, codes % count], axis=1)


def _rows(paragraphs: Paragraphs, chosen: np.ndarray) -> np.ndarray:
    """The signatures of the ``chosen`` paragraphs (global indices), in that order.

    Filled document by document: concatenating every paragraph's signature first would
    hold two copies of the largest array of the run (400 MB at 100k documents).
    """
    order = np.argsort(chosen, kind="stable")
    ascending = chosen[order]
    bounds = np.searchsorted(paragraphs.document[ascending], np.arange(len(paragraphs.facts) + 1))
    rows = np.empty((len(chosen), NUM_PERM), dtype=np.uint32)
    for document in np.flatnonzero(np.diff(bounds)).tolist():
        begin, end = int(bounds[document]), int(bounds[document + 1])
        rows[order[begin:end]] = paragraphs.facts[document]["signatures"][paragraphs.local[ascending[begin:end]]]
    return rows


def _groups(paragraphs: Paragraphs, group: np.ndarray) -> CopyGroups:
    """Number the groups of two or more paragraphs densely; list each one's members and holders."""
    if not len(group):
        empty = np.empty(0, dtype=np.int64)
        return CopyGroups(paragraphs, empty, empty, np.zeros(1, dtype=np.int64), empty, np.zeros(1, dtype=np.int64),
                          np.zeros(1, dtype=np.int64))
    order = np.argsort(group, kind="stable")  # by group, then by paragraph (= by document)
    sorted_groups = group[order]
    boundaries = np.flatnonzero(np.r_[True, sorted_groups[1:] != sorted_groups[:-1], True])
    sizes = np.diff(boundaries)
    shared = sizes >= 2
    dense = np.full(len(sizes), -1, dtype=np.int64)
    dense[shared] = np.arange(int(shared.sum()))
    kept = np.empty(len(group), dtype=np.int64)
    kept[order] = np.repeat(dense, sizes)
    members = order[np.repeat(shared, sizes)]
    member_sizes = sizes[shared]
    member_start = np.concatenate([[0], np.cumsum(member_sizes)]).astype(np.int64)
    member_group = np.repeat(np.arange(len(member_sizes)), member_sizes)
    holder = paragraphs.document[members]
    new = np.r_[True, (holder[1:] != holder[:-1]) | (member_group[1:] != member_group[:-1])] if len(members) \
        else np.empty(0, dtype=bool)
    holder_start = np.searchsorted(member_group[new], np.arange(len(member_sizes) + 1)).astype(np.int64)
    holder_members = np.r_[np.flatnonzero(new), len(members)].astype(np.int64)
    return CopyGroups(paragraphs, kept, members, member_start, holder[new], holder_start, holder_members)
