"""Cold, warm and one-file-changed runs of ``srcaudit check`` with the cache, phase by phase.

Usage: python bench/cache_runs.py DATA_DIR [--jobs 2] [--work /tmp/srcaudit-cache-bench] [--short]
       [--edits N] [--formats text,json]

DATA_DIR is copied to WORK/corpus (so one file can be changed without touching the data),
the cache lives in WORK/cache. Each run is a fresh process (``srcaudit check --format text
--jobs J --cache-dir WORK/cache``); the map phase and the rest (reduce phase, filtering,
rendering) are timed inside it by wrapping ``engine.map_all``, and the main process's CPU
is split by part (``main_cpu_by_part``: hashing the files, the cache's lookup and
unpickling, storing, the corpus hooks, fingerprints, suppression markers, the rest).
Prints one JSON line per run.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# Runs inside the child process: time map_all and the whole check, then run the CLI.
_CHILD = r"""
import json, sys, time
from srcaudit import cache, check, engine
times = {}
def timed(module, name, label, materialise=False):
    original = getattr(module, name)
    def wrapper(*args, **kwargs):
        start, cpu = time.perf_counter(), time.process_time()
        try:
            result = original(*args, **kwargs)
            return list(result) if materialise else result
        finally:
            times[label + "_s"] = times.get(label + "_s", 0.0) + time.perf_counter() - start
            times[label + "_cpu"] = times.get(label + "_cpu", 0.0) + time.process_time() - cpu
    setattr(module, name, wrapper)
    return wrapper
timed(engine, "map_all", "map")
timed(cache.DocumentCache, "probe", "hash")
timed(cache, "run_key", "run_key")
timed(cache.DocumentCache, "lookup", "lookup")
timed(cache.DocumentCache, "store", "store")
timed(engine, "_reduce", "corpus_hooks")
timed(engine, "assign_fingerprints", "fingerprints")
timed(check, "_sift", "sifting")
check.audit = timed(engine, "audit", "audit")
from srcaudit.cli import main
start = time.process_time()
try:
    main(sys.argv[1:], standalone_mode=False)
except SystemExit:
    pass
finally:
    times["main_cpu"] = time.process_time() - start
    sys.stderr.write("TIMES " + json.dumps(times) + "\n")
"""


def run(label: str, corpus: Path, cache: Path | None, jobs: int, output_format: str = "text") -> dict:
    caching = ["--cache-dir", str(cache)] if cache is not None else ["--no-cache"]
    command = [sys.executable, "-c", _CHILD, "check", "--format", output_format, "--jobs", str(jobs), "--exit-zero",
               "--debug", *caching, "."]
    load = os.getloadavg()[0]
    start = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        child = subprocess.Popen(command, cwd=corpus, stdout=out, stderr=err, text=True,
                                 env={**os.environ, "CI": "1"})
        _, _, usage = os.wait4(child.pid, 0)  # peak RSS of the run and its workers
        wall = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    times = {}
    stats = ""
    for line in stderr.splitlines():
        if line.startswith("TIMES "):
            times = json.loads(line[6:])
        elif line.startswith("srcaudit: cache:"):
            stats = line.removeprefix("srcaudit: ")
    reduce_s = times.get("audit_s", 0.0) - times.get("map_s", 0.0)
    row = {"run": label, "wall_s": round(wall, 2), "map_s": round(times.get("map_s", 0.0), 2),
           "reduce_s": round(reduce_s, 2), "cache": stats, "load_1min": round(load, 2),
           "peak_rss_mb": usage.ru_maxrss // 1024, "output_lines": stdout.count("\n"),
           "cpu_s": round(usage.ru_utime + usage.ru_stime, 2)}
    # main-process CPU by part (the workers' CPU is in cpu_s only)
    parts = {key[:-4]: round(value, 2) for key, value in times.items() if key.endswith("_cpu")}
    if "main" in parts:
        parts["rest (start-up, discovery, rendering)"] = round(
            parts["main"] - parts.get("audit", 0.0) - parts.get("sifting", 0.0), 2)
    row["main_cpu_by_part"] = parts
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data", type=Path)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--work", type=Path, default=Path("/tmp/srcaudit-cache-bench"))
    parser.add_argument("--short", action="store_true",
                        help="only the cold run that fills the cache and the one-file-changed runs")
    parser.add_argument("--edits", type=int, default=1,
                        help="one-file-changed runs in a row, each editing another file (an edit loop: "
                             "from the second on, every file the first runs hashed has its signature recorded)")
    parser.add_argument("--formats", default="text",
                        help="comma-separated output formats: a series of --edits one-file-changed runs each")
    args = parser.parse_args()
    corpus, cache = args.work / "corpus", args.work / "cache"
    if args.work.exists():
        shutil.rmtree(args.work)
    shutil.copytree(args.data, corpus)
    rows = [] if args.short else [run("--no-cache", corpus, None, args.jobs)]
    rows.append(run("cold (fills the cache)", corpus, cache, args.jobs))
    if not args.short:
        rows.append(run("warm, nothing changed", corpus, cache, args.jobs))
    files = sorted(corpus.rglob("*.txt"))
    formats = args.formats.split(",")
    runs = [(output_format, edit) for output_format in formats for edit in range(args.edits)]
    for number, (output_format, edit) in enumerate(runs):
        # One series of edits per format: the saved results keep the text of the last format
        # printed, so the first run of another format prints every document afresh.
        changed = files[number * len(files) // len(runs)]
        changed.write_text(changed.read_text(encoding="utf-8", errors="replace") + "\nOne more line.\n",
                           encoding="utf-8")
        rows.append(run(f"warm, one file changed, {output_format}" + (f" ({edit + 1})" if args.edits > 1 else ""),
                        corpus, cache, args.jobs, output_format))
    for row in rows:
        print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
