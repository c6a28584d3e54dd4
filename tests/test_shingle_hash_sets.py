"""text.shingle_hash_sets: many texts' shingles in one pass, equal to shingling each text alone."""

from __future__ import annotations

import random

import numpy as np
import pytest

from srcaudit.text import shingle_hash_sets, shingle_hashes

# Values of the single-text shingling before the batched version existed: hashes are stored
# in caches and compared across runs, so they must never change.
PINNED = [
    (("the", "council", "voted", "the", "council"), 2, [454659055, 491230181, 2948350693]),
    (("one",), 2, [201856690]),
    (("a", "b"), 3, [3633519832]),
    (("a", "b", "c", "d"), 3, [2989769200, 3439369918]),
]


@pytest.mark.parametrize(("tokens", "size", "expected"), PINNED)
def test_hash_values_are_unchanged(tokens, size, expected):
    assert shingle_hash_sets([list(tokens)], size)[0].tolist() == expected
    assert shingle_hashes(tokens, size).tolist() == expected


@pytest.mark.parametrize("size", [1, 2, 3, 5])
def test_a_batch_equals_each_text_alone(size):
    rng = random.Random(size)
    vocabulary = [f"w{n}" for n in range(40)]
    texts = [[rng.choice(vocabulary) for _ in range(rng.choice([0, 1, 2, 3, 4, 9, 60]))] for _ in range(200)]
    batch = shingle_hash_sets(texts, size)
    assert len(batch) == len(texts)
    for tokens, values in zip(texts, batch):
        alone = shingle_hashes(tokens, size)
        assert values.dtype == np.uint64 and np.array_equal(values, alone)
        assert not values.flags.writeable


def test_empty_inputs():
    assert shingle_hash_sets([], 2) == []
    assert [len(v) for v in shingle_hash_sets([[], ["x"], []], 2)] == [0, 1, 0]


def test_a_call_larger_than_the_signature_cache_is_not_kept():
    """One huge document's signatures would otherwise stay cached (a copy of every shingle) until the next call."""
    from srcaudit import text

    sets = shingle_hash_sets([[f"w{n}", f"w{n + 1}", f"w{n + 2}"] for n in range(text._SIGNATURE_CACHE_SIZE + 1)], 2)
    text._signature_cache.clear()
    large = text.minhash_signatures(sets, 16)
    assert len(text._signature_cache) == 0
    small = text.minhash_signatures(sets[:10], 16)
    assert len(text._signature_cache) == 10
    assert np.array_equal(large[:10], small) and np.array_equal(text.minhash_signatures(sets[:10], 16), small)


@pytest.mark.parametrize("batch_size", [1024, 3])
def test_signature_table_rows_equal_signing_each_text(monkeypatch, batch_size: int) -> None:
    """Batched or not (the cached path below one batch), a row is the text's own signature."""
    from srcaudit import text

    monkeypatch.setattr(text.SignatureTable, "batch_size", batch_size)
    texts = [f"the council voted {n} times on plan {n % 4} for the bridge".split() for n in range(8)]
    table = text.SignatureTable(10, 2, 16)
    for tokens in texts:
        table.add(tokens)
    expected = text.minhash_signatures([text.shingle_hashes(tokens, 2) for tokens in texts], 16)
    assert table.signatures.shape == (8, 16)
    assert np.array_equal(table.signatures, expected)
