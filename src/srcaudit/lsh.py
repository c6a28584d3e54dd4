"""Banded MinHash LSH over many signatures at once: candidate pairs without comparing all pairs.

This is the banding scheme of ``datasketch.MinHashLSH`` (``b`` bands of ``r`` rows: two
sets become candidates when all ``r`` rows of at least one band agree, with probability
``1 - (1 - J**r)**b`` for Jaccard similarity ``J``), computed with numpy over a whole
``(n, num_perm)`` signature matrix. ``MinHashLSH.insert`` costs about 70 µs a key in
Python, i.e. more than a minute for the million paragraphs of a 100k-document corpus;
sorting band keys costs well under a second. The signatures stay datasketch-compatible
(:func:`srcaudit.text.lean_minhash`), so an index can still be kept in datasketch (or
Redis, through it) where persistence matters more than speed.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from .text import sorted_distinct

# How many members of a bucket each member is paired with. A bucket of m near-identical
# paragraphs (one text syndicated m times) would give m²/2 pairs; pairing every member
# with the bucket's first few keeps it linear and still connects the whole group.
DEFAULT_LEADERS = 4
# Up to this many signatures (one document's paragraphs), comparing bands of every pair in
# one broadcast is cheaper than sorting band keys band by band.
_SMALL = 48


def candidate_probability(similarity: float, bands: int, rows: int) -> float:
    """Probability that two sets with this Jaccard similarity share at least one band."""
    return 1.0 - (1.0 - similarity ** rows) ** bands


@lru_cache(maxsize=32)
def band_layout(threshold: float, num_perm: int, false_positive_weight: float = 0.5) -> tuple[int, int]:
    """``(bands, rows)`` minimising weighted false-positive and false-negative areas (as datasketch does).

    Every layout is integrated at once with numpy (no scipy, a millisecond).
    """
    layouts = np.array([(b, r) for b in range(1, num_perm + 1) for r in range(1, num_perm // b + 1)], dtype=float)
    bands, rows = layouts[:, :1], layouts[:, 1:]
    below = np.linspace(0.0, threshold, 200)[None, :]
    above = np.linspace(threshold, 1.0, 200)[None, :]
    false_positive = _integrate(1 - (1 - below ** rows) ** bands, below[0])
    false_negative = _integrate((1 - above ** rows) ** bands, above[0])
    cost = false_positive_weight * false_positive + (1 - false_positive_weight) * false_negative
    best = int(np.argmin(cost))  # first minimum: the same tie-break as datasketch's loop
    return int(layouts[best, 0]), int(layouts[best, 1])


def _integrate(values: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Trapezoidal integral of each row of ``values`` over ``points``."""
    return ((values[:, 1:] + values[:, :-1]) * np.diff(points) / 2).sum(axis=1)


#: Multiplier of the band-key recurrence (FNV-1's 64-bit prime): any odd constant would do,
#: but every index built on these keys must use this one.
_BAND_MULTIPLIER = np.uint64(0x100000001B3)


def band_key(signatures: np.ndarray, band: int, rows: int) -> np.ndarray:
    """Each signature's key of ``band`` (uint64): equal keys are :func:`candidate_pairs`' buckets.

    Public so that indexes kept between runs (the incremental reduce) bucket signatures
    exactly as this module does. One column is widened at a time: a uint64 copy of the
    whole matrix would double the memory.
    """
    key = np.zeros(len(signatures), dtype=np.uint64)
    for column in range(band * rows, (band + 1) * rows):
        key = key * _BAND_MULTIPLIER + signatures[:, column].astype(np.uint64)  # wraps modulo 2**64
    return key


def candidate_pairs(signatures: np.ndarray, bands: int, rows: int, leaders: int = DEFAULT_LEADERS) -> np.ndarray:
    """Distinct ``(i, j)`` row pairs (``i < j``) that agree on every row of at least one band.

    :param signatures: ``(n, num_perm)`` unsigned integer MinHash signatures.
    :return: an ``(m, 2)`` int64 array, sorted, without repeats.
    """
    count = len(signatures)
    if count < 2:
        return np.empty((0, 2), dtype=np.int64)
    if count <= _SMALL and leaders >= count - 1:
        return _small_candidate_pairs(signatures, bands, rows)
    found: list[np.ndarray] = []
    for band in range(bands):
        found.append(_bucket_pairs(band_key(signatures, band, rows), leaders))
    pairs = np.concatenate(found)
    if not len(pairs):
        return np.empty((0, 2), dtype=np.int64)
    codes = sorted_distinct(pairs[:, 0] * count + pairs[:, 1])
    return np.stack([codes // count, codes % count], axis=1)


def _small_candidate_pairs(signatures: np.ndarray, bands: int, rows: int) -> np.ndarray:
    used = signatures[:, :bands * rows]
    # Most documents have no two paragraphs agreeing on a whole band. Rows that agree give
    # equal band keys, so no repeated key in any band means no candidate: a few numpy calls
    # instead of comparing every pair on every row.
    by_band = used.reshape(len(used), bands, rows)
    keys = np.zeros((len(used), bands), dtype=np.uint64)
    for row in range(rows):
        keys = keys * _BAND_MULTIPLIER + by_band[:, :, row]  # band_key of every band at once
    keys.sort(axis=0)
    if not (keys[1:] == keys[:-1]).any():
        return np.empty((0, 2), dtype=np.int64)
    agree = (used[:, None, :] == used[None, :, :]).reshape(len(used), len(used), bands, rows)
    first, second = np.nonzero(np.triu(agree.all(axis=3).any(axis=2), k=1))
    return np.stack([first, second], axis=1).astype(np.int64)


def _bucket_pairs(key: np.ndarray, leaders: int) -> np.ndarray:
    """Pairs of rows with equal keys: each member with up to ``leaders`` earlier members of its bucket."""
    order = np.argsort(key, kind="stable")
    sorted_keys = key[order]
    starts_here = np.r_[True, sorted_keys[1:] != sorted_keys[:-1]]
    bucket_start = np.maximum.accumulate(np.where(starts_here, np.arange(len(key)), 0))
    rank = np.arange(len(key)) - bucket_start  # position of each row inside its bucket
    found = []
    for lead in range(min(leaders, int(rank.max()) if len(rank) else 0)):
        members = np.flatnonzero(rank > lead)
        first = order[bucket_start[members] + lead]
        second = order[members]
        found.append(np.stack([np.minimum(first, second), np.maximum(first, second)], axis=1))
    if not found:
        return np.empty((0, 2), dtype=np.int64)
    return np.concatenate(found).astype(np.int64)
