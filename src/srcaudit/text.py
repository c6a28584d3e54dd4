"""Shared text machinery: words, comparison keys, shingles, MinHash signatures, sentences.

Every plugin uses these instead of re-implementing them, so that "the same paragraph"
means the same thing to every rule and each shingle is hashed once.

MinHash signatures are computed here with numpy, vectorised over all shingles of a
document, using the permutations a ``datasketch.MinHash`` draws (scheme ``affine32``; drawn
here the same way, so that importing datasketch, and scipy with it, is not needed):
the result is interchangeable with datasketch's own MinHash and can be wrapped in a
:class:`datasketch.LeanMinHash` for a :class:`datasketch.MinHashLSH` index. Calling
``MinHash.update`` per token is two orders of magnitude slower.
"""

from __future__ import annotations

import operator
import re
import unicodedata
import zlib
from collections.abc import Sequence
from functools import lru_cache
from itertools import chain
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # datasketch pulls in scipy (~0.3 s): imported only when a sketch object is needed
    from datasketch import LeanMinHash

MINHASH_SEED = 1
MINHASH_SCHEME = "affine32"
DEFAULT_NUM_PERM = 64

# A word: letters/digits, with inner apostrophes or hyphens kept ("don't", "Min-ho").
_WORD = re.compile(r"\w+(?:[-'’]\w+)*")
_FOLDED_WORD = re.compile(r"\w+")
_MASK32 = np.uint64(0xFFFFFFFF)
# Rows of (shingle x permutation) computed at once: bounds memory on huge paragraphs.
_BLOCK_ROWS = 8192


def fold(text: str) -> str:
    """Case-folded, diacritics-free, curly quotes straightened: for comparing, never for display."""
    folded = text.casefold()
    if folded.isascii():  # nothing to decompose or straighten: the common case
        return folded
    return unicodedata.normalize("NFKD", folded).translate(_FOLD_TABLE)


class _FoldTable(dict):  # type: ignore[type-arg]
    """``str.translate`` table: drop combining marks, straighten curly single quotes.

    Filled lazily, one code point at a time, so that translating runs at C speed for
    every character already seen (a generator over characters was most of the run time).
    """

    def __missing__(self, code: int) -> int | str | None:
        char = chr(code)
        value: int | str | None = "'" if char in "’‘" else None if unicodedata.combining(char) else code
        self[code] = value
        return value


_FOLD_TABLE = _FoldTable()


def words(text: str) -> list[str]:
    """The folded words of ``text``, hyphenated words split ("Min-ho" -> "min", "ho")."""
    return list(_cached_words(text))


@lru_cache(maxsize=4096)
def _cached_words(text: str) -> tuple[str, ...]:
    # Several rules tokenise the same paragraph of the same document in turn: tokenise once.
    return tuple(_FOLDED_WORD.findall(fold(text)))


def word_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the words of ``text`` as written (for positions in findings)."""
    return list(map(_span, _WORD.finditer(text)))


_span = operator.methodcaller("span")


def word_count(text: str) -> int:
    """``len(word_spans(text))`` without building the spans (a third of the cost)."""
    return len(_WORD.findall(text))


def comparison_key(text: str) -> str:
    """A key equal for texts that differ only in case, punctuation, accents or spacing."""
    return " ".join(words(text))


class _WordHashes(dict[str, int]):
    """word -> 32-bit hash; a plain dict lookup is several times cheaper than an lru_cache call."""

    limit = 1 << 18  # bounds a worker's memory on huge vocabularies

    def __missing__(self, word: str) -> int:
        if len(self) >= self.limit:
            self.clear()
        value = self[word] = zlib.crc32(word.encode("utf-8"))
        return value


_word_hashes = _WordHashes()


def _word_hash(word: str) -> int:
    return _word_hashes[word]


def word_hashes(tokens: Sequence[str]) -> np.ndarray:
    """The 32-bit hash of each token, in order (uint64 array, read-only): a compact token sequence."""
    return _cached_word_hashes(tuple(tokens))


@lru_cache(maxsize=1024)
def _cached_word_hashes(tokens: tuple[str, ...]) -> np.ndarray:
    # map over dict.__getitem__ (which honours __missing__) is the cheapest per-token lookup
    hashes = np.fromiter(map(_word_hashes.__getitem__, tokens), dtype=np.uint64, count=len(tokens))
    hashes.flags.writeable = False  # shared by every caller through the cache
    return hashes


def shingle_hashes(tokens: Sequence[str], size: int = 3) -> np.ndarray:
    """Distinct 32-bit hashes of the ``size``-word shingles of ``tokens`` (sorted, uint64 array, read-only).

    Texts shorter than ``size`` words yield one shingle of all their words, so short
    texts still compare equal to themselves. Results are cached: several rules shingle
    the same paragraph of the same document in turn.
    """
    return _cached_shingle_hashes(tuple(tokens), size)


@lru_cache(maxsize=1024)
def _cached_shingle_hashes(tokens: tuple[str, ...], size: int) -> np.ndarray:
    if not tokens:
        return np.empty(0, dtype=np.uint64)
    hashes = word_hashes(tokens)
    size = min(size, len(hashes))
    combined = np.zeros(len(hashes) - size + 1, dtype=np.uint64)
    for offset in range(size):
        combined = combined * _SHINGLE_PRIME + hashes[offset:len(hashes) - size + 1 + offset]
    distinct = _sorted_distinct(_mixed32(combined))
    distinct.flags.writeable = False  # shared by every caller through the cache
    return distinct


# Shingle hash: polynomial combination of the word hashes modulo 2^64 (numpy wraps), then
# mixed down to 32 bits; shared by shingle_hashes (one text) and shingle_hash_sets (many).
_SHINGLE_PRIME = np.uint64(0x100000001B3)


def _mixed32(combined: np.ndarray) -> np.ndarray:
    combined ^= combined >> np.uint64(29)
    combined *= np.uint64(0xBF58476D1CE4E5B9)
    combined ^= combined >> np.uint64(32)
    return combined & _MASK32


def shingle_hash_sets(token_lists: Sequence[Sequence[str]], size: int = 3) -> list[np.ndarray]:
    """``[shingle_hashes(tokens, size) for tokens in token_lists]`` in one numpy pass (not cached).

    For many texts at once (all paragraphs of a document): a constant number of numpy
    operations instead of a dozen per text, which dominated for paragraph-sized texts.
    """
    if not token_lists:
        return []
    lengths = np.fromiter(map(len, token_lists), dtype=np.int64, count=len(token_lists))
    # map over dict.__getitem__ (which honours __missing__) is the cheapest per-token lookup
    hashes = np.fromiter(map(_word_hashes.__getitem__, chain.from_iterable(token_lists)), dtype=np.uint64,
                         count=int(lengths.sum()))
    # texts shorter than ``size`` give one shingle of all their words; empty texts none
    counts = np.where(lengths >= size, lengths - size + 1, np.minimum(lengths, 1))
    owner = np.repeat(np.arange(len(lengths)), counts)
    first_token = (np.cumsum(lengths) - lengths)[owner] + np.arange(len(owner)) - (np.cumsum(counts) - counts)[owner]
    words_in_shingle = np.minimum(size, lengths)[owner]
    combined = np.zeros(len(owner), dtype=np.uint64)
    for offset in range(size):  # a text shorter than ``size`` combines only its own words
        inside = offset < words_in_shingle
        token = hashes[np.where(inside, first_token + offset, 0)] if len(hashes) else combined
        combined = np.where(inside, combined * _SHINGLE_PRIME + token, combined)
    # distinct values per text, sorted: sort (text, value) pairs packed in one uint64
    keyed = _sorted_distinct((owner.astype(np.uint64) << np.uint64(32)) | _mixed32(combined))
    distinct_counts = np.bincount((keyed >> np.uint64(32)).astype(np.int64), minlength=len(lengths))
    sets = np.split(keyed & _MASK32, np.cumsum(distinct_counts)[:-1])
    for values in sets:
        values.flags.writeable = False  # as shingle_hashes' (cached) arrays
    return sets


def _sorted_distinct(values: np.ndarray) -> np.ndarray:
    """``np.unique(values)`` for a 1-D array, without its per-call overhead (paragraphs are small)."""
    values = np.sort(values)
    if len(values) > 1:
        keep = np.empty(len(values), dtype=bool)
        keep[0] = True
        np.not_equal(values[1:], values[:-1], out=keep[1:])
        values = values[keep]
    return values


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Exact Jaccard similarity of two sorted, distinct hash arrays."""
    if len(a) == 0 and len(b) == 0:
        return 1.0
    shared = len(np.intersect1d(a, b, assume_unique=True))
    return shared / (len(a) + len(b) - shared)


@lru_cache(maxsize=8)
def _permutations(num_perm: int) -> tuple[np.ndarray, np.ndarray]:
    # The same draws as ``datasketch.MinHash(num_perm, seed=MINHASH_SEED, scheme="affine32")
    # .permutations`` (tests check it), without importing datasketch and scipy at start-up.
    generator = np.random.RandomState(MINHASH_SEED)
    a = generator.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = generator.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a.astype(np.uint64), b.astype(np.uint64)


def minhash_signatures(shingle_sets: Sequence[np.ndarray], num_perm: int = DEFAULT_NUM_PERM) -> np.ndarray:
    """MinHash signatures of many shingle sets at once: a ``(len(shingle_sets), num_perm)`` uint32 array.

    Empty sets get the all-ones signature (they match only each other); callers should
    not index them.
    """
    a, b = _permutations(num_perm)
    signatures = np.full((len(shingle_sets), num_perm), 0xFFFFFFFF, dtype=np.uint64)
    batch: list[int] = []
    batch_rows = 0
    keys: list[bytes | None] = [None] * len(shingle_sets)
    # A call with more sets than the cache holds (one huge document) would only evict itself,
    # and keeping it would hold a copy of every shingle until the next call: not cached.
    cached = len(shingle_sets) <= _SIGNATURE_CACHE_SIZE
    for index, shingles in enumerate(shingle_sets):
        if len(shingles) == 0:
            continue
        if cached:  # several rules sign the same paragraphs of a document: sign each shingle set once
            key = keys[index] = num_perm.to_bytes(2, "little") + shingles.tobytes()
            known = _signature_cache.get(key)
            if known is not None:
                signatures[index] = known
                continue
        if len(shingles) > _BLOCK_ROWS:
            for start in range(0, len(shingles), _BLOCK_ROWS):
                block = _permuted(shingles[start:start + _BLOCK_ROWS], a, b)
                signatures[index] = np.minimum(signatures[index], block.min(axis=0))
            continue
        if batch_rows + len(shingles) > _BLOCK_ROWS:
            _fill(signatures, batch, shingle_sets, a, b)
            batch, batch_rows = [], 0
        batch.append(index)
        batch_rows += len(shingles)
    _fill(signatures, batch, shingle_sets, a, b)
    result = signatures.astype(np.uint32)
    if len(_signature_cache) > _SIGNATURE_CACHE_SIZE:
        _signature_cache.clear()
    for index, key in enumerate(keys):
        if key is not None:
            _signature_cache[key] = result[index].copy()
    return result


_SIGNATURE_CACHE_SIZE = 4096
_signature_cache: dict[bytes, np.ndarray] = {}


def _permuted(shingles: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (np.outer(shingles, a) + b) & _MASK32


def _fill(signatures: np.ndarray, batch: list[int], shingle_sets: Sequence[np.ndarray],
          a: np.ndarray, b: np.ndarray) -> None:
    if not batch:
        return
    rows = np.concatenate([shingle_sets[i] for i in batch])
    offsets = np.cumsum([0] + [len(shingle_sets[i]) for i in batch[:-1]])
    signatures[batch] = np.minimum.reduceat(_permuted(rows, a, b), offsets, axis=0)


class SignatureTable:
    """MinHash signatures of a document's texts, added one by one and signed in batches.

    Why a class: a 200 MB page has half a million long paragraphs, and their shingle
    arrays alive at once cost several times the file's size. Rows are filled in place in
    a table sized for the most texts the caller can add (joining per-batch arrays would
    need twice the memory). An ordinary document (fewer texts than one batch) is shingled
    through :func:`shingle_hashes`' cache, which the next rule signing the same paragraphs
    hits; a longer one in one numpy pass per batch (:func:`shingle_hash_sets`), several
    times faster where that cache could not hold it anyway. Values are the same either way.
    """

    batch_size = 1024

    def __init__(self, capacity: int, shingle_size: int, num_perm: int = DEFAULT_NUM_PERM) -> None:
        self._rows = np.empty((capacity, num_perm), dtype=np.uint32)  # pages are touched only when filled
        self._shingle_size = shingle_size
        self._num_perm = num_perm
        self._pending: list[Sequence[str]] = []
        self._added = 0
        self._batched = False  # set once a full batch was reached: a long document

    def add(self, tokens: Sequence[str]) -> None:
        """Queue one text's tokens; its row is the number of texts added before it."""
        self._pending.append(tokens)
        self._added += 1
        if len(self._pending) == self.batch_size:
            self._batched = True
            self._sign_pending()

    @property
    def signatures(self) -> np.ndarray:
        """One row per text added, in order (a view of the table)."""
        self._sign_pending()
        return self._rows[:self._added]

    def _sign_pending(self) -> None:
        if not self._pending:
            return
        size = self._shingle_size
        shingles = (shingle_hash_sets(self._pending, size) if self._batched
                    else [shingle_hashes(tokens, size) for tokens in self._pending])
        self._rows[self._added - len(self._pending):self._added] = minhash_signatures(shingles, self._num_perm)
        self._pending = []


def lean_minhash(signature: np.ndarray) -> LeanMinHash:
    """Wrap a signature row for datasketch (``MinHashLSH.insert``/``query``)."""
    from datasketch import LeanMinHash

    return LeanMinHash(seed=MINHASH_SEED, hashvalues=signature, scheme=MINHASH_SCHEME)


# -- sentences -------------------------------------------------------------------------------

_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof sr jr st mt ft gen col lt sgt capt cmdr adm gov sen rep rev hon pres "
    "u.s u.k u.n e.g i.e etc vs no jan feb mar apr jun jul aug sep sept oct nov dec inc ltd "
    "co corp dept univ est approx fig al".split()
)
# The lookbehind makes a match start only at the beginning of a run of terminal
# punctuation: without it, a line of a million dots backtracks from every position (O(n²)).
_SENTENCE_END = re.compile(r"(?<![.!?…])[.!?…]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of ``text`` (a light rule-based splitter).

    Does not split after common abbreviations (Mr., U.S., Jan.) or single initials
    ("John F. Kennedy"), so attributions stay whole.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if match.group().startswith(".") and _ends_with_abbreviation(text, match.start()):
            continue
        end = match.end()
        if text[start:end].strip():
            spans.append(_trim(text, start, end))
        start = end
    if text[start:].strip():
        spans.append(_trim(text, start, len(text)))
    return spans


def _ends_with_abbreviation(text: str, dot: int) -> bool:
    begin = dot
    while begin > 0 and (text[begin - 1].isalpha() or text[begin - 1] == "."):
        begin -= 1
    token = text[begin:dot].casefold()
    return len(token) == 1 or token in _ABBREVIATIONS


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
