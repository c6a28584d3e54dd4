"""Connected components of item pairs (union-find), for the corpus rules' groups of copies.

Both the syndication rules (paragraphs confirmed as copies) and the consistency rules
(documents that are near copies) join up to a million pairs at 100k documents, so the
find step is written out inside the loop (path halving on a list: a function call per
pair, or numpy item access, cost more than the joining itself), and a component's root is
always its smallest item, so the groups do not depend on the order of the pairs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np


def join(count: int, pairs: Iterable[tuple[int, int]] | Iterable[list[int]],
         confirm: Callable[[int, int], bool] | None = None) -> np.ndarray:
    """Each of ``count`` items' root (its component's smallest item) after joining ``pairs``.

    ``confirm(a, b)``, when given, is asked only about pairs not already in one component
    (an expensive test is skipped for pairs joined through others), and a pair it refuses
    is not joined.
    """
    parent = list(range(count))
    for a, b in pairs:
        root_a, root_b = a, b
        while parent[root_a] != root_a:
            parent[root_a] = parent[parent[root_a]]
            root_a = parent[root_a]
        while parent[root_b] != root_b:
            parent[root_b] = parent[parent[root_b]]
            root_b = parent[root_b]
        if root_a != root_b and (confirm is None or confirm(a, b)):
            parent[max(root_a, root_b)] = min(root_a, root_b)
    return roots(np.array(parent, dtype=np.int64))


def roots(parent: np.ndarray) -> np.ndarray:
    """The root of every item of a union-find ``parent`` array, by pointer jumping (a few passes)."""
    while True:
        grand = parent[parent]
        if np.array_equal(grand, parent):
            return parent
        parent = grand
