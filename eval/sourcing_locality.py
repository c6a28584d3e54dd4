"""How much of the five rules' cost is CPU-cache locality: their hooks timed in batches.

    python eval/sourcing_locality.py DATA_FOLDER [--batches 1,16,64,256] [--rounds 1]

Reads and classifies every document of DATA_FOLDER once (a ``--jobs 1`` check with only
the boilerplate rules, which mark the lines), then runs the map-phase hooks of the
readability, sourcing and metadata plugins (ATT003, ATT004, MET001, MET002, RDB001) and of
the duplicates and consistency plugins over the documents, a batch at a time: each
plugin over the whole batch, then the next plugin. A batch of 1 is the engine's order
(every plugin on one document, then the next document); larger batches keep each
plugin's tables, caches and compiled patterns in the CPU cache while it runs. Prints
the process CPU time of each plugin per batch size. The plugins' caches are emptied
before each run, so every run starts cold alike.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path

import srcaudit_plugins.consistency as consistency
import srcaudit_plugins.duplicates as duplicates
import srcaudit_plugins.metadata as metadata
import srcaudit_plugins.readability as readability
import srcaudit_plugins.sourcing as sourcing

from srcaudit import engine
from srcaudit.api import ActiveRules, Document
from srcaudit.check import CheckOptions, run_check
from srcaudit.config import resolve_rules
from srcaudit.session import open_session


def classified_documents(folder: Path) -> tuple[list[Document], ActiveRules]:
    """Every document of ``folder`` with its line roles, and the folder's active rules."""
    documents: list[Document] = []
    classify = engine._classify_lines

    def keep(document, rules, hook, outcome):  # type: ignore[no-untyped-def]
        classified = classify(document, rules, hook, outcome)
        documents.append(classified)
        return classified

    engine._classify_lines = keep
    try:
        session = open_session(None, folder)
        run_check(session, CheckOptions(paths=[str(folder)], jobs=1, select=["BOI001", "BOI002"]))
    finally:
        engine._classify_lines = classify
    return documents, resolve_rules(session.config, session.rules).active


def steps(rules: ActiveRules) -> dict[str, Callable[[Document], object]]:
    """Each plugin's map-phase work on one document (check and measure hooks share a memo)."""
    def both(module):  # type: ignore[no-untyped-def]
        return lambda d: (module.srcaudit_check_document(d, rules), module.srcaudit_measure_document(d, rules))
    return {"readability": both(readability), "sourcing": both(sourcing), "metadata": both(metadata),
            "duplicates": lambda d: duplicates.srcaudit_check_document(document=d, rules=rules),
            "consistency": lambda d: consistency.srcaudit_extract_facts(document=d, rules=rules)}


def run(documents: list[Document], rules: ActiveRules, batch: int) -> dict[str, float]:
    readability._SYLLABLE_CACHE.clear()
    sourcing._scan.cache_clear()
    sourcing._paragraph_words.cache_clear()
    work = steps(rules)
    seconds = dict.fromkeys(work, 0.0)
    for first in range(0, len(documents), batch):
        chunk = documents[first:first + batch]
        for name, step in work.items():
            start = time.process_time()
            for document in chunk:
                step(document)
            seconds[name] += time.process_time() - start
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--batches", default="1,16,64,256")
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    documents, rules = classified_documents(args.folder)
    for module in (readability, sourcing, metadata, duplicates, consistency):
        if hasattr(module, "srcaudit_prepare"):
            module.srcaudit_prepare(rules)
    five = ("readability", "sourcing", "metadata")
    for _ in range(args.rounds):
        for batch in (int(size) for size in args.batches.split(",")):
            seconds = run(documents, rules, batch)
            cells = "  ".join(f"{name} {value:.3f}" for name, value in seconds.items())
            print(f"batch {batch:4d}: {cells}  | the five {sum(seconds[n] for n in five):.3f}"
                  f"  all {sum(seconds.values()):.3f} s")


if __name__ == "__main__":
    main()
