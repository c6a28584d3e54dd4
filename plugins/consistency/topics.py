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
    frequency = Counter(e for _, facts in documents for e in set(facts["entities"]))
    postings: dict[str, list[int]] = defaultdict(list)
    for index, (_, facts) in enumerate(documents):
        for entity in set(facts["entities"]):
            if 1 < frequency[entity] <= cap:
                postings[entity].append(index)
    shared: Counter[tuple[int, int]] = Counter()
    for members in postings.values():
        for position, first in enumerate(members):
            for second in members[position + 1:]:
                shared[(first, second)] += 1
    candidates = sorted(pair for pair, common in shared.items() if common >= MIN_SHARED)
    if not candidates:
        return {}
    signatures = np.array([facts["topic"] for _, facts in documents], dtype=np.uint32)
    firsts = np.array([a for a, _ in candidates])
    seconds = np.array([b for _, b in candidates])
    similarity = (signatures[firsts] == signatures[seconds]).mean(axis=1)
    return {pair: float(value) for pair, value in zip(candidates, similarity) if value >= MIN_TEXT_SIMILARITY}
