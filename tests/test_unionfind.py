"""Components of pairs: roots are the smallest member, whatever the order of the pairs."""

from __future__ import annotations

import random

from srcaudit.unionfind import join


def components(roots) -> set[frozenset[int]]:
    groups: dict[int, set[int]] = {}
    for item, root in enumerate(roots.tolist()):
        groups.setdefault(root, set()).add(item)
    return {frozenset(group) for group in groups.values()}


def test_roots_are_the_smallest_members_in_any_pair_order():
    pairs = [(5, 3), (3, 8), (1, 2), (8, 6)]
    for _ in range(20):
        random.shuffle(pairs)
        roots = join(10, pairs)
        assert roots.tolist() == [0, 1, 1, 3, 4, 3, 3, 7, 3, 9]


def test_refused_pairs_are_not_joined_and_joined_pairs_are_not_asked_again():
    asked = []

    def confirm(a: int, b: int) -> bool:
        asked.append((a, b))
        return (a, b) != (2, 3)

    roots = join(5, [(0, 1), (1, 2), (0, 2), (2, 3)], confirm)
    assert components(roots) == {frozenset({0, 1, 2}), frozenset({3}), frozenset({4})}
    assert asked == [(0, 1), (1, 2), (2, 3)]  # (0, 2) was already one component


def test_matches_a_plain_component_search_on_random_pairs():
    rng = random.Random(7)
    for _ in range(50):
        count = rng.randint(1, 30)
        pairs = [(rng.randrange(count), rng.randrange(count)) for _ in range(rng.randint(0, 40))]
        neighbours: dict[int, set[int]] = {i: set() for i in range(count)}
        for a, b in pairs:
            neighbours[a].add(b)
            neighbours[b].add(a)
        expected, seen = set(), set()
        for start in range(count):
            if start in seen:
                continue
            stack, group = [start], set()
            while stack:
                item = stack.pop()
                if item not in group:
                    group.add(item)
                    stack.extend(neighbours[item] - group)
            seen |= group
            expected.add(frozenset(group))
        roots = join(count, pairs)
        assert components(roots) == expected
        assert all(root == min(group) for group in expected for root in roots[sorted(group)].tolist())
