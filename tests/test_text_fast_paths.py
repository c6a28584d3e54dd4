"""The batched and shortcut paths of srcaudit.text and srcaudit.lsh give the plain definitions' values."""

from __future__ import annotations

import random
import zlib

import numpy as np
import pytest

from srcaudit import lsh, text


def test_word_count_equals_counting_word_spans():
    rnd = random.Random(3)
    for alphabet in ("ab_9 -'.,!\t", "ab_9 -'.,!\t’éß"):  # ASCII (shortcut) and not
        for _ in range(5000):
            sample = "".join(rnd.choice(alphabet) for _ in range(rnd.randrange(0, 30)))
            assert text.word_count(sample) == len(text.word_spans(sample)), repr(sample)
    assert text.word_count("It's a well-known fact - isn't it?") == 6


def test_permutations_in_32_bits_equal_64_bit_arithmetic_masked():
    a, b = text._permutations(64)
    values = np.random.default_rng(5).integers(0, 1 << 32, 500, dtype=np.uint64)
    wide = (np.outer(values, a.astype(np.uint64)) + b.astype(np.uint64)) & np.uint64(0xFFFFFFFF)
    assert np.array_equal(text._permuted(values, a, b), wide.astype(np.uint32))


@pytest.mark.parametrize("block_rows", [text._BLOCK_ROWS, 7])
def test_signing_groups_equals_signing_each_set(monkeypatch, block_rows):
    monkeypatch.setattr(text, "_BLOCK_ROWS", block_rows)
    rnd = random.Random(block_rows)
    token_lists = [[f"w{rnd.randrange(60)}" for _ in range(rnd.choice([0, 0, 1, 2, 5, 9, 40]))] for _ in range(120)]
    values, counts = text._shingle_groups(token_lists, 2)
    expected = text.minhash_signatures([text.shingle_hashes(tokens, 2) for tokens in token_lists], 32)
    assert np.array_equal(text._sign_groups(values, counts, 32), expected)
    empty = [n for n, tokens in enumerate(token_lists) if not tokens]
    assert empty and (expected[empty] == 0xFFFFFFFF).all()


def test_word_hash_runs_cached_or_not_equal_each_texts_hashes():
    token_lists = [["the", "council", "met"], [], ["met", "again"], ["the", "council", "met"]]
    joined = np.concatenate([text.word_hashes(tokens) for tokens in token_lists])
    text._hash_runs.clear()
    assert np.array_equal(text.word_hash_runs(token_lists, cached=False), joined)
    assert np.array_equal(text.word_hash_runs(token_lists), joined)  # fills the cache
    assert np.array_equal(text.word_hash_runs(token_lists), joined)  # served from it
    assert np.array_equal(text.word_hash_runs(token_lists[2:3]), text.word_hashes(["met", "again"]))


def _pairs_by_definition(signatures: np.ndarray, bands: int, rows: int) -> np.ndarray:
    used = signatures[:, :bands * rows]
    agree = (used[:, None, :] == used[None, :, :]).reshape(len(used), len(used), bands, rows)
    first, second = np.nonzero(np.triu(agree.all(axis=3).any(axis=2), k=1))
    return np.stack([first, second], axis=1).astype(np.int64)


def test_small_candidate_pairs_are_the_rows_agreeing_on_a_whole_band():
    rng = np.random.default_rng(1)
    for trial in range(300):
        count = int(rng.integers(2, 40))
        if trial % 2:  # few distinct values: many rows and bands agree
            signatures = rng.integers(0, 3, size=(count, 64), dtype=np.uint32)
        else:  # random rows, one planted copy and one planted shared band
            signatures = rng.integers(0, 1 << 32, size=(count, 64), dtype=np.uint32)
            signatures[-1] = signatures[0]
            signatures[count // 2, 8:12] = signatures[1, 8:12]
        for bands, rows in ((16, 4), (21, 3), (64, 1)):
            expected = _pairs_by_definition(signatures, bands, rows)
            assert np.array_equal(lsh._small_candidate_pairs(signatures, bands, rows), expected)


def test_word_set_signature_is_the_minhash_of_one_word_shingles():
    tokens = ["harbour", "crane", "strike", "ünion", "dockers", "crane", "2024"]
    expected = text.minhash_signatures([text.shingle_hashes(sorted(set(tokens)), 1)], 32)[0]
    assert np.array_equal(text.word_set_signature(tokens, 32), expected)
    assert np.array_equal(text.word_set_signature(list(reversed(tokens)), 32), expected)  # order is irrelevant
    assert not np.array_equal(text.word_set_signature(tokens[:-2], 32), expected)  # near miss: one word fewer
    assert (text.word_set_signature([], 32) == 0xFFFFFFFF).all()


def test_sentence_end_pattern_finds_what_the_lookbehind_first_pattern_found():
    import re

    reference = re.compile(r"(?<![.!?…])[.!?…]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])")
    rnd = random.Random(11)
    for _ in range(20000):
        sample = "".join(rnd.choice("a.!?… \"'”)A9\n") for _ in range(rnd.randrange(0, 25)))
        for start in (0, 1):
            assert ([m.span() for m in text._SENTENCE_END.finditer(sample, start)]
                    == [m.span() for m in reference.finditer(sample, start)]), repr(sample)
    assert text.sentence_spans("It rained... Then? It stopped!! Mr. Lee left. 9 came.") == [
        (0, 12), (13, 18), (19, 31), (32, 45), (46, 53)]


def test_word_hash32_is_the_hash_word_set_signature_gives_each_word():
    rnd = random.Random(11)
    alphabet = "abcxyz019_-'éßŁ漢"
    words = ["", "a", "the", "Zelenskyy", "naïve"] + ["".join(rnd.choice(alphabet) for _ in range(rnd.randrange(1, 12)))
                                                   for _ in range(500)]
    crcs = np.fromiter((zlib.crc32(w.encode()) for w in words), dtype=np.uint64, count=len(words))
    assert [text.word_hash32(w) for w in words] == text._mixed32(crcs).tolist()
    for size in (1, 3, 40):
        sample = rnd.sample(words, size)
        hashes = np.array([text.word_hash32(w) for w in sample], dtype=np.int64)
        assert np.array_equal(text.hash_set_signature(hashes, 32), text.word_set_signature(sample, 32))
    assert (text.hash_set_signature(np.empty(0, dtype=np.int64), 32) == 0xFFFFFFFF).all()  # no word
