"""What ATT003, ATT004, MET001, MET002 and RDB001 add to a whole `srcaudit check` run.

    python eval/sourcing_bench.py DATA_FOLDER [--runs 3] [--jobs 1]

Alternates runs of ``srcaudit check DATA_FOLDER -q --no-cache --jobs J`` with the five
rules and without them (``--ignore``), back to back so a busy machine slows both alike,
and prints the best (least) and the median CPU time (user+system of the run and its
workers, as ``/usr/bin/time`` reports it) and wall-clock time of each, what the rules add
(best with / best without - 1), and the load average before and after. The budget of
issue 6 is taken with ``--jobs 1 --runs 3``: at most +30% CPU.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sourcing_sample import srcaudit_command

RULES = "ATT003,ATT004,MET001,MET002,RDB001"


def timed(arguments: list[str]) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(arguments, stdout=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args()
    base = [srcaudit_command(), "check", str(args.folder), "-q", "--no-cache", "--jobs", str(args.jobs)]
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    results: dict[str, list[tuple[float, float]]] = {"without": [], "with": []}
    for _ in range(args.runs):
        results["without"].append(timed(base + ["--ignore", RULES]))
        results["with"].append(timed(base))
    best = {name: (min(w for w, _ in runs), min(c for _, c in runs)) for name, runs in results.items()}
    medians = {name: (statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs))
               for name, runs in results.items()}
    for name in results:
        print(f"{name:>7} the five rules: cpu best {best[name][1]:.2f} s, median {medians[name][1]:.2f} s; "
              f"wall best {best[name][0]:.2f} s, median {medians[name][0]:.2f} s ({args.runs} runs: "
              f"cpu {', '.join(f'{c:.2f}' for _, c in results[name])})")
    print(f"added (best of {args.runs}): cpu {best['with'][1] / best['without'][1] - 1:+.1%} "
          f"({best['with'][1] - best['without'][1]:+.2f} s), wall {best['with'][0] / best['without'][0] - 1:+.1%}")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
