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
#: What :func:`words` finds in folded text (public for code that needs the words' positions).
FOLDED_WORD = re.compile(r"\w+")
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


def word_tuple(text: str) -> tuple[str, ...]:
    """:func:`words` as the cached tuple itself, not a copy: for tests such as "does the
    paragraph hold any of these words?" on paragraphs other rules have already tokenised."""
    return _cached_words(text)


@lru_cache(maxsize=4096)
def _cached_words(text: str) -> tuple[str, ...]:
    # Several rules tokenise the same paragraph of the same document in turn: tokenise once.
    if text.isascii():  # most text: the same words, found at memory speed instead of by the regex engine
        return tuple(text.encode("ascii").translate(_ASCII_WORDS).decode("ascii").split())
    return tuple(FOLDED_WORD.findall(fold(text)))


# In ASCII text ``\w`` is [A-Za-z0-9_] and folding is lower-casing: mapping every other
# byte to a space and upper case to lower case leaves the folded words between spaces.
_ASCII_WORDS = bytes(code + 32 if 65 <= code <= 90 else code if chr(code).isalnum() and code < 128 or code == 95
                     else 32 for code in range(256))


def word_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the words of ``text`` as written (for positions in findings)."""
    return list(map(_span, _WORD.finditer(text)))


_span = operator.methodcaller("span")


def word_count(text: str) -> int:
    """``len(word_spans(text))`` without building the spans.

    For ASCII text, folding keeps every run of word characters as it is, so the words
    :func:`words` found are those runs, and a joined word ("don't", "well-known") is one
    run per part: the count is the runs minus the joins. That reuses the cached
    tokenisation and scans only for joining characters (~3 µs a paragraph instead of ~18).
    """
    if text.isascii():
        return len(_cached_words(text)) - len(_JOIN.findall(text))
    return len(_WORD.findall(text))


# A hyphen or apostrophe between two word characters: where _WORD joins two runs into one word.
# It starts with a character class, so the regex engine skips to candidates in C.
_JOIN = re.compile(r"[-'’](?<=\w[-'’])(?=\w)")


def comparison_key(text: str) -> str:
    """A key equal for texts that differ only in case, punctuation, accents or spacing."""
    return " ".join(words(text))


def word_hashes(tokens: Sequence[str]) -> np.ndarray:
    """The 32-bit hash of each token, in order (uint64 array, read-only): a compact token sequence."""
    return _cached_word_hashes(tuple(tokens))


@lru_cache(maxsize=1024)
def _cached_word_hashes(tokens: tuple[str, ...]) -> np.ndarray:
    return _hashes_in_one_pass([tokens])  # read-only: shared by every caller through the cache


def word_hash_runs(token_lists: Sequence[Sequence[str]], cached: bool = True) -> np.ndarray:
    """Every text's word hashes end to end (uint64), as ``word_hashes`` of each, joined.

    Hashing the words is the largest part of signing a paragraph; so each text's run is
    kept (``cached``: for a document's paragraphs, which the duplicate rules and the
    syndication facts hash in turn) and the texts not seen yet are hashed in one pass.
    A long document passes ``cached=False``: its texts would only evict each other.
    """
    if not cached:
        return _hashes_in_one_pass(token_lists)
    keys = [tuple(tokens) for tokens in token_lists]
    runs = [_hash_runs.get(key) for key in keys]
    missing = [index for index, run in enumerate(runs) if run is None]
    if missing:
        fresh = _hashes_in_one_pass([keys[index] for index in missing])
        if len(_hash_runs) + len(missing) > _HASH_RUNS_SIZE:
            _hash_runs.clear()
        start = 0
        for index in missing:
            end = start + len(keys[index])
            runs[index] = _hash_runs[keys[index]] = fresh[start:end]
            start = end
        if len(missing) == len(runs):  # none was cached (a document's first signing): already joined
            return fresh
    if len(runs) == 1:
        return runs[0]
    return np.concatenate(runs) if runs else np.empty(0, dtype=np.uint64)


_HASH_RUNS_SIZE = 4096
_hash_runs: dict[tuple[str, ...], np.ndarray] = {}


def _hashes_in_one_pass(token_lists: Sequence[Sequence[str]]) -> np.ndarray:
    """The CRC-32 of each word's UTF-8 bytes, all texts end to end (uint64, read-only).

    Computed afresh for every word (~0.1 us, in C): a table of the vocabulary's hashes was
    slower to read than that, as a dictionary of a corpus's words misses the CPU's caches
    on nearly every lookup (measured on BBC: the duplicate rules took a sixth less CPU).
    """
    hashes = np.fromiter(map(zlib.crc32, map(str.encode, chain.from_iterable(token_lists))), dtype=np.uint64,
                         count=sum(map(len, token_lists)))
    hashes.flags.writeable = False  # runs are shared through the cache
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
    distinct = sorted_distinct(_mixed32(combined))
    distinct.flags.writeable = False  # shared by every caller through the cache
    return distinct


# Shingle hash: polynomial combination of the word hashes modulo 2^64 (numpy wraps), then
# mixed down to 32 bits; shared by shingle_hashes (one text) and shingle_hash_sets (many).
_SHINGLE_PRIME = np.uint64(0x100000001B3)


#: The 64-bit mixer that turns a CRC into a word's 32-bit hash: shift, multiply, shift.
#: :func:`_mixed32` applies it to arrays and :func:`word_hash32` to one word; both read it here.
_MIX_FIRST_SHIFT, _MIX_MULTIPLIER, _MIX_SECOND_SHIFT = 29, 0xBF58476D1CE4E5B9, 32


def _mixed32(combined: np.ndarray) -> np.ndarray:
    combined ^= combined >> np.uint64(_MIX_FIRST_SHIFT)
    combined *= np.uint64(_MIX_MULTIPLIER)
    combined ^= combined >> np.uint64(_MIX_SECOND_SHIFT)
    return combined & _MASK32


def shingle_hash_sets(token_lists: Sequence[Sequence[str]], size: int = 3) -> list[np.ndarray]:
    """``[shingle_hashes(tokens, size) for tokens in token_lists]`` in one numpy pass (not cached).

    For many texts at once (all paragraphs of a document): a constant number of numpy
    operations instead of a dozen per text, which dominated for paragraph-sized texts.
    """
    if not token_lists:
        return []
    values, counts = _shingle_groups(token_lists, size)
    sets = np.split(values, np.cumsum(counts)[:-1])
    for distinct in sets:
        distinct.flags.writeable = False  # as shingle_hashes' (cached) arrays
    return sets


def _shingle_groups(token_lists: Sequence[Sequence[str]], size: int,
                    cached: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Each text's distinct shingle hashes (sorted), all texts end to end, and how many each text has."""
    lengths = np.fromiter(map(len, token_lists), dtype=np.int64, count=len(token_lists))
    hashes = word_hash_runs(token_lists, cached)
    if len(lengths) and lengths.min() >= size:  # the usual case (paragraphs long enough to compare)
        owner, combined = _windows(hashes, lengths, size)
    else:
        owner, combined = _shingles_of_any_length(hashes, lengths, size)
    # distinct values per text, sorted: sort (text, value) pairs packed in one uint64
    keyed = sorted_distinct((owner.astype(np.uint64) << np.uint64(32)) | _mixed32(combined))
    distinct_counts = np.bincount((keyed >> np.uint64(32)).astype(np.int64), minlength=len(lengths))
    return keyed & _MASK32, distinct_counts


def _windows(hashes: np.ndarray, lengths: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Which text each shingle is of, and its combined word hashes, when every text has at
    least ``size`` words: each shingle is a window of the joined word hashes, and the
    windows that run from one text into the next are dropped (a third of the numpy calls
    of :func:`_shingles_of_any_length`, which a document's few dozen texts were dominated by)."""
    windows = len(hashes) - size + 1
    combined = hashes[:windows] if size > 1 else hashes.copy()  # combined below is a new array
    for offset in range(1, size):
        combined = combined * _SHINGLE_PRIME + hashes[offset:offset + windows]
    if len(lengths) > 1:
        keep = np.ones(windows, dtype=bool)
        last_starts = np.cumsum(lengths[:-1]) - size  # start of each text's last whole window, but the last text's
        for step in range(1, size):
            keep[last_starts + step] = False
        combined = combined[keep]
    return np.repeat(np.arange(len(lengths)), lengths - size + 1), combined


def _shingles_of_any_length(hashes: np.ndarray, lengths: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_windows` for texts of any length: one shorter than ``size`` gives one shingle
    of all its words, an empty text none."""
    counts = np.where(lengths >= size, lengths - size + 1, np.minimum(lengths, 1))
    owner = np.repeat(np.arange(len(lengths)), counts)
    first_token = (np.cumsum(lengths) - lengths)[owner] + np.arange(len(owner)) - (np.cumsum(counts) - counts)[owner]
    words_in_shingle = np.minimum(size, lengths)[owner]
    combined = np.zeros(len(owner), dtype=np.uint64)
    for offset in range(size):  # a text shorter than ``size`` combines only its own words
        inside = offset < words_in_shingle
        token = hashes[np.where(inside, first_token + offset, 0)] if len(hashes) else combined
        combined = np.where(inside, combined * _SHINGLE_PRIME + token, combined)
    return owner, combined


def sorted_distinct(values: np.ndarray) -> np.ndarray:
    """``np.unique(values)`` for a 1-D array, without its per-call overhead (paragraphs are small)
    and without importing ``numpy.ma`` (~20 ms) on first use, as ``np.unique`` does."""
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
    return a, b


def prepare_signing(num_perm: int = DEFAULT_NUM_PERM) -> None:
    """Draw the permutations for ``num_perm`` now: before worker processes fork (``srcaudit_prepare``)."""
    _permutations(num_perm)


def minhash_signatures(shingle_sets: Sequence[np.ndarray], num_perm: int = DEFAULT_NUM_PERM) -> np.ndarray:
    """MinHash signatures of many shingle sets at once: a ``(len(shingle_sets), num_perm)`` uint32 array.

    Empty sets get the all-ones signature (they match only each other); callers should
    not index them.
    """
    a, b = _permutations(num_perm)
    signatures = np.full((len(shingle_sets), num_perm), 0xFFFFFFFF, dtype=np.uint32)
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
    result = signatures
    if len(_signature_cache) > _SIGNATURE_CACHE_SIZE:
        _signature_cache.clear()
    for index, key in enumerate(keys):
        if key is not None:
            _signature_cache[key] = result[index].copy()
    return result


_SIGNATURE_CACHE_SIZE = 4096
_signature_cache: dict[bytes, np.ndarray] = {}


def word_set_signature(tokens: Sequence[str], num_perm: int = DEFAULT_NUM_PERM) -> np.ndarray:
    """MinHash signature (uint32) of a set of words, each word one shingle.

    The same row as ``minhash_signatures([shingle_hashes(tokens, 1)], num_perm)[0]``, without
    sorting out distinct shingles and without the caches: for a whole text's distinct words
    (a topic signature), hashed once anyway. Order and repeats of ``tokens`` do not matter.
    """
    if not tokens:
        return np.full(num_perm, 0xFFFFFFFF, dtype=np.uint32)
    hashes = np.fromiter(map(zlib.crc32, map(str.encode, tokens)), dtype=np.uint64, count=len(tokens))
    return hash_set_signature(_mixed32(hashes), num_perm)


def word_hash32(word: str) -> int:
    """The 32-bit hash :func:`word_set_signature` gives one word, as a Python int.

    For callers that keep a word's hash in a table across documents (a text's vocabulary
    repeats the corpus's): the same value as ``_mixed32`` of the word's CRC, computed
    without numpy for one word.
    """
    mixed = zlib.crc32(word.encode())
    mixed ^= mixed >> _MIX_FIRST_SHIFT
    mixed = (mixed * _MIX_MULTIPLIER) & 0xFFFFFFFFFFFFFFFF
    mixed ^= mixed >> _MIX_SECOND_SHIFT
    return mixed & 0xFFFFFFFF


def hash_set_signature(hashes: np.ndarray, num_perm: int = DEFAULT_NUM_PERM) -> np.ndarray:
    """:func:`word_set_signature` of words already hashed (:func:`word_hash32`, any integer dtype)."""
    if not len(hashes):
        return np.full(num_perm, 0xFFFFFFFF, dtype=np.uint32)
    a, b = _permutations(num_perm)
    return _permuted(hashes, a, b).min(axis=0)


def _permuted(shingles: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``(a * shingle + b) mod 2**32`` for every shingle (rows) and permutation (columns).

    Computed in uint32, where numpy wraps modulo 2**32 by itself: the same values as
    64-bit arithmetic masked to 32 bits (datasketch's affine32), with half the memory traffic.
    """
    permuted = np.multiply.outer(shingles.astype(np.uint32), a)
    permuted += b
    return permuted


def _sign_groups(values: np.ndarray, counts: np.ndarray, num_perm: int) -> np.ndarray:
    """MinHash signatures of consecutive groups of shingle hashes, one row per group.

    ``values`` holds every group's shingles end to end, ``counts`` how many each group has;
    an empty group gets the all-ones row, as in :func:`minhash_signatures`. Groups are
    signed :data:`_BLOCK_ROWS` shingles at a time: a constant number of numpy calls per
    block, not per group.
    """
    a, b = _permutations(num_perm)
    if 0 < len(values) <= _BLOCK_ROWS and counts.all():  # one block, no empty group: a usual document
        return np.minimum.reduceat(_permuted(values, a, b), np.cumsum(counts) - counts, axis=0)
    signatures = np.full((len(counts), num_perm), 0xFFFFFFFF, dtype=np.uint32)
    ends = np.cumsum(counts)
    first, total = 0, len(counts)
    while first < total:
        start = int(ends[first] - counts[first])
        # the groups whose shingles end within one block (at least one group)
        last = max(first + 1, int(np.searchsorted(ends, start + _BLOCK_ROWS, side="right")))
        stop = int(ends[last - 1])
        if last == first + 1 and stop - start > _BLOCK_ROWS:  # one huge group: block by block
            for block in range(start, stop, _BLOCK_ROWS):
                rows = _permuted(values[block:min(stop, block + _BLOCK_ROWS)], a, b)
                np.minimum(signatures[first], rows.min(axis=0), out=signatures[first])
        elif stop > start:
            group_counts = counts[first:last]
            filled = np.flatnonzero(group_counts) + first
            offsets = (ends[filled] - counts[filled]) - start
            signatures[filled] = np.minimum.reduceat(_permuted(values[start:stop], a, b), offsets, axis=0)
        first = last
    return signatures


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
    need twice the memory). Each batch is shingled and signed in one numpy pass
    (:func:`_shingle_groups`, :func:`_sign_groups`): a constant number of numpy calls per
    batch, where per-text calls (a dozen each) were most of the cost. An ordinary document
    (fewer texts than one batch) also goes through a per-text cache of rows, which the
    next rule signing the same paragraphs hits. Values are the same either way.
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
        rows = self._rows[self._added - len(self._pending):self._added]
        if self._batched:  # a long document: its texts would only evict each other from the cache
            values, counts = _shingle_groups(self._pending, self._shingle_size)
            rows[:] = _sign_groups(values, counts, self._num_perm)
        else:
            _signed_texts(self._pending, self._shingle_size, self._num_perm, rows)
        self._pending = []


_TEXT_ROWS_SIZE = 4096
# (shingle size, permutations, tokens) -> signature row: the duplicate rules of one document
# and its syndication facts sign the same paragraphs in turn.
_text_rows: dict[tuple[int, int, tuple[str, ...]], np.ndarray] = {}


def _signed_texts(token_lists: Sequence[Sequence[str]], size: int, num_perm: int, out: np.ndarray) -> None:
    """Fill ``out`` (one row per text) with the texts' signatures, signing only those not cached."""
    keys = [(size, num_perm, tuple(tokens)) for tokens in token_lists]
    missing = []
    for row, key in enumerate(keys):
        known = _text_rows.get(key)
        if known is None:
            missing.append(row)
        else:
            out[row] = known
    if not missing:
        return
    values, counts = _shingle_groups([keys[row][2] for row in missing], size, cached=True)
    signed = _sign_groups(values, counts, num_perm)
    out[missing] = signed
    if len(_text_rows) + len(missing) > _TEXT_ROWS_SIZE:
        _text_rows.clear()
    for row, values_row in zip(missing, signed):
        _text_rows[keys[row]] = values_row


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
# It comes after the first terminal character, not before it: a pattern that starts with a
# character class lets ``re`` skip to the next terminal character at C speed instead of
# trying the lookbehind at every position (the same matches, in a third of the time).
_SENTENCE_END = re.compile(r"[.!?…](?<![.!?…].)[.!?…]*[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])")


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
