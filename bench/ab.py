"""Compare two srcaudit installations on one folder, alternating runs so machine load hits both alike.

Usage: ``python bench/ab.py FOLDER OLD_SRCAUDIT NEW_SRCAUDIT [--runs N] [--jobs J]``.
Prints, per run, wall seconds and the CPU seconds of the run and its workers (user+sys),
then the medians. On a shared machine, CPU seconds are the steadier figure.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import time


def _run(command: list[str]) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder")
    parser.add_argument("old")
    parser.add_argument("new")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=0)
    args = parser.parse_args()
    results: dict[str, list[tuple[float, float]]] = {"old": [], "new": []}
    extra = ["--jobs", str(args.jobs)] if args.jobs else []
    for _ in range(args.runs):
        for name, program in (("old", args.old), ("new", args.new)):
            wall, cpu = _run([program, "check", args.folder, "--format", "json", *extra])
            results[name].append((wall, cpu))
            print(f"{name}: {wall:6.2f} s wall {cpu:6.2f} s CPU  (load {os.getloadavg()[0]:.2f})", flush=True)
    for name, runs in results.items():
        print(f"median {name}: {statistics.median(w for w, _ in runs):6.2f} s wall "
              f"{statistics.median(c for _, c in runs):6.2f} s CPU")


if __name__ == "__main__":
    main()
