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


def _plain_stories(documents):
    """:func:`topics.stories` as first written: every count over every document, each pair's
    shared entities counted by set intersection, postings appended one by one."""
    from collections import Counter, defaultdict
    from itertools import chain

    import numpy as np

    from srcaudit_plugins.consistency import topics

    count = len(documents)
    signatures = np.array([facts["topic"] for _, facts in documents], dtype=np.uint32)
    entity_sets = [frozenset(facts["entities"]) for _, facts in documents]
    group = topics.copy_groups(signatures)
    representatives = np.flatnonzero(group == np.arange(count)).tolist()
    seen = Counter(chain.from_iterable(entity_sets))
    frequency = Counter(chain.from_iterable(entity_sets[i] for i in representatives))
    cap = max(topics.MIN_CAP, int(len(representatives) * topics.MAX_DOCUMENT_SHARE))
    distinctive = {e for e, n in frequency.items() if n <= cap and seen[e] > 1}
    kept = [entity_sets[i] & distinctive for i in range(count)]
    postings = defaultdict(list)
    for position, index in enumerate(representatives):
        for entity in kept[index]:
            postings[entity].append(position)
    shared = Counter((representatives[a], representatives[b]) for members in postings.values()
                     for x, a in enumerate(members) for b in members[x + 1:])
    story_pairs = np.array(sorted(pair for pair, n in shared.items() if n >= topics.MIN_SHARED),
                           dtype=np.int64).reshape(-1, 2)
    ordered = topics._with_copies(topics._similar(signatures, story_pairs), group)
    candidates = np.array([(a, b) for a, b in ordered.tolist() if len(kept[a] & kept[b]) >= topics.MIN_SHARED],
                          dtype=np.int64).reshape(-1, 2)
    similarity = topics._similarity(signatures, candidates)
    keep = similarity >= topics.MIN_TEXT_SIMILARITY
    return dict(zip(map(tuple, candidates[keep].tolist()), similarity[keep].tolist())), group


def test_story_pairs_are_those_of_the_plain_construction():
    """The numpy postings, the copies-only count and the skipped recount of story pairs change nothing."""
    import numpy as np

    from srcaudit_plugins.consistency import topics

    rnd = random.Random(17)
    names = [f"name{index}" for index in range(40)]
    for round_ in range(60):
        count = rnd.randrange(2, 60)
        bases = [rnd.getrandbits(32) for _ in range(6)]  # a few stories, each a base signature
        documents = []
        for index in range(count):
            story = rnd.randrange(len(bases))
            previous = [d for d in documents if d[1]["story"] == story]
            if previous and rnd.random() < 0.3:  # an exact copy of an earlier text: a copy group
                documents.append((index, dict(previous[-1][1])))
                continue
            row = np.random.default_rng(bases[story]).integers(0, 2**32, topics.TOPIC_PERMUTATIONS, dtype=np.uint64)
            own = np.random.default_rng(round_ * 1000 + index).integers(0, 2**32, topics.TOPIC_PERMUTATIONS,
                                                                         dtype=np.uint64)
            mask = np.random.default_rng(index).random(topics.TOPIC_PERMUTATIONS) < rnd.random()
            topic = np.where(mask, own, row).astype(np.uint32)
            entities = sorted(set(rnd.sample(names[story * 5:story * 5 + 12], rnd.randrange(0, 8))
                                  + rnd.sample(names, rnd.randrange(0, 4))))
            documents.append((index, {"story": story, "topic": topic, "entities": entities}))
        found, groups = topics.stories(documents)
        expected, expected_groups = _plain_stories(documents)
        assert found == expected
        assert groups.tolist() == expected_groups.tolist()


def test_shared_entity_pairs_count_each_pairs_shared_entities():
    from collections import Counter

    import numpy as np

    from srcaudit_plugins.consistency import topics

    rnd = random.Random(23)
    for _ in range(200):
        count = rnd.randrange(1, 30)
        sets = [frozenset(rnd.sample("abcdefghij", rnd.randrange(0, 7))) for _ in range(count)]
        indices = np.array(sorted(rnd.sample(range(100), count)), dtype=np.int64)
        shared = Counter((indices[a], indices[b]) for a in range(count) for b in range(a + 1, count)
                         for _ in sets[a] & sets[b])
        expected = sorted(pair for pair, n in shared.items() if n >= topics.MIN_SHARED)
        assert [tuple(p) for p in topics._shared_entity_pairs(sets, indices).tolist()] == expected


def test_transliteration_candidates_hold_every_transliterated_pair():
    """Grouping by more than the first word drops only pairs that were never transliterated,
    and keeps the order in which the pairs were tried."""
    rnd = random.Random(29)
    firsts, lasts = ["ana", "jo", "volodymyr", "kim"], ["zelensky", "zelenskyy", "zelenski", "davis", "davies",
                                                         "smith", "smyth", "jong", "un", "jong-un", "zel"]
    for _ in range(300):
        keys = list(dict.fromkeys(" ".join(rnd.choice(firsts if i == 0 else firsts + lasts)
                                           for i in range(rnd.randrange(1, 4))) for _ in range(rnd.randrange(1, 20))))
        by_first: dict[str, list[str]] = {}
        for key in keys:
            by_first.setdefault(key.split()[0], []).append(key)
        plain = [(a, b) for group in by_first.values() for x, a in enumerate(group) for b in group[x + 1:]
                 if checks._transliterated(a, b)]
        grouped = [(a, b) for group in checks._transliteration_candidates(keys) for x, a in enumerate(group)
                   for b in group[x + 1:] if checks._transliterated(a, b)]
        assert sorted(grouped) == sorted(plain)
        for group in checks._transliteration_candidates(keys):
            assert group == [key for key in keys if key in group]  # in the keys' own order


def test_months_are_the_period_words_of_the_context():
    from srcaudit_plugins.consistency import checks

    for context in [(), ("octob", "troop"), ("monda", "decem", "jan", "may", "mar"), ("sunda",) * 3, ("agenc",)]:
        assert checks._months(context) == frozenset(checks._PERIOD_STEMS[w] for w in context if w in checks._PERIOD_STEMS)
    assert checks._months(("octob", "monda")) == {10, 13} and not checks._months(("may", "mar"))  # modal verbs
