"""Which documents tell the same story: pairs that share enough distinctive named entities.

Cross-source rules compare only such pairs, so a folder of unrelated stories never pairs
everything with everything. Candidates come from an inverted index over entities; an
entity found in a large share of the corpus ("Washington", "Obama" in a politics folder)
does not propose pairs, which keeps the cost near-linear.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

import numpy as np

from srcaudit.api import DocumentFacts

#: Entities shared by a pair before it counts as one story.
MIN_SHARED = 3
#: Estimated Jaccard similarity of the two documents' content words.
MIN_TEXT_SIMILARITY = 0.12
#: MinHash permutations of the whole-text signature.
TOPIC_PERMUTATIONS = 128
#: An entity in more than this share of the documents (and more than MIN_CAP of them) proposes no pairs.
MAX_DOCUMENT_SHARE = 0.1
MIN_CAP = 20


def story_pairs(documents: Sequence[tuple[DocumentFacts, dict]]) -> dict[tuple[int, int], float]:
    """Index pairs ``(i, j)``, ``i < j``, of documents that share a story, with their text similarity.

    Two filters, both cheap: the pair shares at least ``MIN_SHARED`` named entities that
    are not common in the corpus (candidates come from an inverted index on them), and the
    estimated Jaccard similarity of the documents' content words (whole-text MinHash) is
    at least ``MIN_TEXT_SIMILARITY``. Names alone pair stories about the same people;
    words alone pair stories on the same subject; together they pick one story.
    """
    count = len(documents)
    cap = max(MIN_CAP, int(count * MAX_DOCUMENT_SHARE))
    entity_sets = [set(facts["entities"]) for _, facts in documents]
    frequency = Counter(e for entities in entity_sets for e in entities)
    postings: dict[str, list[int]] = defaultdict(list)
    for index, entities in enumerate(entity_sets):
        for entity in entities:
            if 1 < frequency[entity] <= cap:
                postings[entity].append(index)
    # Count shared entities per pair with numpy: a pair (i, j), i < j, is coded i * count + j,
    # so sorted codes are the pairs in order. Postings are in document order, so i < j.
    codes = [_pair_codes(members, count) for members in postings.values()]
    if not codes:
        return {}
    pairs, shared = np.unique(np.concatenate(codes), return_counts=True)
    firsts, seconds = np.divmod(pairs[shared >= MIN_SHARED], count)
    if len(firsts) == 0:
        return {}
    signatures = np.array([facts["topic"] for _, facts in documents], dtype=np.uint32)
    similarity = (signatures[firsts] == signatures[seconds]).mean(axis=1)
    keep = similarity >= MIN_TEXT_SIMILARITY
    return {(int(i), int(j)): float(value)
            for i, j, value in zip(firsts[keep].tolist(), seconds[keep].tolist(), similarity[keep].tolist())}


def _pair_codes(members: list[int], count: int) -> np.ndarray:
    """Every pair of ``members`` (ascending document indices) as ``i * count + j``."""
    indices = np.asarray(members, dtype=np.int64)
    first, second = np.triu_indices(len(indices), 1)
    return indices[first] * count + indices[second]
