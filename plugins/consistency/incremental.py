"""Incremental reduce: after a few documents change, recompute only the findings they touch.

A full reduce (:func:`.topics.stories`, then the checks) pairs documents of one story and
reports each pair's findings at its later document; CON002 also reads every document's
name spellings. :func:`corpus_state` keeps, in numpy arrays, what tells which findings a
change can reach: the pairs, each document's group of near copies and the LSH band keys
that formed the groups, the story representatives' distinctive-entity counts, and every
(document, person key, spelling) of CON002. :func:`update` then

1. regroups the near copies around the changed documents only (every group that shared a
   band bucket with one of them: a group is a connected component, so nothing else moves);
2. gives up (``None``: a full reduce) when an entity turns common or distinctive, through
   its own count over representatives or a cap moved by their number: either can pair or
   unpair documents anywhere (corpus-100000: no entity's count is within 50 of the cap);
3. finds the documents whose earlier partners, or whose partners' facts, change: the
   changed documents, those whose group leader changes, and around each *dirty*
   representative (changed, or becoming or ceasing to be one) its group and the groups
   of its stories, before and after;
4. adds the documents whose CON002 findings change: the earlier ends of pairs that come
   or go, documents paired with a changed document that spell one of its names another
   way, and every holder of a name whose majority spelling or transliteration grouping
   changes;
5. runs the ordinary checks on the pairs of those documents (facts loaded through
   ``corpus.subset``) and CON002 for them from the kept spelling counts.

It also gives up when it would load more than :data:`MAX_LOADED` documents (a huge group
of copies, a name whose majority spelling flips in thousands of documents) or a changed
document has no facts. Non-representatives are only ever the later document of a pair, so
a copy's edit touches that copy alone unless it moves its group; a representative's edit
touches its group and the groups of its stories (corpus-100000: 40-100 documents).

Document numbers: the state numbers the base run's documents (its *base* indices); the
update numbers the new corpus's documents (*new* indices: same path order, removed ones
gone, added ones in their place). Indices in the checks are positions in path order, so a
pair's order and a finding's order depend only on paths.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from srcaudit.api import ActiveRules, Corpus, CorpusChange, CorpusUpdate, DocumentFacts, Finding
from srcaudit.lsh import DEFAULT_LEADERS, band_key, band_layout

from . import checks
from .extract import NAMESPACE
from .topics import MAX_DOCUMENT_SHARE, MIN_CAP, MIN_SHARED, MIN_TEXT_SIMILARITY, NEAR_COPY, TOPIC_PERMUTATIONS

#: Bump when the state's layout or meaning changes: an older state then asks for a full run.
STATE_VERSION = 1
#: Documents an update may load facts of before a full reduce is cheaper and simpler.
MAX_LOADED = 5000
_BANDS, _ROWS = band_layout(NEAR_COPY, TOPIC_PERMUTATIONS)
_CODES = ("ATT001", "ATT002", "CON001", "CON002")


def _enabled(rules: ActiveRules) -> tuple[str, ...]:
    return tuple(code for code in _CODES if rules.enabled(code))

Doc = tuple[DocumentFacts, dict]


class _FullRun(Exception):
    """The change reaches too far (or somewhere this module does not follow): run a full reduce."""


@dataclass(frozen=True)
class ConsistencyState:
    """What :func:`update` needs from the base run; numpy arrays only, so it loads fast."""

    version: int
    codes: tuple[str, ...]
    paths: np.ndarray            # (n,) bytes: the base documents' paths, sorted (base index = position)
    group: np.ndarray            # (n,) int32: each document's copy-group leader
    group_order: np.ndarray      # (n,) int32: documents sorted by group, then index
    band_keys: np.ndarray        # (bands, n) uint64: LSH band keys of the topic signatures
    band_order: np.ndarray       # (bands, n) int32: each band's documents sorted by key, then index
    pair_codes: np.ndarray       # (m,) int64: pairs (i, j), i < j, as j * n + i, sorted
    pair_by_first: np.ndarray    # (m,) int32: positions in pair_codes sorted by (i, j)
    pair_first_sorted: np.ndarray  # (m,) int32: the i of each pair in that order
    cap: int                     # the cap on an entity's representatives (topics.stories)
    representatives: int         # how many
    entity_vocabulary: np.ndarray  # (e,) bytes, sorted: entities of representatives
    entity_frequency: np.ndarray   # (e,) int32: representatives holding each
    rep_ids: np.ndarray          # (r,) int32: the representatives, ascending
    rep_entity_start: np.ndarray  # (r + 1,) int64: CSR of each representative's entities
    rep_entities: np.ndarray     # int32 entity ids
    entity_rep_start: np.ndarray  # (e + 1,) int64: CSR of each entity's representatives
    entity_reps: np.ndarray      # int32 document (base) indices
    key_vocabulary: np.ndarray   # bytes, sorted: CON002 person keys
    spelling_vocabulary: np.ndarray  # bytes, sorted: their spellings
    class_vocabulary: np.ndarray  # bytes, sorted: transliteration classes of the keys
    key_class: np.ndarray        # int32 class of each key
    class_key_start: np.ndarray  # CSR: each class's keys
    class_keys: np.ndarray
    spelled_doc: np.ndarray      # int32: (document, key, spelling) in name_variants' reading order
    spelled_key: np.ndarray
    spelled_spelling: np.ndarray
    key_spelled_start: np.ndarray  # CSR: each key's rows (ascending)
    key_spelled: np.ndarray

    @property
    def count(self) -> int:
        return len(self.paths)


# -- the base run -------------------------------------------------------------------------------

_REMEMBERED: list[Any] = []


def _marker(corpus: Corpus) -> tuple:
    paths = corpus.paths
    return id(corpus), len(paths), paths[:1], paths[-1:]


def remember(corpus: Corpus, pairs: np.ndarray, groups: np.ndarray) -> None:
    """Keep the full reduce's pairs and groups for :func:`corpus_state`, which the engine calls right
    after it on a cached run (so they are not computed twice). Arrays only: the facts and the
    pairs' dict are freed as usual when the reduce is done."""
    _REMEMBERED[:] = [_marker(corpus), pairs.astype(np.int32), np.asarray(groups, dtype=np.int32)]


def corpus_state(corpus: Corpus, rules: ActiveRules) -> ConsistencyState | None:
    """The state of the full reduce just run on ``corpus`` (see the module docstring)."""
    documents = list(corpus.facts(NAMESPACE))
    if _REMEMBERED and _REMEMBERED[0] == _marker(corpus):
        _, pairs, groups = _REMEMBERED
    else:
        from .topics import story_pairs  # noqa: PLC0415
        pairs, _, groups = story_pairs(documents)
    _REMEMBERED.clear()
    count = len(documents)
    if count < 2:
        return None
    group = np.asarray(groups, dtype=np.int32)
    signatures = np.array([facts["topic"] for _, facts in documents], dtype=np.uint32)
    band_keys = _band_keys(signatures)
    band_order = np.argsort(band_keys, axis=1, kind="stable").astype(np.int32)
    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    codes = pairs[:, 1] * count + pairs[:, 0]
    order = np.argsort(codes, kind="stable")
    codes = codes[order]
    by_first = np.lexsort((pairs[order, 1], pairs[order, 0])).astype(np.int32)
    first_sorted = (codes[by_first] % count).astype(np.int32)
    representatives = np.flatnonzero(group == np.arange(count)).astype(np.int32)
    rep_sets = [sorted(set(documents[r][1]["entities"])) for r in representatives.tolist()]
    entity_vocabulary, rep_entity_start, rep_entities = _csr_vocabulary(rep_sets)
    frequency = np.bincount(rep_entities, minlength=len(entity_vocabulary)).astype(np.int32)
    entity_rep_start, entity_reps = _inverted(rep_entities, rep_entity_start, representatives,
                                              len(entity_vocabulary))
    spelled = _spelling_rows(documents)
    return ConsistencyState(
        version=STATE_VERSION, codes=_enabled(rules),
        paths=np.array([document.path.encode() for document, _ in documents], dtype=bytes),
        group=group, group_order=np.argsort(group, kind="stable").astype(np.int32),
        band_keys=band_keys, band_order=band_order, pair_codes=codes, pair_by_first=by_first,
        pair_first_sorted=first_sorted,
        cap=max(MIN_CAP, int(len(representatives) * MAX_DOCUMENT_SHARE)), representatives=len(representatives),
        entity_vocabulary=entity_vocabulary, entity_frequency=frequency, rep_ids=representatives,
        rep_entity_start=rep_entity_start, rep_entities=rep_entities,
        entity_rep_start=entity_rep_start, entity_reps=entity_reps, **spelled,
    )


def _band_keys(signatures: np.ndarray) -> np.ndarray:
    """Each band's key of each signature, as :func:`srcaudit.lsh.candidate_pairs` computes them."""
    keys = np.empty((_BANDS, len(signatures)), dtype=np.uint64)
    for band in range(_BANDS):
        keys[band] = band_key(signatures, band, _ROWS)
    return keys


def _csr_vocabulary(rows: list[list[str]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A sorted vocabulary of the strings of ``rows`` and the rows as CSR arrays of its ids."""
    ids: dict[str, int] = {}
    flat = [ids.setdefault(item, len(ids)) for row in rows for item in row]
    words = list(ids)
    order = sorted(range(len(words)), key=words.__getitem__)
    rank = np.empty(len(words), dtype=np.int32)
    rank[np.array(order, dtype=np.int64)] = np.arange(len(words), dtype=np.int32)
    vocabulary = np.array([words[i].encode() for i in order], dtype=bytes) if words else np.array([], dtype="S1")
    start = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum([len(row) for row in rows], out=start[1:])
    return vocabulary, start, rank[np.array(flat, dtype=np.int64)] if flat else np.empty(0, dtype=np.int32)


def _inverted(values: np.ndarray, start: np.ndarray, owners: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """CSR of value -> owners (ascending) from CSR owner -> values."""
    owner_of = np.repeat(owners, np.diff(start))
    order = np.lexsort((owner_of, values))
    inverted_start = np.zeros(size + 1, dtype=np.int64)
    np.cumsum(np.bincount(values, minlength=size), out=inverted_start[1:])
    return inverted_start, owner_of[order].astype(np.int32)


def _positions_by_value(values: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """CSR of value -> the positions holding it (ascending), for values in ``range(size)``."""
    values = np.asarray(values, dtype=np.int64)
    start = np.zeros(size + 1, dtype=np.int64)
    np.cumsum(np.bincount(values, minlength=size), out=start[1:])
    return start, np.argsort(values, kind="stable").astype(np.int32)


def _spelling_rows(documents: list[Doc]) -> dict[str, np.ndarray]:
    """CON002's (document, key, spelling) rows, in the order :func:`.checks.name_variants` reads them."""
    doc_ids, keys, spellings = [], [], []
    for index, (_, facts) in enumerate(documents):
        for key, spelled in checks._document_spellings(facts["people"]):
            for spelling, _mention in spelled:
                doc_ids.append(index)
                keys.append(key)
                spellings.append(spelling)
    key_vocabulary, _, key_ids = _csr_vocabulary([keys])
    spelling_vocabulary, _, spelling_ids = _csr_vocabulary([spellings])
    decoded = [word.decode() for word in key_vocabulary.tolist()]
    class_vocabulary, _, key_class = _csr_vocabulary([[_class_of(key) for key in decoded]])
    class_key_start, class_keys = _positions_by_value(key_class, len(class_vocabulary))
    key_spelled_start, key_spelled = _positions_by_value(key_ids, len(key_vocabulary))
    return dict(key_vocabulary=key_vocabulary, spelling_vocabulary=spelling_vocabulary,
                class_vocabulary=class_vocabulary, key_class=key_class, class_key_start=class_key_start,
                class_keys=class_keys, spelled_doc=np.array(doc_ids, dtype=np.int32), spelled_key=key_ids,
                spelled_spelling=spelling_ids, key_spelled_start=key_spelled_start, key_spelled=key_spelled)


def _class_of(key: str) -> str:
    """Keys that :func:`.checks._transliterated` can join share this: all names but the last, and
    the last with the letters transliterations differ on folded away."""
    parts = key.split()
    return " ".join(parts[:-1] + [checks._romanised(parts[-1])]) if parts else ""


def _lookup(vocabulary: np.ndarray, strings: list[str]) -> np.ndarray:
    """Each string's position in a sorted bytes vocabulary, -1 when absent."""
    if not strings:
        return np.empty(0, dtype=np.int64)
    encoded = np.array([s.encode() for s in strings], dtype=bytes)
    if not len(vocabulary):
        return np.full(len(strings), -1, dtype=np.int64)
    position = np.searchsorted(vocabulary, encoded)
    clipped = np.minimum(position, len(vocabulary) - 1)
    return np.where(vocabulary[clipped] == encoded, clipped, -1).astype(np.int64)


# -- the update ---------------------------------------------------------------------------------


def update(corpus: Corpus, change: CorpusChange, rules: ActiveRules) -> CorpusUpdate | None:
    """The findings of every document the change can touch, or None to ask for a full reduce."""
    state = change.state
    if not isinstance(state, ConsistencyState) or state.version != STATE_VERSION or state.codes != _enabled(rules):
        return None
    try:
        return _Update(corpus, change, rules, state).run()
    except _FullRun:
        return None
    finally:
        checks.release()


class _Update:
    """One update: new indices, facts loaded on demand, and the steps of the module docstring."""

    def __init__(self, corpus: Corpus, change: CorpusChange, rules: ActiveRules, state: ConsistencyState) -> None:
        self.corpus, self.rules, self.state = corpus, rules, state
        n = self.n = state.count
        removed = _lookup(state.paths, sorted(change.removed))
        self.removed_b = np.unique(removed[removed >= 0])
        changed = sorted(change.changed)
        found = _lookup(state.paths, changed)
        self.changed_b = np.unique(found[found >= 0])
        self.added = [path for path, index in zip(changed, found.tolist()) if index < 0]
        self.added_pos = np.searchsorted(state.paths, np.array([p.encode() for p in self.added], dtype=bytes)) \
            if self.added else np.empty(0, dtype=np.int64)
        present = np.ones(n, dtype=bool)
        present[self.removed_b] = False
        self.present_b = np.flatnonzero(present)  # base documents still there, and their new indices
        self.present_k = self.new_of(self.present_b)
        # added documents: new index -> path
        self.added_at = {int(p - np.searchsorted(self.removed_b, p) + rank): path
                         for rank, (p, path) in enumerate(zip(self.added_pos.tolist(), self.added))}
        self.count = n - len(self.removed_b) + len(self.added)
        self.index_of = {path: k for k, path in self.added_at.items()}
        self.changed = set(self.new_of(self.changed_b).tolist()) | set(self.added_at)
        self.docs: dict[int, Doc] = {}
        self.kept_cache: dict[int, frozenset[str]] = {}
        self.topic_cache: dict[int, np.ndarray] = {}

    # -- indices ------------------------------------------------------------------------------

    def new_of(self, base: np.ndarray) -> np.ndarray:
        """New indices of base documents (meaningless for removed ones)."""
        base = np.asarray(base, dtype=np.int64)
        return base - np.searchsorted(self.removed_b, base) + np.searchsorted(self.added_pos, base, side="right")

    def present_new(self, base: np.ndarray) -> list[int]:
        """New indices of the base documents that are still present."""
        base = np.asarray(base, dtype=np.int64)
        if len(self.removed_b):
            base = base[~np.isin(base, self.removed_b)]
        return self.new_of(base).tolist()

    def base_of(self, k: int) -> int:
        """The base index of new document ``k``, -1 for an added one."""
        if k in self.added_at:
            return -1
        position = int(np.searchsorted(self.present_k, k))
        return int(self.present_b[position])

    def path_of(self, k: int) -> str:
        path = self.added_at.get(k)
        if path is None:
            path = self.state.paths[self.base_of(k)].decode()
            self.index_of[path] = k
        return path

    # -- facts --------------------------------------------------------------------------------

    def load(self, indices: Iterable[int]) -> None:
        missing = sorted(set(indices) - self.docs.keys())
        if not missing:
            return
        if len(self.docs) + len(missing) > MAX_LOADED:
            raise _FullRun
        paths = [self.path_of(k) for k in missing]
        for document, facts in self.corpus.subset(paths).facts(NAMESPACE):
            self.docs[self.index_of[document.path]] = (document, facts)
        if any(k not in self.docs for k in missing):
            raise _FullRun  # a document without facts (its extraction failed): not followed here

    def topic(self, k: int) -> np.ndarray:
        topic = self.topic_cache.get(k)
        if topic is None:
            self.load([k])
            topic = self.topic_cache[k] = np.asarray(self.docs[k][1]["topic"], dtype=np.uint32)
        return topic

    def similarity(self, a: int, b: int) -> float:
        """As :func:`.topics._similarity` computes it (the share of equal rows)."""
        return float((self.topic(a) == self.topic(b)).mean())

    def entities(self, k: int) -> list[str]:
        self.load([k])
        return self.docs[k][1]["entities"]

    def kept(self, k: int) -> frozenset[str]:
        """The document's entities that are not common (``topics.stories``' ``kept``, up to entities
        no other document holds, which never count)."""
        found = self.kept_cache.get(k)
        if found is None:
            names = sorted(set(self.entities(k)))
            ids = _lookup(self.state.entity_vocabulary, names)
            frequency = np.where(ids >= 0, self.state.entity_frequency[np.maximum(ids, 0)], 0) \
                if len(ids) else np.empty(0, dtype=np.int64)
            found = self.kept_cache[k] = frozenset(
                name for name, count in zip(names, frequency.tolist())
                if count + self.frequency_delta.get(name, 0) <= self.cap)
        return found

    # -- the steps ----------------------------------------------------------------------------

    def run(self) -> CorpusUpdate:
        if self.count < 2:
            raise _FullRun
        self.load(self.changed)
        self.regroup()
        self.recount()
        affected = self.affected()
        self.stories_of_dirty()
        affected |= self.story_followers()
        partners = self.earlier_partners(affected)
        if "CON002" in self.state.codes:
            extra = self.spelling_affected(affected, partners)
            partners.update(self.earlier_partners(extra - affected))
            affected |= extra
        return self.findings(affected, partners)

    def regroup(self) -> None:
        """New copy groups of the documents whose groups a change can reach (step 1).

        The band buckets that held or now hold a changed document are the only ones whose
        members or leaders differ; the old groups of their members (``region``) are whole
        connected components, closed under the new near-copy links too, so regrouping them
        alone gives the new groups exactly.
        """
        state = self.state
        new_keys = {k: _band_keys(self.topic(k)[None, :])[:, 0] for k in sorted(self.changed)}
        gone = np.union1d(self.removed_b, self.changed_b).astype(np.int64)
        self.sorted_band: dict[int, np.ndarray] = {}
        touched_base: list[np.ndarray] = []
        for band in range(_BANDS):
            keys = set(state.band_keys[band, gone].tolist()) | {int(key[band]) for key in new_keys.values()}
            for key in keys:
                touched_base.append(self.bucket_base(band, key))
        members = np.unique(np.concatenate(touched_base)) if touched_base else np.empty(0, dtype=np.int64)
        leaders = np.unique(state.group[members])
        self.group_sorted = state.group[state.group_order]
        region_base = np.unique(np.concatenate([self.old_members(int(leader)) for leader in leaders.tolist()])) \
            if len(leaders) else np.empty(0, dtype=np.int64)
        self.region_base = region_base
        region = sorted(set(self.present_new(region_base)) | self.changed)
        if len(region) > MAX_LOADED:
            raise _FullRun
        self.load(region)
        in_region = set(region)
        edges: set[tuple[int, int]] = set()
        seen: set[tuple[int, int]] = set()
        for k in region:
            base = -1 if k in self.added_at else self.base_of(k)
            for band in range(_BANDS):
                key = int(new_keys[k][band]) if k in new_keys else int(state.band_keys[band, base])
                if (band, key) in seen:
                    continue
                seen.add((band, key))
                old = self.bucket_base(band, key)
                old = old[~np.isin(old, gone)]
                bucket = sorted(self.new_of(old).tolist() + [c for c, keys in new_keys.items() if int(keys[band]) == key])
                for lead in range(min(DEFAULT_LEADERS, len(bucket) - 1)):
                    for other in bucket[lead + 1:]:
                        # a link leaving the region was there before, so it is not a near copy (see above)
                        if bucket[lead] in in_region and other in in_region:
                            edges.add((bucket[lead], other))
        position = {k: i for i, k in enumerate(region)}
        close = [(position[a], position[b]) for a, b in sorted(edges) if self.similarity(a, b) >= NEAR_COPY]
        from srcaudit.unionfind import join  # noqa: PLC0415
        roots = join(len(region), close)
        self.region = region
        self.new_leader = {k: region[int(root)] for k, root in zip(region, roots.tolist())}
        self.old_leader = {}
        for k in region:
            base = self.base_of(k)
            leader = int(state.group[base]) if base >= 0 else -1
            removed = leader < 0 or bool(np.isin(leader, self.removed_b))
            self.old_leader[k] = -1 if removed else int(self.new_of(np.array([leader]))[0])

    def bucket_base(self, band: int, key: int) -> np.ndarray:
        """The base documents of one band bucket, ascending."""
        keys = self.sorted_band.get(band)
        if keys is None:
            keys = self.sorted_band[band] = self.state.band_keys[band][self.state.band_order[band]]
        low, high = np.searchsorted(keys, np.uint64(key)), np.searchsorted(keys, np.uint64(key), side="right")
        return np.sort(self.state.band_order[band][low:high]).astype(np.int64)

    def old_members(self, leader: int) -> np.ndarray:
        """The base group of ``leader``, ascending (base indices)."""
        low, high = np.searchsorted(self.group_sorted, leader), np.searchsorted(self.group_sorted, leader, side="right")
        return self.state.group_order[low:high].astype(np.int64)

    def leader(self, k: int) -> int:
        """New document ``k``'s new copy-group leader."""
        found = self.new_leader.get(k)
        if found is None:
            found = int(self.new_of(np.array([self.state.group[self.base_of(k)]]))[0])
        return found

    def new_members(self, leader: int) -> list[int]:
        """The new group of ``leader`` (new indices, ascending)."""
        if leader in self.new_leader:
            return [k for k in self.region if self.new_leader[k] == leader]
        return self.present_new(self.old_members(self.base_of(leader)))

    def recount(self) -> None:
        """Representatives and their entity counts after the change (step 2): a full run if an
        entity turns common or distinctive, through its own count or a moved cap."""
        state = self.state
        old_reps = [int(b) for b in self.region_base.tolist() if state.group[b] == b]
        new_reps = [k for k in self.region if self.new_leader[k] == k]
        self.old_region_reps, self.new_region_reps = old_reps, new_reps
        representatives = state.representatives - len(old_reps) + len(new_reps)
        self.cap = max(MIN_CAP, int(representatives * MAX_DOCUMENT_SHARE))
        delta: dict[str, int] = defaultdict(int)
        for b in old_reps:
            for entity in self.base_rep_entities(b):
                delta[entity] -= 1
        for k in new_reps:
            for entity in set(self.entities(k)):
                delta[entity] += 1
        self.frequency_delta = {entity: change for entity, change in delta.items() if change}
        names = sorted(self.frequency_delta)
        ids = _lookup(state.entity_vocabulary, names)
        for name, index in zip(names, ids.tolist()):
            old = int(state.entity_frequency[index]) if index >= 0 else 0
            if (old <= state.cap) != (old + self.frequency_delta[name] <= self.cap):
                raise _FullRun(name)  # common <-> distinctive: documents anywhere may pair or unpair
        if self.cap != state.cap:
            # one more or fewer representative can move the cap (a tenth of them): only
            # entities whose count lies between the two caps turn (the counted ones are done)
            low, high = sorted((state.cap, self.cap))
            between = (state.entity_frequency > low) & (state.entity_frequency <= high)
            between[ids[ids >= 0]] = False
            if between.any():
                raise _FullRun

    def base_rep_entities(self, b: int) -> list[str]:
        state = self.state
        row = int(np.searchsorted(state.rep_ids, b))
        ids = state.rep_entities[state.rep_entity_start[row]:state.rep_entity_start[row + 1]]
        return [word.decode() for word in state.entity_vocabulary[ids].tolist()]

    # -- which documents' pairs change (step 3) ----------------------------------------------------

    def old_earlier(self, b: int) -> np.ndarray:
        """Base pairs ``(i, b)``: the base indices ``i``."""
        codes, n = self.state.pair_codes, self.n
        low, high = np.searchsorted(codes, b * n), np.searchsorted(codes, (b + 1) * n)
        return (codes[low:high] - b * n).astype(np.int64)

    def old_later(self, b: int) -> np.ndarray:
        """Base pairs ``(b, j)``: the base indices ``j``."""
        state = self.state
        low, high = np.searchsorted(state.pair_first_sorted, b), np.searchsorted(state.pair_first_sorted, b, side="right")
        return (state.pair_codes[state.pair_by_first[low:high]] // self.n).astype(np.int64)

    def old_stories(self, b: int) -> list[int]:
        """The base representatives paired with base representative ``b`` (base indices)."""
        group = self.state.group
        others = np.concatenate([self.old_earlier(b), self.old_later(b)])
        return [int(o) for o in others[group[others] == others].tolist()]

    def affected(self) -> set[int]:
        """Changed documents, those whose leader changes, and the followers of dirty
        representatives in the base (their groups and their stories' groups after them)."""
        state = self.state
        affected = set(self.changed)
        affected.update(k for k in self.region if self.new_leader[k] != self.old_leader[k])
        dirty = set()
        for k in self.region:
            old_rep, new_rep = self.was_rep(k), self.new_leader[k] == k
            if old_rep != new_rep or (k in self.changed and (old_rep or new_rep)):
                dirty.add(k)
        self.dirty = dirty
        old_dirty = [self.base_of(k) for k in dirty if self.was_rep(k)]
        old_dirty += [int(b) for b in self.removed_b.tolist() if state.group[b] == b]
        self.old_dirty = set(old_dirty)
        for b in old_dirty:
            affected.update(self.present_new(self.old_members(b)))
            for story in self.old_stories(b):
                members = self.old_members(story)
                affected.update(self.present_new(members[members > b]))
        affected.update(k for k in dirty if k in self.new_leader)
        return affected

    def stories_of_dirty(self) -> None:
        """The new stories of each dirty representative: representatives sharing enough kept
        entities (through the base representatives' postings, corrected for the region), with
        similar enough texts."""
        state = self.state
        self.new_stories: dict[int, set[int]] = {}
        # Outside the region the base postings hold (same representatives, same facts); inside
        # it, each new representative is read from its facts.
        stale = self.region_base
        fresh = sorted(self.new_region_reps)
        for r in sorted(k for k in self.dirty if self.new_leader.get(k) == k):
            kept = sorted(self.kept(r))
            shared: dict[int, int] = defaultdict(int)
            ids = _lookup(state.entity_vocabulary, kept)
            for index in ids[ids >= 0].tolist():
                holders = state.entity_reps[state.entity_rep_start[index]:state.entity_rep_start[index + 1]]
                holders = holders[~np.isin(holders, stale)]
                for k in self.present_new(holders):
                    shared[k] += 1
            for k in fresh:
                if k != r:
                    count = len(self.kept(k) & self.kept(r))
                    if count:
                        shared[k] += count
            candidates = sorted(k for k, count in shared.items() if k != r and count >= MIN_SHARED)
            self.load(candidates)
            self.new_stories[r] = {k for k in candidates if self.similarity(r, k) >= MIN_TEXT_SIMILARITY}
        self.story_links: dict[int, set[int]] = defaultdict(set)
        for r, found in self.new_stories.items():
            for k in found:
                self.story_links[k].add(r)

    def was_rep(self, k: int) -> bool:
        base = self.base_of(k)
        return base >= 0 and int(self.state.group[base]) == base

    def stories(self, leader: int) -> set[int]:
        """The new stories of representative ``leader`` (new indices)."""
        found = self.new_stories.get(leader)
        if found is not None:
            return found
        base = self.base_of(leader)
        old = np.array(self.old_stories(base), dtype=np.int64)
        old = old[~np.isin(old, list(self.old_dirty))] if self.old_dirty else old
        return set(self.present_new(old)) | self.story_links.get(leader, set())

    def story_followers(self) -> set[int]:
        """The followers of dirty representatives after the change: their groups and the groups of
        their new stories after them."""
        followers: set[int] = set()
        for r, found in self.new_stories.items():
            followers.update(self.new_members(r))
            for story in found:
                followers.update(m for m in self.new_members(story) if m > r)
        return followers

    def earlier_partners(self, documents: Iterable[int]) -> dict[int, dict[int, float]]:
        """New pairs ``(i, j)`` of each ``j`` of ``documents``: each ``i`` with the pair's text
        similarity (``topics._with_copies`` and the two filters of ``topics.stories``). The
        facts of all the candidates are loaded at once."""
        candidates = {}
        for j in documents:
            leader = self.leader(j)
            candidates[j] = {s for s in self.stories(leader) if s < j}
            if leader != j:
                candidates[j].add(leader)
        self.load(set(candidates).union(*candidates.values()))
        found: dict[int, dict[int, float]] = {}
        for j, earlier in candidates.items():
            kept = self.kept(j)
            found[j] = {}
            for i in sorted(earlier):
                if len(kept & self.kept(i)) >= MIN_SHARED:
                    value = self.similarity(i, j)
                    if value >= MIN_TEXT_SIMILARITY:
                        found[j][i] = value
        return found

    # -- CON002 (step 4) -------------------------------------------------------------------------

    def spelling_affected(self, affected: set[int], partners: dict[int, dict[int, float]]) -> set[int]:
        """Documents whose CON002 findings may change besides ``affected``: the earlier ends of
        pairs that come or go, the earlier partners of changed documents (their spellings
        changed), when they spell a name against the majority; every holder of a name whose
        grouping or majority spelling changes."""
        self.class_cache: dict[tuple[str, bool], _Spellings] = {}
        candidates: set[int] = set()
        for j in affected:
            base = self.base_of(j)
            old = set(self.present_new(self.old_earlier(base))) if base >= 0 else set()
            new = set(partners[j])
            candidates |= (old | new) if j in self.changed else (old ^ new)
        for b in self.removed_b.tolist():  # the earlier ends of a removed document's pairs lose a partner
            candidates.update(self.present_new(self.old_earlier(b)))
        extra = {k for k in candidates - affected if self.has_minority(k)}
        for name in sorted(self.touched_classes()):
            old, new = self.spellings(name, old=True), self.spellings(name, old=False)
            if old.signature() != new.signature():
                holders = old.minority_holders() | new.minority_holders()
                if len(holders) > MAX_LOADED:
                    raise _FullRun
                extra |= {self.new_of(np.array([d]))[0].item() for d in old.minority_holders()
                          if not np.isin(d, self.removed_b)} | new.minority_holders()
        return extra

    def touched_classes(self) -> set[str]:
        state = self.state
        classes: set[str] = set()
        gone = np.union1d(self.removed_b, self.changed_b)
        rows = np.flatnonzero(np.isin(state.spelled_doc, gone)) if len(gone) else np.empty(0, dtype=np.int64)
        for key in np.unique(state.spelled_key[rows]).tolist():
            classes.add(state.class_vocabulary[state.key_class[key]].decode())
        for k in self.changed:
            classes.update(_class_of(key) for key, _ in self.document_spellings(k))
        return classes

    def document_spellings(self, k: int) -> list[tuple[str, list[tuple[str, Any]]]]:
        self.load([k])
        return checks._document_spellings(self.docs[k][1]["people"])

    def doc_classes(self, k: int) -> set[str]:
        """The spelling classes of new document ``k``'s names."""
        if k in self.changed:
            return {_class_of(key) for key, _ in self.document_spellings(k)}
        state = self.state
        base = self.base_of(k)
        low, high = np.searchsorted(state.spelled_doc, base), np.searchsorted(state.spelled_doc, base, side="right")
        return {state.class_vocabulary[c].decode() for c in np.unique(state.key_class[state.spelled_key[low:high]]).tolist()}

    def has_minority(self, k: int) -> bool:
        return any(k in self.spellings(name, old=False).minority_holders() for name in self.doc_classes(k))

    def spellings(self, name: str, old: bool) -> _Spellings:
        """One class's names before (base indices) or after the change (new indices)."""
        cached = self.class_cache.get((name, old))
        if cached is not None:
            return cached
        state = self.state
        rows: list[tuple[int, int, str, str]] = []  # (document, place in its reading order, key, spelling)
        index = int(_lookup(state.class_vocabulary, [name])[0])
        if index >= 0:
            key_ids = state.class_keys[state.class_key_start[index]:state.class_key_start[index + 1]]
            gone = np.union1d(self.removed_b, self.changed_b)
            for key_id in key_ids.tolist():
                key = state.key_vocabulary[key_id].decode()
                positions = state.key_spelled[state.key_spelled_start[key_id]:state.key_spelled_start[key_id + 1]]
                docs = state.spelled_doc[positions].astype(np.int64)
                if not old and len(gone):
                    keep = ~np.isin(docs, gone)
                    positions, docs = positions[keep], docs[keep]
                numbers = docs if old else self.new_of(docs)
                spellings = state.spelling_vocabulary[state.spelled_spelling[positions]].tolist()
                rows.extend((d, p, key, s.decode()) for d, p, s in zip(numbers.tolist(), positions.tolist(), spellings))
        if not old:
            for k in sorted(self.changed):
                place = 0
                for key, spelled in self.document_spellings(k):
                    for spelling, _ in spelled:
                        if _class_of(key) == name:
                            rows.append((k, place, key, spelling))
                        place += 1
        found = self.class_cache[(name, old)] = _Spellings(rows)
        return found

    # -- the findings (step 5) ---------------------------------------------------------------------

    def findings(self, affected: set[int], partners: dict[int, dict[int, float]]) -> CorpusUpdate:
        from . import pair_findings  # noqa: PLC0415
        needed = set(affected)
        for found in partners.values():
            needed.update(found)
        self.load(needed)
        order = sorted(needed)
        local = {k: i for i, k in enumerate(order)}
        documents = [self.docs[k] for k in order]
        similarity = {(local[i], local[j]): value for j in affected for i, value in partners[j].items()}
        findings = pair_findings(documents, similarity, np.arange(len(documents)), self.rules)
        if "CON002" in self.state.codes:
            findings += self.variant_findings(affected, partners)
        return CorpusUpdate(affected=frozenset(self.path_of(k) for k in affected), findings=findings, measures={})

    def is_partner(self, k: int, others: list[int], partners: dict[int, dict[int, float]]) -> list[bool]:
        """Whether each of ``others`` is paired with ``k`` (either way) after the change.

        Earlier ones are ``k``'s recomputed partners; later ones recomputed too, or else
        (their pairs did not change) looked up among the base pairs, all at once.
        """
        answers = [False] * len(others)
        base_k = self.base_of(k)
        unknown: list[int] = []
        for position, other in enumerate(others):
            if other < k:
                answers[position] = other in partners[k]
            elif other in partners:
                answers[position] = k in partners[other]
            elif base_k >= 0:
                unknown.append(position)
        if unknown and len(self.state.pair_codes):
            later = np.array([others[position] for position in unknown], dtype=np.int64)
            codes = self.present_b[np.searchsorted(self.present_k, later)] * self.n + base_k
            found = np.searchsorted(self.state.pair_codes, codes)
            hit = self.state.pair_codes[np.minimum(found, len(self.state.pair_codes) - 1)] == codes
            for position, yes in zip(unknown, hit.tolist()):
                answers[position] = yes
        return answers

    def variant_findings(self, affected: set[int], partners: dict[int, dict[int, float]]) -> list[Finding]:
        """CON002 at ``affected``, as :func:`.checks.name_variants` gives it on the whole corpus."""
        groups: dict[str, tuple[_Spellings, str]] = {}
        for k in sorted(affected):
            for name in self.doc_classes(k):
                data = self.spellings(name, old=False)
                for merged in data.merged_of(k):
                    groups[merged] = (data, merged)
        found = []
        for merged in sorted(groups):
            data, _ = groups[merged]
            ranked, items = data.ranked(merged)
            majority = ranked[0]
            major = {d: key for d, key, spelling in items if spelling == majority}
            major_docs = sorted(major)
            for spelling in ranked[1:]:
                for index, key, item_spelling in items:
                    if item_spelling != spelling or index not in affected:
                        continue
                    answers = self.is_partner(index, major_docs, partners)
                    others = [d for d, yes in zip(major_docs, answers) if yes or d == index]
                    if others:
                        found.append((index, key, spelling, others, major, merged, majority))
        self.load({index for index, *_ in found}.union(*(others[:3] for _, _, _, others, *_ in found)))
        return [self.variant_finding(*item) for item in found]

    def mention(self, k: int, key: str, spelling: str) -> Any:
        for found_key, spelled in self.document_spellings(k):
            if found_key == key:
                for found_spelling, mention in spelled:
                    if found_spelling == spelling:
                        return mention
        raise _FullRun  # pragma: no cover - the kept rows and the facts disagree

    def variant_finding(self, index: int, key: str, spelling: str, others: list[int], major: dict[int, str],
                        merged: str, majority: str) -> Finding:
        """The finding :func:`.checks._variant_findings` makes for one minority spelling."""
        return checks.variant_finding(self.docs[index][0], self.mention(index, key, spelling),
                                      [(self.docs[i][0], self.mention(i, major[i], majority)) for i in others[:3]],
                                      merged, spelling, majority)


class _Spellings:
    """One transliteration class's names as :func:`.checks.name_variants` sees them: keys in reading
    order, joined when transliterated and never used in one document, and each joined name's
    spellings ranked by the documents using them."""

    def __init__(self, rows: list[tuple[int, int, str, str]]) -> None:
        rows.sort()
        first: dict[str, tuple[int, int]] = {}
        docs: dict[str, set[int]] = defaultdict(set)
        for document, place, key, _ in rows:
            first.setdefault(key, (document, place))
            docs[key].add(document)
        keys = sorted(first, key=first.__getitem__)
        groups: dict[str, str] = {}
        for position, key_a in enumerate(keys):
            for key_b in keys[position + 1:]:
                if checks._transliterated(key_a, key_b) and not docs[key_a] & docs[key_b]:
                    groups[key_b] = groups.get(key_a, key_a)
        self.groups = groups
        self.items: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
        by_key: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
        for document, _, key, spelling in rows:
            by_key[key].append((document, key, spelling))
        for key in keys:
            self.items[groups.get(key, key)].extend(by_key[key])
        self._ranked: dict[str, list[str]] = {}
        self._varied: dict[int, list[str]] | None = None
        self._minority: set[int] | None = None

    def ranked(self, merged: str) -> tuple[list[str], list[tuple[int, str, str]]]:
        items = self.items[merged]
        ranked = self._ranked.get(merged)
        if ranked is None:
            users: dict[str, set[int]] = defaultdict(set)
            for document, _, spelling in items:
                users[spelling].add(document)
            ranked = self._ranked[merged] = sorted(users, key=lambda s: (-len(users[s]), s))
        return ranked, items

    def merged_of(self, document: int) -> list[str]:
        """The joined names of ``document`` that have more than one spelling."""
        if self._varied is None:
            self._varied = defaultdict(list)
            for merged, items in self.items.items():
                if len(self.ranked(merged)[0]) > 1:
                    for d in dict.fromkeys(d for d, _, _ in items):
                        self._varied[d].append(merged)
        return self._varied.get(document, [])

    def minority_holders(self) -> set[int]:
        """The documents that spell a name against its majority spelling."""
        if self._minority is None:
            self._minority = set()
            for merged in self.items:
                ranked, items = self.ranked(merged)
                if len(ranked) > 1:
                    self._minority.update(d for d, _, s in items if s != ranked[0])
        return self._minority

    def signature(self) -> tuple:
        """What every holder's findings depend on besides its partners: the joined names and
        each one's ranked spellings (the majority, and the order of a document's findings)."""
        return (tuple(sorted(self.groups.items())),
                tuple(sorted((merged, tuple(self.ranked(merged)[0])) for merged in self.items)))
