"""``srcaudit check``: discover files, audit them, filter by configuration, decide the exit status."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from . import __version__
from .config import matches_selector, resolve_rules
from .discovery import discover
from .engine import RunSettings, audit
from .findings import Finding, Severity
from .report import Report
from .session import Session

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


def run_check(session: Session, options: CheckOptions) -> Report:
    """Audit ``options.paths`` and return the report (raises ConfigError on bad settings)."""
    config = session.config
    resolved = resolve_rules(config, session.rules, select=options.select,
                             extend_select=options.extend_select, ignore=options.ignore)
    sources, problems = discover(options.paths, config)
    settings = RunSettings(rules=resolved.active, max_file_size=config.max_file_size,
                           plugin_modules=tuple(config.plugins))
    result = audit(sources, settings, session.manager, jobs=options.jobs or os.cpu_count() or 1,
                   severities=resolved.severities,
                   default_severities={code: rule.severity for code, rule in session.rules.items()})
    ignored_by_path: dict[str, set[str]] = {}  # resolving a path per finding is slow at 100k findings
    findings = [f for f in result.findings if not _ignored_for_path(f, config, ignored_by_path)]
    return Report(
        findings=tuple(findings),
        documents=tuple(result.documents),
        problems=tuple(session.problems + problems + result.problems),
        rules={code: session.rules[code] for code in sorted(resolved.active.codes)},
        version=__version__,
        fail_level=options.fail_level or config.fail_level,
        color=options.color,
    )


def _ignored_for_path(finding: Finding, config, cache: dict[str, set[str]]) -> bool:
    if not config.per_file_ignores:
        return False
    if finding.path not in cache:
        cache[finding.path] = config.ignored_codes(finding.path)
    ignored = cache[finding.path]
    return bool(ignored) and matches_selector(finding.code, ignored)


def exit_status(report: Report, exit_zero: bool = False) -> int:
    """0 clean, 1 findings at or above the fail level, 2 if any error kept work from being done."""
    if any(problem.level == "error" for problem in report.problems):
        return EXIT_ERROR
    if exit_zero:
        return EXIT_CLEAN
    threshold = report.fail_level.rank
    if any((f.severity or Severity.WARNING).rank >= threshold for f in report.findings):
        return EXIT_FINDINGS
    return EXIT_CLEAN
