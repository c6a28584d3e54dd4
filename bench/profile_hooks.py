"""Where a check's CPU goes: per plugin and hook, plus the run's phases (``--jobs 1``).

Usage: ``python bench/profile_hooks.py FOLDER [--cprofile N]``. Wraps every hook
implementation with a timer and times discovery, the map phase, the reduce phase,
the suppression pass and JSON rendering separately. Single process, so figures are
CPU seconds of the whole corpus (divide by the cores for an ideal parallel map);
process time, not wall time, so other load on the machine matters less.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from collections import defaultdict
from pathlib import Path

from srcaudit import check, engine, plugins
from srcaudit.check import CheckOptions, run_check
from srcaudit.session import open_session

#: process time by default; wall time (--wall) to see the parallel run
CLOCK = time.process_time
TIMES: dict[tuple[str, str], float] = defaultdict(float)


def _timed_call_each(original):
    def call_each(hook, **kwargs):
        name = hook.name
        for impl in reversed(hook.get_hookimpls()):
            start = CLOCK()
            try:
                result = impl.function(*(kwargs[arg] for arg in impl.argnames))
                if hasattr(result, "__next__"):
                    result = list(result)
            except Exception as exc:
                result = plugins.HookFailure(impl.plugin_name, exc)
            TIMES[(impl.plugin_name, name)] += CLOCK() - start
            yield impl.plugin_name, result
    return call_each


def _timed_call_impl(original):
    """The map phase calls each implementation through ``engine.call_impl`` (documents in batches)."""
    def call_impl(impl, **kwargs):
        start = CLOCK()
        result = original(impl, **kwargs)
        if hasattr(result, "__next__"):
            result = list(result)
        TIMES[(impl.plugin_name, impl.function.__name__)] += CLOCK() - start
        return result
    return call_impl


def _timed(module, attr, label):
    original = getattr(module, attr)

    def wrapper(*args, **kwargs):
        start = CLOCK()
        try:
            return original(*args, **kwargs)
        finally:
            TIMES[("phase", label)] += CLOCK() - start
    setattr(module, attr, wrapper)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder")
    parser.add_argument("--jobs", type=int, default=1, help="with more than 1, hook times of the workers are not seen")
    parser.add_argument("--cprofile", type=int, default=0, help="also print the top N functions by own time")
    parser.add_argument("--wall", action="store_true", help="wall time instead of process time")
    parser.add_argument("--ignore", default="", help="rule codes to leave out, comma-separated (as check --ignore)")
    args = parser.parse_args()
    global CLOCK
    if args.wall:
        CLOCK = time.perf_counter
    engine.call_each = _timed_call_each(engine.call_each)
    engine.call_impl = _timed_call_impl(engine.call_impl)
    _timed(engine, "map_all", "map phase")
    _timed(check, "discover", "discovery")
    _timed(check, "_sift", "sifting (suppressions, baseline)")
    _timed(engine, "assign_fingerprints", "fingerprints")
    start = CLOCK()
    session = open_session(None, Path(args.folder))
    TIMES[("phase", "session")] = CLOCK() - start
    profiler = cProfile.Profile() if args.cprofile else None
    if profiler:
        profiler.enable()
    start = CLOCK()
    report = run_check(session, CheckOptions(paths=[args.folder], jobs=args.jobs,
                                               ignore=[code for code in args.ignore.split(",") if code]))
    TIMES[("phase", "run_check")] = CLOCK() - start
    from srcaudit_plugins.formats import render_json  # noqa: PLC0415
    start = CLOCK()
    render_json(report)
    TIMES[("phase", "render json")] = CLOCK() - start
    if profiler:
        profiler.disable()
    for (plugin, hook), seconds in sorted(TIMES.items(), key=lambda kv: -kv[1]):
        if seconds >= 0.005:
            print(f"{seconds:7.3f}  {plugin:20s} {hook}")
    if profiler:
        pstats.Stats(profiler, stream=sys.stdout).sort_stats("tottime").print_stats(args.cprofile)


if __name__ == "__main__":
    main()
