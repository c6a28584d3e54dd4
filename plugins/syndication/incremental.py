"""Warm runs: the syndication findings of a corpus a few documents away from a full run's.

A full reduce saves a compact :class:`BaseState` (:func:`build_state`); a later run with
some documents changed, added or removed (the change set ``C``) recomputes only the
documents whose findings can differ (:func:`update`), byte for byte as a full reduce would.

Why that is exact
-----------------
Copy groups are the connected components of a graph whose items are word sequences
(keys): a pair of items is an edge when the LSH index makes it a candidate and it is
confirmed. Two things in that graph are not functions of the pair alone:

* the LSH index pairs each member of a band's bucket only with the bucket's first
  ``DEFAULT_LEADERS`` members by key (:func:`srcaudit.lsh.candidate_pairs`), so a pair's
  candidacy depends on who else is in the bucket;
* an item is represented by its first paragraph in path order, and confirmation reads
  that paragraph's quote flags and whether it is a title line, which other paragraphs
  with the same words need not share.

So an edge can change only in a bucket that a key of ``C``'s new paragraphs enters, or
a key of its old ones leaves, or at a key whose representative changes: all are keys of
``CK``, the keys of ``C``'s old and new paragraphs. A key of ``C``'s old paragraphs whose
representative was outside ``C`` stays in its buckets with its representative (a new
paragraph with its words that comes first is among the new keys). The keys that *move*
are the new paragraphs' keys and the old keys whose representative was in ``C`` and
whose words are not among the new paragraphs (they leave, or another paragraph
represents them). In a bucket, a moving key that is not a leader (before or after)
changes only its pairs with the leaders; one that is a leader changes which keys lead,
hence the pairs of every member. So let ``T`` be the union of base components (by
*code*: a group, or the lone paragraphs of one document) holding

* every key of ``C``'s old paragraphs, and the base keys of the new paragraphs' words;
* for each bucket a moving key is in: when the bucket holds one code, that code; else
  (its leaders are kept in the state) the leaders' codes when the moving key does not
  lead, every code of the bucket when it does (:meth:`_Base.reach`).

Then:

1. A base component outside ``T`` keeps its edges. Its keys are not in ``CK``; in a
   bucket whose leaders change, every code is in ``T``; in a bucket whose leaders stay
   but a moving key is paired with them, the leaders' codes are in ``T``, so the
   component's keys there are members, paired only with the (unchanged) leaders, as in
   the base; in any other bucket nothing changed. So it is a component of the new graph,
   with the same paragraphs in the same documents (none of them in ``C``).
2. So every new component is either such a base component or made only of ``V`` = the
   keys of ``T`` plus the keys new in ``C``. All paragraphs of ``V`` in the new corpus lie
   in ``H`` = the changed documents plus the unchanged holders of ``T``: linking ``V``
   alone, on the facts of ``H``, finds those components with the right representatives
   (first in path order), *provided* each bucket sees its real leaders, as pairs between
   ``V`` and the rest never confirm (they would join components). In a bucket whose
   leaders changed, every member is in ``V``. In a bucket whose leaders stayed and that a
   moving key is in, the leaders are in ``V``, so ``V``'s members alone have them first.
   In an unchanged bucket of several codes, the state's leaders outside ``T`` take their
   places among ``V``'s members (:func:`_restricted_candidates`); a bucket of one code is
   in ``V`` or not at all.
3. A document's findings and measure depend only on its own paragraphs' groups, each
   group's holders (complete), their paragraphs in it, their paths and body words, and
   the path order among them: DUP002 lists a group's earlier holders and the copies they
   hold; DUP004 sums words over groups both documents hold, with ``max_copies`` on the
   group's holder count; ``duplicated_share`` counts the document's grouped words.
   A document outside ``H`` keeps only base components, with the same holders and
   contents: its findings are the base's. For a document of ``H``, each of its groups is
   either a component of ``V`` (all paragraphs in ``H``) or a base component outside ``T``
   (all holders among ``S`` = ``H`` plus every holder of every base group of ``H``). So
   the ordinary reporting over ``S``, with the groups of ``V`` linked afresh and the
   others taken from the base, gives ``H``'s findings exactly; the rest of ``S`` is
   discarded (its other groups may be incomplete there).

Cost on corpus-100000 (bench/syndication_update.py): the state is 39 MB of arrays (built in
~0.7 s CPU during the full reduce, loaded in ~8 ms); an update after one edited, removed or
added document loads 30-230 documents (the story's copies, and the groups sharing a
bucket led by a changed paragraph) and takes 15-125 ms CPU.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from srcaudit.api import Corpus, Finding
from srcaudit.lsh import DEFAULT_LEADERS, band_key
from srcaudit.text import sorted_distinct

from . import matching, report

#: Bump when the state's arrays or their meaning change: an older state is then not used.
STATE_VERSION = 1
#: An update that would load more documents than this asks for a full reduce instead.
MAX_LOADED = 3000

_MIX = np.uint64(0x9E3779B97F4A7C15)
_LOW = np.uint64(0xFFFFFFFF)


@dataclass
class BaseState:
    """What an update needs from the full run (the *base*): arrays, no object per paragraph.

    ``code`` of a paragraph: its group, or ``groups + document`` for a paragraph without a
    copy (the lone paragraphs of one document share a code: a code is a union of components).
    """

    layout: tuple[Any, ...]  # options and constants the base ran with (:func:`layout`)
    paths: str  # the base documents' paths (with syndication facts), sorted, joined by NUL (one string loads fast)
    paragraph_start: np.ndarray  # first paragraph of each document (documents + 1), int64
    keys: np.ndarray  # each paragraph's word-sequence key, uint64
    group: np.ndarray  # each paragraph's group, -1 without a copy, int32
    representative: np.ndarray  # the paragraph's number among the representatives (by key), -1 if it is none, int32
    representative_bands: np.ndarray  # (representatives, bands) 32-bit band hashes (:func:`_hash32`), uint32
    holder_start: np.ndarray  # holders[holder_start[g]:holder_start[g + 1]]: group g's documents, int64
    holders: np.ndarray  # int32
    bands: np.ndarray  # sorted distinct (band hash32 << 32 | code) over every representative and band, uint64
    shared_band: np.ndarray  # buckets holding several codes: band number, one row per leader, int16
    shared_value: np.ndarray  # their band key, uint64 (rows sorted by band, value, leader key)
    shared_key: np.ndarray  # the leader's key, uint64
    shared_code: np.ndarray  # the leader's code, int64
    shared_hash: np.ndarray  # the bucket's 32-bit band hash (:func:`_hash32`), uint32

    @property
    def groups(self) -> int:
        return len(self.holder_start) - 1

    def nbytes(self) -> int:
        arrays = [v for v in vars(self).values() if isinstance(v, np.ndarray)]
        return sum(a.nbytes for a in arrays) + len(self.paths)


def layout(threshold: float, lsh_threshold: float, title_threshold: float | None, min_words: int,
           reporting: tuple[Any, ...]) -> tuple[Any, ...]:
    """Everything a base's groups and findings depend on besides the facts (checked before an update)."""
    return (STATE_VERSION, matching.NUM_PERM, DEFAULT_LEADERS, matching.TITLE_MAX_WORDS, report.MAX_RELATED,
            threshold, lsh_threshold, title_threshold, min_words, *reporting)


def band_keys(signatures: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """``(n, bands)``: :func:`srcaudit.lsh.band_key` of every band."""
    keys = np.empty((len(signatures), bands), dtype=np.uint64)
    for band in range(bands):
        keys[:, band] = band_key(signatures, band, rows)
    return keys


def _hash32(keys: np.ndarray, first_band: int = 0) -> np.ndarray:
    """A 32-bit hash of each (band, band key), as uint64, for band keys of bands ``first_band``,
    ``first_band + 1``, ... in the last axis (collisions only add candidates: the index is a
    superset)."""
    band = np.arange(first_band, first_band + keys.shape[-1], dtype=np.uint64)
    mixed = (keys ^ (band * _MIX)) * _MIX
    return mixed >> np.uint64(32)


def build_state(copies: matching.CopyGroups, linked: matching.Link, bands: int, rows: int,
                run_layout: tuple[Any, ...]) -> BaseState:
    """The state of a full run, from its copy groups and linking (see :class:`BaseState`).

    Built a band at a time: it runs at the reduce phase's peak memory, where arrays of
    every representative's every band (~30 MB each at 100k documents) would add up.
    """
    paragraphs = copies.paragraphs
    group = copies.group.astype(np.int32)
    representatives = linked.representatives
    number = np.full(len(group), -1, dtype=np.int32)
    number[representatives] = np.arange(len(representatives), dtype=np.int32)
    rep_group = copies.group[representatives]
    code = np.where(rep_group >= 0, rep_group, copies.count + paragraphs.document[representatives]).astype(np.int64)
    rep_keys = paragraphs.keys[representatives]
    hashes = np.empty((len(representatives), bands), dtype=np.uint32)
    index: list[np.ndarray] = []
    shared: list[tuple[np.ndarray, ...]] = []
    for band in range(bands):
        key = band_key(linked.signatures, band, rows)
        hashed = _hash32(key[:, None], band)[:, 0]
        hashes[:, band] = hashed
        index.append(sorted_distinct((hashed << np.uint64(32)) | code.astype(np.uint64)))
        shared.append(_shared_bucket(band, key, hashed, code, rep_keys))
    band_of, value, leader, leader_code, bucket_hash = (np.concatenate(parts) for parts in zip(*shared)) if shared \
        else (np.empty(0, dtype=np.int16), np.empty(0, dtype=np.uint64), np.empty(0, dtype=np.uint64),
              np.empty(0, dtype=np.int64), np.empty(0, dtype=np.uint32))
    order = np.lexsort((leader, value, band_of))
    return BaseState(run_layout, "\0".join(paragraphs.paths), paragraphs.start.astype(np.int64),
                     paragraphs.keys.astype(np.uint64), group, number, hashes,
                     copies.holder_start.astype(np.int64), copies.holders.astype(np.int32),
                     sorted_distinct(np.concatenate(index)) if index else np.empty(0, dtype=np.uint64),
                     band_of[order], value[order], leader[order], leader_code[order], bucket_hash[order])


def _shared_bucket(band: int, key: np.ndarray, hashed: np.ndarray, code: np.ndarray,
                   rep_keys: np.ndarray) -> tuple[np.ndarray, ...]:
    """The leaders of every bucket of ``band`` holding representatives of two codes or more (see
    the module docstring): band, band key, leader key, leader code, band hash."""
    order = np.argsort(key, kind="stable")  # within a bucket, by representative = by key
    sorted_keys = key[order]
    starts = np.r_[True, sorted_keys[1:] != sorted_keys[:-1]] if len(key) else np.empty(0, dtype=bool)
    bucket = np.cumsum(starts) - 1
    bucket_start = np.flatnonzero(starts)
    codes = code[order]
    mixed = np.maximum.reduceat((codes != codes[bucket_start[bucket]]).astype(np.int8), bucket_start) > 0 \
        if len(key) else np.empty(0, dtype=bool)
    rank = np.arange(len(key)) - bucket_start[bucket]
    rows = order[mixed[bucket] & (rank < DEFAULT_LEADERS)]
    return (np.full(len(rows), band, dtype=np.int16), key[rows], rep_keys[rows], code[rows],
            hashed[rows].astype(np.uint32))


@dataclass
class CorpusUpdateResult:
    """What :func:`update` recomputed (the engine's ``CorpusUpdate`` is built from it)."""

    affected: frozenset[str]
    findings: list[Finding]
    measures: dict[str, dict[str, Any]]
    loaded: int  # documents whose facts were loaded


class _Base:
    """The state with its paths as a list, and lookups by path, code and band."""

    def __init__(self, state: BaseState) -> None:
        self.state = state
        self.paths = state.paths.split("\0") if state.paths else []
        self.groups = state.groups
        self._shared_order = np.argsort(state.shared_hash, kind="stable")
        self._shared_hashes = state.shared_hash[self._shared_order].astype(np.int64)
        self._band_bounds = np.searchsorted(state.shared_band, np.arange(state.representative_bands.shape[1] + 1))

    def index(self, path: str) -> int:
        """The base document index of ``path``, -1 when it was not in the base."""
        position = bisect_left(self.paths, path)
        return position if position < len(self.paths) and self.paths[position] == path else -1

    def paragraphs(self, documents: Iterable[int]) -> np.ndarray:
        """The base paragraph indices of ``documents``."""
        start = self.state.paragraph_start
        ranges = [np.arange(start[d], start[d + 1]) for d in documents]
        return np.concatenate(ranges).astype(np.int64) if ranges else np.empty(0, dtype=np.int64)

    def codes(self, paragraphs: np.ndarray) -> np.ndarray:
        """Each base paragraph's code (see :class:`BaseState`)."""
        group = self.state.group[paragraphs].astype(np.int64)
        document = np.searchsorted(self.state.paragraph_start, paragraphs, side="right") - 1
        return np.where(group >= 0, group, self.groups + document)

    def holders(self, codes: Iterable[int]) -> set[int]:
        """The base documents holding any of ``codes``."""
        state = self.state
        found: set[int] = set()
        for code in codes:
            if code < self.groups:
                found.update(state.holders[state.holder_start[code]:state.holder_start[code + 1]].tolist())
            else:
                found.add(code - self.groups)
        return found

    def reach(self, keys: np.ndarray, hashes: np.ndarray, values: np.ndarray | None = None) -> set[int]:
        """The codes whose candidate pairs can change when each of ``keys`` enters, leaves or
        changes representative in its buckets (``hashes``: their 32-bit band hashes, ``values``:
        their band keys when known, for keys entering; see the module docstring).

        In a bucket of one code, that code (the key's own, unless the key is new). In a bucket
        of several, the leaders' codes when the key is not a leader (it pairs with them only),
        else every code of the bucket (leaders move). Without ``values`` the bucket is found
        by its hash: a bucket of one code holds no other row, and a colliding bucket's rows
        only add codes.
        """
        state = self.state
        everything: list[int] = []
        codes: set[int] = set()
        for key, key_hashes, key_values in zip(keys.tolist(), hashes.tolist(),
                                               values.tolist() if values is not None else [None] * len(keys)):
            for band, bucket_hash in enumerate(key_hashes):
                if key_values is None:
                    rows = self._shared_order[np.searchsorted(self._shared_hashes, bucket_hash):
                                              np.searchsorted(self._shared_hashes, bucket_hash, side="right")]
                    leads = bool(len(rows)) and key in state.shared_key[rows].tolist()
                else:
                    rows = np.arange(*self.leader_rows(band, key_values[band]))
                    if not len(rows):
                        everything.append(bucket_hash)
                        continue
                    leads = int(np.count_nonzero(state.shared_key[rows] < np.uint64(key))) < DEFAULT_LEADERS
                if leads:
                    everything.append(bucket_hash)
                else:
                    codes.update(state.shared_code[rows].tolist())
        return codes | self.sharing(np.array(everything, dtype=np.uint64))

    def leader_rows(self, band: int, value: int) -> tuple[int, int]:
        """The rows of the shared-bucket table holding the leaders of bucket ``(band, value)``."""
        state = self.state
        lo, hi = int(self._band_bounds[band]), int(self._band_bounds[band + 1])
        values = state.shared_value[lo:hi]
        return (lo + int(np.searchsorted(values, np.uint64(value))),
                lo + int(np.searchsorted(values, np.uint64(value), side="right")))

    def sharing(self, hashes: np.ndarray) -> set[int]:
        """The codes of base representatives with any of the band ``hashes`` (from :func:`_hash32`)."""
        index = self.state.bands
        hashes = sorted_distinct(hashes.reshape(-1)) << np.uint64(32)
        begin = np.searchsorted(index, hashes)
        end = np.searchsorted(index, hashes | _LOW, side="right")
        hits = np.concatenate([index[b:e] for b, e in zip(begin.tolist(), end.tolist()) if e > b] or
                              [np.empty(0, dtype=np.uint64)])
        return set((hits & _LOW).astype(np.int64).tolist())


def update(corpus: Corpus, changed: frozenset[str], removed: frozenset[str], state: Any,
           run_layout: tuple[Any, ...], thresholds: tuple[float, float, float | None],
           reporting: dict[str, Any]) -> CorpusUpdateResult | None:
    """The findings and measures of the documents a change can affect (see the module docstring).

    ``thresholds``: DUP002's threshold, lsh_threshold and title_threshold; ``reporting``:
    ``dup002`` (enabled), ``dup004`` (None when disabled, else (threshold, max_copies)).
    None asks for a full reduce: a state from another layout, or a change too large.
    """
    if not isinstance(state, BaseState) or state.layout != run_layout:
        return None
    subset = getattr(corpus, "subset", None)
    if subset is None:
        return None
    base = _Base(state)
    gone = sorted({base.index(p) for p in (*changed, *removed)} - {-1})  # base documents whose old text goes
    if len(changed) + len(gone) > MAX_LOADED:
        return None
    fresh = matching.collect(subset(sorted(changed)))
    bands, rows = matching.band_layout(thresholds[1], matching.NUM_PERM)
    old = base.paragraphs(gone)
    touched = set(base.codes(old).tolist())
    new_keys: np.ndarray = np.empty(0, dtype=np.uint64)
    if len(fresh.keys):
        _, first = np.unique(fresh.keys, return_index=True)
        new_keys = fresh.keys[first]
        values = band_keys(matching._rows(fresh, first), bands, rows)
        touched |= base.reach(new_keys, _hash32(values), values)
        # A new paragraph with words the base has joins their code (it is linked with them afresh).
        touched |= set(base.codes(np.flatnonzero(np.isin(state.keys, new_keys))).tolist())
    # A key whose representative goes and whose words are not among the new paragraphs
    # either leaves its buckets (their leaders move up) or gets another representative
    # (with perhaps other quote flags or title status): look up its band values too.
    moved = old[(state.representative[old] >= 0) & ~np.isin(state.keys[old], new_keys)]
    if len(moved):
        moved_bands = state.representative_bands[state.representative[moved]].astype(np.uint64)
        touched |= base.reach(state.keys[moved], moved_bands)
    gone_set = set(gone)
    affected = set(base.holders(touched)) - gone_set  # base indices of unchanged documents
    loaded = set(affected)
    for paragraph_codes in (base.codes(base.paragraphs([d])) for d in sorted(affected)):
        loaded |= base.holders(set(paragraph_codes.tolist()) - touched)
    loaded -= gone_set
    if len(loaded) + len(changed) > MAX_LOADED:
        return None
    affected_paths = {base.paths[d] for d in affected} | set(changed)
    part = subset(sorted({base.paths[d] for d in loaded} | set(changed)))
    copies = _copies(part, base, changed, touched, thresholds)
    if copies is None:
        return None
    findings: list[Finding] = []
    if reporting["dup002"]:
        findings += (f for f in report.shared_paragraph_findings(copies) if f.path in affected_paths)
    if reporting["dup004"] is not None:
        findings += (f for f in report.overlapping_document_findings(copies, *reporting["dup004"])
                     if f.path in affected_paths)
    measures = {path: value for path, value in report.duplicated_shares(copies).items() if path in affected_paths}
    return CorpusUpdateResult(frozenset(affected_paths), findings, measures, len(copies.paragraphs.paths))


def _copies(part: Corpus, base: _Base, changed: frozenset[str], touched: set[int],
            thresholds: tuple[float, float, float | None]) -> matching.CopyGroups | None:
    """The copy groups of the loaded documents: the keys of ``touched`` codes and of changed
    documents linked afresh, every other paragraph in its base group. None when a loaded
    unchanged document does not match the base (a state that is not this corpus's)."""
    paragraphs = matching.collect(part)
    state = base.state
    total = int(paragraphs.start[-1])
    label = np.empty(total, dtype=np.int64)
    fresh = np.zeros(total, dtype=bool)
    lone_offset = base.groups + total  # lone paragraphs outside the fresh keys: a label each
    for document, path in enumerate(paragraphs.paths):
        begin, end = int(paragraphs.start[document]), int(paragraphs.start[document + 1])
        if path in changed:
            fresh[begin:end] = True
            continue
        index = base.index(path)
        if index < 0:
            return None
        old = np.arange(state.paragraph_start[index], state.paragraph_start[index + 1])
        if len(old) != end - begin or not np.array_equal(state.keys[old], paragraphs.keys[begin:end]):
            return None
        codes = base.codes(old)
        fresh[begin:end] = np.isin(codes, list(touched))
        label[begin:end] = np.where(codes < base.groups, total + codes, lone_offset + np.arange(begin, end))
    selected = np.flatnonzero(fresh)
    if len(selected):
        threshold, lsh_threshold, title_threshold = thresholds

        def candidates(signatures: np.ndarray, keys: np.ndarray, bands: int, rows: int) -> np.ndarray:
            return _restricted_candidates(signatures, keys, bands, rows, state, touched)

        linked = matching.link(paragraphs, selected, threshold, lsh_threshold, title_threshold, candidates)
        label[selected] = linked.roots  # below total: representatives' indices
    return matching._groups(paragraphs, label)


def _restricted_candidates(signatures: np.ndarray, keys: np.ndarray, bands: int, rows: int,
                           state: BaseState, touched: set[int]) -> np.ndarray:
    """The candidate pairs the full index would give among these representatives (all the keys
    of ``V``, ascending): each bucket's leaders are its first members by key, counting the
    base's leaders outside ``touched`` codes (module docstring, point 2). Sorted, distinct."""
    count = len(signatures)
    all_keys = band_keys(signatures, bands, rows)
    codes = np.empty(0, dtype=np.int64)
    band_bounds = np.searchsorted(state.shared_band, np.arange(bands + 1))
    outside = ~np.isin(state.shared_code, list(touched))
    for band in range(bands):
        key = all_keys[:, band]
        order = np.argsort(key, kind="stable")
        sorted_keys = key[order]
        starts = np.r_[True, sorted_keys[1:] != sorted_keys[:-1]]
        bucket_start = np.maximum.accumulate(np.where(starts, np.arange(count), 0))
        rank = np.arange(count) - bucket_start
        place = rank.copy()  # the place among the full bucket's members
        lo, hi = int(band_bounds[band]), int(band_bounds[band + 1])
        if hi > lo:
            values, leaders, foreign = state.shared_value[lo:hi], state.shared_key[lo:hi], outside[lo:hi]
            begin = np.searchsorted(values, sorted_keys)
            end = np.searchsorted(values, sorted_keys, side="right")
            for position in np.flatnonzero((end > begin) & (rank < DEFAULT_LEADERS)).tolist():
                others = leaders[begin[position]:end[position]][foreign[begin[position]:end[position]]]
                place[position] += int(np.count_nonzero(others < keys[order[position]]))
        pairs = []
        for lead in range(DEFAULT_LEADERS):
            members = np.flatnonzero(rank > lead)
            leader_at = bucket_start[members] + lead
            members = members[place[leader_at] < DEFAULT_LEADERS]
            leader_at = bucket_start[members] + lead
            if len(members):
                pairs.append(order[leader_at] * count + order[members])  # leader first: smaller key
        if pairs:
            codes = sorted_distinct(np.concatenate([codes, *pairs]))
    return np.stack([codes // count, codes % count], axis=1)
