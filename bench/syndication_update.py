"""The syndication plugin's warm run against its full reduce, on facts pickled by bench/syndication_facts.py.

Usage: ``python bench/syndication_update.py FACTS.pickle CORPUS_FOLDER [--edits N] [--seed S] [--verify]``.

Times (CPU, ``process_time``) a full reduce (check_corpus + measure_corpus) with and
without building the state, the state's size (arrays, pickled) and its pickle load time;
then, for each of ``--edits`` random changes (a document edited, removed, or added as a
copy that sorts first), the update and how many documents it loaded. ``--verify`` also
runs a full reduce of each edited corpus and compares (as the engine merges: the base's
results of unaffected paths plus the update's). Facts of an edited document are extracted
from its text in CORPUS_FOLDER with one paragraph dropped and one word changed.
"""

from __future__ import annotations

import argparse
import pickle
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from srcaudit.corpus import Corpus, DocumentFacts
from srcaudit.document import Document
from srcaudit.rules import ActiveRules
from srcaudit.text import prepare_signing

from srcaudit_plugins import syndication
from srcaudit_plugins.syndication import facts, incremental
from srcaudit_plugins.syndication.rules import DUP002, DUP004

CLOCK = time.process_time


class SeamCorpus:
    """``Corpus`` with the seam's ``paths`` and ``subset`` (facts in memory; counts loads)."""

    def __init__(self, documents: list[DocumentFacts]) -> None:
        self.documents = tuple(sorted(documents, key=lambda d: d.path))
        self.by_path = {d.path: d for d in self.documents}
        self.loaded = 0

    @property
    def paths(self) -> tuple[str, ...]:
        return tuple(self.by_path)

    def subset(self, paths) -> Corpus:
        chosen = sorted({p for p in paths if p in self.by_path})
        self.loaded += len(chosen)
        return Corpus(tuple(_fresh(self.by_path[p]) for p in chosen))

    def facts(self, namespace: str):
        return Corpus(self.documents).facts(namespace)

    def release(self, namespace: str) -> None:
        pass  # the benchmark reuses the facts

    def __len__(self) -> int:
        return len(self.documents)


def _fresh(document: DocumentFacts) -> DocumentFacts:
    return DocumentFacts(document.path, document.content_hash, document.line_count, dict(document.facts))


@dataclass(frozen=True)
class Change:
    state: object
    changed: frozenset[str]
    removed: frozenset[str]


def _rules() -> ActiveRules:
    return ActiveRules({rule.code: {o.name: o.default for o in rule.options} for rule in (DUP002, DUP004)})


def _full(documents: list[DocumentFacts], rules: ActiveRules):
    """check_corpus, measure_corpus and corpus_state, as a full reduce runs them: CPU s and results."""
    corpus = SeamCorpus(documents)
    start = CLOCK()
    findings = list(syndication.srcaudit_check_corpus(corpus, rules))
    measures = dict(syndication.srcaudit_measure_corpus(corpus, rules))
    state = syndication.corpus_state(corpus, rules)
    return CLOCK() - start, findings, measures, state


def _matching(documents: list[DocumentFacts], rules: ActiveRules, keep_state: bool) -> float:
    """CPU s of the matching alone, with or without building the state."""
    corpus = SeamCorpus(documents)
    start = CLOCK()
    syndication._copies(corpus, rules, keep_state=keep_state)
    took = CLOCK() - start
    syndication._state = None
    return took


def _edited(folder: Path, document: DocumentFacts, rng: random.Random) -> DocumentFacts:
    text = (folder / document.path).read_text(encoding="utf-8")
    parts = text.split("\n\n")
    if len(parts) > 2:
        del parts[rng.randrange(1, len(parts))]
    words = parts[-1].split(" ")
    words[rng.randrange(len(words))] = "changed"
    parts[-1] = " ".join(words)
    edited = Document.from_text(document.path, "\n\n".join(parts))
    return DocumentFacts(document.path, "edited", len(edited.lines), {facts.NAMESPACE: facts.extract(edited, 8)})


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("facts")
    parser.add_argument("folder")
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--verify", action="store_true")
    args = parser.parse_args()
    prepare_signing(facts.NUM_PERM)
    with open(args.facts, "rb") as handle:
        documents: list[DocumentFacts] = pickle.load(handle)
    rules = _rules()
    building = []
    original = incremental.build_state

    def timed(*args, **kwargs):
        start = CLOCK()
        try:
            return original(*args, **kwargs)
        finally:
            building.append(CLOCK() - start)

    incremental.build_state = timed
    for _ in range(2):
        plain, with_state = _matching(documents, rules, False), _matching(documents, rules, True)
        print(f"matching of {len(documents)} documents: {plain:.2f} s CPU without the state, {with_state:.2f} s "
              f"with it, of which building the state {building[-1]:.2f} s")
    seconds, findings, measures, state = _full(documents, rules)
    print(f"full reduce (check, measure, state): {seconds:.2f} s CPU")
    blob = pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL)
    start = time.perf_counter()
    pickle.loads(blob)
    print(f"state: arrays {state.nbytes() / 1e6:.1f} MB, pickled {len(blob) / 1e6:.1f} MB, "
          f"load {1000 * (time.perf_counter() - start):.1f} ms; shared-bucket leaders {len(state.shared_key)}, "
          f"band index {len(state.bands)} entries")
    rng = random.Random(args.seed)
    by_path = {d.path: d for d in documents}
    paths = sorted(by_path)
    for number in range(args.edits):
        kind = ("edit", "remove", "add first")[number % 3]
        target = rng.choice(paths)
        current = dict(by_path)
        if kind == "edit":
            current[target] = _edited(Path(args.folder), by_path[target], rng)
            changed, removed = frozenset([target]), frozenset()
        elif kind == "remove":
            del current[target]
            changed, removed = frozenset(), frozenset([target])
        else:
            new = "!first" + target  # sorts before every path
            current[new] = DocumentFacts(new, "copy", by_path[target].line_count, dict(by_path[target].facts))
            changed, removed = frozenset([new]), frozenset()
        corpus = SeamCorpus(list(current.values()))
        start = CLOCK()
        result = incremental.update(corpus, changed, removed, state, syndication._layout(rules),
                                    syndication._thresholds(rules), syndication._reporting(rules))
        took = CLOCK() - start
        if result is None:
            print(f"{kind} {target}: full reduce asked for ({took:.3f} s)")
            continue
        print(f"{kind} {target}: update {1000 * took:.0f} ms CPU, affected {len(result.affected)}, "
              f"loaded {corpus.loaded}, findings {len(result.findings)}")
        if args.verify:
            _, again, again_measures, _ = _full(list(current.values()), rules)
            kept = [f for f in findings if f.path in current and f.path not in result.affected]
            merged_measures = {p: m for p, m in measures.items() if p in current and p not in result.affected}
            merged_measures |= result.measures
            same = sorted(map(repr, kept + result.findings)) == sorted(map(repr, again)) and \
                merged_measures == again_measures
            print(f"   verified against a full reduce: {'identical' if same else 'DIFFERENT'}")
            if not same:
                sys.exit(1)


if __name__ == "__main__":
    main()
