"""What ATT003, ATT004, MET001, MET002 and RDB001 add to a whole `srcaudit check` run.

    python eval/sourcing_bench.py DATA_FOLDER [--runs 3] [--jobs 1] [--tree NAME=PYTHONPATH ...]

Alternates runs of ``srcaudit check DATA_FOLDER -q --no-cache --jobs J`` with the five
rules and without them (``--ignore``), back to back so a busy machine slows both alike,
and prints the best (least) and the median CPU time (user+system of the run and its
workers, as ``/usr/bin/time`` reports it) of each, what the rules add (best with / best
without - 1, and the median of the per-round ratios), and the load average before and
after. The budget of issue 6 is taken with ``--jobs 1``: at most +30% CPU.

``--tree`` compares installations in the same rounds (before/after a change): each is a
folder put first on PYTHONPATH, holding ``srcaudit`` and ``srcaudit_plugins`` packages
(e.g. symlinks into a ``git archive`` of the old commit). Without it, the current
environment is measured.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sourcing_sample import srcaudit_command

RULES = "ATT003,ATT004,MET001,MET002,RDB001"


def cpu_seconds(arguments: list[str], pythonpath: str | None) -> float:
    """User+system CPU of one run and its child processes."""
    env = dict(os.environ, PYTHONPATH=pythonpath) if pythonpath else None
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(arguments, stdout=subprocess.DEVNULL, env=env, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--tree", action="append", default=[], metavar="NAME=PYTHONPATH",
                        help="an installation to measure (repeatable); default: this environment")
    args = parser.parse_args()
    trees = dict(tree.split("=", 1) for tree in args.tree) or {"current": None}
    base = [srcaudit_command(), "check", str(args.folder), "-q", "--no-cache", "--jobs", str(args.jobs)]
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    results: dict[tuple[str, str], list[float]] = {}
    for _ in range(args.runs):
        for name, pythonpath in trees.items():
            results.setdefault((name, "without"), []).append(cpu_seconds(base + ["--ignore", RULES], pythonpath))
            results.setdefault((name, "with"), []).append(cpu_seconds(base, pythonpath))
    for name in trees:
        without, with_ = results[(name, "without")], results[(name, "with")]
        paired = statistics.median(w / wo - 1 for w, wo in zip(with_, without))
        print(f"{name}: without the five rules cpu {', '.join(f'{c:.2f}' for c in without)} s; "
              f"with them {', '.join(f'{c:.2f}' for c in with_)} s")
        print(f"{name}: added (best of {args.runs}) {min(with_) / min(without) - 1:+.1%} "
              f"({min(with_) - min(without):+.2f} s); median of per-round ratios {paired:+.1%}")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
