"""``srcaudit check``: discover files, audit them, filter by configuration, decide the exit status."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

from . import __version__
from .baseline import BaselineEntry, apply_baseline, load_baseline, write_baseline
from .cache import DocumentCache, run_key
from .config import Config, matches_selector, resolve_rules
from .discovery import discover
from .engine import AuditResult, Mapper, RunSettings, audit
from .findings import Finding, Severity
from .gcpause import collector_paused, freeze_at_exit
from .progress import Progress
from .replay import DocumentRecord, FindingsByDocument, Snapshot, SummariesByDocument, new_record, scope_key
from .report import Problem, Report, SuppressedFinding
from .session import Session
from .suppressions import Suppression, apply_suppressions

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


@dataclass
class CheckOptions:
    """Command-line choices for one check; ``None`` means "as configured"."""

    paths: list[str] = field(default_factory=lambda: ["."])
    select: list[str] | None = None
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    fail_level: Severity | None = None
    jobs: int = 0  # 0 = one per CPU
    color: bool = False
    #: Folders read for comparison only: findings must involve one of ``paths`` (pre-commit).
    corpus: list[str] = field(default_factory=list)
    baseline: Path | None = None
    write_baseline: Path | None = None
    show_suppressed: bool = False


def run_check(session: Session, options: CheckOptions, *, cache: DocumentCache | None = None,
              progress: Progress | None = None, mapper: Mapper | None = None) -> Report:
    """Audit ``options.paths`` and return the report (raises ConfigError on bad settings).

    ``cache`` reuses per-document results of earlier runs; ``progress`` is advanced per
    file. The caller opens and closes both (the command line does, by default).
    ``mapper`` runs the per-document phase instead of the process pool (``--executor``).
    """
    config = session.config
    resolved = resolve_rules(config, session.rules, select=options.select,
                             extend_select=options.extend_select, ignore=options.ignore)
    baseline = load_baseline(options.baseline) if options.baseline is not None else None
    sources, problems = discover(options.paths + options.corpus, config)
    roots = sorted({os.path.abspath(path) for path in options.paths + options.corpus})
    settings = RunSettings(rules=resolved.active, max_file_size=config.max_file_size,
                           plugin_modules=tuple(config.plugins), cache=cache, progress=progress,
                           mapper=mapper, scope="\0".join(roots))
    # A run with a cache saves its results per document, and the next one replays those of
    # documents that did not change (srcaudit.replay), unless an option looks across documents.
    scope, snapshot = None, None
    if cache is not None and not (options.baseline or options.write_baseline or options.show_suppressed
                                  or options.corpus):
        scope = scope_key(run_key(resolved.active.options, config.max_file_size, session.manager), roots,
                          resolved.severities, config.per_file_ignores, resolved.active.codes)
        snapshot = Snapshot.from_saved(cache.load_results(scope))
    freeze_at_exit()  # the final collection at exit would only walk what the run leaves behind
    with collector_paused():  # the results are millions of small objects and no cycles
        result = audit(sources, settings, session.manager, jobs=options.jobs or os.cpu_count() or 1,
                       severities=resolved.severities,
                       default_severities={code: rule.severity for code, rule in session.rules.items()},
                       snapshot=snapshot)
    sifted = _sift(result.findings, result.suppressions, result.suppression_notices, baseline, options,
                   session.config, resolved.active.codes)
    report = Report(
        findings=tuple(sifted.findings),
        documents=tuple(result.documents),
        problems=(),
        rules={code: session.rules[code] for code in sorted(resolved.active.codes)},
        version=__version__,
        fail_level=options.fail_level or config.fail_level,
        color=options.color,
        suppressed=tuple(sifted.suppressed) if options.show_suppressed else (),
    )
    sift_problems = sifted.problems
    if scope is not None and result.record is not None:
        records = _records(result, sifted, snapshot)
        findings = FindingsByDocument(records)
        kept = Snapshot(records, result.record.plugins)
        unchanged = (snapshot is not None and not result.record.keys and kept.plugins == snapshot.plugins
                     and records.keys() == snapshot.records.keys())
        documents = SummariesByDocument(records)
        report = replace(report, findings=findings, documents=documents,
                         after_output=partial(_save_results, cache, scope, kept, findings, documents, unchanged))
        if result.replayed:
            sift_problems = _sift_problems(records.values())
    return replace(report, problems=tuple(session.problems + problems + result.problems + sift_problems
                                          + (cache.stats.problems if cache is not None else [])))


def _records(result: AuditResult, sifted: _Sifted, snapshot: Snapshot | None) -> dict[str, DocumentRecord]:
    """Every document's record, in path order: the ones computed now, and the snapshot's replayed ones."""
    assert result.record is not None
    findings: dict[str, list[Finding]] = {}
    for finding in sifted.findings:  # sorted: by path first
        findings.setdefault(finding.path, []).append(finding)
    notices, unused = _by_path(sifted.notices), _by_path(sifted.unused)
    summaries = {summary.path: summary for summary in result.documents}
    record = result.record
    computed = {path: new_record(key, path in record.in_corpus, findings.get(path, []), summaries.get(path),
                                 record.problems.get(path, []), notices.get(path, []), unused.get(path, []))
                for path, key in record.keys.items()}
    if not result.replayed or snapshot is None:
        return dict(sorted(computed.items()))
    replayed = snapshot.records
    return {path: computed[path] if path in computed else replayed[path]
            for path in sorted([*computed, *result.replayed])}


def _by_path(problems: list[Problem]) -> dict[str | None, list[Problem]]:
    grouped: dict[str | None, list[Problem]] = {}
    for problem in problems:
        grouped.setdefault(problem.path, []).append(problem)
    return grouped


def _sift_problems(records: Iterable[DocumentRecord]) -> list[Problem]:
    """The notices sifting gives, as :func:`_sift` orders them: about markers, then unused markers."""
    lists = [record.problem_lists() for record in records if record.problems is not None]
    return [problem for _, notices, _ in lists for problem in notices] + [problem for *_, unused in lists
                                                                          for problem in unused]


def _save_results(cache: DocumentCache, scope: str, snapshot: Snapshot, findings: FindingsByDocument,
                  documents: SummariesByDocument, unchanged: bool) -> None:
    """Save the run's results, unless they are the saved ones (and nothing new was rendered)."""
    if not (unchanged and findings.rendered == 0 and documents.rendered == 0):
        cache.save_results(scope, snapshot.saved((findings.tags | documents.tags) or None))


@dataclass
class _Sifted:
    findings: list[Finding] = field(default_factory=list)
    suppressed: list[SuppressedFinding] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: Of ``problems``: notices about markers that name no valid code, and about unused markers.
    notices: list[Problem] = field(default_factory=list)
    unused: list[Problem] = field(default_factory=list)


def _sift(found: list[Finding], markers: list[Suppression], marker_notices: list[Problem],
          baseline: list[BaselineEntry] | None, options: CheckOptions, config: Config,
          active_codes: frozenset[str]) -> _Sifted:
    """Decide which findings are reported, in this order and for these reasons.

    1. ``[per-file-ignores]`` and 2. inline markers suppress findings (markers that
    suppress nothing are reported); 3. ``--write-baseline`` records what is left;
    4. ``--baseline`` hides what it lists; 5. with ``--corpus``, only findings that
    involve the named files are kept (the corpus was read for comparison only).
    """
    sifted = _Sifted()
    ignored_by_path: dict[str, set[str]] = {}
    for finding in found:
        if _ignored_for_path(finding, config, ignored_by_path):
            sifted.suppressed.append(SuppressedFinding(finding, "external", "per-file-ignores"))
        else:
            sifted.findings.append(finding)
    inline = apply_suppressions(sifted.findings, markers, active_codes)
    sifted.findings = inline.kept
    sifted.suppressed += inline.suppressed
    sifted.notices, sifted.unused = list(marker_notices), inline.problems
    sifted.problems = sifted.notices + sifted.unused
    if options.write_baseline is not None:
        sifted.problems.append(_write_baseline(options.write_baseline, sifted.findings))
    if baseline is not None and options.baseline is not None:
        outcome = apply_baseline(sifted.findings, baseline, options.baseline, active_codes)
        sifted.findings = outcome.new
        sifted.suppressed += outcome.baselined
        sifted.problems.append(outcome.problem)
    if options.corpus:
        focus = {source.display for source in discover(options.paths, config)[0]}
        sifted.findings = [f for f in sifted.findings if _involves(f, focus)]
        sifted.suppressed = [s for s in sifted.suppressed if _involves(s.finding, focus)]
    return sifted


def _write_baseline(path: Path, findings: list[Finding]) -> Problem:
    try:
        count = write_baseline(path, findings, __version__)
    except OSError as exc:
        return Problem("error", f"cannot write the baseline: {exc.strerror or exc}", str(path))
    return Problem("notice", f"wrote {count} finding{'s' if count != 1 else ''} to the baseline {path}")


def _involves(finding: Finding, paths: set[str]) -> bool:
    """Whether a finding is in one of ``paths`` or points at one (a cross-document finding)."""
    return finding.path in paths or any(related.path in paths for related in finding.related)


def _ignored_for_path(finding: Finding, config: Config, ignored_by_path: dict[str, set[str]]) -> bool:
    # Resolving a path costs system calls: once per file, not once per finding.
    if not config.per_file_ignores:
        return False
    if finding.path not in ignored_by_path:
        ignored_by_path[finding.path] = config.ignored_codes(finding.path)
    ignored = ignored_by_path[finding.path]
    return bool(ignored) and matches_selector(finding.code, ignored)


def exit_status(report: Report, exit_zero: bool = False) -> int:
    """0 clean, 1 findings at or above the fail level, 2 if any error kept work from being done."""
    if any(problem.level == "error" for problem in report.problems):
        return EXIT_ERROR
    if exit_zero:
        return EXIT_CLEAN
    threshold = report.fail_level.rank
    if any(count and severity.rank >= threshold for severity, count in report.severity_counts().items()):
        return EXIT_FINDINGS
    return EXIT_CLEAN
