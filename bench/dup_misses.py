"""Why DUP002 misses planted copies: classify each missed recall target of the scale benchmark.

Usage::

    python bench/dup_misses.py /tmp/srcaudit-bench/corpus-10000 REPORT.json [--examples N]

REPORT.json is a ``srcaudit check --format json`` report of that corpus (all rules), made
by the code this script imports (the line roles are recomputed here, not read). Each
missed target (exact or 1-3-word-edited planted paragraph of at least 8 words, as scored by
``bench/scale.py``) is put in one class, from the line roles the boilerplate classifier
gives the copy and its source:

* ``copy-nonbody`` / ``source-nonbody``: the paragraph is not body text in the copy (or in
  every document holding the source paragraph), so the syndication facts never index it;
* ``short``: body on both sides but under DUP002's minimum word count (after edits);
* ``matcher``: body on both sides and long enough: the LSH index or the confirmation failed.

It also prints the classifier's view of the missed paragraphs (word count, stop-word share,
whether it ends like a sentence) so that a fix can be judged on the shape of what is lost.
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scale import MIN_WORDS, origin_map, score  # noqa: E402  (the benchmark's own scoring)

from srcaudit.document import Document  # noqa: E402
from srcaudit.text import words  # noqa: E402
from srcaudit_plugins.boilerplate import classify_document  # noqa: E402
from srcaudit_plugins.boilerplate.signals import line_signals  # noqa: E402


def _covered(truth: dict, report: dict) -> dict[tuple[str, int], set[str]]:
    """(path, line) of every planted paragraph -> source keys of the documents DUP002 relates it to."""
    origin_at = origin_map(truth)
    covered: dict[tuple[str, int], set[str]] = {}
    for finding in report["findings"]:
        if finding["code"] != "DUP002":
            continue
        keys = {origin_at.get((r["path"], line)) for r in finding["related"]
                for line in range(r["line"], r["end_line"] + 1)}
        for line in range(finding["line"], finding["end_line"] + 1):
            covered.setdefault((finding["path"], line), set()).update(keys)
    return covered


class _Roles:
    """Line roles of corpus documents, computed once per file."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.cache: dict[str, tuple[Document, list[str | None]]] = {}

    def get(self, path: str) -> tuple[Document, list[str | None]]:
        if path not in self.cache:
            document = Document.from_bytes(path, (self.root / path).read_bytes())
            self.cache[path] = document, classify_document(document)
        return self.cache[path]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("report", type=Path)
    parser.add_argument("--examples", type=int, default=3, help="examples printed per class")
    parser.add_argument("--min-words", type=int, default=8, help="DUP002 min_words")
    args = parser.parse_args()
    truth = json.loads(Path(f"{args.corpus}.truth.json").read_text(encoding="utf-8"))
    report = json.loads(args.report.read_text(encoding="utf-8"))
    print(json.dumps({k: v for k, v in score(truth, report).items() if k != "wrong_examples"}))
    covered = _covered(truth, report)
    roles = _Roles(args.corpus)
    classes: collections.Counter[str] = collections.Counter()
    shapes: collections.Counter[str] = collections.Counter()
    examples: dict[str, list[str]] = collections.defaultdict(list)
    for path, planted in truth["copies"].items():
        for item in planted:
            if item["words"] < MIN_WORDS or item["kind"] not in ("exact", "edited"):
                continue
            key = truth["keys"][item["source"]][item["paragraph"]]
            if key in covered.get((path, item["line"]), set()):
                continue
            document, line_roles = roles.get(path)
            line = document.lines[item["line"] - 1]
            source_doc, source_roles = roles.get(item["source"])
            source_line = truth["originals"][item["source"]][item["paragraph"]]
            copy_role = line_roles[item["line"] - 1]
            source_role = source_roles[source_line - 1]
            if copy_role is not None:
                kind = f"copy-nonbody:{copy_role}"
            elif source_role is not None:
                kind = f"source-nonbody:{source_role}"
            elif len(words(line)) < args.min_words:
                kind = "short"
            else:
                kind = "matcher"
            kind += f":{item['kind']}"
            classes[kind] += 1
            signals = line_signals(line, words(line))
            shapes[f"{kind} len{min(signals.length // 10 * 10, 60)} stop{signals.stop_share >= 0.12:d} "
                   f"sent{signals.sentence_like:d}"] += 1
            if len(examples[kind]) < args.examples:
                examples[kind].append(f"{path}:{item['line']} ({item['source']}:{source_line}) "
                                      f"words={item['words']} edits={item['edits']} "
                                      f"stop={signals.stop_share:.2f} cap={signals.capital_share:.2f}: {line[:160]}")
    print(f"missed {sum(classes.values())}")
    for kind, count in classes.most_common():
        print(f"{count:6d} {kind}")
        for example in examples[kind]:
            print(f"         {example}")
    print("shapes (length bucket, stop share >= 0.12, sentence-like):")
    for shape, count in shapes.most_common(30):
        print(f"{count:6d} {shape}")


if __name__ == "__main__":
    main()
