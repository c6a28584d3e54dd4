"""``srcaudit facts``: print what the map phase extracted from each document.

The cross-source rules judge facts, not text; this command shows those facts (people with
titles and positions, quotes with speakers and offsets, figures with units), so a user can
inspect the evidence behind a finding and extraction can be scored against gold data.
It runs exactly the map phase of ``srcaudit check``: same discovery, plugins and options.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import click

from .config import resolve_rules
from .discovery import discover
from .engine import RunSettings, map_all
from .session import open_session


def _plain(value: Any) -> Any:
    """JSON-ready copy of facts (numpy arrays become lists)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "tolist"):
        return value.tolist()
    return value


@click.command(name="facts")
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option("--format", "-f", "output_format", type=click.Choice(["json", "text"]), default="json",
              show_default=True)
@click.option("--namespace", "-n", multiple=True, help="Only these fact namespaces (default: all).")
@click.option("--config", "config_path", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=0, show_default=True,
              help="Worker processes (0: one per CPU).")
def facts(paths: tuple[str, ...], output_format: str, namespace: tuple[str, ...],
          config_path: Path | None, jobs: int) -> None:
    """Print the facts extracted from the documents under PATHS (default: the current folder)."""
    targets = list(paths) or ["."]
    session = open_session(config_path, Path(targets[0]))
    resolved = resolve_rules(session.config, session.rules)
    sources, problems = discover(targets, session.config)
    settings = RunSettings(rules=resolved.active, max_file_size=session.config.max_file_size,
                           plugin_modules=tuple(session.config.plugins))
    outcomes = map_all(sources, settings, session.manager, jobs or os.cpu_count() or 1)
    documents = []
    for outcome in outcomes:
        problems += outcome.problems
        if outcome.facts is None:
            continue
        chosen = {k: v for k, v in outcome.facts.facts.items() if not namespace or k in namespace}
        documents.append({"path": outcome.facts.path, "facts": _plain(chosen)})
    if output_format == "json":
        click.echo(json.dumps({"documents": documents}, indent=2, ensure_ascii=False))
    else:
        for document in documents:
            click.echo(f"{document['path']}:")
            for name, value in document["facts"].items():
                click.echo(f"  {name}: {json.dumps(value, ensure_ascii=False)[:2000]}")
    for problem in problems:
        click.echo(f"srcaudit: {problem.level}: {problem.path + ': ' if problem.path else ''}{problem.message}",
                   err=True)
