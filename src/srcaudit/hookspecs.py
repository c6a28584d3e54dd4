"""The srcaudit plugin API: every hook a plugin may implement.

This module is the public contract between the host and its plugins. Built-in rules
(``plugins/`` in the source tree, installed as ``srcaudit_plugins``) use exactly these
hooks and are found exactly like third-party plugins: through the ``srcaudit.plugins``
entry-point group. A plugin is a module (or object) with functions named after the hooks
below, marked with :data:`srcaudit.hookimpl`; it may implement any subset, and each
function may accept any subset of the hook's arguments.

A run has three phases, and hooks are grouped by them:

1. **Declaration** -- once per run: which rules and output formats exist; optionally
   ``srcaudit_prepare``, loading shared data before worker processes are forked.
2. **Map** -- once per document, possibly in a worker process and possibly served from
   a cache: line classification, per-document checks, measures and fact extraction.
   Implementations must be pure functions of the document and the options: no global
   state, no reading other files, no network.
3. **Reduce** -- once per run, in the main process: corpus rules receive every
   document's *facts* (not its text) and report cross-document findings.

A hook implementation that raises does not stop the run: the error is reported naming
the plugin (and the document, in the map phase), the other plugins' findings are still
printed, and the exit status becomes 2.

Example plugin (``pyproject.toml``: ``[project.entry-points."srcaudit.plugins"]
shouting = "srcaudit_shouting"``)::

    import srcaudit
    from srcaudit.api import Finding, Rule, Severity

    @srcaudit.hookimpl
    def srcaudit_rules():
        return [Rule(code="XYZ001", name="shouting", summary="A line in capitals.",
                     severity=Severity.INFO, documentation="...")]

    @srcaudit.hookimpl
    def srcaudit_check_document(document, rules):
        if not rules.enabled("XYZ001"):
            return []
        return [Finding("XYZ001", "line is in capitals", document.path,
                        document.line_region(n))
                for n, line in enumerate(document.lines, 1)
                if len(line) > 20 and line.isupper()]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from .corpus import Corpus, CorpusChange, CorpusUpdate
    from .document import Document
    from .findings import Finding
    from .report import Reporter
    from .rules import ActiveRules, Rule

hookspec = pluggy.HookspecMarker("srcaudit")


# -------------------------------------------------------------------------
# Declaration
# -------------------------------------------------------------------------


@hookspec
def srcaudit_rules() -> Sequence[Rule]:
    """Declare the rules this plugin provides.

    Called once per run, before configuration is validated: ``rules.toml`` may only name
    codes and options declared here. Codes must be unique across all plugins (a clash is
    a configuration error naming both plugins) and stable once shipped.

    :return: a sequence of :class:`srcaudit.rules.Rule`.
    """


@hookspec
def srcaudit_reporters() -> Sequence[Reporter]:
    """Declare output formats, selectable with ``--format NAME``.

    Called once per run. A later-registered plugin may not reuse a name already taken.

    ``report.findings`` is a sequence of findings in report order. On a run with a cache
    it builds them on demand from the last run's saved results: a format with a part per
    document should render through :meth:`Report.finding_blocks
    <srcaudit.report.Report.finding_blocks>`, which hands back the text it rendered last
    time for every document whose findings did not change (the ``text`` and ``json`` formats do; at
    100,000 documents that saves building and rendering ~440,000 findings);
    :meth:`Report.document_blocks <srcaudit.report.Report.document_blocks>` does the same
    for a part per document summary (the ``json`` format's documents array). Use
    :meth:`Report.severity_counts <srcaudit.report.Report.severity_counts>` for totals and
    :meth:`Report.finding_counts <srcaudit.report.Report.finding_counts>` for counts per
    document and rule.

    :return: a sequence of :class:`srcaudit.report.Reporter`.
    """


@hookspec
def srcaudit_prepare(rules: ActiveRules) -> None:
    """Load data and build what every document will need, once, before worker processes start.

    Optional. Called once per run in the main process, with the run's rules, just before
    the map phase forks its worker processes (``--jobs`` above 1 and enough files), so
    every worker inherits what was loaded instead of loading it again: dictionaries
    (pronunciations, hyphenation patterns), compiled grammars or regular expressions
    built from the options, lookup tables. On the BBC corpus the readability, sourcing
    and metadata plugins loaded ~0.25 s of such data lazily in *each* worker.

    Not called when no worker is forked (``--jobs 1``, a small run, every document
    served from the cache, or another executor such as Dask): the plugin must still
    load lazily, on first use, and results must not depend on whether it was called.
    Fill module-level caches only; return nothing. A raising implementation is reported
    as an error naming the plugin, and the run goes on.

    :param rules: the enabled rules and their options (prepare only what they need).
    """


# -------------------------------------------------------------------------
# Map: one document at a time
#
# Each call sees one document. The engine maps documents in batches, one plugin at a
# time over the batch (a plugin's code and tables stay in the CPU's caches): a plugin's
# check, measure and facts hooks run back to back on a document, but another plugin
# may have seen the next documents in between. Keep per-document state in
# :func:`srcaudit.memo.once_per_document`, not in globals that assume the engine's order.
# -------------------------------------------------------------------------


@hookspec(firstresult=True)
def srcaudit_classify_lines(document: Document, rules: ActiveRules) -> Sequence[str | None] | None:
    """Say which lines of ``document`` are boilerplate, before any check runs.

    Called once per document. The first implementation that returns a value wins
    (register with ``tryfirst`` to override a built-in classifier). The result has one
    entry per line: ``None`` for article body, or a short kind such as ``"navigation"``
    or ``"related-links"``. Every check then sees ``document.line_roles`` and may ask
    ``document.is_body_line(n)``.

    :param document: the decoded :class:`srcaudit.document.Document`.
    :param rules: the enabled rules and their options.
    :return: a sequence of line roles, or ``None`` to leave the decision to others.
    """


@hookspec
def srcaudit_check_document(document: Document, rules: ActiveRules) -> Iterable[Finding] | None:
    """Report findings that one document shows on its own.

    Called once per document, after line classification. Only findings whose code is
    enabled are kept; a plugin should still skip the work of disabled rules by checking
    ``rules.enabled(code)``. Findings may leave ``severity`` unset to use the configured
    one; the engine fills their fingerprints from the flagged text.

    :param document: the decoded document, with line roles.
    :param rules: the enabled rules and their options.
    :return: an iterable of :class:`srcaudit.findings.Finding`, or ``None``.
    """


@hookspec
def srcaudit_measure_document(document: Document, rules: ActiveRules) -> Mapping[str, Any] | None:
    """Publish per-document measures (``boilerplate_share``, readability scores, ...).

    Called once per document. Measures appear in the JSON ``documents`` list and in the
    per-source summary. Names are global: use a descriptive, unique name per measure.

    :return: a mapping of measure name to a number, boolean or short string.
    """


@hookspec
def srcaudit_extract_facts(document: Document, rules: ActiveRules) -> Mapping[str, Any] | None:
    """Extract the facts corpus rules will need from one document.

    Called once per document. Return a mapping of *namespace* to plain serialisable data
    (dicts, lists, strings, numbers, numpy arrays), e.g. ``{"duplicates": {...}}``; use
    your plugin's own namespace. Facts are what makes the reduce phase cheap: include
    positions (line, column) so corpus findings can point at real places, and anything
    needed to fingerprint them, because the corpus phase never sees the text.

    :return: a mapping of namespace to facts, or ``None``.
    """


# -------------------------------------------------------------------------
# Reduce: the whole corpus
# -------------------------------------------------------------------------


@hookspec
def srcaudit_check_corpus(corpus: Corpus, rules: ActiveRules) -> Iterable[Finding] | None:
    """Report findings across documents (copies, conflicting titles, figures, quotes).

    Called once per run, after every document has been mapped, with a
    :class:`srcaudit.corpus.Corpus` of all documents' facts. Must scale near-linearly in
    the number of documents and paragraphs: group by key or use an index (LSH), never
    compare all pairs. Set ``related`` on each finding to the other document's location,
    and ``anchor`` to a content-based key so fingerprints survive line shifts. A plugin
    done with its own facts (namespace) before the run ends may release them with
    :meth:`srcaudit.corpus.Corpus.release`, so other plugins' corpus hooks run in less memory.

    :return: an iterable of :class:`srcaudit.findings.Finding`, or ``None``.
    """


@hookspec
def srcaudit_measure_corpus(corpus: Corpus, rules: ActiveRules) -> Mapping[str, Mapping[str, Any]] | None:
    """Publish per-document measures that need the whole corpus (``duplicated_share``).

    Called once per run, after :func:`srcaudit_check_corpus`.

    :return: a mapping of document path to a mapping of measure name to value.
    """


# -------------------------------------------------------------------------
# Reduce, incrementally: a warm run pays for what changed
#
# A plugin that implements both hooks below opts into incremental runs. After a full
# reduce on a cached run, the engine asks it for a state and saves that state with the
# plugin's findings and measures of that run (the *base*). On a later run with the same
# run key (same srcaudit, plugins and options) and few changed files, the engine calls
# ``srcaudit_update_corpus`` instead of ``srcaudit_check_corpus`` and
# ``srcaudit_measure_corpus``; the plugin's result is then the base's findings and
# measures of the documents the update did not touch, plus the update's own. It must be
# exactly what a full reduce would give: test it against one on random edits.
# -------------------------------------------------------------------------


@hookspec
def srcaudit_corpus_state(corpus: Corpus, rules: ActiveRules) -> Any | None:
    """Return what a later incremental update will start from.

    Called after this plugin's :func:`srcaudit_check_corpus` and
    :func:`srcaudit_measure_corpus` of a full reduce, when the run has a cache. Return
    something picklable and compact (numpy arrays, not millions of small objects: it is
    loaded on every warm run), e.g. the plugin's indexes with the documents' paths. Return
    ``None`` to run in full next time.
    """


@hookspec
def srcaudit_update_corpus(corpus: Corpus, change: CorpusChange, rules: ActiveRules) -> CorpusUpdate | None:
    """Update this plugin's corpus results for a change since its base, instead of a full reduce.

    Called only when the cache holds this plugin's state from a full reduce under the same
    run key, and only a small part of the corpus changed since then. Read the documents the
    change touches with :meth:`srcaudit.corpus.Corpus.subset` (``corpus.documents`` loads
    every document's facts and defeats the purpose). The base stays fixed until the next
    full reduce, so ``change`` may hold several edits made over several runs.

    :param change: the saved state and the paths changed and removed since the base.
    :return: a :class:`srcaudit.corpus.CorpusUpdate` naming every document whose findings
        or measures could differ from the base's, with all of this plugin's findings and
        measures of those documents; or ``None`` to ask for a full reduce (the engine then
        saves a new base).
    """
