"""The built-in pool against the Dask executor on one machine: wall, CPU, identical bytes.

    .venv/bin/python bench/executors.py /work/shared/data/news-bbc --rounds 3 --jobs 2

Runs ``srcaudit check DATA -f json --no-cache -q --jobs J --executor E`` for each executor
in turn (rounds interleaved, so load changes hit every executor alike) and prints one JSON
line per run: wall seconds, CPU seconds (user+sys of the command and its children, plus
the cluster workers' CPU for ``dask:cluster``), the 1-minute load average before the run,
and whether the report is byte-identical to the first executor's. ``dask:cluster`` starts a
``distributed.LocalCluster`` (J spawned worker processes, one thread each) on 127.0.0.1
before the runs: its start-up is not timed, as a standing cluster's would not be.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

EXECUTORS = ("pool", "dask:synchronous", "dask", "dask:cluster")


def _worker_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run(data: str, executor: str, jobs: int, output: Path, cluster) -> dict:
    spec = f"dask:{cluster.scheduler_address}" if executor == "dask:cluster" else executor
    command = [sys.executable, "-m", "srcaudit", "check", data, "-f", "json", "--no-cache", "-q",
               "--jobs", str(jobs), "--executor", spec, "-o", str(output)]
    client = None
    if executor == "dask:cluster":
        from distributed import Client
        client = Client(cluster, set_as_default=False)
        before = sum(client.run(_worker_cpu).values())
    load = os.getloadavg()[0]
    start_usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    status = subprocess.run(command, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (usage.ru_utime - start_usage.ru_utime) + (usage.ru_stime - start_usage.ru_stime)
    if client is not None:
        cpu += sum(client.run(_worker_cpu).values()) - before
        client.close()
    if status.returncode not in (0, 1):
        sys.exit(f"{executor}: exit {status.returncode}\n{status.stderr}")
    return {"executor": executor, "wall_s": round(wall, 2), "cpu_s": round(cpu, 2), "load_1min": load,
            "sha256": hashlib.sha256(output.read_bytes()).hexdigest()[:16]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--executors", default=",".join(EXECUTORS))
    args = parser.parse_args()
    executors = args.executors.split(",")
    cluster = None
    if "dask:cluster" in executors:
        from distributed import LocalCluster
        cluster = LocalCluster(n_workers=args.jobs, threads_per_worker=1, processes=True, host="127.0.0.1",
                               dashboard_address=None)
    reference = None
    try:
        with tempfile.TemporaryDirectory() as folder:
            for round_ in range(args.rounds):
                for executor in executors:
                    result = run(args.data, executor, args.jobs, Path(folder) / "report.json", cluster)
                    reference = reference or result["sha256"]
                    result.update(round=round_, identical=result["sha256"] == reference)
                    print(json.dumps(result), flush=True)
    finally:
        if cluster is not None:
            cluster.close()


if __name__ == "__main__":
    main()
