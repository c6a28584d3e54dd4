"""Which documents tell the same story: pairs that share enough distinctive named entities.

Cross-source rules compare only such pairs, so a folder of unrelated stories never pairs
everything with everything. Candidates come from an inverted index over entities; an
entity found in a large share of the corpus ("Washington", "Obama" in a politics folder)
does not propose pairs, which keeps the cost near-linear.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence

from srcaudit.api import DocumentFacts

#: Entities shared by a pair before it counts as one story.
MIN_SHARED = 3
#: Shared entities over the geometric mean of both documents' distinctive entities.
MIN_SIMILARITY = 0.2
#: An entity in more than this share of the documents (and more than 8 of them) is too common to pair on.
MAX_DOCUMENT_SHARE = 0.05


def story_pairs(documents: Sequence[tuple[DocumentFacts, dict]]) -> list[tuple[int, int]]:
    """Index pairs ``(i, j)``, ``i < j``, of documents that share a story."""
    count = len(documents)
    cap = max(8, int(count * MAX_DOCUMENT_SHARE))
    frequency = Counter(e for _, facts in documents for e in set(facts["entities"]))
    distinctive = [{e for e in facts["entities"] if frequency[e] <= cap} for _, facts in documents]
    postings: dict[str, list[int]] = defaultdict(list)
    for index, entities in enumerate(distinctive):
        for entity in entities:
            postings[entity].append(index)
    shared: Counter[tuple[int, int]] = Counter()
    for members in postings.values():
        if len(members) < 2:
            continue
        for position, first in enumerate(members):
            for second in members[position + 1:]:
                shared[(first, second)] += 1
    pairs = []
    for (first, second), common in shared.items():
        if common < MIN_SHARED:
            continue
        size = math.sqrt(len(distinctive[first]) * len(distinctive[second]))
        if common / size >= MIN_SIMILARITY:
            pairs.append((first, second))
    return sorted(pairs)
