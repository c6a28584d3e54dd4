"""Shortcuts in the consistency reduce phase give exactly what the full computation gives."""

from __future__ import annotations

import random

from srcaudit_plugins.consistency import checks


def _random_quote(rnd: random.Random, vocabulary: list[str]) -> list[str]:
    return [rnd.choice(vocabulary) for _ in range(rnd.randrange(1, 25))]


def test_shared_bound_is_never_below_the_aligned_overlap():
    rnd = random.Random(11)
    vocabulary = "we will not back down from this fight the people deserve better and so do they".split()
    for _ in range(3000):
        first = _random_quote(rnd, vocabulary)
        second = first[:] if rnd.random() < 0.3 else _random_quote(rnd, vocabulary)
        if rnd.random() < 0.5:  # an edited copy: the near-miss the bound must not cut
            second[rnd.randrange(len(second))] = rnd.choice(vocabulary)
        assert checks._shared_bound(first, second) >= checks._overlap(first, second) - 1e-12, (first, second)


def test_shared_bound_rejects_quotes_with_few_words_in_common():
    first = "the budget will be balanced by the end of next year".split()
    second = "our schools need more teachers and smaller classes now".split()
    assert checks._shared_bound(first, second) < checks.MIN_SHARED_SHARE
    assert checks._compared(" ".join(first), " ".join(second)) is None


def test_a_reworded_quote_still_passes_the_bound():
    first = "we will fight this plan for our workers and their families".split()
    second = "we will oppose this plan for all workers and their families".split()
    assert checks._shared_bound(first, second) >= checks.MIN_SHARED_SHARE
    assert checks._compared(" ".join(first), " ".join(second)) > checks.MIN_SHARED_SHARE


def test_checks_run_in_another_order_give_their_findings_in_pair_order():
    import numpy as np

    from srcaudit_plugins import consistency

    pairs = [(("a", i), ("b", i)) for i in range(50)]

    def check(seen):  # one pair at a time; some pairs give two findings, some none
        for (_, i), _ in seen:
            for copy in range(i % 3):
                yield f"{i}.{copy}"

    rnd = random.Random(3)
    order = list(range(len(pairs)))
    rnd.shuffle(order)
    assert consistency._in_pair_order(check, pairs, order) == list(check(pairs))
    groups = np.array([0, 0, 0, 1, 1, 3])
    assert consistency._cache_friendly_order([(0, 3), (1, 2), (0, 4), (2, 5), (0, 1)], groups) == [4, 1, 0, 2, 3]


def test_pairs_with_copies_are_those_of_the_plain_construction():
    import numpy as np

    from srcaudit_plugins.consistency import topics

    rnd = random.Random(5)
    for _ in range(200):
        count = rnd.randrange(2, 30)
        group = []
        for index in range(count):  # each document joins an earlier group's first document, or starts one
            leaders = sorted(set(group))
            group.append(rnd.choice(leaders) if leaders and rnd.random() < 0.5 else index)
        group = np.array(group)
        leaders = sorted(set(group.tolist()))
        stories = sorted({tuple(sorted(rnd.sample(leaders, 2))) for _ in range(rnd.randrange(0, 6))}
                         if len(leaders) > 1 else set())
        members = {leader: [i for i in range(count) if group[i] == leader and i != leader] for leader in leaders}
        expected = set()
        for first, second in stories:  # the construction as first written, with sets
            expected.add((first, second))
            expected.update((first, other) for other in members[second])
            expected.update((second, other) for other in members[first] if other > second)
        expected.update((leader, other) for leader in leaders for other in members[leader])
        expected = sorted((min(a, b), max(a, b)) for a, b in expected if a != b)
        found = topics._with_copies(np.array(stories, dtype=np.int64).reshape(-1, 2), group)
        assert [tuple(p) for p in found.tolist()] == expected
