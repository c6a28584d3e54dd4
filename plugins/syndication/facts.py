"""Map phase: what the syndication rules need from one document, as compact numpy arrays.

The reduce phase never sees text, so each considered paragraph travels as its position,
its word count, a hash of its whole word sequence (exact copies), its MinHash signature
(near copies, through the LSH index) and its sequence of word hashes (exact confirmation).
Word hashes take 4 bytes a word: a 100k-document corpus stays within a few hundred MB.
"""

from __future__ import annotations

import hashlib
from typing import Any

import numpy as np

from srcaudit.api import Document
from srcaudit.text import DEFAULT_NUM_PERM, minhash_signatures, shingle_hashes, word_hashes, words

NAMESPACE = "syndication"
NUM_PERM = DEFAULT_NUM_PERM
SHINGLE_SIZE = 2  # word pairs: a few edits keep most pairs, yet common words rarely collide


def extract(document: Document, min_words: int) -> dict[str, Any]:
    """The syndication facts of one document (see the module docstring)."""
    body_words = 0
    regions: list[tuple[int, int, int, int]] = []
    sequences: list[np.ndarray] = []
    shingles: list[np.ndarray] = []
    for paragraph in document.body_paragraphs:
        tokens = words(paragraph.text)
        body_words += len(tokens)
        if len(tokens) < min_words:
            continue
        region = paragraph.region
        regions.append((region.line, region.column, region.end_line, region.end_column))
        sequences.append(word_hashes(tokens).astype(np.uint32))
        shingles.append(shingle_hashes(tokens, SHINGLE_SIZE))
    lengths = np.array([len(s) for s in sequences], dtype=np.int64)
    return {
        "body_words": body_words,
        "regions": np.array(regions, dtype=np.int32).reshape(-1, 4),
        "keys": np.array([_sequence_key(s) for s in sequences], dtype=np.uint64),
        "signatures": minhash_signatures(shingles, NUM_PERM) if shingles
        else np.empty((0, NUM_PERM), dtype=np.uint32),
        "tokens": np.concatenate(sequences) if sequences else np.empty(0, dtype=np.uint32),
        "offsets": np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64),
    }


def _sequence_key(sequence: np.ndarray) -> int:
    """64-bit hash of a word sequence: equal for paragraphs that differ only in case or punctuation."""
    return int.from_bytes(hashlib.blake2b(sequence.tobytes(), digest_size=8).digest(), "little")
