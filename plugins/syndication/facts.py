"""Map phase: what the syndication rules need from one document, as compact numpy arrays.

The reduce phase never sees text, so each considered paragraph travels as its position,
its word count, a hash of its whole word sequence (exact copies), its MinHash signature
(near copies, through the LSH index) and its sequence of word hashes (exact confirmation).
Word hashes take 4 bytes a word: a 100k-document corpus stays within a few hundred MB.
"""

from __future__ import annotations

import array
import hashlib
from typing import Any

import numpy as np

from srcaudit.api import Document
from srcaudit.text import (DEFAULT_NUM_PERM, minhash_signatures, shingle_hash_sets, shingle_hashes, word_hashes,
                           words)

NAMESPACE = "syndication"
NUM_PERM = DEFAULT_NUM_PERM
SHINGLE_SIZE = 2  # word pairs: a few edits keep most pairs, yet common words rarely collide


# Long paragraphs are signed this many at a time: a 200 MB page has half a million of them,
# and their shingle arrays all alive at once cost several times the file's size.
_SIGNING_BATCH = 1024


def extract(document: Document, min_words: int) -> dict[str, Any]:
    """The syndication facts of one document (see the module docstring)."""
    body_words = 0
    paragraphs = document.body_paragraphs
    regions: list[tuple[int, int, int, int]] = []
    keys: list[int] = []
    lengths: list[int] = []
    hashes = array.array("I")  # every considered paragraph's word hashes, end to end (no array per paragraph)
    signed: np.ndarray | None = None  # rows of a document longer than one batch, filled a batch at a time
    batch: list[list[str]] = []
    for paragraph in paragraphs:
        tokens = words(paragraph.text)
        body_words += len(tokens)
        if len(tokens) < min_words:
            continue
        region = paragraph.region
        regions.append((region.line, region.column, region.end_line, region.end_column))
        sequence = word_hashes(tokens).astype(np.uint32).tobytes()
        keys.append(_sequence_key(sequence))
        lengths.append(len(sequence) // 4)
        hashes.frombytes(sequence)
        batch.append(tokens)
        if len(batch) == _SIGNING_BATCH:
            if signed is None:  # one row per paragraph at most: joining batches would need twice the memory
                signed = np.empty((len(paragraphs), NUM_PERM), dtype=np.uint32)
            signed[len(keys) - len(batch):len(keys)] = _signatures(shingle_hash_sets(batch, SHINGLE_SIZE))
            batch = []
    if signed is None:  # an ordinary document: one call, through text's caches (the duplicate rules
        # shingled and signed the same paragraphs just before)
        signatures = _signatures([shingle_hashes(tokens, SHINGLE_SIZE) for tokens in batch])
    else:
        if batch:
            signed[len(keys) - len(batch):len(keys)] = _signatures(shingle_hash_sets(batch, SHINGLE_SIZE))
        signatures = signed[:len(keys)].copy() if len(keys) < len(paragraphs) else signed
    return {
        "body_words": body_words,
        "regions": np.array(regions, dtype=np.int32).reshape(-1, 4),
        "keys": np.array(keys, dtype=np.uint64),
        "signatures": signatures,
        "tokens": np.frombuffer(hashes, dtype=np.uint32) if hashes else np.empty(0, dtype=np.uint32),
        "offsets": np.concatenate([[0], np.cumsum(np.array(lengths, dtype=np.int64))]).astype(np.int64),
    }


def _signatures(shingles: list[np.ndarray]) -> np.ndarray:
    """MinHash signatures of the shingle sets, one row each (none: an empty table)."""
    return minhash_signatures(shingles, NUM_PERM) if shingles else np.empty((0, NUM_PERM), dtype=np.uint32)


def _sequence_key(sequence: bytes) -> int:
    """64-bit hash of a word sequence (its uint32 bytes): equal for paragraphs that differ only in case or punctuation."""
    return int.from_bytes(hashlib.blake2b(sequence, digest_size=8).digest(), "little")
