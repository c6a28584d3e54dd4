"""The reduce phase of a warm run: each corpus plugin that can pays only for what changed.

After a full reduce on a run with a cache, every plugin that implements
``srcaudit_corpus_state`` leaves a *base*: its state, its findings and corpus measures
per document, and the cache key of every document it saw (:class:`PluginBase`). The
bases of one run key (same srcaudit, plugins and options) are saved together in the
cache folder. On a later run with the same run key, a plugin that also implements
``srcaudit_update_corpus`` is told which documents changed or went away since its base
and answers with the results of the documents the change touched; every other document
keeps the base's results (:func:`updated_results`). The base itself stays as it was, so
the change may accumulate over several runs; once it is more than :data:`MAX_CHANGED_SHARE`
of the corpus, the plugin runs in full and leaves a new base.

Findings are stored and merged per document, so the merged list is the one a full
reduce would give in another order; the engine sorts all findings afterwards. They are
kept as :mod:`.packing` keeps findings (flat values, compressed while the reduce runs):
at 100k documents a base holds about 220,000 findings, which as objects would add over
200 MB to the run's peak, and a warm run hands the base's rows on without building them.
"""

from __future__ import annotations

import pickle
import uuid
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pluggy

from .corpus import Corpus, CorpusChange, CorpusUpdate
from .findings import Finding
from .packing import PackedFindings
from .plugins import HookFailure, call_impl

if TYPE_CHECKING:
    from .cache import DocumentCache
    from .rules import ActiveRules

#: Beyond this share of the corpus changed since a base, a full reduce runs (and saves a new base).
MAX_CHANGED_SHARE = 0.01
#: ... but a change of this many documents is always worth an update.
MIN_CHANGED_LIMIT = 20


@dataclass
class PluginBase:
    """One plugin's results of a full reduce, and what it needs to update them."""

    #: Cache key of every document of that run, by path.
    members: Mapping[str, str]
    state: Any
    #: The plugin's findings by path: a pickled list of rows as :meth:`srcaudit.packing.Packed.drain_flat`
    #: gives them. Pickled per document, so that loading a base does not build every row
    #: (at 100k documents a base holds ~220,000 findings): a warm run that replays its last
    #: results (:mod:`.replay`) needs a few documents' rows.
    findings: Mapping[str, bytes]
    measures: Mapping[str, Mapping[str, Any]]
    #: Names this base: a warm run's saved results (:mod:`.replay`) say which base they were updated from.
    token: str = field(default_factory=lambda: uuid.uuid4().hex)


class Bases:
    """The bases saved under one run key, and the new ones this run's full reduces leave."""

    def __init__(self, cache: DocumentCache, key_of_run: str, members: Mapping[str, str]) -> None:
        self._cache = cache
        self._key_of_run = key_of_run
        #: Cache key of every document of this run, by path.
        self.members = members
        saved = cache.load_base(key_of_run)
        self._saved: dict[str, PluginBase] = saved if _well_formed(saved) else {}
        self._fresh: dict[str, PluginBase] = {}
        self._recorded: dict[str, PackedFindings] = {}  # findings of new bases, grouped when saved
        self._compared: tuple[Mapping[str, str], frozenset[str], frozenset[str]] | None = None

    def change(self, plugin: str) -> CorpusChange | None:
        """What changed since ``plugin``'s base, or None when it must run in full."""
        base = self._saved.get(plugin)
        if base is None:
            return None
        changed, removed = self._difference(base.members)
        if len(changed) + len(removed) > max(MIN_CHANGED_LIMIT, MAX_CHANGED_SHARE * len(self.members)):
            return None
        return CorpusChange(base.state, changed, removed)

    def _difference(self, members: Mapping[str, str]) -> tuple[frozenset[str], frozenset[str]]:
        """Paths changed and removed since a base's documents: computed once for the bases
        that share them (every plugin's base saved by one full run; 100k paths each)."""
        if self._compared is None or self._compared[0] is not members:
            changed = frozenset(path for path, key in self.members.items() if members.get(path) != key)
            removed = frozenset(path for path in members if path not in self.members)
            self._compared = (members, changed, removed)
        return self._compared[1], self._compared[2]

    def has(self, plugin: str) -> bool:
        return plugin in self._saved

    def saved(self, plugin: str) -> PluginBase:
        return self._saved[plugin]

    def keep(self, plugin: str) -> None:
        """``plugin`` was updated: its saved base stays the base."""
        self._fresh[plugin] = self._saved[plugin]
        self._cache.stats.updated.append(plugin)

    def record(self, plugin: str, state: Any, findings: PackedFindings,
               measures: Mapping[str, Mapping[str, Any]]) -> str:
        """``plugin`` ran in full: its results and state are its new base; returns the base's token."""
        self._cache.stats.rebased.append(plugin)
        self._recorded[plugin] = findings
        base = self._fresh[plugin] = PluginBase(self.members, state, {}, dict(measures))
        return base.token

    def save(self) -> None:
        """Save the bases when a plugin left a new one (a run that only updated writes nothing).

        Called after the reduce phase has released the facts: grouping the new bases'
        findings by document unpacks them.
        """
        for plugin, found in self._recorded.items():
            by_path: dict[str, list[Any]] = {}
            for row in found.drain_flat():
                by_path.setdefault(row[2] if type(row) is tuple else row.path, []).append(row)
            self._fresh[plugin].findings = {path: pickle.dumps(rows, pickle.HIGHEST_PROTOCOL)
                                            for path, rows in by_path.items()}
        self._recorded.clear()
        if any(self._saved.get(plugin) is not base for plugin, base in self._fresh.items()):
            self._cache.save_base(self._key_of_run, self._fresh)


def _well_formed(saved: Any) -> bool:
    return isinstance(saved, dict) and all(isinstance(base, PluginBase) for base in saved.values())


@dataclass
class Updated:
    """One plugin's results on an incremental run: the update's, and the base for the other documents."""

    #: The update's findings (to validate), all on ``affected`` documents.
    findings: list[Finding]
    #: The documents the update answered for (it named them, or they changed); every other
    #: present document keeps the base's findings and measures.
    affected: frozenset[str]
    base: PluginBase
    #: The update's measures of affected documents.
    measures: dict[str, Mapping[str, Any]]
    #: Problems with the update's answer (findings outside the documents it named, ...).
    complaints: list[str]

    def base_rows(self, paths: Iterable[str]) -> list[Any]:
        """The base's findings (flat rows) of those of ``paths`` the update did not answer for."""
        affected, findings = self.affected, self.base.findings
        return [row for path in paths if path not in affected and path in findings
                for row in pickle.loads(findings[path])]

    def base_measures(self, paths: Iterable[str]) -> dict[str, Mapping[str, Any]]:
        """The base's measures of those of ``paths`` the update did not answer for."""
        affected, measures = self.affected, self.base.measures
        return {path: measures[path] for path in paths if path not in affected and path in measures}


def updated_results(corpus: Corpus, rules: ActiveRules, plugin: str, update_impl: pluggy.HookImpl,
                    bases: Bases) -> Updated | HookFailure | None:
    """Call ``plugin``'s update for its change since its base and merge the answer with the base.

    None when the plugin must run in full: no usable base, too much changed, or the plugin
    asked for it. A raising update is returned as the failure, like any hook's.
    """
    change = bases.change(plugin)
    if change is None:
        return None
    answer = call_impl(update_impl, corpus=corpus, change=change, rules=rules)
    if isinstance(answer, HookFailure) or answer is None:
        return answer
    if not isinstance(answer, CorpusUpdate):
        return HookFailure(plugin, TypeError(f"srcaudit_update_corpus returned a {type(answer).__name__}, "
                                             "not a CorpusUpdate"))
    affected = frozenset(answer.affected) | change.changed
    complaints = [f"reported {finding.code} on {finding.path!r} from srcaudit_update_corpus, "
                  "which it did not name as affected: ignored"
                  for finding in answer.findings if finding.path not in affected]
    findings = [finding for finding in answer.findings if finding.path in affected]
    measures = {path: values for path, values in answer.measures.items() if path in affected}
    bases.keep(plugin)
    return Updated(findings, affected, bases.saved(plugin), measures, complaints)


def corpus_plugins(manager: pluggy.PluginManager) -> Iterator[tuple[str, pluggy.HookImpl, pluggy.HookImpl]]:
    """``(plugin, update, state)`` of every plugin that implements both incremental hooks."""
    states = {impl.plugin_name: impl for impl in manager.hook.srcaudit_corpus_state.get_hookimpls()}
    for impl in manager.hook.srcaudit_update_corpus.get_hookimpls():
        if impl.plugin_name in states:
            yield impl.plugin_name, impl, states[impl.plugin_name]
