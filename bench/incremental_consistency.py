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

import numpy as np

NAMESPACE = "consistency"
args_verify = False

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
    parser.add_argument("--verify", action="store_true", help="also compare each update with a full reduce (slow)")
    args = parser.parse_args()
    global args_verify
    args_verify = args.verify
    start = time.perf_counter()
    documents, rules = load_facts(args.folder, args.facts, args.jobs)
    print(f"facts of {len(documents)} documents: {time.perf_counter() - start:.1f} s wall", file=sys.stderr)
    if args.map_only:
        return
    run(documents, rules)


class _View:
    """The engine's view for an update: paths, and facts loaded only through ``subset`` (counted)."""

    def __init__(self, documents: dict[str, DocumentFacts]) -> None:
        self.all, self.paths, self.loaded, self.calls = documents, tuple(sorted(documents)), 0, 0

    def subset(self, paths):
        chosen = sorted({p for p in paths if p in self.all})
        self.loaded += len(chosen)
        self.calls += 1
        return Corpus(tuple(self.all[p] for p in chosen))


def _edited(document: DocumentFacts, kind: str) -> DocumentFacts:
    """``document`` with one fact changed as an edit of its text would: a figure's value, or a
    person's name respelled (a doubled last letter)."""
    from srcaudit_plugins.consistency.packed import Packed  # noqa: PLC0415
    facts = dict(document.facts[NAMESPACE])
    if kind == "figure":
        rows = [list(row) for row in facts["figures"].rows()]
        if rows:
            for column in (1, 2, 3):  # value, low, high
                rows[0][column] = rows[0][column] * 1.5 + 1
        facts["figures"] = Packed.pack("figures", [tuple(row) for row in rows])
    else:
        rows = list(facts["people"].rows())
        if rows:
            name, key, mentions, titles = rows[0]
            mentions = tuple((surface + "x", spelling + "x", region) for surface, spelling, region in mentions)
            rows[0] = (name + "x", key + "x", mentions, titles)
        facts["people"] = Packed.pack("people", rows)
    return DocumentFacts(document.path, document.content_hash + kind, document.line_count, {NAMESPACE: facts})


def run(documents: list[DocumentFacts], rules) -> None:
    from srcaudit_plugins import consistency  # noqa: PLC0415
    from srcaudit_plugins.consistency import incremental  # noqa: PLC0415
    corpus = Corpus(tuple(documents))
    start = time.process_time()
    findings = consistency._check_corpus(corpus, rules)
    reduce_time = time.process_time() - start
    start = time.process_time()
    state = incremental.corpus_state(corpus, rules)
    state_time = time.process_time() - start
    size = sum(getattr(state, name).nbytes for name in state.__dataclass_fields__
               if hasattr(getattr(state, name), "nbytes"))
    blob = pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL)
    start = time.perf_counter()
    pickle.loads(blob)
    load_time = time.perf_counter() - start
    print(f"full reduce {reduce_time:.2f} s CPU, state {state_time:.2f} s CPU; state arrays {size / 1e6:.1f} MB, "
          f"pickled {len(blob) / 1e6:.1f} MB, unpickled in {load_time * 1000:.0f} ms; {len(findings)} findings")
    by_path = {d.path: d for d in documents}
    group = state.group
    rnd = random.Random(7)
    leaders = [documents[i].path for i in rnd.sample(np.flatnonzero(group == np.arange(len(group))).tolist(), 3)]
    copies = [documents[i].path for i in rnd.sample(np.flatnonzero(group != np.arange(len(group))).tolist(), 3)]
    edits = [("copy figure", p, "figure") for p in copies] + [("leader figure", p, "figure") for p in leaders] + \
        [("copy respelled", copies[0], "name"), ("leader respelled", leaders[0], "name"),
         ("leader removed", leaders[1], "remove"), ("copy sorting first", leaders[2], "first"),
         ("new unique text", copies[1], "unique"), ("25 edits at once", "", "many")]
    for label, path, kind in edits:
        edited = dict(by_path)
        changed, removed = frozenset([path]), frozenset()
        if kind == "many":  # 20 copies' and 5 leaders' figures
            many = rnd.sample(np.flatnonzero(group != np.arange(len(group))).tolist(), 20) + \
                rnd.sample(np.flatnonzero(group == np.arange(len(group))).tolist(), 5)
            for index in many:
                edited[documents[index].path] = _edited(documents[index], "figure")
            changed = frozenset(documents[index].path for index in many)
        elif kind == "remove":
            del edited[path]
            changed, removed = frozenset(), frozenset([path])
        elif kind in ("first", "unique"):  # a new document: a copy of a group's leader sorting before it, or new text
            head, _, name = path.rpartition("/")
            new = f"{head}/0{name}"
            facts = dict(by_path[path].facts[NAMESPACE])
            if kind == "unique":
                facts["topic"] = np.random.default_rng(3).integers(0, 2**32, 128, dtype=np.uint32)
            edited[new] = DocumentFacts(new, "new", by_path[path].line_count, {NAMESPACE: facts})
            changed = frozenset([new])
        else:
            edited[path] = _edited(by_path[path], kind)
        view = _View(edited)
        change = incremental.CorpusChange(state, changed, removed)
        start = time.process_time()
        result = incremental.update(view, change, rules)
        took = time.process_time() - start
        if result is None:
            print(f"{label:18s} {path}: full reduce asked ({took * 1000:.0f} ms)")
            continue
        print(f"{label:18s} {path}: update {took * 1000:.0f} ms CPU, {len(result.affected)} affected, "
              f"{view.loaded} documents loaded in {view.calls} subsets, {len(result.findings)} findings")
        if args_verify:
            full = consistency._check_corpus(Corpus(tuple(edited[p] for p in sorted(edited))), rules)
            base = [f for f in findings if f.path in edited and f.path not in result.affected]
            want = sorted((f for f in full), key=lambda f: f.path)
            got = sorted(base + result.findings, key=lambda f: f.path)
            print("   identical to a full reduce:", want == got)


if __name__ == "__main__":
    main()
