"""Full consistency reduce + state against an incremental update after one edit, at scale.

Usage: ``python bench/incremental_consistency.py FOLDER --facts FILE [--edits N]``.
Maps ``FOLDER`` once with the consistency rules only and pickles the documents' facts to
``FILE`` (reused on later runs: the map phase of 100k documents takes minutes), then times
``_check_corpus`` + :func:`incremental.corpus_state` (the cold reduce) against
:func:`incremental.update` after editing one document's facts (a copy's figure, a story
leader's figure, a respelled name), and checks that the update's findings equal a full
reduce's on the affected paths. Process time, so other load on the machine matters less.
"""

from __future__ import annotations

import argparse
import pickle
import random
import sys
import time
from pathlib import Path

from srcaudit.config import resolve_rules
from srcaudit.corpus import Corpus, DocumentFacts
from srcaudit.discovery import discover
from srcaudit.engine import RunSettings, map_all
from srcaudit.session import open_session

CODES = ["ATT001", "ATT002", "CON001", "CON002"]


def build_facts(folder: str, jobs: int) -> tuple[list[DocumentFacts], object]:
    """Every document's facts (consistency rules only), mapped with ``jobs`` processes."""
    session = open_session(None, Path(folder))
    resolved = resolve_rules(session.config, session.rules, select=CODES, extend_select=[], ignore=[])
    sources, _ = discover([folder], session.config)
    settings = RunSettings(rules=resolved.active, max_file_size=session.config.max_file_size,
                           plugin_modules=tuple(session.config.plugins))
    outcomes = map_all(sources, settings, session.manager, jobs, compact=True)
    return [o.facts for o in outcomes if o.facts is not None], resolved.active


def load_facts(folder: str, facts: Path, jobs: int) -> tuple[list[DocumentFacts], object]:
    if facts.exists():
        with facts.open("rb") as handle:
            return pickle.load(handle)
    documents, rules = build_facts(folder, jobs)
    with facts.open("wb") as handle:
        pickle.dump((documents, rules), handle, protocol=pickle.HIGHEST_PROTOCOL)
    return documents, rules


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder")
    parser.add_argument("--facts", type=Path, required=True)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--map-only", action="store_true")
    args = parser.parse_args()
    start = time.perf_counter()
    documents, rules = load_facts(args.folder, args.facts, args.jobs)
    print(f"facts of {len(documents)} documents: {time.perf_counter() - start:.1f} s wall", file=sys.stderr)
    if args.map_only:
        return


if __name__ == "__main__":
    main()
