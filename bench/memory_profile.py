"""Where the main process's memory goes in a large check: map results and each reduce step.

Usage::

    python bench/memory_profile.py /tmp/srcaudit-bench/corpus-10000 [--jobs 2] [--sizes]

Runs ``srcaudit check FOLDER --no-cache -f json`` in this process (the report is rendered
to a discarded stream) and prints, for each phase, the main process's resident size after
it and its peak during it (Linux: the peak is reset before each phase through
``/proc/self/clear_refs``, so each figure is that phase's own high-water mark). Phases:
the map phase (outcomes arriving from the workers), each plugin's ``check_corpus`` and
``measure_corpus``, fingerprints, suppressions, rendering.

``--sizes`` also walks the map phase's results once (slow: a few seconds per 10,000
documents) and prints what they hold by part: findings by rule, summaries (measures, line
roles), facts by plugin namespace, sources. Objects reached from several parts are
counted once, for the first part that reaches them (in the order printed). ``--trace N``
adds Python's own count (tracemalloc) of the bytes live after and at the peak of each
phase, which RSS hides (freed memory is not always returned to the system), and the N
largest allocation sites live after each phase. ``--watch MODULE:FUNCTION`` measures
calls of any function as a phase of its own (its outer phase keeps the peak it saw).
Worker processes are not measured here: ``/usr/bin/time -v`` gives the largest process.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import sys
import time
import tracemalloc
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from srcaudit import check, engine, incremental
from srcaudit.check import CheckOptions, run_check
from srcaudit.session import open_session

MB = 1024 * 1024


def _status(field: str) -> int:
    """A ``VmRSS``/``VmHWM`` figure of this process in bytes (0 where /proc is missing)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _reset_peak() -> None:
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
            refs.write("5")
    except OSError:
        pass


ROWS: list[tuple[str, float, float, float, float, float]] = []
TOP = 0


def _traced() -> tuple[float, float]:
    """Live and peak bytes Python allocated (tracemalloc), in MB; zeros when not tracing."""
    if not tracemalloc.is_tracing():
        return 0.0, 0.0
    current, peak = tracemalloc.get_traced_memory()
    return current / MB, peak / MB


def _print_top(label: str) -> None:
    if not (TOP and tracemalloc.is_tracing()):
        return
    print(f"-- live after {label}: top {TOP} allocation sites")
    for stat in tracemalloc.take_snapshot().statistics("lineno")[:TOP]:
        frame = stat.traceback[0]
        print(f"   {stat.size / MB:8.1f} MB {stat.count:>9,} blocks  {frame.filename.split('site-packages/')[-1]}:"
              f"{frame.lineno}")


#: Peaks (RSS, traced) seen so far by each phase still running: a phase inside another
#: (``--watch``) resets the high-water marks, so the outer one keeps what it had seen.
_OPEN: list[list[float]] = []


def _peaks() -> list[float]:
    return [_status("VmHWM") / MB, _traced()[1]]


def _phase(label: str, function: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        now = _peaks()
        for seen in _OPEN:
            seen[:] = [max(a, b) for a, b in zip(seen, now)]
        _reset_peak()
        if tracemalloc.is_tracing():
            tracemalloc.reset_peak()
        _OPEN.append([0.0, 0.0])
        start = time.process_time()
        try:
            result = function(*args, **kwargs)
            if hasattr(result, "__next__"):
                result = list(result)
            return result
        finally:
            cpu = time.process_time() - start
            rss_peak, traced_peak = [max(a, b) for a, b in zip(_OPEN.pop(), _peaks())]
            ROWS.append((label, _status("VmRSS") / MB, rss_peak, cpu, _traced()[0], traced_peak))
            _print_top(label)
    return wrapper


def _watch(module: Any, name: str) -> None:
    """Measure every call of ``module.name`` as a phase, also where other modules imported it by name."""
    original = getattr(module, name)
    wrapped = _phase(f"  {module.__name__.split('.')[-1]}.{name}", original)
    for other in list(sys.modules.values()):
        if getattr(other, name, None) is original:
            setattr(other, name, wrapped)


def _phased_call_impl(original: Callable[..., Any]) -> Callable[..., Any]:
    """``call_impl`` that measures each corpus-phase hook call as a phase named after its plugin."""
    def call_impl(impl: Any, **kwargs: Any) -> Any:
        name = getattr(impl.function, "__name__", "")
        if not name.endswith(("_corpus", "_corpus_state")):
            return original(impl, **kwargs)
        return _phase(f"{impl.plugin_name} {name[len('srcaudit_'):]}", original)(impl, **kwargs)
    return call_impl


def deep_size(value: Any, seen: set[int]) -> int:
    """Bytes held by ``value`` and everything it reaches that ``seen`` does not hold yet."""
    total = 0
    stack = [value]
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        total += sys.getsizeof(item)
        if isinstance(item, np.ndarray):
            if item.base is not None:
                stack.append(item.base)
            continue
        if isinstance(item, (str, bytes, int, float, bool, type(None))):
            continue
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, (list, tuple, set, frozenset)):
            stack.extend(item)
        else:
            for name in getattr(type(item), "__slots__", ()):
                if hasattr(item, name):
                    stack.append(getattr(item, name))
            if hasattr(item, "__dict__"):
                stack.append(item.__dict__)
    return total


def outcome_sizes(outcomes: list[engine.DocumentOutcome]) -> dict[str, int]:
    """Bytes by part of the map phase's results (see the module docstring)."""
    seen: set[int] = set()
    # enums, rule codes and the like are shared with the session: not the corpus's cost
    seen.update(id(v) for v in (None, True, False))
    sizes: dict[str, int] = defaultdict(int)
    sizes["outcome objects"] = sum(sys.getsizeof(o) + sys.getsizeof(o.__dict__) for o in outcomes)
    seen.update(id(o) for o in outcomes)
    for outcome in outcomes:
        sizes["sources"] += deep_size(outcome.source, seen)
    for outcome in outcomes:
        for finding in outcome.findings:
            sizes[f"findings {finding.code}"] += deep_size(finding, seen)
        sizes["findings lists"] += deep_size(outcome.findings, seen)
    for outcome in outcomes:
        summary = outcome.summary
        if summary is not None:
            sizes["summary line_roles"] += deep_size(summary.line_roles, seen)
            sizes["summary measures"] += deep_size(summary.measures, seen)
            sizes["summary rest"] += deep_size(summary, seen)
    for outcome in outcomes:
        if outcome.facts is not None:
            for namespace, value in outcome.facts.facts.items():
                sizes[f"facts {namespace}"] += deep_size(value, seen)
            sizes["facts rest"] += deep_size(outcome.facts, seen)
    for outcome in outcomes:
        sizes["problems"] += deep_size(outcome.problems, seen)
    return dict(sizes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--sizes", action="store_true", help="also break the map results down by part (slow)")
    parser.add_argument("--trace", type=int, default=None, metavar="N",
                        help="trace Python allocations (tracemalloc: live and peak per phase; slower) and print "
                             "the N largest allocation sites still live after each phase (0: none)")
    parser.add_argument("--watch", action="append", default=[], metavar="MODULE:FUNCTION",
                        help="also measure calls of this function as a phase (e.g. "
                             "srcaudit_plugins.consistency.topics:stories); repeatable")
    args = parser.parse_args()
    for target in args.watch:
        module_name, _, function_name = target.partition(":")
        _watch(importlib.import_module(module_name), function_name)
    global TOP
    if args.trace is not None:
        TOP = args.trace
        tracemalloc.start()

    session = open_session(None, args.folder)
    map_all = engine.map_all

    def mapped(*a: Any, **k: Any) -> list[engine.DocumentOutcome]:
        outcomes = _phase("map phase (results in the main process)", map_all)(*a, **k)
        if args.sizes:
            start = time.perf_counter()
            sizes = outcome_sizes(outcomes)
            total = sum(sizes.values())
            print(f"map results: {total / MB:,.1f} MB in {len(outcomes):,} outcomes "
                  f"({total / max(1, len(outcomes)) / 1024:.1f} KB a document; walked in "
                  f"{time.perf_counter() - start:.1f} s)")
            for part, size in sorted(sizes.items(), key=lambda kv: -kv[1]):
                if size >= 0.05 * MB:
                    print(f"  {size / MB:9.1f} MB  {size / max(1, len(outcomes)):8.0f} B/doc  {part}")
        return outcomes

    engine.map_all = mapped
    engine.call_impl = _phased_call_impl(engine.call_impl)
    incremental.call_impl = _phased_call_impl(incremental.call_impl)
    engine.assign_fingerprints = _phase("fingerprints", engine.assign_fingerprints)
    check._sift = _phase("sifting (suppressions, baseline)", check._sift)
    _reset_peak()
    report = run_check(session, CheckOptions(paths=[str(args.folder)], jobs=args.jobs))
    ROWS.append(("after run_check", _status("VmRSS") / MB, _status("VmHWM") / MB, 0.0, *_traced()))
    if args.sizes:
        seen: set[int] = set()
        by_code: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for finding in report.findings:
            entry = by_code[finding.code]
            entry[0] += 1
            entry[1] += deep_size(finding, seen)
        print("reported findings (objects shared with earlier findings counted once):")
        for code, (count, size) in sorted(by_code.items(), key=lambda kv: -kv[1][1]):
            print(f"  {size / MB:9.1f} MB  {count:9,} findings  {size / count:6.0f} B each  {code}")
        print(f"  summaries: {deep_size(report.documents, seen) / MB:.1f} MB")
    reporter = session.reporters["json"]

    def render() -> None:
        with open(os.devnull, "w", encoding="utf-8") as sink:
            for piece in reporter.chunks(report):
                sink.write(piece)
    _phase("render json (streamed)", render)()
    del report
    gc.collect()
    print(f"{'phase':44s} {'RSS after MB':>12s} {'peak MB':>8s} {'CPU s':>6s} {'live MB':>8s} {'live peak':>9s}")
    for label, rss, peak, cpu, live, live_peak in ROWS:
        print(f"{label:44s} {rss:12.0f} {peak:8.0f} {cpu:6.2f} {live:8.0f} {live_peak:9.0f}")


if __name__ == "__main__":
    main()
