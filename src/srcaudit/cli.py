"""The command line: ``srcaudit check``, ``srcaudit rules``, ``srcaudit explain``.

Exit status follows ruff: 0 nothing at or above the fail level, 1 findings, 2 usage,
configuration or internal error. No traceback reaches the user without ``--debug``.
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from pathlib import Path

import click

from . import __version__, compiled_modules
from .cache import DocumentCache, default_cache_dir
from .check import EXIT_ERROR, CheckOptions, exit_status, run_check
from .config import ConfigError
from .distributed import ExecutorError, mapper_for
from .docs_command import docs
from .engine import Mapper
from .facts_command import facts
from .findings import Severity
from .gcpause import collector_paused
from .output import write_atomically
from .progress import Progress, progress_for
from .report import Problem, Reporter
from .session import Session, open_session

_SEVERITIES = click.Choice([s.value for s in Severity])


def _split_codes(values: tuple[str, ...]) -> list[str]:
    return [code.strip() for value in values for code in value.split(",") if code.strip()]


def _wants_color(output: Path | None) -> bool:
    return output is None and "NO_COLOR" not in os.environ and sys.stdout.isatty()


def _report_problems(problems: tuple[Problem, ...] | list[Problem], debug: bool, quiet: bool) -> None:
    for problem in problems:
        if quiet and problem.level != "error":
            continue
        where = f"{problem.path}: " if problem.path else ""
        click.echo(f"srcaudit: {problem.level}: {where}{problem.message}", err=True)
        if debug and problem.detail:
            click.echo(problem.detail.rstrip(), err=True)


def _version_message() -> str:
    """``srcaudit --version``: the version, and which modules run compiled (a bug report needs both)."""
    compiled = compiled_modules()
    return "%(prog)s %(version)s (" + (f"compiled: {', '.join(compiled)}" if compiled else "pure Python") + ")"


class _Group(click.Group):
    """Turns unexpected exceptions into one clear line and exit status 2."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort):
            raise
        except ConfigError as exc:
            click.echo(f"srcaudit: configuration error: {exc}", err=True)
            ctx.exit(EXIT_ERROR)
        except Exception as exc:
            if "--debug" in sys.argv or os.environ.get("SRCAUDIT_DEBUG"):
                traceback.print_exc()
            click.echo(f"srcaudit: internal error: {type(exc).__name__}: {exc} "
                       "(run with --debug for the traceback)", err=True)
            ctx.exit(EXIT_ERROR)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="srcaudit", message=_version_message())
@click.option("--debug", is_flag=True, help="Show tracebacks of plugin and internal errors.")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Lint a collection of source documents: duplication, cross-source conflicts, weak sourcing."""
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option("--format", "-f", "output_format", default="text", show_default=True,
              help="Output format (see `srcaudit formats`).")
@click.option("--output", "-o", type=click.Path(path_type=Path, dir_okay=False),
              help="Write the report to FILE (atomically) instead of standard output.")
@click.option("--config", "config_path", type=click.Path(path_type=Path, dir_okay=False),
              help="Configuration file (default: rules.toml found upward from the first path).")
@click.option("--select", multiple=True, help="Only these rule codes or prefixes (comma-separated).")
@click.option("--extend-select", multiple=True, help="Add these codes or prefixes to the selection.")
@click.option("--ignore", multiple=True, help="Skip these rule codes or prefixes (comma-separated).")
@click.option("--fail-level", type=_SEVERITIES, help="Lowest severity that makes the exit status 1.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=0, show_default=True,
              help="Worker processes for the per-document phase (0: one per CPU).")
@click.option("--quiet", "-q", is_flag=True, help="Print only findings and errors, no summary or notices.")
@click.option("--corpus", multiple=True, type=click.Path(path_type=str), metavar="DIR",
              help="Also read the documents under DIR for comparison, but report only findings that "
                   "involve PATHS (the pre-commit hook passes the staged files as PATHS).")
@click.option("--baseline", type=click.Path(path_type=Path, dir_okay=False),
              help="Report only findings that are not in this baseline file.")
@click.option("--write-baseline", type=click.Path(path_type=Path, dir_okay=False),
              help="Record the current findings in FILE (atomically) and exit 0.")
@click.option("--show-suppressed", is_flag=True,
              help="Include suppressed and baselined findings, marked as such (SARIF `suppressions`).")
@click.option("--summary", is_flag=True, help="After the findings, print one row per document: findings by "
                                               "family, shares, byline/date, attribution counts, readability.")
@click.option("--statistics", is_flag=True, help="Print a count per rule instead of each finding (text format).")
@click.option("--no-cache", is_flag=True, envvar="SRCAUDIT_NO_CACHE",
              help="Do not read or write the cache of per-document results (also SRCAUDIT_NO_CACHE=1).")
@click.option("--cache-dir", type=click.Path(path_type=Path, file_okay=False), metavar="DIR",
              help="Cache folder (default: .srcaudit_cache next to rules.toml, else in the current folder).")
@click.option("--executor", envvar="SRCAUDIT_EXECUTOR", default="pool", show_default=True,
              metavar="pool|dask[:SCHEDULER]",
              help="What runs the per-document phase: the built-in process pool, or Dask (`dask`: local "
                   "processes; `dask:synchronous`, `dask:threads`, or a cluster `dask:tcp://HOST:8786`). "
                   "Needs pip install 'srcaudit[dask]'. Also SRCAUDIT_EXECUTOR.")
@click.option("--debug", is_flag=True, help="Show tracebacks of plugin and internal errors.")
@click.pass_context
def check(ctx: click.Context, paths: tuple[str, ...], output_format: str, output: Path | None,
          config_path: Path | None, select: tuple[str, ...], extend_select: tuple[str, ...],
          ignore: tuple[str, ...], fail_level: str | None, exit_zero: bool, jobs: int,
          quiet: bool, corpus: tuple[str, ...], baseline: Path | None, write_baseline: Path | None,
          show_suppressed: bool, summary: bool, statistics: bool, no_cache: bool, cache_dir: Path | None,
          executor: str, debug: bool) -> None:
    """Audit the documents under PATHS (default: the current folder)."""
    debug = debug or ctx.obj.get("debug", False)
    ctx.params["debug"] = debug
    targets = list(paths) or ["."]
    try:
        mapper = mapper_for(executor, jobs or os.cpu_count() or 1)
    except ExecutorError as exc:
        raise click.BadParameter(str(exc), param_hint="--executor") from None
    session = open_session(config_path, Path(targets[0]))
    reporter = session.reporters.get(output_format)
    if reporter is None:
        raise click.BadParameter(f"unknown format {output_format!r}; available: "
                                 f"{', '.join(session.reporters)}", param_hint="--format")
    options = CheckOptions(
        paths=targets, select=_split_codes(select) or None, extend_select=_split_codes(extend_select),
        ignore=_split_codes(ignore), fail_level=Severity(fail_level) if fail_level else None,
        jobs=jobs, color=_wants_color(output), corpus=list(corpus), baseline=baseline,
        write_baseline=write_baseline, show_suppressed=show_suppressed,
    )
    cache = None if no_cache else DocumentCache(cache_dir or default_cache_dir(session.config.source))
    progress = progress_for(sys.stderr, quiet)
    # The collector stays off until the report is written: the run's results are millions of
    # objects without cycles, and the process ends right after (see srcaudit.gcpause).
    with collector_paused():
        _check_and_report(ctx, session, options, reporter, output, cache, progress, mapper,
                          debug=debug, quiet=quiet, summary=summary, statistics=statistics,
                          exit_zero=exit_zero or write_baseline is not None)


def _check_and_report(ctx: click.Context, session: Session, options: CheckOptions, reporter: Reporter,
                      output: Path | None, cache: DocumentCache | None, progress: Progress | None,
                      mapper: Mapper | None, *, debug: bool, quiet: bool, summary: bool, statistics: bool,
                      exit_zero: bool) -> None:
    """Run the check, write the report, and exit with the report's status."""
    try:
        report = run_check(session, options, cache=cache, progress=progress, mapper=mapper)
    except ExecutorError as exc:
        click.echo(f"srcaudit: error: {exc}", err=True)
        ctx.exit(EXIT_ERROR)
    finally:
        if progress is not None:
            progress.close()
        if cache is not None:
            cache.close()
    if debug and cache is not None:
        click.echo(f"srcaudit: {cache.stats.describe()}", err=True)
    if quiet:
        report = _with_option(report, "quiet", True)
    if summary:
        report = _with_option(report, "summary", True)
    if statistics:
        report = _with_option(report, "statistics", True)
    rendered = reporter.chunks(report)  # pieces: a large report is written as it is encoded
    if output is not None:
        try:
            paths = getattr(report.documents, "paths", None)  # saved summaries name their paths unbuilt
            documents = paths() if paths is not None else [d.path for d in report.documents]
            write_atomically(output, rendered, protected=documents + [p.path for p in report.problems if p.path])
        except OSError as exc:
            _report_problems(report.problems, debug, quiet)
            click.echo(f"srcaudit: error: cannot write {output}: {exc.strerror or exc}", err=True)
            ctx.exit(EXIT_ERROR)
    else:
        for piece in rendered:
            click.echo(piece, nl=False)
    if report.after_output is not None:
        report.after_output()
    _report_problems(report.problems, debug, quiet)
    ctx.exit(exit_status(report, exit_zero))


def _with_option(report, key, value):
    from dataclasses import replace
    return replace(report, options={**report.options, key: value})


@main.command(name="rules")
@click.option("--format", "-f", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@click.option("--config", "config_path", type=click.Path(path_type=Path, dir_okay=False))
def list_rules(output_format: str, config_path: Path | None) -> None:
    """List every rule: code, name, default severity, summary."""
    session = open_session(config_path, None)
    if output_format == "json":
        click.echo(json.dumps([
            {"code": r.code, "name": r.name, "severity": r.severity.value, "scope": r.scope,
             "summary": r.summary, "enabled_by_default": r.enabled_by_default, "plugin": r.plugin,
             "options": {o.name: o.default for o in r.options}}
            for r in session.rules.values()
        ], indent=2))
        return
    for rule in session.rules.values():
        off = "" if rule.enabled_by_default else " (off by default)"
        click.echo(f"{rule.code}  {rule.name:<28} {rule.severity.value:<8} {rule.summary}{off}")


@main.command()
@click.argument("code")
@click.option("--config", "config_path", type=click.Path(path_type=Path, dir_okay=False))
@click.pass_context
def explain(ctx: click.Context, code: str, config_path: Path | None) -> None:
    """Show a rule's documentation: what it finds, why it matters, examples, options."""
    session = open_session(config_path, None)
    rule = session.rules.get(code.upper())
    if rule is None:
        import difflib
        close = difflib.get_close_matches(code.upper(), list(session.rules), n=1)
        hint = f" (did you mean {close[0]}?)" if close else ""
        click.echo(f"srcaudit: unknown rule code {code!r}{hint}; `srcaudit rules` lists them", err=True)
        ctx.exit(EXIT_ERROR)
    click.echo(rule.explain(), nl=False)


@main.command()
@click.option("--config", "config_path", type=click.Path(path_type=Path, dir_okay=False))
def formats(config_path: Path | None) -> None:
    """List the output formats plugins provide."""
    session = open_session(config_path, None)
    for reporter in session.reporters.values():
        click.echo(f"{reporter.name:<10} {reporter.description}")


main.add_command(docs)
main.add_command(facts)
