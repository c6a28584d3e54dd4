"""Map a corpus once for the syndication rules alone and pickle its facts (for reduce benchmarks).

Usage: ``python bench/syndication_facts.py FOLDER OUT.pickle [--jobs 2]``.

Only DUP002 and DUP004 run, so the map phase does no other plugin's work; the pickle
holds the list of :class:`srcaudit.corpus.DocumentFacts` (sorted by path), ready for
``Corpus(tuple(...))``: see ``bench/syndication_update.py``.
"""

from __future__ import annotations

import argparse
import pickle
import time
from pathlib import Path

from srcaudit.config import resolve_rules
from srcaudit.discovery import discover
from srcaudit.engine import RunSettings, map_all
from srcaudit.session import open_session


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder")
    parser.add_argument("out")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    session = open_session(None, Path(args.folder))
    resolved = resolve_rules(session.config, session.rules, select=["DUP002", "DUP004"])
    sources, _ = discover([args.folder], session.config)
    settings = RunSettings(rules=resolved.active, max_file_size=session.config.max_file_size,
                           plugin_modules=tuple(session.config.plugins))
    start = time.perf_counter()
    outcomes = map_all(sources, settings, session.manager, args.jobs)
    facts = sorted((o.facts for o in outcomes if o.facts is not None), key=lambda f: f.path)
    print(f"mapped {len(facts)} documents in {time.perf_counter() - start:.1f} s")
    with open(args.out, "wb") as handle:
        pickle.dump(facts, handle, protocol=pickle.HIGHEST_PROTOCOL)


if __name__ == "__main__":
    main()
