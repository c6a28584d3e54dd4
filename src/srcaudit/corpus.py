"""What the corpus (reduce) phase sees: every document's extracted facts, not its text.

Facts are plain serialisable data (dicts, lists, strings, numbers, numpy arrays), so the
map phase can run in worker processes, be cached by content hash, or run on another
engine entirely. A corpus rule that needs text must extract it as a fact.

On a run served from the cache, facts stay in the cache until a plugin asks for them:
:attr:`Corpus.paths` names every document without loading anything, and
:meth:`Corpus.subset` loads the few documents an incremental update needs
(:class:`CorpusChange`). Reading :attr:`Corpus.documents` loads them all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .pickling import fast_pickling

if TYPE_CHECKING:
    from .findings import Finding


@fast_pickling
@dataclass(frozen=True, slots=True)
class DocumentFacts:
    """One audited document as the corpus phase knows it."""

    path: str
    content_hash: str
    line_count: int
    facts: Mapping[str, Any] = field(default_factory=dict)


#: Loads the facts of the named documents (sorted paths), in that order.
FactsLoader = Callable[[Sequence[str]], Iterable[DocumentFacts]]


class Corpus:
    """Every successfully read document of the run, sorted by path.

    Built from documents in memory (``Corpus(documents)``) or, by the engine on a cached
    run, from their paths and a loader that reads facts from the cache on first use.
    """

    __slots__ = ("_documents", "_paths", "_positions", "_load")

    def __init__(self, documents: Iterable[DocumentFacts] = (), *, paths: Sequence[str] | None = None,
                 load: FactsLoader | None = None) -> None:
        if load is None:
            self._documents: tuple[DocumentFacts, ...] | None = tuple(documents)
            self._paths = tuple(document.path for document in self._documents)
        else:
            self._documents = None
            self._paths = tuple(paths or ())
        self._load = load
        self._positions: dict[str, int] | None = None

    @property
    def documents(self) -> tuple[DocumentFacts, ...]:
        """Every document with its facts (on a cached run, this loads them all)."""
        if self._documents is None:
            assert self._load is not None
            self._documents = tuple(self._load(self._paths))
        return self._documents

    @property
    def paths(self) -> tuple[str, ...]:
        """Every document's path, sorted; never loads facts."""
        return self._paths

    @property
    def positions(self) -> Mapping[str, int]:
        """Each path's position in :attr:`paths` (also for membership tests)."""
        if self._positions is None:
            self._positions = {path: position for position, path in enumerate(self._paths)}
        return self._positions

    def subset(self, paths: Iterable[str]) -> Corpus:
        """The named documents only (paths not in the corpus are ignored), sorted by path.

        Only their facts are loaded: this is how an incremental update
        (:func:`srcaudit.hookspecs.srcaudit_update_corpus`) reads the few documents a change
        touches without loading the whole corpus.
        """
        positions = self.positions
        chosen = sorted({position for position in map(positions.get, paths) if position is not None})
        if self._documents is not None:
            return Corpus(self._documents[position] for position in chosen)
        assert self._load is not None
        return Corpus(self._load([self._paths[position] for position in chosen]))

    def facts(self, namespace: str) -> Iterator[tuple[DocumentFacts, Any]]:
        """Each document that has facts under ``namespace``, with those facts."""
        for document in self.documents:
            if namespace in document.facts:
                yield document, document.facts[namespace]

    def release(self, namespace: str) -> None:
        """Forget every document's facts under ``namespace``: their memory is freed now.

        For a plugin whose corpus hooks are done with its facts while other plugins' hooks
        still run: the reduce phase holds every document's facts at once, and it is where
        a large run reaches its peak memory. Afterwards the namespace looks empty to every
        plugin, so release only facts nobody else reads. (Facts the engine did not build as
        plain dicts are left in place; facts not loaded yet are not loaded for this.)
        """
        for document in self._documents or ():
            if isinstance(document.facts, MutableMapping):
                document.facts.pop(namespace, None)

    def __len__(self) -> int:
        return len(self._paths)


@dataclass(frozen=True)
class CorpusChange:
    """What changed since the full reduce that produced a plugin's saved state (the *base*).

    The base stays fixed until the next full reduce, so ``changed`` and ``removed`` may
    hold several edits made over several runs.
    """

    #: What the plugin's ``srcaudit_corpus_state`` returned after the base run.
    state: Any
    #: Paths present now whose content is new or differs from the base.
    changed: frozenset[str]
    #: Paths of the base that are gone now.
    removed: frozenset[str]


@dataclass(frozen=True)
class CorpusUpdate:
    """A plugin's answer to a :class:`CorpusChange`: its results for the documents the change touched.

    Every other present document keeps the base run's findings and measures of this plugin,
    so ``affected`` must name every document whose findings or measures could differ from
    the base's (every changed path among them).
    """

    affected: frozenset[str]
    #: All of the plugin's findings on ``affected`` paths (not a difference), none elsewhere.
    findings: list[Finding] = field(default_factory=list)
    #: The plugin's corpus measures of ``affected`` paths.
    measures: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
