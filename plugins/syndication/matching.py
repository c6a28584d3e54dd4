"""Reduce phase: which paragraphs of the corpus are copies of each other.

1. Identical word sequences are grouped by their 64-bit key (no comparison needed).
2. One paragraph per group enters a banded MinHash LSH index (:mod:`srcaudit.lsh`);
   only paragraphs that share a band become candidates.
3. Each candidate is confirmed exactly: the longest common subsequence of the two word
   sequences must cover ``threshold`` of the shorter one (rapidfuzz, in C), and the match
   must not lie only in a quotation both paragraphs report (:mod:`.quoting`).
4. Confirmed pairs are joined into copy groups (union-find); each group lists the
   documents holding a copy.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from rapidfuzz.distance import LCSseq

from srcaudit.api import Corpus
from srcaudit.lsh import band_layout, candidate_pairs
from srcaudit.text import sorted_distinct

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

    def tokens(self, paragraph: int) -> list[int]:
        facts = self.facts[self.document[paragraph]]
        local = self.local[paragraph]
        return facts["tokens"][facts["offsets"][local]:facts["offsets"][local + 1]].tolist()

    def quoted(self, paragraph: int) -> np.ndarray | None:
        """Which of the paragraph's words are quoted (see :mod:`.quoting`); None when none is."""
        facts = self.facts[self.document[paragraph]]
        packed = facts.get("quoted")
        if packed is None or not len(packed):
            return None
        local = self.local[paragraph]
        begin, end = int(facts["offsets"][local]), int(facts["offsets"][local + 1])
        flags = np.unpackbits(packed, count=int(facts["offsets"][-1]))[begin:end].astype(bool)
        return flags if flags.any() else None

    def word_count(self, paragraph: int) -> int:
        facts = self.facts[self.document[paragraph]]
        local = self.local[paragraph]
        return int(facts["offsets"][local + 1] - facts["offsets"][local])


@dataclass
class CopyGroups:
    """Paragraphs joined into groups of copies; only groups of two or more are kept."""

    paragraphs: Paragraphs
    group: np.ndarray  # group id of each paragraph, -1 when it has no copy
    members: dict[int, np.ndarray]  # group id -> global paragraph indices (ascending)
    documents: dict[int, tuple[int, ...]]  # group id -> distinct document indices (ascending)
    _held: dict[int, dict[int, list[int]]] = field(default_factory=dict, repr=False)
    _arrays: dict[int, np.ndarray] = field(default_factory=dict, repr=False)

    def earlier_documents(self, paragraph: int) -> tuple[int, ...]:
        """Documents before this paragraph's own (in path order) that hold a copy of it."""
        group = int(self.group[paragraph])
        if group < 0:
            return ()
        documents = self.documents[group]
        return documents[:bisect_left(documents, int(self.paragraphs.document[paragraph]))]

    def document_array(self, group: int) -> np.ndarray:
        """The documents holding a copy of ``group``, as an array (ascending)."""
        array = self._arrays.get(group)
        if array is None:
            array = self._arrays[group] = np.array(self.documents[group], dtype=np.int64)
        return array

    def copies_in(self, paragraph: int, document: int) -> list[int]:
        """The paragraphs of ``document`` in this paragraph's copy group."""
        group = int(self.group[paragraph])
        if group < 0:
            return []
        held = self._held.get(group)
        if held is None:
            held = self._held[group] = {}
            members = self.members[group]
            for member, holder in zip(members.tolist(), self.paragraphs.document[members].tolist()):
                held.setdefault(holder, []).append(member)
        return held.get(document, [])


def collect(corpus: Corpus) -> Paragraphs:
    paths, facts = [], []
    for document, document_facts in corpus.facts(NAMESPACE):
        paths.append(document.path)
        facts.append(document_facts)
    counts = np.array([len(f["keys"]) for f in facts], dtype=np.int64)
    start = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    document = np.repeat(np.arange(len(facts)), counts)
    local = np.arange(int(start[-1])) - start[document] if len(document) else np.empty(0, dtype=np.int64)
    return Paragraphs(paths, facts, document, local, start)


def similarity(paragraphs: Paragraphs, first: int, second: int) -> float:
    """Share of the shorter paragraph's words found in order in the other (LCS / shorter length)."""
    a, b = paragraphs.tokens(first), paragraphs.tokens(second)
    shorter = min(len(a), len(b))
    return LCSseq.similarity(a, b) / shorter if shorter else 0.0


def is_copy(paragraphs: Paragraphs, first: int, second: int, threshold: float) -> bool:
    """Similar enough, and not only through a quotation both report (:mod:`.quoting`)."""
    if similarity(paragraphs, first, second) < threshold:
        return False
    return not is_shared_quotation(paragraphs.tokens(first), paragraphs.quoted(first),
                                   paragraphs.tokens(second), paragraphs.quoted(second), threshold)


def find_copies(corpus: Corpus, threshold: float, lsh_threshold: float) -> CopyGroups:
    paragraphs = collect(corpus)
    total = int(paragraphs.start[-1])
    if total == 0:
        return CopyGroups(paragraphs, np.empty(0, dtype=np.int64), {}, {})
    keys = np.concatenate([f["keys"] for f in paragraphs.facts])
    _, first_of_key, key_group = np.unique(keys, return_index=True, return_inverse=True)
    representatives = first_of_key  # one paragraph per distinct word sequence
    signatures = _rows(paragraphs, representatives)
    bands, rows = band_layout(lsh_threshold, NUM_PERM)
    parent = list(range(len(representatives)))
    for a, b in _candidates(signatures, bands, rows).tolist():
        # Only connectivity matters: a pair already joined through other copies needs no
        # confirmation. Most candidates among 40 copies of one paragraph are such pairs.
        if _find(parent, a) != _find(parent, b) and \
                is_copy(paragraphs, int(representatives[a]), int(representatives[b]), threshold):
            _union(parent, a, b)
    roots = np.array([_find(parent, g) for g in range(len(parent))], dtype=np.int64)
    group = roots[key_group.reshape(-1)]
    return _groups(paragraphs, group)


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
    order = np.argsort(group, kind="stable")
    sorted_groups = group[order]
    boundaries = np.flatnonzero(np.r_[True, sorted_groups[1:] != sorted_groups[:-1], True])
    members: dict[int, np.ndarray] = {}
    documents: dict[int, tuple[int, ...]] = {}
    sizes = np.diff(boundaries)
    for begin, size in zip(boundaries[:-1].tolist(), sizes.tolist()):
        if size < 2:
            continue
        ids = order[begin:begin + size]
        members[int(sorted_groups[begin])] = ids
        # sorted(set()) of a few ints: np.unique costs more per call, and its first call imports numpy.ma
        documents[int(sorted_groups[begin])] = tuple(sorted(set(paragraphs.document[ids].tolist())))
    kept = np.full(len(group), -1, dtype=np.int64)
    for group_id, ids in members.items():
        kept[ids] = group_id
    return CopyGroups(paragraphs, kept, members, documents)


def _find(parent: list[int], item: int) -> int:
    while parent[item] != item:
        parent[item] = parent[parent[item]]
        item = parent[item]
    return item


def _union(parent: list[int], a: int, b: int) -> None:
    root_a, root_b = _find(parent, a), _find(parent, b)
    if root_a != root_b:
        parent[max(root_a, root_b)] = min(root_a, root_b)
