"""Template measures on a warm run: only the documents whose template lines could have changed.

A document's template measures depend on its own lines and on which documents hold each
of them (:func:`.templates.document_measures`). A change since the base run (documents
changed, added, removed) alters the holders of a line only if a changed document gained
or lost that line; the documents holding such a line, and the changed documents, are the
ones whose measures can differ. The base's holders of every line are kept as arrays
(:class:`TemplateIndex`), so an update reads the facts of those documents only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from srcaudit.api import Corpus, CorpusChange, CorpusUpdate

from .templates import NAMESPACE, document_measures

#: An update touching more documents than this (a line every page prints was added to one)
#: is left to a full run, which costs about the same and leaves a new base.
MAX_AFFECTED = 5000


@dataclass(frozen=True)
class TemplateIndex:
    """Which base documents hold each line hash, and each document's line hashes (CSR arrays)."""

    paths: tuple[str, ...]
    document_start: np.ndarray  # document d's distinct line hashes: line_keys[document_start[d]:document_start[d + 1]]
    line_keys: np.ndarray
    keys: np.ndarray  # every distinct line hash, sorted
    holder_start: np.ndarray  # holders of keys[k]: holders[holder_start[k]:holder_start[k + 1]], ascending
    holders: np.ndarray


def index_of(corpus: Corpus) -> TemplateIndex:
    """The base's index, built from the facts the full run read."""
    paths, per_document = [], []
    for facts, data in corpus.facts(NAMESPACE):
        paths.append(facts.path)
        per_document.append(np.unique(np.fromiter((key for key, _ in data["lines"]), dtype=np.int64)))
    sizes = np.fromiter(map(len, per_document), dtype=np.int64, count=len(per_document))
    document_start = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
    line_keys = np.concatenate(per_document) if per_document else np.empty(0, dtype=np.int64)
    owner = np.repeat(np.arange(len(per_document), dtype=np.int64), sizes)
    order = np.lexsort((owner, line_keys))
    keys, starts = np.unique(line_keys[order], return_index=True)
    holder_start = np.append(starts, len(order)).astype(np.int64)
    return TemplateIndex(tuple(paths), document_start, line_keys, keys, holder_start, owner[order])


def update(corpus: Corpus, change: CorpusChange) -> CorpusUpdate | None:
    """The template measures of the documents ``change`` touches (None: run in full)."""
    base: TemplateIndex = change.state
    if not isinstance(base, TemplateIndex):
        return None
    number = {path: n for n, path in enumerate(base.paths)}
    touched = change.changed | change.removed
    changed_now = {facts.path: _keys(data) for facts, data in corpus.subset(change.changed).facts(NAMESPACE)}
    for path in change.changed:  # documents new to the base get numbers after the base's
        number.setdefault(path, len(number))
    gained_or_lost: set[int] = set()
    for path in touched:
        before = set(_base_keys(base, number[path]).tolist()) if number[path] < len(base.paths) else set()
        gained_or_lost |= before ^ changed_now.get(path, set())
    affected = set(changed_now)
    for key in gained_or_lost:
        affected.update(base.paths[d] for d in _holders(base, key).tolist())
    affected -= change.removed
    if len(affected) > MAX_AFFECTED:
        return None
    moved = {number[path] for path in touched}

    def holders_of(key: int) -> set[int]:
        held = set(_holders(base, key).tolist()) - moved
        held.update(number[path] for path, keys in changed_now.items() if key in keys)
        return held

    measures = {}
    for facts, data in corpus.subset(affected).facts(NAMESPACE):
        holders = {key: holders_of(key) for key in {key for key, _ in data["lines"]}}
        measures[facts.path] = document_measures(number[facts.path], data, holders)
    return CorpusUpdate(frozenset(affected) | change.changed, [], measures)


def _keys(data: Mapping[str, object]) -> set[int]:
    lines: Iterable[list[int]] = data["lines"]  # type: ignore[assignment]
    return {key for key, _ in lines}


def _base_keys(base: TemplateIndex, document: int) -> np.ndarray:
    return base.line_keys[base.document_start[document]:base.document_start[document + 1]]


def _holders(base: TemplateIndex, key: int) -> np.ndarray:
    at = int(np.searchsorted(base.keys, key))
    if at == len(base.keys) or base.keys[at] != key:
        return base.holders[:0]
    return base.holders[base.holder_start[at]:base.holder_start[at + 1]]
