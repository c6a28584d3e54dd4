"""The engine: map every document (in parallel), then reduce over the corpus.

The map phase (:func:`map_document`) is a pure function of one file and the active
rules: read, decode, classify lines, check, measure, extract facts. That is what makes
it safe to run in a process pool, to cache by content hash, or to run on another engine.
Documents are mapped in batches, plugin by plugin (:func:`_map_many`), for the CPU's
caches; the results are those of one document at a time.
The reduce phase hands all documents' facts to the corpus rules. Everything returned is
sorted, so output bytes do not depend on ``--jobs`` or on scheduling.
"""

from __future__ import annotations

import copyreg
import gc
import hashlib
import json
import multiprocessing
import pickle
import traceback
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np
import pluggy

from .corpus import Corpus, DocumentFacts
from .decoding import NotText, decode_bytes
from .discovery import SourceFile
from .document import Document, normalise_newlines
from .findings import Finding, RelatedLocation, Severity, assign_fingerprints
from .gcpause import BatchCollector
from .location import Region
from .packing import PackedFindings, PackedSummaries
from .incremental import (MAX_CHANGED_SHARE, MIN_CHANGED_LIMIT, Bases, Updated, corpus_plugins,
                          updated_results)
from .plugins import HookFailure, call_each, call_impl, create_plugin_manager, declared_codes
from .replay import DocumentRecord, RunRecord, Snapshot
from .report import DocumentSummary, Problem
from .rules import ActiveRules
from .suppressions import Suppression, parse_suppressions

if TYPE_CHECKING:
    from .cache import DocumentCache, Probe
    from .progress import Progress

# Below this many files a process pool costs more than it saves.
POOL_MIN_FILES = 64
# Documents mapped together, one plugin at a time over all of them (see :func:`_map_many`),
# and the most text one such batch holds (a larger file is mapped in a batch of its own).
BATCH_DOCUMENTS = 64
BATCH_CHARS = 1 << 22
# Fewest documents a worker takes at once: the pool's chunks shrink from BATCH_DOCUMENTS
# to this towards the end of the run, so that the workers finish within a few documents'
# time of each other (a news article takes ~3 ms) while most chunks are whole batches.
MIN_CHUNK = 4
# The per-document hooks, in the order their results are assembled.
_MAP_HOOKS = ("srcaudit_check_document", "srcaudit_measure_document", "srcaudit_extract_facts")


@dataclass(frozen=True)
class RunSettings:
    """What the map phase needs besides the file: plain data, picklable.

    ``cache``, ``progress`` and ``mapper`` are the exceptions: used by :func:`map_all` in
    the main process only, and removed before the settings are sent to worker processes.
    ``mapper`` replaces the built-in process pool (e.g. :mod:`srcaudit.distributed`).
    ``scope`` too.
    """

    rules: ActiveRules
    max_file_size: int = 50 * 1024 * 1024
    plugin_modules: tuple[str, ...] = ()
    cache: DocumentCache | None = field(default=None, compare=False, repr=False)
    progress: Progress | None = field(default=None, compare=False, repr=False)
    mapper: Mapper | None = field(default=None, compare=False, repr=False)
    #: Names the set of files this run audits (e.g. the folders named), so that the corpus
    #: plugins' bases of runs over different sets do not replace each other (:mod:`.incremental`).
    scope: str = field(default="", compare=False, repr=False)


@dataclass
class DocumentOutcome:
    """The map phase's result for one file."""

    source: SourceFile
    summary: DocumentSummary | None = None
    facts: DocumentFacts | None = None
    findings: list[Finding] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: Inline suppression markers, read here from the text already in memory, so that no
    #: file is opened again after the run (at 100k files a second scan cost ~2.6 s).
    suppressions: list[Suppression] = field(default_factory=list)
    #: Notices about markers that name no valid code (kept apart: they are reported with
    #: the other suppression notices, in file order, not sorted among the run's problems).
    suppression_notices: list[Problem] = field(default_factory=list)
    #: The document's cache key, on a run with a cache (the incremental reduce compares them).
    cache_key: str | None = None
    #: The facts are in the cache, not in ``facts``: loaded only if a corpus rule asks.
    facts_stored: bool = False


#: Maps files on another engine: ``mapper(sources, settings, manager)`` returns one
#: :func:`map_document` outcome per source, in the order of ``sources``.
Mapper = Callable[[list[SourceFile], RunSettings, pluggy.PluginManager], list[DocumentOutcome]]


@dataclass
class AuditResult:
    """Findings (fingerprinted, sorted), per-document summaries and problems of one run."""

    findings: list[Finding]
    documents: list[DocumentSummary]
    problems: list[Problem]
    suppressions: list[Suppression] = field(default_factory=list)  # every file's, in input order
    suppression_notices: list[Problem] = field(default_factory=list)
    #: On a run with a cache: what a later run needs to replay this one's documents (:mod:`.replay`).
    record: RunRecord | None = None
    #: Documents (in path order) whose results are the snapshot's, as saved: ``findings``,
    #: ``documents`` and the markers hold only the other documents' (``problems`` hold all).
    replayed: list[str] = field(default_factory=list)


def read_document(source: SourceFile, max_file_size: int) -> Document:
    """Read and decode one file; raises :class:`SkippedFile` with a clear reason."""
    try:
        size = source.path.stat().st_size
    except OSError as exc:
        raise SkippedFile("error", f"cannot read: {exc.strerror or exc}") from None
    if size > max_file_size:
        raise SkippedFile("notice", f"skipped: {size / 1048576:.1f} MB is over the {max_file_size / 1048576:.3g} MB "
                                    "limit (max-file-size-mb in rules.toml)")
    try:
        data = source.path.read_bytes()
    except IsADirectoryError:
        raise SkippedFile("notice", "is a folder, not a file: skipped") from None
    except OSError as exc:
        raise SkippedFile("error", f"cannot read: {exc.strerror or exc}") from None
    if not data or data.isspace():  # isspace, not strip: no copy of a large file
        raise SkippedFile("notice", "empty file (or only white space): nothing to audit")
    try:
        decoded = decode_bytes(data)
    except NotText as exc:
        raise SkippedFile("notice", f"skipped: {exc}") from None
    content_hash = hashlib.sha256(data).hexdigest()
    # Keep one copy of the text, never the bytes beside it: peak memory stays a small
    # multiple of the file's size even when the size limit is raised.
    del data
    encoding, text = decoded.encoding, normalise_newlines(decoded.text)
    del decoded
    return Document.from_text(source.display, text, encoding=encoding, content_hash=content_hash)


class SkippedFile(Exception):
    """A file that could not or should not be audited; ``level`` as for :class:`Problem`."""

    def __init__(self, level: str, message: str) -> None:
        super().__init__(message)
        self.level = level
        self.message = message


def map_document(source: SourceFile, settings: RunSettings, manager: pluggy.PluginManager) -> DocumentOutcome:
    """The whole per-document phase for one file. Never raises for a plugin's or a file's fault."""
    return next(_map_many([source], settings, manager, trial_pickle=True))[0]


def map_documents(sources: Iterable[SourceFile], settings: RunSettings,
                  manager: pluggy.PluginManager) -> Iterator[DocumentOutcome]:
    """:func:`map_document` of each source, in order (in batches: see :func:`_map_many`)."""
    for outcome, _ in _map_many(sources, settings, manager, trial_pickle=True):
        yield outcome


def _map_many(sources: Iterable[SourceFile], settings: RunSettings, manager: pluggy.PluginManager,
              trial_pickle: bool) -> Iterator[tuple[DocumentOutcome, dict[str, list[str]]]]:
    """:func:`map_document` of each source, in order, and which fact namespaces each plugin returned.

    Files are read and their lines classified one by one, then mapped in batches of up to
    :data:`BATCH_DOCUMENTS`: each plugin's hooks run on every document of the batch before
    the next plugin's do. Every hook still sees one document, and each outcome is put
    together in pluggy's order, so the results are those of mapping the files one at a
    time. But a plugin's tables, patterns and caches stay in the CPU's caches across the
    batch instead of being evicted by eight other plugins between two of its documents:
    on the BBC corpus the map phase takes about a fifth less CPU.

    ``trial_pickle=False`` leaves out the check that facts can be pickled: for a caller
    that pickles the outcome anyway and checks then (:func:`_pickled_outcome`).
    """
    batch: list[tuple[DocumentOutcome, Document | None]] = []
    chars = 0
    for source in sources:
        outcome = DocumentOutcome(source)
        document = _read_classified(source, settings, manager, outcome)
        batch.append((outcome, document))
        chars += len(document.text) if document is not None else 0
        if len(batch) >= BATCH_DOCUMENTS or chars >= BATCH_CHARS:
            yield from _map_batch(batch, settings, manager, trial_pickle)
            batch, chars = [], 0
    if batch:
        yield from _map_batch(batch, settings, manager, trial_pickle)


def _read_classified(source: SourceFile, settings: RunSettings, manager: pluggy.PluginManager,
                     outcome: DocumentOutcome) -> Document | None:
    """The file as a document with its line roles, or None (and a problem) when it is skipped."""
    try:
        document = read_document(source, settings.max_file_size)
    except SkippedFile as skipped:
        outcome.problems.append(Problem(skipped.level, skipped.message, source.display))
        return None
    if "srcaudit" in document.text:  # one scan; markers are rare
        outcome.suppressions, outcome.suppression_notices = parse_suppressions(document)
    return _classify_lines(document, settings.rules, manager.hook, outcome)


def _map_batch(batch: list[tuple[DocumentOutcome, Document | None]], settings: RunSettings,
               manager: pluggy.PluginManager,
               trial_pickle: bool) -> Iterator[tuple[DocumentOutcome, dict[str, list[str]]]]:
    """Run the per-document hooks plugin by plugin over ``batch``, then assemble each outcome.

    A plugin's check, measure and facts hooks run back to back on each document, so what
    it shares between them (:func:`srcaudit.memo.once_per_document`) is still computed once.
    """
    rules = settings.rules
    orders = [list(reversed(getattr(manager.hook, name).get_hookimpls())) for name in _MAP_HOOKS]
    plugins = dict.fromkeys(impl.plugin_name for order in orders for impl in order)
    results: list[dict[tuple[int, str], Any]] = [{} for _ in batch]
    for plugin in plugins:
        calls = [(index, impl) for index, order in enumerate(orders) for impl in order if impl.plugin_name == plugin]
        for (_, document), found in zip(batch, results):
            if document is not None:
                for index, impl in calls:
                    found[index, plugin] = call_impl(impl, document=document, rules=rules)
    declared = declared_codes(manager)
    for (outcome, document), found in zip(batch, results):
        if document is None:
            yield outcome, {}
            continue
        checks, measured, extracted = ([(impl.plugin_name, found[index, impl.plugin_name]) for impl in order]
                                       for index, order in enumerate(orders))
        yield outcome, _assemble(outcome, document, rules, declared, checks, measured, extracted, trial_pickle)


def _assemble(outcome: DocumentOutcome, document: Document, rules: ActiveRules, declared: frozenset[str],
              checks: list[tuple[str, Any]], measured: list[tuple[str, Any]], extracted: list[tuple[str, Any]],
              trial_pickle: bool) -> dict[str, list[str]]:
    """Fill ``outcome`` from the hooks' results (each a ``(plugin, result)`` list in pluggy's
    order); return which fact namespaces each plugin returned."""
    source = outcome.source
    for plugin, result in checks:
        if _failed(result, plugin, "checking", source, outcome):
            continue
        for finding in _valid_findings(result, plugin, document, rules, outcome, declared):
            if finding.anchor is None:
                finding = finding.with_anchor(_span_text(document, finding))
            outcome.findings.append(finding)
    measures: dict[str, Any] = {}
    for plugin, result in measured:
        if not _failed(result, plugin, "measuring", source, outcome):
            measures.update(_valid_mapping(result, plugin, "srcaudit_measure_document", source.display, outcome))
    facts: dict[str, Any] = {}
    fact_plugins: dict[str, list[str]] = {}
    for plugin, result in extracted:
        if not _failed(result, plugin, "extracting facts from", source, outcome):
            valid = _valid_mapping(result, plugin, "srcaudit_extract_facts", source.display, outcome, trial_pickle)
            facts.update(valid)
            fact_plugins[plugin] = list(valid)
    outcome.summary = DocumentSummary(source.display, document.encoding, len(document.lines), measures,
                                      document.line_roles)
    outcome.facts = DocumentFacts(source.display, document.content_hash, len(document.lines), facts)
    return fact_plugins


def _classify_lines(document: Document, rules: ActiveRules, hook: Any, outcome: DocumentOutcome) -> Document:
    for plugin, result in call_each(hook.srcaudit_classify_lines, document=document, rules=rules):
        if _failed(result, plugin, "classifying lines of", outcome.source, outcome) or result is None:
            continue
        try:
            return document.with_line_roles(tuple(result))
        except (TypeError, ValueError) as exc:
            outcome.problems.append(Problem("error", f"plugin {plugin!r} returned bad line roles for "
                                                     f"{document.path}: {exc}", document.path, plugin))
    return document


@dataclass
class _CorpusProblems:
    """Collects the reduce phase's problems, as a DocumentOutcome does for one document."""

    problems: list[Problem] = field(default_factory=list)


def _failed(result: Any, plugin: str, doing: str, source: SourceFile | None, outcome: Any) -> bool:
    if not isinstance(result, HookFailure):
        return False
    where = f" {source.display}" if source else " the corpus"
    outcome.problems.append(Problem(
        "error", f"plugin {plugin!r} raised {type(result.error).__name__}: {result.error} while {doing}{where}",
        source.display if source else None, plugin,
        "".join(traceback.format_exception(result.error)),
    ))
    return True


def _valid_mapping(result: Any, plugin: str, hook: str, path: str | None, outcome: Any,
                   trial_pickle: bool = True) -> Mapping[str, Any]:
    """``result`` if it is what a measure or facts hook must return, else ``{}`` and a problem.

    Measures end up in JSON reports and facts cross process boundaries and the cache, so
    a value that cannot be written is this plugin's problem, found here, rather than an
    internal error later that would lose every other plugin's results too.
    """
    if result is None:
        return {}
    problem = _mapping_problem(result, json_values=hook != "srcaudit_extract_facts", trial_pickle=trial_pickle)
    if problem is None:
        return result
    where = f" for {path}" if path else ""
    outcome.problems.append(Problem("error", f"plugin {plugin!r} returned {problem} from {hook}{where}: ignored",
                                    path, plugin))
    return {}


_PLAIN_MEASURES = frozenset({int, float, bool, str, type(None)})


class _Discard:
    """A file that forgets what is written: a trial pickling needs no output."""

    def write(self, data: bytes) -> int:
        return len(data)


def _numeric_array(array: np.ndarray) -> tuple[Any, ...]:
    # a numeric array always pickles: skip copying its data (object arrays are pickled as usual)
    return (tuple, ()) if not array.dtype.hasobject else array.__reduce_ex__(pickle.HIGHEST_PROTOCOL)


_TRIAL_DISPATCH = {**copyreg.dispatch_table, np.ndarray: _numeric_array}


def _trial_pickler() -> pickle.Pickler:
    """A pickler that checks facts can be pickled at a fraction of the cost of ``pickle.dumps``."""
    pickler = pickle.Pickler(_Discard(), protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _TRIAL_DISPATCH
    return pickler


def _mapping_problem(result: Any, json_values: bool, trial_pickle: bool = True) -> str | None:
    if not isinstance(result, Mapping):
        return f"a {type(result).__name__}, not a mapping of names to values,"
    bad_key = next((key for key in result if not isinstance(key, str)), None)
    if bad_key is not None:
        return f"a mapping with a key that is not a string ({bad_key!r})"
    if json_values and all(type(value) in _PLAIN_MEASURES for value in result.values()):
        return None  # the common case, without serialising
    if not json_values and not trial_pickle:
        return None  # the caller pickles the facts anyway, and checks them then
    try:
        if json_values:  # measures are written as JSON (reports)
            json.dumps(result, allow_nan=True)
        else:  # facts are pickled (worker processes, the cache)
            _trial_pickler().dump(result)
    except Exception as exc:  # anything the serialiser raises
        return f"values that cannot be {'written as JSON' if json_values else 'pickled'} ({type(exc).__name__}: {exc})"
    return None


def _valid_findings(result: Iterable[Any] | None, plugin: str, document: Document | None,
                    rules: ActiveRules, outcome: Any, declared: frozenset[str] | None = None) -> Iterable[Finding]:
    """Drop (and report) anything a plugin returned that is not a well-formed finding.

    ``declared``: the rule codes plugins declare; a finding with any other code is reported
    as malformed (not dropped silently: nobody could select, explain or suppress it).
    """
    try:
        items = list(result or ())
    except Exception as exc:  # a generator that raises half-way
        outcome.problems.append(Problem("error", f"plugin {plugin!r} raised {type(exc).__name__}: {exc} "
                                                 f"while producing findings", None, plugin,
                                        "".join(traceback.format_exception(exc))))
        return
    for item in items:
        problem = _malformed(item, document)
        if problem is None and declared is not None and item.code not in declared:
            problem = f"{item.code}: no plugin declares a rule with this code (srcaudit_rules)"
        if problem:
            outcome.problems.append(Problem("error", f"plugin {plugin!r} returned a malformed finding: {problem}",
                                            document.path if document else None, plugin))
        elif rules.enabled(item.code):
            yield item


def _malformed(item: Any, document: Document | None) -> str | None:
    """Why ``item`` cannot be reported as it is, or ``None``: checked field by field because
    a dataclass does not check types, and one bad value must not crash the run later."""
    if not isinstance(item, Finding):
        return f"{type(item).__name__} is not a srcaudit Finding"
    if not isinstance(item.code, str) or not item.code:
        return f"rule code {item.code!r} is not a string"
    if not isinstance(item.message, str) or not item.message.strip():
        return f"{item.code}: empty message"
    if not isinstance(item.path, str):
        return f"{item.code}: path {item.path!r} is not a string"
    if not isinstance(item.region, Region):
        return f"{item.code}: region {item.region!r} is not a srcaudit Region"
    if item.severity is not None and not isinstance(item.severity, Severity):
        return f"{item.code}: severity {item.severity!r} is not a srcaudit Severity"
    if not isinstance(item.related, (tuple, list)) or not all(
            isinstance(r, RelatedLocation) and isinstance(r.region, Region) for r in item.related):
        return f"{item.code}: related locations must be RelatedLocation objects with a Region"
    if item.anchor is not None and not isinstance(item.anchor, str):
        return f"{item.code}: anchor {item.anchor!r} is not a string"
    if document is not None:
        if item.path != document.path:
            return f"{item.code}: path {item.path!r} is not the document being checked"
        if item.region.end_line > max(1, len(document.lines)):
            return f"{item.code}: line {item.region.end_line} is past the end ({len(document.lines)} lines)"
    return None


def _span_text(document: Document, finding: Finding) -> str:
    region = finding.region
    start = document.line_offset(region.line) + region.column - 1
    end = document.line_offset(region.end_line) + region.end_column - 1
    return document.text[start:end]


# -- the process pool ---------------------------------------------------------------------

_worker_manager: pluggy.PluginManager | None = None
_worker_settings: RunSettings | None = None
_worker_collector = BatchCollector()


def _init_worker(plugin_modules: tuple[str, ...], settings: RunSettings) -> None:
    global _worker_manager, _worker_settings
    _worker_settings = settings  # sent once per worker, not once per document
    if _worker_manager is None:  # a forked worker inherits the parent's manager
        _worker_manager, _ = create_plugin_manager(plugin_modules)
    _worker_collector.start()


def _map_chunk_in_worker(sources: list[SourceFile]) -> list[tuple[bytes, bytes | None]]:
    """Map a chunk of files in a worker: each outcome pickled on its own (see :func:`_pickled_outcome`)."""
    assert _worker_manager is not None and _worker_settings is not None
    pickled = []
    for outcome, fact_plugins in _map_many(sources, _worker_settings, _worker_manager, trial_pickle=False):
        pickled.append(_pickled_outcome(outcome, fact_plugins))
        _worker_collector.document_done()
    return pickled


def _chunks(sources: list[SourceFile], jobs: int) -> list[list[SourceFile]]:
    """The pool's chunks: whole batches while many files remain, then smaller and smaller
    (down to :data:`MIN_CHUNK`), so that no worker is left with a long chunk at the end."""
    chunks = []
    start = 0
    while start < len(sources):
        size = max(MIN_CHUNK, min(BATCH_DOCUMENTS, (len(sources) - start) // (jobs * 4)))
        chunks.append(sources[start:start + size])
        start += size
    return chunks


# Protocol 4, as the pool itself pickled results: with 5, numpy arrays come back as views of
# separate buffers and the main process peaked ~7 MB higher on the BBC corpus.
_OUTCOME_PROTOCOL = 4


def _pickled_outcome(outcome: DocumentOutcome, fact_plugins: Mapping[str, list[str]]) -> tuple[bytes, bytes | None]:
    """The outcome pickled for its trip to the main process, unpicklable facts left out.

    In two parts, the outcome without its facts and the facts (:func:`split_pickle`):
    the cache stores them apart, so that a warm run loads facts only where they are needed.

    Pickling the outcome is the check that its facts can be pickled: only when it fails
    is each plugin's part tried alone, and a plugin whose facts cannot be pickled loses
    them with a problem naming it (as :func:`map_document` reports it), instead of the
    whole chunk of documents being lost. A trial pickling of every document's facts
    before the real one cost ~0.1 s CPU on the BBC corpus.
    """
    try:
        return split_pickle(outcome, _OUTCOME_PROTOCOL)
    except Exception:  # anything pickling raises
        if outcome.facts is None:
            raise
    facts = dict(outcome.facts.facts)
    for plugin, names in fact_plugins.items():
        returned = {name: facts[name] for name in names if name in facts}
        if not _valid_mapping(returned, plugin, "srcaudit_extract_facts", outcome.source.display, outcome):
            for name in returned:
                del facts[name]
    outcome.facts = replace(outcome.facts, facts=facts)
    return split_pickle(outcome, _OUTCOME_PROTOCOL)


def split_pickle(outcome: DocumentOutcome, protocol: int) -> tuple[bytes, bytes | None]:
    """``outcome`` pickled as two parts, without its facts and its facts alone (None: it has none).

    Its source is left out as well: whoever unpickles it knows which file it is for, and a
    pickled ``Path`` is parsed again on loading (~0.4 s of a warm run at 100k documents).
    """
    facts, source = outcome.facts, outcome.source
    outcome.facts = outcome.source = None  # type: ignore[assignment]
    try:
        return pickle.dumps(outcome, protocol), None if facts is None else pickle.dumps(facts, protocol)
    finally:
        outcome.facts, outcome.source = facts, source


def _unpickled_outcome(pickled: tuple[bytes, bytes | None], source: SourceFile) -> DocumentOutcome:
    outcome: DocumentOutcome = pickle.loads(pickled[0])
    outcome.source = source
    if pickled[1] is not None:
        outcome.facts = pickle.loads(pickled[1])
    return outcome


def map_all(sources: list[SourceFile], settings: RunSettings, manager: pluggy.PluginManager,
            jobs: int, pool_min_files: int | None = None, *, compact: bool = False,
            problems: list[Problem] | None = None, compactor: FactCompactor | None = None,
            with_facts: bool = True, probes: list[Probe] | None = None) -> list[DocumentOutcome]:
    """Map every source, reusing cached outcomes; results in the order of ``sources``.

    With ``settings.cache``, each file's bytes are hashed first (no decoding) and only
    files whose key is not cached are mapped; their outcomes are stored afterwards.
    ``settings.progress`` is advanced per file, then moved to the corpus phase.
    ``compact`` stores each outcome's facts compactly as it arrives (:class:`FactCompactor`;
    or ``compactor``, to go on with it after the map): for the reduce phase, not for
    printing facts. ``with_facts=False`` leaves the facts of outcomes served from the
    cache there (``facts_stored``), for :class:`_StoredFacts` to load on demand. ``problems``
    receives the run's own problems (a plugin whose ``srcaudit_prepare`` raised), which
    belong to no document. ``probes``: the sources' cache keys, when the caller has them.
    """
    cache, progress, mapper = settings.cache, settings.progress, settings.mapper
    settings = replace(settings, cache=None, progress=None, mapper=None)
    if progress is not None:
        progress.start(len(sources), "reading")
    if compactor is None and compact:
        compactor = FactCompactor()
    problems = [] if problems is None else problems
    if cache is None:
        outcomes = _map_sources(sources, settings, manager, jobs, pool_min_files, progress, mapper, compactor,
                                problems)
    else:
        outcomes = _map_with_cache(sources, settings, manager, jobs, pool_min_files, progress, cache, mapper,
                                   compactor, problems, probes)
        if with_facts:
            _load_stored_facts(outcomes, settings, manager, cache, compactor)
    if progress is not None:
        progress.set_phase("checking corpus")
    return outcomes


def _map_with_cache(sources: list[SourceFile], settings: RunSettings, manager: pluggy.PluginManager, jobs: int,
                    pool_min_files: int | None, progress: Progress | None,
                    cache: DocumentCache, mapper: Mapper | None,
                    compactor: FactCompactor | None = None, problems: list[Problem] | None = None,
                    probes: list[Probe] | None = None) -> list[DocumentOutcome]:
    """Cached outcomes where the cache has them; the others mapped, and stored as they arrive.

    Storing while the workers map keeps the writing off the end of the run, and an outcome
    that arrives from a worker is stored as the bytes the worker pickled (pickling it again
    in this process cost ~0.2 s on the BBC corpus, ~1 s at 10,000 documents).
    """
    if probes is None:
        probes = _probe(sources, settings, manager, cache)
    key_of_run = cache.key_of_run
    cached = cache.lookup(probes, compactor)
    if progress is not None and cached:
        progress.advance(len(cached))
    missing = [p for p in probes if p.key not in cached]
    computed: list[DocumentOutcome] = []

    def arriving() -> Iterator[tuple[str, DocumentOutcome, tuple[bytes, bytes | None] | None]]:
        mapped = _mapped([p.source for p in missing], settings, manager, jobs, pool_min_files, progress,
                         mapper, compactor, problems)
        for missed, (outcome, pickled) in zip(missing, mapped, strict=True):
            outcome.cache_key = missed.key
            computed.append(outcome)
            if missed.key is not None:
                yield missed.key, outcome, pickled

    rows = arriving()
    cache.store(rows, key_of_run or "")
    for _ in rows:  # what the cache did not take (no database, a failed write) is mapped all the same
        pass
    fresh = iter(computed)
    return [cached[p.key] if p.key in cached else next(fresh) for p in probes]


def _probe(sources: list[SourceFile], settings: RunSettings, manager: pluggy.PluginManager,
           cache: DocumentCache) -> list[Probe]:
    """Each source's cache key (:meth:`DocumentCache.probe`), under this run's run key."""
    from .cache import run_key

    return cache.probe(sources, run_key(settings.rules.options, settings.max_file_size, manager),
                       settings.max_file_size)


def _load_stored_facts(outcomes: list[DocumentOutcome], settings: RunSettings, manager: pluggy.PluginManager,
                       cache: DocumentCache, compactor: FactCompactor | None) -> None:
    """Give every outcome served from the cache its facts back."""
    stored = _StoredFacts(replace(settings, cache=cache), manager, compactor or FactCompactor(compact=False))
    waiting = [outcome for outcome in outcomes if outcome.facts_stored and outcome.facts is None]
    for outcome in waiting:
        stored.add(outcome)
    for outcome, facts in zip(waiting, stored.corpus().documents, strict=True):
        outcome.facts = facts
        outcome.facts_stored = False


def _map_sources(sources: list[SourceFile], settings: RunSettings, manager: pluggy.PluginManager,
                 jobs: int, pool_min_files: int | None, progress: Progress | None,
                 mapper: Mapper | None = None, compactor: FactCompactor | None = None,
                 problems: list[Problem] | None = None) -> list[DocumentOutcome]:
    """Map ``sources`` (:func:`_mapped`); outcomes in the order of ``sources``."""
    return [outcome for outcome, _ in _mapped(sources, settings, manager, jobs, pool_min_files, progress,
                                              mapper, compactor, problems)]


def _mapped(sources: list[SourceFile], settings: RunSettings, manager: pluggy.PluginManager,
            jobs: int, pool_min_files: int | None, progress: Progress | None,
            mapper: Mapper | None = None, compactor: FactCompactor | None = None,
            problems: list[Problem] | None = None) -> Iterator[tuple[DocumentOutcome,
                                                                      tuple[bytes, bytes | None] | None]]:
    """Map ``sources``, in a process pool when it pays; each outcome as it arrives, in the
    order of ``sources``, with the bytes a worker pickled it to (None when mapped here).

    Workers are forked where the platform allows it, so they inherit the loaded plugins
    and imported libraries instead of importing them again. Each worker takes chunks of
    documents (:func:`_chunks`: whole batches, smaller ones at the end, so a slow chunk
    cannot leave a core idle for long) and returns outcomes in input order: output does
    not depend on ``jobs``.
    ``pool_min_files`` (default :data:`POOL_MIN_FILES`) is the smallest run worth a pool.
    A ``mapper`` the user chose runs instead of the pool, however few the files.
    Plugins prepare (``srcaudit_prepare``) just before the pool forks; their failures go
    to ``problems``.
    """
    if mapper is not None and sources:
        for outcome in mapper(sources, settings, manager):
            yield _arrived(outcome, progress, compactor), None
        return
    minimum = POOL_MIN_FILES if pool_min_files is None else pool_min_files
    if jobs <= 1 or len(sources) < max(2, minimum):
        for outcome in map_documents(sources, settings, manager):
            yield _arrived(outcome, progress, compactor), None
        return
    global _worker_manager
    _worker_manager = manager
    _prepare(manager, settings.rules, [] if problems is None else problems)
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    jobs = min(jobs, len(sources))
    # Objects allocated so far (plugins, libraries) are never collected: a collection in a
    # forked worker would otherwise write to every page it inherited and copy them all.
    gc.freeze()
    try:
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_init_worker,
                                 initargs=(settings.plugin_modules, settings)) as pool:
            chunks = _chunks(sources, jobs)
            for chunk_sources, chunk in zip(chunks, pool.map(_map_chunk_in_worker, chunks), strict=True):
                for source, pickled in zip(chunk_sources, chunk, strict=True):
                    yield _arrived(_unpickled_outcome(pickled, source), progress, compactor), pickled
    finally:
        gc.unfreeze()
        _worker_manager = None


def _prepare(manager: pluggy.PluginManager, rules: ActiveRules, problems: list[Problem]) -> None:
    """Call every ``srcaudit_prepare`` once, in this process, so forked workers inherit what it loaded."""
    failures = _CorpusProblems()
    for plugin, result in call_each(manager.hook.srcaudit_prepare, rules=rules):
        _failed(result, plugin, "preparing", None, failures)
    problems.extend(failures.problems)


def _arrived(outcome: DocumentOutcome, progress: Progress | None,
             compactor: FactCompactor | None) -> DocumentOutcome:
    if progress is not None:
        progress.advance()
    if compactor is not None:
        compactor(outcome)
    return outcome


class FactCompactor:
    """Keeps the facts of a large corpus small while they wait for the reduce phase.

    Facts arrive from worker processes (or the cache) as fresh objects: every document's
    copy of "said", of a person's name or of a unit is a string of its own, and a list of
    128 hash values is 128 boxed integers. The compactor, applied to each outcome as it
    arrives, makes equal strings one object (the same value, so no rule can tell) and
    stores lists of at least :attr:`MIN_ARRAY` integers as numpy ``int64`` arrays (facts
    may be numpy arrays, see :mod:`srcaudit.corpus`). On 10,000 documents of news text
    this takes the consistency facts from about 205 to 130 MB.
    """

    MIN_ARRAY = 32

    def __init__(self, compact: bool = True) -> None:
        self._strings: dict[str, str] = {}
        self._compact = compact  # False: facts as they were stored (for printing them)

    def __call__(self, outcome: DocumentOutcome) -> None:
        if outcome.facts is not None:
            outcome.facts = self.compact(outcome.facts)

    def compact(self, facts: DocumentFacts) -> DocumentFacts:
        """``facts`` with their values compacted."""
        return replace(facts, facts=self.value(dict(facts.facts))) if self._compact else facts

    def value(self, value: Any) -> Any:
        """``value`` with its strings shared and its long integer lists as arrays."""
        kind = type(value)
        if kind is str:
            return self._strings.setdefault(value, value)
        if kind is dict:
            return {self.value(k): self.value(v) for k, v in value.items()}
        if kind is list:
            if len(value) >= self.MIN_ARRAY and all(type(v) is int for v in value):
                try:
                    return np.array(value, dtype=np.int64)
                except OverflowError:
                    pass
            return [self.value(v) for v in value]
        if kind is tuple:
            return tuple(self.value(v) for v in value)
        return value


# -- the whole run ----------------------------------------------------------------------------


def audit(sources: list[SourceFile], settings: RunSettings, manager: pluggy.PluginManager, *,
          jobs: int = 1, severities: Mapping[str, Severity] | None = None,
          default_severities: Mapping[str, Severity] | None = None,
          snapshot: Snapshot | None = None) -> AuditResult:
    """Map every document, reduce over the corpus, and return sorted, fingerprinted results.

    With a cache and the ``snapshot`` of an earlier run's results, documents that did not
    change and that no corpus plugin's update touched are not computed again: the result
    names them (``replayed``) for the caller to take from the snapshot (:mod:`.replay`).
    When that cannot be done exactly, the run is a normal one.

    Memory: the reduce phase is where a large run peaks (every document's facts, the corpus
    rules' indexes, and their findings at once). So the map phase's results are taken
    apart as soon as it ends, findings and summaries wait compressed (:mod:`.packing`)
    until the corpus hooks are done, and the facts are released before the findings are
    unpacked and fingerprinted.
    """
    severities = severities or {}
    default_severities = default_severities or {}

    def severity_of(finding: Finding) -> Severity:
        return severities.get(finding.code) or finding.severity or default_severities.get(finding.code,
                                                                                          Severity.WARNING)

    cache = settings.cache
    probes = _probe(sources, settings, manager, cache) if cache is not None else None
    if snapshot is not None and probes is not None:
        replayed = _replayed_audit(probes, settings, manager, jobs, snapshot, severity_of)
        if replayed is not None:
            return replayed
    found = PackedFindings()
    problems: list[Problem] = []  # the run's own (srcaudit_prepare), then each document's
    summaries = _Summaries()
    markers = _Markers()
    record = RunRecord() if cache is not None else None
    # Only what is taken out of the outcomes stays: sources, outcome objects and the
    # findings as objects are released with the list.
    compactor = FactCompactor()
    outcomes = map_all(sources, settings, manager, jobs, compactor=compactor, problems=problems, with_facts=False,
                       probes=probes)
    stored = _StoredFacts(settings, manager, compactor)
    corpus = _take_apart(outcomes, found, problems, summaries, markers, stored, record)
    assert corpus is not None
    del outcomes
    bases = None
    if cache is not None and cache.key_of_run is not None and stored.members is not None:
        bases = Bases(cache, _bases_key(cache.key_of_run, settings.scope), stored.members)
        corpus.keeps_state = True
    reduce_outcome = _reduce(corpus, settings.rules, manager, summaries, found, bases, record)
    del corpus, stored  # the facts: the largest part of a run's memory
    if bases is not None:
        bases.save()
        del bases
    problems.extend(reduce_outcome.problems)
    return _result(found, summaries, problems, markers, severity_of, record)


def _result(found: PackedFindings, summaries: _Summaries, problems: list[Problem], markers: _Markers,
            severity_of: Callable[[Finding], Severity], record: RunRecord | None,
            replayed: list[str] | None = None) -> AuditResult:
    """The run's results, sorted, the findings fingerprinted with their final severity."""
    return AuditResult(
        findings=assign_fingerprints(found.drain(), severity_of),
        documents=sorted(summaries.unpack(), key=lambda s: s.path),
        problems=sorted(problems, key=lambda p: (p.path or "", p.message)),
        suppressions=markers.suppressions,
        suppression_notices=markers.notices,
        record=record,
        replayed=replayed or [],
    )


def _replayed_audit(probes: list[Probe], settings: RunSettings, manager: pluggy.PluginManager, jobs: int,
                    snapshot: Snapshot, severity_of: Callable[[Finding], Severity]) -> AuditResult | None:
    """The run, computing only what changed since ``snapshot``; None when that is not exact.

    The documents computed (*dirty*) are those whose cache key changed, and those a corpus
    plugin's update answered for, in this run or in the one that saved ``snapshot`` (both
    against the same base). Everything else about them is as in :func:`audit`, on fewer
    documents. It gives up (None) when much changed (as the incremental reduce does), when
    a corpus plugin cannot update, or when the snapshot's results rest on another base.
    """
    cache = settings.cache
    assert cache is not None and cache.key_of_run is not None
    records = snapshot.records
    present = {probe.source.display for probe in probes}
    changed = _changed_since(probes, present, records)
    incremental = {name: update for name, update, _ in corpus_plugins(manager)}
    hooked = {impl.plugin_name for hook in (manager.hook.srcaudit_check_corpus, manager.hook.srcaudit_measure_corpus)
              for impl in hook.get_hookimpls()}
    if changed is None or not hooked <= incremental.keys():
        return None
    progress = settings.progress
    if progress is not None:
        progress.start(len(probes), "reading")
        progress.advance(len(probes) - len(changed))
    problems: list[Problem] = []
    compactor = FactCompactor()
    outcomes = map_all([probe.source for probe in changed], replace(settings, progress=None), manager, jobs,
                       compactor=compactor, problems=problems, with_facts=False, probes=changed)
    if progress is not None:
        progress.advance(len(changed))
        progress.set_phase("checking corpus")
    fresh = {outcome.source.display: outcome for outcome in outcomes}
    stored = _StoredFacts(settings, manager, compactor)
    for probe in probes:
        outcome = fresh.get(probe.source.display)
        if outcome is not None:
            stored.add(outcome)
        elif records[probe.source.display].in_corpus:
            stored.add_stored(probe.source.display, probe.key, probe.source)  # type: ignore[arg-type]
    if stored.members is None:
        return None
    corpus = stored.corpus()
    corpus.keeps_state = True
    bases = Bases(cache, _bases_key(cache.key_of_run, settings.scope), stored.members)
    updates = _updates(corpus, settings.rules, incremental, bases, snapshot)
    if updates is None:
        cache.stats.updated.clear()
        return None
    dirty = set(fresh).union(*(result.affected | snapshot.plugins[plugin][1] for plugin, result in updates.items()))
    dirty &= present
    outcomes += _outcomes_again([probe for probe in probes if probe.source.display in dirty - fresh.keys()],
                                settings, manager, cache)
    outcomes.sort(key=lambda outcome: outcome.source.display)
    found, summaries, markers, record = PackedFindings(), _Summaries(), _Markers(), RunRecord()
    _take_apart(outcomes, found, problems, summaries, markers, None, record)
    reduce_outcome = _CorpusProblems()
    declared = declared_codes(manager)
    for plugin, result in updates.items():
        _add_updated(plugin, result, sorted(dirty), corpus, settings.rules, declared, found, summaries,
                     reduce_outcome)
        # as a full run reports them: a replayed document's base measures that are not a mapping
        reduce_outcome.problems += [_bad_measures(plugin, values, path) for path, values in result.base.measures.items()
                                    if not isinstance(values, Mapping) and path not in dirty and path in present
                                    and records[path].summary is not None]
        record.plugins[plugin] = (result.base.token, result.affected)
    bases.save()
    del corpus, stored, bases
    replayed = [path for path in sorted(present) if path not in dirty]
    problems += reduce_outcome.problems
    problems += [problem for path in replayed if records[path].problems is not None
                 for problem in records[path].problem_lists()[0]]
    cache.stats.hits += len(replayed)
    cache.stats.replayed = len(replayed)
    return _result(found, summaries, problems, markers, severity_of, record, replayed)


def _changed_since(probes: list[Probe], present: set[str],
                   records: Mapping[str, DocumentRecord]) -> list[Probe] | None:
    """The sources whose key is not their record's; None when more changed than an update covers."""
    changed = [probe for probe in probes
               if probe.key is None or getattr(records.get(probe.source.display), "key", None) != probe.key]
    removed = sum(1 for path in records if path not in present)
    if len(changed) + removed > max(MIN_CHANGED_LIMIT, MAX_CHANGED_SHARE * len(probes)):
        return None
    return changed


def _updates(corpus: Corpus, rules: ActiveRules, incremental: Mapping[str, pluggy.HookImpl], bases: Bases,
             snapshot: Snapshot) -> dict[str, Updated] | None:
    """Every corpus plugin's update against the base the snapshot rests on; None if one cannot."""
    if any(not bases.has(plugin) or bases.saved(plugin).token != snapshot.plugins.get(plugin, ("",))[0]
           for plugin in incremental):
        return None
    updates: dict[str, Updated] = {}
    for plugin, update_impl in incremental.items():
        result = updated_results(corpus, rules, plugin, update_impl, bases)
        if not isinstance(result, Updated):  # declined, or failed: a normal run reports the failure
            return None
        updates[plugin] = result
    return updates


def _add_updated(plugin: str, result: Updated, paths: list[str], corpus: Corpus, rules: ActiveRules,
                 declared: frozenset[str], found: PackedFindings, summaries: _Summaries,
                 reduce_outcome: _CorpusProblems) -> None:
    """One updated plugin's findings and measures on ``paths``: the update's, else the base's."""
    reduce_outcome.problems += [Problem("error", f"plugin {plugin!r} {complaint}", None, plugin)
                                for complaint in result.complaints]
    _add_corpus_findings(result.findings, plugin, None, corpus, rules, declared, reduce_outcome, found)
    found.extend_flat(result.base_rows(paths))
    _merge_corpus_measures(summaries, {**result.base_measures(paths), **result.measures}, plugin, reduce_outcome)


def _bases_key(key_of_run: str, scope: str) -> str:
    """The corpus plugins' bases of this run key over this set of files."""
    return key_of_run if not scope else hashlib.blake2b(f"{key_of_run}\0{scope}".encode(), digest_size=20).hexdigest()


def _outcomes_again(probes: list[Probe], settings: RunSettings, manager: pluggy.PluginManager,
                    cache: DocumentCache) -> list[DocumentOutcome]:
    """The outcomes of unchanged documents, from the cache (mapped again if their row is gone)."""
    hits, misses = cache.stats.hits, cache.stats.misses
    cached = cache.lookup(probes)
    cache.stats.hits, cache.stats.misses = hits + len(cached), misses
    outcomes = [cached[probe.key] for probe in probes if probe.key in cached]
    settings = replace(settings, cache=None, progress=None, mapper=None)
    for probe in probes:
        if probe.key not in cached:
            outcome = map_document(probe.source, settings, manager)
            outcome.cache_key = probe.key
            outcomes.append(outcome)
    return outcomes


@dataclass
class _Markers:
    suppressions: list[Suppression] = field(default_factory=list)
    notices: list[Problem] = field(default_factory=list)


class _Summaries:
    """The documents' summaries during the reduce phase: packed, with the corpus measures kept apart.

    Corpus measures are merged when the summaries are unpacked, after the facts are gone.
    """

    def __init__(self) -> None:
        self.packed = PackedSummaries()
        self.paths: set[str] = set()
        self.corpus_measures: dict[str, dict[str, Any]] = {}

    def add(self, summary: DocumentSummary) -> None:
        self.packed.append(summary)
        self.paths.add(summary.path)

    def unpack(self) -> list[DocumentSummary]:
        """One summary per path (the last one added, as a dict would keep), with its corpus measures."""
        latest = {summary.path: summary for summary in self.packed.drain()}
        for path, measures in self.corpus_measures.items():
            latest[path] = replace(latest[path], measures={**latest[path].measures, **measures})
        return list(latest.values())


def _take_apart(outcomes: list[DocumentOutcome], found: PackedFindings, problems: list[Problem],
                summaries: _Summaries, markers: _Markers, stored: _StoredFacts | None,
                record: RunRecord | None = None) -> Corpus | None:
    """Move the map phase's findings, problems, summaries and suppression markers out of
    ``outcomes``; the corpus of their facts (those still in the cache loaded through ``stored``),
    if ``stored`` is given. ``record`` notes each document's key and problems, for a later
    run to replay it."""
    for outcome in outcomes:
        found.extend(outcome.findings)
        problems.extend(outcome.problems)
        markers.suppressions += outcome.suppressions
        markers.notices += outcome.suppression_notices
        if outcome.summary is not None:
            summaries.add(outcome.summary)
        if record is not None:
            path = outcome.source.display
            failed = any(problem.level == "error" for problem in outcome.problems)
            record.keys[path] = None if failed else outcome.cache_key
            if outcome.problems:
                record.problems[path] = outcome.problems
            if outcome.facts is not None or outcome.facts_stored:
                record.in_corpus.add(path)
        if stored is not None:
            stored.add(outcome)
    return stored.corpus() if stored is not None else None


class _StoredFacts:
    """The corpus's facts, where they are: in memory (mapped this run) or in the cache.

    Facts in the cache are loaded only when a corpus plugin reads them (all of them for a
    full reduce, a few for an incremental one). One that cannot be loaded (the row went
    away, or is damaged) is mapped again from its file: the map phase is a pure function
    of the file, so this costs time, never a wrong result.
    """

    def __init__(self, settings: RunSettings, manager: pluggy.PluginManager, compactor: FactCompactor) -> None:
        self._settings = replace(settings, cache=None, progress=None, mapper=None)
        self._cache = settings.cache
        self._manager = manager
        self._compactor = compactor
        self._in_memory: dict[str, DocumentFacts] = {}
        self._in_cache: dict[str, tuple[str, SourceFile]] = {}  # path -> (cache key, source)
        self._paths: list[str] = []
        #: Cache key of every document with facts, by path; None when one has no key.
        self.members: dict[str, str] | None = {}

    def add(self, outcome: DocumentOutcome) -> None:
        if outcome.facts is not None:
            path = outcome.facts.path
            self._in_memory[path] = outcome.facts
        elif outcome.facts_stored and outcome.cache_key is not None:
            path = outcome.source.display
            self._in_cache[path] = (outcome.cache_key, outcome.source)
        else:
            return
        self._paths.append(path)
        if self.members is not None:
            if outcome.cache_key is None:
                self.members = None
            else:
                self.members[path] = outcome.cache_key

    def add_stored(self, path: str, key: str, source: SourceFile) -> None:
        """A document whose facts are in the cache under ``key`` (no outcome at hand)."""
        self._in_cache[path] = (key, source)
        self._paths.append(path)
        if self.members is not None:
            self.members[path] = key

    def corpus(self) -> Corpus:
        if not self._in_cache:
            return Corpus(self._in_memory[path] for path in self._paths)
        return Corpus(paths=self._paths, load=self._load)

    def _load(self, paths: Sequence[str]) -> list[DocumentFacts]:
        wanted = [(self._in_cache[path][0], path) for path in paths if path in self._in_cache]
        loaded = self._cache.load_facts(wanted) if self._cache is not None else {}
        documents = []
        for path in paths:
            facts = self._in_memory.get(path)
            if facts is None:
                key, source = self._in_cache[path]
                facts = loaded.get(key)
                facts = self._compactor.compact(facts) if facts is not None else self._map_again(source)
            documents.append(facts)
        return documents

    def _map_again(self, source: SourceFile) -> DocumentFacts:
        outcome = map_document(source, self._settings, self._manager)
        if outcome.facts is None:  # the file changed or went away since it was hashed
            return DocumentFacts(source.display, "", 0, {})
        return self._compactor.compact(outcome.facts)


def _reduce(corpus: Corpus, rules: ActiveRules, manager: pluggy.PluginManager,
            summaries: _Summaries, found: PackedFindings, bases: Bases | None = None,
            record: RunRecord | None = None) -> _CorpusProblems:
    """The reduce phase: corpus findings go to ``found``, corpus measures into ``summaries``.

    With ``bases`` (a run with a cache), plugins that can update their results since their
    base do so (:mod:`.incremental`); the others run in full, and leave a new base.
    ``record`` notes which base each plugin's results rest on, for a later run to replay them.
    """
    reduce_outcome = _CorpusProblems()
    declared = declared_codes(manager)
    incremental = {name: (update, state) for name, update, state in corpus_plugins(manager)} if bases else {}
    updated: set[str] = set()
    for plugin, (update_impl, _) in incremental.items():
        assert bases is not None
        result = updated_results(corpus, rules, plugin, update_impl, bases)
        if result is None or _failed(result, plugin, "updating", None, reduce_outcome):
            continue  # a failed update is reported, and the plugin runs in full below
        assert isinstance(result, Updated)
        reduce_outcome.problems += [Problem("error", f"plugin {plugin!r} {complaint}", None, plugin)
                                    for complaint in result.complaints]
        _add_corpus_findings(result.findings, plugin, None, corpus, rules, declared, reduce_outcome, found)
        found.extend_flat(result.base_rows(corpus.paths))  # validated when the base was made
        _merge_corpus_measures(summaries, {**result.base_measures(corpus.paths), **result.measures}, plugin,
                               reduce_outcome)
        updated.add(plugin)
        if record is not None:
            record.plugins[plugin] = (result.base.token, result.affected)
    recorded = {plugin: PackedFindings(keep=0) for plugin in incremental if plugin not in updated}
    measured: dict[str, Mapping[str, Any]] = {}
    for impl in reversed(manager.hook.srcaudit_check_corpus.get_hookimpls()):
        plugin = impl.plugin_name
        if plugin in updated:
            continue
        result = call_impl(impl, corpus=corpus, rules=rules)
        if not _failed(result, plugin, "checking", None, reduce_outcome):
            _add_corpus_findings(result, plugin, recorded.get(plugin), corpus, rules, declared, reduce_outcome,
                                 found)
        del result  # a plugin's list of findings (now packed) must not stay alive while the next one runs
    for impl in reversed(manager.hook.srcaudit_measure_corpus.get_hookimpls()):
        plugin = impl.plugin_name
        if plugin in updated:
            continue
        result = call_impl(impl, corpus=corpus, rules=rules)
        if not _failed(result, plugin, "measuring", None, reduce_outcome):
            measures = _valid_mapping(result, plugin, "srcaudit_measure_corpus", None, reduce_outcome)
            _merge_corpus_measures(summaries, measures, plugin, reduce_outcome)
            measured[plugin] = measures
    if bases is not None:
        for plugin, findings in recorded.items():
            state = call_impl(incremental[plugin][1], corpus=corpus, rules=rules)
            if not _failed(state, plugin, "saving its state for", None, reduce_outcome) and state is not None:
                token = bases.record(plugin, state, findings, measured.get(plugin, {}))
                if record is not None:
                    record.plugins[plugin] = (token, frozenset())
    return reduce_outcome


def _add_corpus_findings(result: Any, plugin: str, recorded: PackedFindings | None, corpus: Corpus,
                         rules: ActiveRules, declared: frozenset[str] | None, outcome: _CorpusProblems,
                         found: PackedFindings) -> None:
    """Validate one plugin's corpus findings into ``found`` (and ``recorded``, for its base)."""
    known_paths = corpus.positions
    for finding in _valid_findings(result, plugin, None, rules, outcome, declared):
        if finding.path in known_paths:
            found.append(finding)
            if recorded is not None:
                recorded.append(finding)
        else:
            outcome.problems.append(Problem(
                "error", f"plugin {plugin!r} reported {finding.code} on {finding.path!r}, "
                         "which is not in the corpus", None, plugin))


def _merge_corpus_measures(summaries: _Summaries, result: Mapping[str, Any], plugin: str,
                           outcome: _CorpusProblems) -> None:
    """Add one plugin's corpus measures (path -> measures) to the documents' summaries."""
    for path, measures in result.items():
        if path not in summaries.paths:
            continue
        if not isinstance(measures, Mapping):
            outcome.problems.append(_bad_measures(plugin, measures, path))
            continue
        summaries.corpus_measures[path] = {**summaries.corpus_measures.get(path, {}), **measures}


def _bad_measures(plugin: str, measures: Any, path: str) -> Problem:
    return Problem("error", f"plugin {plugin!r} returned a {type(measures).__name__}, not a mapping of names to "
                            f"values, for {path} from srcaudit_measure_corpus: ignored", path, plugin)
