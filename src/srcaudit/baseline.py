"""Baselines: adopt srcaudit on an existing corpus without fixing everything first.

``srcaudit check --write-baseline FILE`` records the current findings by fingerprint;
``srcaudit check --baseline FILE`` then reports only findings that are not in it. A
fingerprint is built from the rule code, the path and the flagged text (the *anchor*),
never from line numbers, so adding lines above a baselined finding does not make it new;
editing the flagged text does, which is the point.

The file is JSON, sorted, one entry per finding, with the code, path, line and message
next to each fingerprint so that a reviewer can read a baseline diff. Paths are as
srcaudit printed them: run with the same paths from the same folder.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import Path

from .config import ConfigError
from .findings import Finding
from .output import write_atomically
from .report import Problem, SuppressedFinding

FORMAT = "srcaudit-baseline"
FORMAT_VERSION = 1


@dataclass(frozen=True)
class BaselineEntry:
    fingerprint: str
    code: str
    path: str


@dataclass
class BaselineOutcome:
    """Findings not in the baseline, the ones it covered, and a notice with the counts."""

    new: list[Finding]
    baselined: list[SuppressedFinding]
    stale: int
    problem: Problem


def write_baseline(path: Path, findings: Iterable[Finding], version: str) -> int:
    """Record ``findings`` in ``path`` (atomically); return how many were written."""
    entries = sorted(
        ({"fingerprint": f.fingerprint, "code": f.code, "path": f.path, "line": f.region.line,
          "message": f.message} for f in findings),
        key=lambda e: (e["path"], e["line"], e["code"], e["fingerprint"]),
    )
    payload = {"format": FORMAT, "format_version": FORMAT_VERSION, "srcaudit_version": version,
               "findings": entries}
    write_atomically(path, json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    return len(entries)


def load_baseline(path: Path) -> list[BaselineEntry]:
    """Read a baseline file; raises :class:`ConfigError` naming the file and what is wrong."""
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the baseline: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise ConfigError(f"{path}: the baseline is not valid JSON ({exc}); "
                          "recreate it with --write-baseline") from None
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise ConfigError(f"{path}: not a srcaudit baseline (no \"format\": \"{FORMAT}\")")
    if payload.get("format_version") != FORMAT_VERSION:
        raise ConfigError(f"{path}: baseline format version {payload.get('format_version')!r} is not "
                          f"supported (expected {FORMAT_VERSION}); recreate it with --write-baseline")
    try:
        return [BaselineEntry(str(e["fingerprint"]), str(e["code"]), str(e["path"]))
                for e in payload["findings"]]
    except (KeyError, TypeError):
        raise ConfigError(f"{path}: malformed baseline entries (each needs fingerprint, code, path); "
                          "recreate it with --write-baseline") from None


def apply_baseline(findings: Iterable[Finding], entries: list[BaselineEntry], source: Path,
                   active_codes: Collection[str]) -> BaselineOutcome:
    """Keep findings whose fingerprint the baseline does not list; count entries gone stale.

    An entry is stale when its rule ran and no current finding has its fingerprint (the
    problem was fixed, or its text edited). Entries of rules that did not run are not
    counted: deselecting a rule does not fix anything.
    """
    known = {entry.fingerprint for entry in entries}
    new: list[Finding] = []
    baselined: list[SuppressedFinding] = []
    seen: set[str] = set()
    for finding in findings:
        if finding.fingerprint in known:
            seen.add(finding.fingerprint)
            baselined.append(SuppressedFinding(finding, "external", f"in baseline {source}"))
        else:
            new.append(finding)
    stale = sum(1 for e in entries if e.fingerprint not in seen and e.code in active_codes)
    message = (f"baseline {source}: {len(baselined)} finding{'s' if len(baselined) != 1 else ''} "
               f"baselined, {stale} baseline {'entry no longer occurs' if stale == 1 else 'entries no longer occur'}"
               + (" (refresh with --write-baseline)" if stale else ""))
    return BaselineOutcome(new, baselined, stale, Problem("notice", message))
