"""Map phase: what the syndication rules need from one document, as compact numpy arrays.

The reduce phase never sees text, so each considered paragraph travels as its position,
its word count, a hash of its whole word sequence (exact copies), its MinHash signature
(near copies, through the LSH index), its sequence of word hashes (exact confirmation) and
which of its words are quoted (:mod:`.quoting`: a shared quotation is not a copy).
Word hashes take 4 bytes a word: a 100k-document corpus stays within a few hundred MB.
"""

from __future__ import annotations

import array
import hashlib
from typing import Any

import numpy as np

from srcaudit.api import Document
from srcaudit.text import DEFAULT_NUM_PERM, SignatureTable, word_hash_runs, word_tuple

from .quoting import quoted_words

NAMESPACE = "syndication"
NUM_PERM = DEFAULT_NUM_PERM
SHINGLE_SIZE = 2  # word pairs: a few edits keep most pairs, yet common words rarely collide


def extract(document: Document, min_words: int) -> dict[str, Any]:
    """The syndication facts of one document (see the module docstring)."""
    body_words = 0
    paragraphs = document.body_paragraphs
    regions: list[tuple[int, int, int, int]] = []
    keys: list[int] = []
    lengths: list[int] = []
    hashes = array.array("I")  # every considered paragraph's word hashes, end to end (no array per paragraph)
    table = SignatureTable(len(paragraphs), SHINGLE_SIZE, NUM_PERM)
    pending: list[tuple[str, ...]] = []  # tokens of considered paragraphs not yet hashed (at most one batch)
    quoted: list[tuple[int, np.ndarray]] = []  # (first word's index among the considered words, flags)
    considered_words = 0
    for paragraph in paragraphs:
        tokens = word_tuple(paragraph.text)  # the cached tuple: no copy
        body_words += len(tokens)
        if len(tokens) < min_words:
            continue
        region = paragraph.region
        regions.append((region.line, region.column, region.end_line, region.end_column))
        pending.append(tokens)
        table.add(tokens)
        flags = quoted_words(paragraph.text, len(tokens))
        if flags is not None:
            quoted.append((considered_words, flags))
        considered_words += len(tokens)
        if len(pending) == SignatureTable.batch_size:
            _hash_words(pending, keys, lengths, hashes, cached=False)  # a long document
    _hash_words(pending, keys, lengths, hashes, cached=len(paragraphs) < SignatureTable.batch_size)
    signatures = table.signatures
    if len(signatures) < len(paragraphs):  # the facts keep only their rows, not the whole table
        signatures = signatures.copy()
    return {
        "body_words": body_words,
        "regions": np.array(regions, dtype=np.int32).reshape(-1, 4),
        "keys": np.array(keys, dtype=np.uint64),
        "signatures": signatures,
        "tokens": np.frombuffer(hashes, dtype=np.uint32) if hashes else np.empty(0, dtype=np.uint32),
        "offsets": np.concatenate([[0], np.cumsum(np.array(lengths, dtype=np.int64))]).astype(np.int64),
        "quoted": _packed_flags(quoted, considered_words),
    }


def _packed_flags(quoted: list[tuple[int, np.ndarray]], total: int) -> np.ndarray:
    """The quoted-word flags of every considered word, one bit each (empty: no word is quoted)."""
    if not quoted:
        return np.empty(0, dtype=np.uint8)
    flags = np.zeros(total, dtype=bool)
    for start, paragraph_flags in quoted:
        flags[start:start + len(paragraph_flags)] = paragraph_flags
    return np.packbits(flags)


def _hash_words(pending: list[tuple[str, ...]], keys: list[int], lengths: list[int], hashes: array.array,
                cached: bool) -> None:
    """Append the pending paragraphs' word hashes (one numpy pass) and their sequence keys; empty ``pending``."""
    if not pending:
        return
    sequence = word_hash_runs(pending, cached).astype(np.uint32).tobytes()
    start = 0
    for tokens in pending:
        end = start + 4 * len(tokens)
        keys.append(_sequence_key(sequence[start:end]))
        lengths.append(len(tokens))
        start = end
    hashes.frombytes(sequence)
    pending.clear()


def _sequence_key(sequence: bytes) -> int:
    """64-bit hash of a word sequence (its uint32 bytes): equal for paragraphs that differ only in case or punctuation."""
    return int.from_bytes(hashlib.blake2b(sequence, digest_size=8).digest(), "little")
