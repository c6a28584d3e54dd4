"""What the consistency family adds to a run, and how much of that is fact extraction (issue 5).

Usage: ``python bench/extraction_budget.py DATA [--rounds N] [--python PATH] [--no-cache] [ARGS...]``

Runs ``srcaudit check DATA -q`` with every rule and with the family ignored
(``--ignore ATT001,ATT002,CON001,CON002``), alternated so that machine load hits both alike,
in a child process of ``--python`` (the interpreter of the install to measure: a wheel
install runs its mypyc-compiled modules, an editable one pure Python; the first line says
which). Each run starts with an empty cache folder, as the first run of a fresh checkout
does; ``--no-cache`` runs without one. Other ARGS go to ``srcaudit check`` (``--jobs 1``...).

Per round: wall and CPU seconds (the run's processes, workers included) of both runs, and
for the all-rules run the wall seconds of the family's corpus phase, timed inside the run.
Then the medians of three ratios to the run without the family: the whole family; the
extraction alone (the all-rules run less the family's corpus phase: what the target
"extraction must not add more than 50%" measures); and CPU.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FAMILY = "ATT001,ATT002,CON001,CON002"

# Run in the child: time the family's corpus-phase entry points, then the command line as usual.
_CHILD = r"""
import sys, time
import srcaudit
from srcaudit_plugins import consistency
from srcaudit_plugins.consistency import incremental
spent = [0.0]
def timed(function):
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            spent[0] += time.perf_counter() - start
    return wrapper
consistency._check_corpus = timed(consistency._check_corpus)
incremental.corpus_state = timed(incremental.corpus_state)
incremental.update = timed(incremental.update)
from srcaudit.cli import main
try:
    main(sys.argv[1:], standalone_mode=False)
finally:
    print(f"corpus-phase {spent[0]:.4f}", file=sys.stderr)
"""


def _run(python: str, arguments: list[str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (with every process it waited for) and the family's corpus phase."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([python, "-c", _CHILD, *arguments], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          text=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode not in (0, 1):
        sys.exit(f"srcaudit exited {done.returncode}: {done.stderr[-2000:]}")
    corpus = next(float(line.split()[1]) for line in done.stderr.splitlines() if line.startswith("corpus-phase "))
    return wall, cpu, corpus


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data")
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--python", default=sys.executable, help="interpreter of the install to measure")
    parser.add_argument("--no-cache", action="store_true", help="run without a cache (default: a new, empty one)")
    args, extra = parser.parse_known_args()
    build = subprocess.run([args.python, "-m", "srcaudit", "--version"], capture_output=True, text=True,
                           check=True).stdout.strip()
    print(f"install: {args.python}: {build}")
    ratios: dict[str, list[float]] = {"family": [], "extraction": [], "cpu": []}
    scratch = Path(tempfile.mkdtemp(prefix="srcaudit-budget-"))
    try:
        for round_number in range(1, args.rounds + 1):
            results = {}
            for name, ignore in (("all", []), ("without", ["--ignore", FAMILY])):
                cache = scratch / "cache"
                shutil.rmtree(cache, ignore_errors=True)
                where = ["--no-cache"] if args.no_cache else ["--cache-dir", str(cache)]
                results[name] = _run(args.python, ["check", args.data, "-q", *where, *ignore, *extra])
            (wall, cpu, corpus), (base_wall, base_cpu, _) = results["all"], results["without"]
            ratios["family"].append(wall / base_wall - 1)
            ratios["extraction"].append((wall - corpus) / base_wall - 1)
            ratios["cpu"].append(cpu / base_cpu - 1)
            print(f"round {round_number}: all {wall:.2f} s wall, {cpu:.2f} s CPU, family's corpus phase {corpus:.3f} s;"
                  f" without the family {base_wall:.2f} s wall, {base_cpu:.2f} s CPU")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    for name, label in (("family", "the whole family (wall)"), ("extraction", "extraction alone (wall)"),
                        ("cpu", "the whole family (CPU)")):
        values = sorted(ratios[name])
        print(f"{label}: median +{statistics.median(values):.1%}, rounds "
              + " ".join(f"{value:+.0%}" for value in values))


if __name__ == "__main__":
    main()
