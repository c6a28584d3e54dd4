"""CPU of the consistency family's fact extraction alone, and the size of what it returns.

Usage: ``python bench/extract_facts.py FOLDER [--parts] [--cprofile N]``.

Reads and line-classifies every document first (not timed), then times
``srcaudit_extract_facts`` of the consistency plugin over all of them in one process
(``process_time``: CPU seconds, so other load on the machine matters less). The first
pass is cold, as in a fresh worker process (per-word caches empty); ``--passes`` more are
printed too. Then the facts are pickled as the engine does (one outcome per document,
sent back from a worker and stored in the cache): total pickle size, dump and load time;
then what keeping them costs the main process (compacting, memory alive, freeing).
``--parts`` splits the time between people, quotes, figures and the topic signature.
"""

from __future__ import annotations

import argparse
import importlib
import cProfile
import pickle
import pstats
import sys
import time
from pathlib import Path

from srcaudit.discovery import discover
from srcaudit.engine import _classify_lines, DocumentOutcome, read_document
from srcaudit.session import open_session
from srcaudit.config import resolve_rules


def _documents(folder: str):
    session = open_session(None, Path(folder))
    resolved = resolve_rules(session.config, session.rules)
    sources, _ = discover([folder], session.config)
    hook = session.manager.hook
    documents = []
    for source in sources:
        document = read_document(source, session.config.max_file_size)
        documents.append(_classify_lines(document, resolved.active, hook, DocumentOutcome(source)))
    return documents, resolved.active


def _parts(documents) -> None:
    """Time each part of the extraction apart (the per-word caches are warm by now)."""
    from srcaudit.people import find_people
    from srcaudit.quotes import find_quotes

    module = importlib.import_module("srcaudit_plugins.consistency.extract")
    clock = time.process_time
    totals = dict.fromkeys(("spans", "people", "quotes", "figures", "topic"), 0.0)
    for document in documents:
        start = clock()
        spans = module.body_spans(document)
        totals["spans"] += clock() - start
        start = clock()
        finder = find_people(document.text, spans)
        totals["people"] += clock() - start
        start = clock()
        find_quotes(document.text, spans, finder)
        totals["quotes"] += clock() - start
        start = clock()
        module._figures(document, spans)
        totals["figures"] += clock() - start
        start = clock()
        module.topic_signature(p.text for p in document.body_paragraphs)
        totals["topic"] += clock() - start
    for name, seconds in totals.items():
        print(f"  part {name:8s} {seconds:6.3f} s")


def _kept(blobs: list[bytes]) -> None:
    """What the main process pays to keep the facts: compacting them as they arrive, their memory, freeing them."""
    import gc
    import tracemalloc

    from srcaudit.engine import FactCompactor

    gc.disable()  # as in a run (srcaudit.gcpause): no collections in the timings
    results = [pickle.loads(blob) for blob in blobs]
    compactor = FactCompactor()
    start = time.process_time()
    kept = [compactor.value(r) for r in results]
    compacted = time.process_time() - start
    del results, kept
    tracemalloc.start()  # what the compacted facts hold, measured apart (tracing slows the timings)
    kept = [compactor.value(pickle.loads(blob)) for blob in blobs]
    size = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    start = time.process_time()
    del kept
    freed = time.process_time() - start
    gc.enable()
    print(f"kept: compact {compacted:.3f} s, {size / 1e6:.1f} MB alive, free {freed:.3f} s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder")
    parser.add_argument("--passes", type=int, default=1, help="warm passes after the cold one")
    parser.add_argument("--cprofile", type=int, default=0, help="profile the cold pass, top N by own time")
    parser.add_argument("--parts", action="store_true", help="time people/quotes/topic apart (warm)")
    args = parser.parse_args()
    documents, rules = _documents(args.folder)
    from srcaudit_plugins.consistency import srcaudit_extract_facts

    profiler = cProfile.Profile() if args.cprofile else None
    results = []
    for index in range(1 + args.passes):
        if profiler and index == 0:
            profiler.enable()
        start = time.process_time()
        results = [srcaudit_extract_facts(document=d, rules=rules) for d in documents]
        seconds = time.process_time() - start
        if profiler and index == 0:
            profiler.disable()
        print(f"pass {index} ({'cold' if index == 0 else 'warm'}): {seconds:.3f} s CPU, {len(documents)} documents")
    start = time.process_time()
    blobs = [pickle.dumps(r, protocol=pickle.HIGHEST_PROTOCOL) for r in results]
    dumped = time.process_time() - start
    start = time.process_time()
    for blob in blobs:
        pickle.loads(blob)
    loaded = time.process_time() - start
    print(f"pickle: {sum(map(len, blobs)) / 1e6:.2f} MB, dump {dumped:.3f} s, load {loaded:.3f} s")
    _kept(blobs)
    if args.parts:
        _parts(documents)
    if profiler:
        pstats.Stats(profiler, stream=sys.stdout).sort_stats("tottime").print_stats(args.cprofile)


if __name__ == "__main__":
    main()
