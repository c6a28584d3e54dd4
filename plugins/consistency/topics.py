"""Which documents tell the same story: pairs that share enough distinctive named entities.

Cross-source rules compare only such pairs, so a folder of unrelated stories never pairs
everything with everything. Candidates come from an inverted index over entities; an
entity found in a large share of the corpus ("Washington", "Obama" in a politics folder)
does not propose pairs, which keeps the cost near-linear.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from itertools import chain

import numpy as np

from srcaudit.api import DocumentFacts
from srcaudit.lsh import band_layout, candidate_pairs
from srcaudit.unionfind import join

#: Entities shared by a pair before it counts as one story.
MIN_SHARED = 3
#: Estimated Jaccard similarity of the two documents' content words.
MIN_TEXT_SIMILARITY = 0.12
#: MinHash permutations of the whole-text signature.
TOPIC_PERMUTATIONS = 128
#: An entity in more than this share of the documents (and more than MIN_CAP of them) proposes no pairs.
MAX_DOCUMENT_SHARE = 0.1
MIN_CAP = 20


#: Documents whose content words are at least this similar (estimated Jaccard) are copies of
#: one text (a syndicated story, a republished article): they are compared through one of them.
NEAR_COPY = 0.7


def stories(documents: Sequence[tuple[DocumentFacts, dict]]) -> tuple[dict[tuple[int, int], float], np.ndarray]:
    """Index pairs ``(i, j)``, ``i < j``, of documents that share a story, with their text similarity;
    and, for each document, the first document of its group of near copies.

    Two filters, both cheap: the pair shares at least ``MIN_SHARED`` named entities that
    are not common in the corpus (candidates come from an inverted index on them), and the
    estimated Jaccard similarity of the documents' content words (whole-text MinHash) is
    at least ``MIN_TEXT_SIMILARITY``. Names alone pair stories about the same people;
    words alone pair stories on the same subject; together they pick one story.

    Copies of one text are grouped first (:data:`NEAR_COPY`, through an LSH index on the
    same signatures) and the first of each group stands for it: stories are paired between
    those representatives (``i < j``), then each document of the group of ``j`` is paired
    with ``i``, each document of the group of ``i`` that comes after ``j`` with ``j``, and
    each document with the representative of its own group. A story told
    by 45 copies of each of two texts then gives about 90 pairs instead of about 4,000,
    and a conflict between the two texts one finding per copy of the later text (checks
    report at the later document of a pair) instead of one per pair of copies. Every pair
    passes the same two filters as before.

    Relies on two facts per document: ``entities`` (names, as strings) and ``topic`` (the
    whole-text MinHash signature, ``TOPIC_PERMUTATIONS`` integers).
    """
    pairs, similarity, group = story_pairs(documents)
    return dict(zip(map(tuple, pairs.tolist()), similarity.tolist())), group


def story_pairs(documents: Sequence[tuple[DocumentFacts, dict]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`stories` as arrays: the ``(m, 2)`` pairs in order, their similarities, and the groups.

    The arrays are what an incremental update's state keeps (:mod:`.incremental`).
    """
    count = len(documents)
    if count < 2:
        return np.empty((0, 2), dtype=np.int64), np.empty(0), np.arange(count)
    signatures = np.array([facts["topic"] for _, facts in documents], dtype=np.uint32)
    entity_sets = [frozenset(facts["entities"]) for _, facts in documents]
    group = copy_groups(signatures)
    leading = group == np.arange(count)
    representatives = np.flatnonzero(leading)
    # "Common" is measured over distinct texts: 45 copies of one story do not make its names common.
    frequency = Counter(chain.from_iterable(map(entity_sets.__getitem__, representatives.tolist())))
    cap = max(MIN_CAP, int(len(representatives) * MAX_DOCUMENT_SHARE))
    # An entity of a representative is seen in two documents or more when two representatives
    # give it or a copy does: the copies' entities are all that is counted apart (one Counter
    # over every document cost as much as the one above).
    in_copies = set(chain.from_iterable(map(entity_sets.__getitem__, np.flatnonzero(~leading).tolist())))
    distinctive = {e for e, n in frequency.items() if n <= cap and (n > 1 or e in in_copies)}
    kept = [entity_sets[i] & distinctive for i in range(count)]
    stories = _similar(signatures, _shared_entity_pairs([kept[r] for r in representatives.tolist()],
                                                        representatives))
    ordered = _with_copies(stories, group)
    sizes = np.fromiter(map(len, kept), dtype=np.int64, count=count)
    # most pairs are a copy and its group's first document: cheap to rule out by size first
    possible = ordered[(sizes[ordered[:, 0]] >= MIN_SHARED) & (sizes[ordered[:, 1]] >= MIN_SHARED)]
    # A pair of two representatives is a story pair, whose shared entities were counted above;
    # only a pair with a copy is counted here.
    shared = leading[possible[:, 0]] & leading[possible[:, 1]]
    with_copy = np.flatnonzero(~shared)
    for index, (a, b) in zip(with_copy.tolist(), possible[with_copy].tolist()):
        shared[index] = len(kept[a] & kept[b]) >= MIN_SHARED
    candidates = possible[shared]
    similarity = _similarity(signatures, candidates)
    keep = similarity >= MIN_TEXT_SIMILARITY
    return candidates[keep], similarity[keep], group


def _with_copies(stories: np.ndarray, group: np.ndarray) -> np.ndarray:
    """The pairs to compare, sorted ``(i, j)``, ``i < j``, distinct: each story pair between
    representatives, each document of the later group with the earlier representative, each
    document of the earlier group that comes after the later representative with it, and
    each document with its own group's representative (see :func:`stories`)."""
    count = len(group)
    copies = np.flatnonzero(group != np.arange(count))  # documents that are not their group's first
    by_leader = copies[np.argsort(group[copies], kind="stable")]  # grouped, ascending within a group
    leaders = group[by_leader]
    start = np.searchsorted(leaders, np.arange(count))
    end = np.searchsorted(leaders, np.arange(count), side="right")
    first, second = stories[:, 0], stories[:, 1]
    parts = [stories, np.stack([leaders, by_leader], axis=1)]
    for anchor, group_of, only_after in ((first, second, False), (second, first, True)):
        counts = end[group_of] - start[group_of]
        offsets = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
        others = by_leader[np.repeat(start[group_of], counts) + offsets]
        linked = np.stack([np.repeat(anchor, counts), others], axis=1)
        if only_after:  # the earlier group's copies only after the later representative
            linked = linked[linked[:, 1] > linked[:, 0]]
        parts.append(linked)
    pairs = np.concatenate(parts).astype(np.int64).reshape(-1, 2)
    low, high = pairs.min(axis=1), pairs.max(axis=1)
    codes = np.unique((low * count + high)[low != high])
    return np.stack([codes // count, codes % count], axis=1)


def _similarity(signatures: np.ndarray, pairs: np.ndarray, chunk: int = 4096) -> np.ndarray:
    """Estimated Jaccard similarity (share of equal MinHash rows) of each ``(i, j)`` pair.

    In chunks of ``chunk`` pairs: each chunk gathers two ``(chunk, TOPIC_PERMUTATIONS)``
    uint32 copies of the signatures (2 MB each at 4,096 pairs; 65,536 pairs took 67 MB).
    """
    values = np.empty(len(pairs), dtype=np.float64)
    for begin in range(0, len(pairs), chunk):
        part = pairs[begin:begin + chunk]
        values[begin:begin + chunk] = (signatures[part[:, 0]] == signatures[part[:, 1]]).mean(axis=1)
    return values


def _similar(signatures: np.ndarray, pairs: np.ndarray) -> np.ndarray:
    """The pairs whose texts are similar enough to tell one story."""
    return pairs[_similarity(signatures, pairs) >= MIN_TEXT_SIMILARITY]


def copy_groups(signatures: np.ndarray) -> np.ndarray:
    """For each document, the first document of its group of near copies (itself when it has none)."""
    if len(signatures) < 2:
        return np.arange(len(signatures))
    bands, rows = band_layout(NEAR_COPY, signatures.shape[1])
    candidates = candidate_pairs(signatures, bands, rows)
    # in chunks (_similarity): at 100k documents of many copies, the near-copy candidates
    # gathered at once made the largest memory peak of the whole run
    close = candidates[_similarity(signatures, candidates) >= NEAR_COPY] if len(candidates) else candidates
    return join(len(signatures), close.tolist())


def _shared_entity_pairs(entity_sets: list[frozenset[str]], indices: np.ndarray) -> np.ndarray:
    """Pairs of ``indices`` whose entity sets share at least ``MIN_SHARED`` entities (inverted index).

    The postings are built in numpy: every (entity, position) membership is coded by the
    entity's number, and a stable sort by it lists each entity's positions together, in
    position order (a Python loop appending each membership to its entity's list cost
    most of the pairing on BBC).
    """
    count = len(entity_sets)
    sizes = np.fromiter(map(len, entity_sets), dtype=np.int64, count=count)
    memberships = list(chain.from_iterable(entity_sets))
    numbers = dict(zip(set(memberships), range(len(memberships))))  # entity -> its number
    codes = np.fromiter(map(numbers.__getitem__, memberships), dtype=np.int64, count=len(memberships))
    order = np.argsort(codes, kind="stable")
    members = np.repeat(np.arange(count, dtype=np.int64), sizes)[order]
    _, group_sizes = np.unique(codes[order], return_counts=True)  # the entities' postings, one after another
    shared = group_sizes > 1
    if not shared.any():
        return np.empty((0, 2), dtype=np.int64)
    pairs, shared_counts = np.unique(_pair_codes_of(members[np.repeat(shared, group_sizes)], group_sizes[shared], count),
                                     return_counts=True)
    firsts, seconds = np.divmod(pairs[shared_counts >= MIN_SHARED], count)
    return np.stack([indices[firsts], indices[seconds]], axis=1).astype(np.int64)


def _pair_codes(groups: list[list[int]], count: int) -> np.ndarray:
    """Every pair of each group's members (ascending document indices) as ``i * count + j``."""
    sizes = np.fromiter(map(len, groups), dtype=np.int64, count=len(groups))
    return _pair_codes_of(np.fromiter(chain.from_iterable(groups), dtype=np.int64, count=int(sizes.sum())), sizes, count)


def _pair_codes_of(members: np.ndarray, sizes: np.ndarray, count: int) -> np.ndarray:
    """:func:`_pair_codes` of the groups laid end to end in ``members``, ``sizes`` long each.

    All groups in one pass (thousands of entities, each a handful of documents: numpy calls
    per group cost more than the pairs): each member is paired with the members after it in
    its group, which sit right after it in the flattened array.
    """
    position = np.arange(len(members))
    later = np.repeat(np.cumsum(sizes), sizes) - position - 1  # members after each one in its group
    first_of_block = np.cumsum(later) - later
    partner = np.repeat(position + 1 - first_of_block, later) + np.arange(int(later.sum()))
    return np.repeat(members, later) * count + members[partner]
