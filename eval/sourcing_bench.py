"""What ATT003, ATT004, MET001, MET002 and RDB001 add to a whole `srcaudit check` run.

    python eval/sourcing_bench.py DATA_FOLDER [--runs 5] [--jobs 0]

Alternates runs with the five rules and without them (``--ignore``), so a busy machine
slows both alike, and prints the median wall-clock and CPU (user+system, children) time
of each, their ratio, and the load average before and after.
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
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=0)
    args = parser.parse_args()
    base = [srcaudit_command(), "check", str(args.folder), "-q", "--jobs", str(args.jobs)]
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    results: dict[str, list[tuple[float, float]]] = {"without": [], "with": []}
    for _ in range(args.runs):
        results["without"].append(timed(base + ["--ignore", RULES]))
        results["with"].append(timed(base))
    medians = {name: (statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs))
               for name, runs in results.items()}
    for name, (wall, cpu) in medians.items():
        print(f"{name:>7} the five rules: wall {wall:.2f} s, cpu {cpu:.2f} s (median of {args.runs})")
    print(f"added: wall {medians['with'][0] / medians['without'][0] - 1:+.1%}, "
          f"cpu {medians['with'][1] / medians['without'][1] - 1:+.1%}")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
