"""Scale benchmark: plant perturbed copies of a real corpus, time `srcaudit check`, score DUP002.

Usage::

    python bench/scale.py /work/shared/data/news-bbc --docs 10000 --out /tmp/srcaudit-bench
    python bench/scale.py /work/shared/data/news-bbc --docs 100000 --out /tmp/srcaudit-bench --reuse

The corpus is written under ``OUT/corpus-N/`` (outside the repository): the originals in
``a-originals/`` and the planted copies in ``b-copies/`` (so copies come later in path
order, where DUP002 reports). Each copy takes one original and, at random: shuffles its
paragraphs, drops paragraphs, drops one sentence of some paragraphs, and edits 1-3 words
(replace, insert or delete) of others; the rest stay exact. What was planted where is
written to ``OUT/corpus-N.truth.json``.

Scores (DUP002):

* recall: planted paragraphs that are exact or have 1-3 words edited and at least 8 words,
  found at their line with a related document that holds the same source paragraph
  (the original, or an earlier copy of it);
* precision: (finding, related document) pairs on copies where the related document holds
  a source paragraph of the flagged lines. Pairs between two originals are counted apart:
  they are duplicates already in the source corpus (the BBC set has some), not planted.

Timing: wall time of the whole ``srcaudit check`` process, documents/s, MB/s, and the peak
RSS of the largest process of its tree (``wait4``). Run on a quiet machine for figures you
quote; the script prints ``uptime`` alongside.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from srcaudit.document import Document
from srcaudit.text import comparison_key, sentence_spans, word_spans, words

MIN_WORDS = 8


@dataclass
class Original:
    path: str  # relative to the corpus root
    title: str
    paragraphs: list[str]  # body paragraphs, as written


def load_originals(folders: list[Path]) -> list[Original]:
    """Documents of at least two paragraphs from each folder (the folder's name prefixes
    the file name when there are several folders, so names cannot collide)."""
    originals = []
    for folder in folders:
        prefix = f"{folder.name}-" if len(folders) > 1 else ""
        for source in sorted(folder.iterdir()):
            if not source.is_file() or source.suffix.lower() not in (".txt", ".md"):
                continue
            try:
                document = Document.from_bytes(source.name, source.read_bytes())
            except ValueError:
                continue
            if len(document.paragraphs) < 2:
                continue
            originals.append(Original(f"a-originals/{prefix}{source.name}", document.paragraphs[0].text,
                                      [p.text for p in document.paragraphs[1:]]))
    return originals


def choose_originals(originals: list[Original], total: int, copies_per_original: float | None,
                     seed: int) -> list[Original]:
    """All originals, or (``copies_per_original``) a seeded sample sized so that each has that
    many copies on average: the copy structure then stays the same at every corpus size."""
    if copies_per_original is None:
        return originals
    wanted = max(1, round(total / (copies_per_original + 1)))
    if wanted > len(originals):
        raise SystemExit(f"--copies-per-original {copies_per_original} at {total} documents needs {wanted} "
                         f"originals; the data folders hold {len(originals)}")
    return sorted(random.Random(seed).sample(originals, wanted), key=lambda o: o.path)


def _edit_words(text: str, count: int, vocabulary: list[str], rng: random.Random) -> str:
    for _ in range(count):
        spans = word_spans(text)
        if not spans:
            return text
        start, end = spans[rng.randrange(len(spans))]
        operation = rng.choice(("replace", "insert", "delete"))
        if operation == "replace":
            text = text[:start] + rng.choice(vocabulary) + text[end:]
        elif operation == "insert":
            text = text[:start] + rng.choice(vocabulary) + " " + text[start:]
        elif len(spans) > 1:
            text = text[:start] + text[end:].lstrip(" ")
    return text


def _drop_sentence(text: str, rng: random.Random) -> str | None:
    spans = sentence_spans(text)
    if len(spans) < 2:
        return None
    start, end = spans[rng.randrange(len(spans))]
    return (text[:start] + text[end:]).strip().replace("  ", " ")


def plant_copy(original: Original, vocabulary: list[str], rng: random.Random) -> tuple[str, list[dict]]:
    """The text of one perturbed copy and, per body paragraph, what was planted."""
    body = list(enumerate(original.paragraphs))
    if rng.random() < 0.5:
        rng.shuffle(body)
    blocks = [original.title]
    planted = []
    line = original.title.count("\n") + 3  # the first body paragraph's line
    for index, text in body:
        roll = rng.random()
        if roll < 0.1 and len(body) > 2:
            continue  # paragraph dropped
        kind, edits = "exact", 0
        if roll < 0.4:
            edits = rng.randint(1, 3)
            text, kind = _edit_words(text, edits, vocabulary, rng), "edited"
        elif roll < 0.55:
            shorter = _drop_sentence(text, rng)
            if shorter:
                text, kind = shorter, "sentence-dropped"
        blocks.append(text)
        planted.append({"line": line, "source": original.path, "paragraph": index, "kind": kind,
                        "edits": edits, "words": len(words(text))})
        line += text.count("\n") + 2
    return "\n\n".join(blocks) + "\n", planted


def build(folders: list[Path], root: Path, total: int, seed: int, copies_per_original: float | None = None) -> dict:
    originals = choose_originals(load_originals(folders), total, copies_per_original, seed)
    rng = random.Random(seed)
    vocabulary = sorted({w for o in originals[:200] for p in o.paragraphs for w in p.split() if w.isalpha()})
    if root.exists():
        shutil.rmtree(root)
    (root / "a-originals").mkdir(parents=True)
    (root / "b-copies").mkdir()
    for original in originals:
        text = original.title + "\n\n" + "\n\n".join(original.paragraphs) + "\n"
        (root / original.path).write_text(text, encoding="utf-8")
    copies = {}
    for number in range(max(0, total - len(originals))):
        original = originals[rng.randrange(len(originals))]
        text, planted = plant_copy(original, vocabulary, rng)
        path = f"b-copies/copy_{number:06d}.txt"
        (root / path).write_text(text, encoding="utf-8")
        copies[path] = planted
    keys = {o.path: [comparison_key(p) for p in o.paragraphs] for o in originals}
    titles = {o.path: comparison_key(o.title) for o in originals}
    return {"originals": {o.path: [1 + o.title.count("\n") + 2 + _line_offset(o.paragraphs, i)
                                   for i in range(len(o.paragraphs))] for o in originals},
            "keys": keys, "titles": titles, "copies": copies}


def _line_offset(paragraphs: list[str], index: int) -> int:
    return sum(p.count("\n") + 2 for p in paragraphs[:index])


def run_check(root: Path, jobs: int, report: Path, output_format: str = "json") -> dict:
    command = [sys.executable, "-c", "from srcaudit.cli import main; main()", "check",
               "--format", output_format, "--output", str(report),
               "--exit-zero", "--no-cache", "--jobs", str(jobs), "."]
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=root, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"srcaudit failed with status {os.waitstatus_to_exitcode(status)}")
    return {"wall_s": wall, "cpu_s": usage.ru_utime + usage.ru_stime, "peak_rss_mb": usage.ru_maxrss / 1024}


def origin_map(truth: dict) -> dict[tuple[str, int], str]:
    """(path, line) of every original and planted paragraph -> its source paragraph's key.

    Paragraph identity: original paragraphs with the same words are one source paragraph.
    """
    origin_at: dict[tuple[str, int], str] = {}
    for path, lines in truth["originals"].items():
        for index, line in enumerate(lines):
            origin_at[path, line] = truth["keys"][path][index]
    for path, planted in truth["copies"].items():
        for item in planted:
            origin_at[path, item["line"]] = truth["keys"][item["source"]][item["paragraph"]]
    return origin_at


def score(truth: dict, report: dict) -> dict:
    """Recall and precision of DUP002 against the planted copies (see the module docstring)."""
    origin_at = origin_map(truth)
    for path, planted in truth["copies"].items():
        if planted:  # copies keep their original's title, on line 1 (titles are not recall targets)
            origin_at[path, 1] = "title:" + truth["titles"][planted[0]["source"]]
    for path, title in truth["titles"].items():
        origin_at[path, 1] = "title:" + title

    def origins(path: str, first: int, last: int) -> set[str]:
        return {origin_at[path, line] for line in range(first, last + 1) if (path, line) in origin_at}

    findings = [f for f in report["findings"] if f["code"] == "DUP002"]
    # Reuse already present between originals (the BBC set republishes some text) is not an
    # error of the planted copies: paragraphs srcaudit links between two originals count as one.
    same = _Classes()
    for finding in findings:
        if finding["path"].startswith("a-originals/"):
            keys = origins(finding["path"], finding["line"], finding["end_line"])
            for related in finding["related"]:
                if related["path"].startswith("a-originals/"):
                    same.join(keys | origins(related["path"], related["line"], related["end_line"]))
    origin_at = {place: same.find(key) for place, key in origin_at.items()}
    covered: dict[tuple[str, int], set[str]] = {}
    correct = wrong = between_originals = 0
    wrong_examples = []
    for finding in findings:
        mine = origins(finding["path"], finding["line"], finding["end_line"])
        for related in finding["related"]:
            theirs = origins(related["path"], related["line"], related["end_line"])
            if finding["path"].startswith("a-originals/") and related["path"].startswith("a-originals/"):
                between_originals += 1
                continue
            if mine & theirs:
                correct += 1
            else:
                wrong += 1
                if len(wrong_examples) < 5:
                    wrong_examples.append(f"{finding['path']}:{finding['line']} {finding['message']}")
        for line in range(finding["line"], finding["end_line"] + 1):
            if (finding["path"], line) in origin_at:
                covered.setdefault((finding["path"], line), set()).update(
                    k for r in finding["related"] for k in origins(r["path"], r["line"], r["end_line"]))
    targets = found = 0
    by_kind: dict[str, list[int]] = {}
    for path, planted in truth["copies"].items():
        for item in planted:
            key = same.find(truth["keys"][item["source"]][item["paragraph"]])
            hit = key in covered.get((path, item["line"]), set())
            kind = by_kind.setdefault(item["kind"], [0, 0])
            if item["words"] >= MIN_WORDS:
                kind[0] += 1
                kind[1] += hit
            if item["words"] >= MIN_WORDS and item["kind"] in ("exact", "edited"):
                targets += 1
                found += hit
    return {
        "recall": found / targets if targets else None, "recall_targets": targets,
        "precision": correct / (correct + wrong) if correct + wrong else None,
        "pairs_correct": correct, "pairs_wrong": wrong, "pairs_between_originals": between_originals,
        "recall_by_kind": {k: f"{v[1]}/{v[0]}" for k, v in sorted(by_kind.items())},
        "wrong_examples": wrong_examples, "dup002_findings": len(findings),
        "dup004_findings": sum(1 for f in report["findings"] if f["code"] == "DUP004"),
    }


class _Classes:
    """Union-find over paragraph keys."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, key: str) -> str:
        while self.parent.get(key, key) != key:
            key = self.parent[key]
        return key

    def join(self, keys: set[str]) -> None:
        roots = sorted({self.find(k) for k in keys})
        for root in roots[1:]:
            self.parent[root] = roots[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", type=Path, nargs="+",
                        help="folder(s) of real documents, e.g. /work/shared/data/news-bbc")
    parser.add_argument("--docs", type=int, default=10000, help="total documents (originals + copies)")
    parser.add_argument("--out", type=Path, default=Path("/tmp/srcaudit-bench"), help="work folder (outside the repo)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--seed", type=int, default=20261122)
    parser.add_argument("--reuse", action="store_true", help="reuse a corpus generated before with the same --docs")
    parser.add_argument("--copies-per-original", type=float, default=None, metavar="K",
                        help="use only as many originals as give K copies each on average (a seeded sample), "
                             "so corpora of different sizes have the same copy structure; default: all originals "
                             "(copies per original then grow with --docs)")
    parser.add_argument("--generate-only", action="store_true", help="write the corpus and its truth, run nothing")
    parser.add_argument("--timing-only", action="store_true",
                        help="text output, no scores: time and memory of the check without the JSON report")
    args = parser.parse_args()
    name = f"corpus-{args.docs}" + (f"-k{args.copies_per_original:g}" if args.copies_per_original else "")
    root = args.out / name
    truth_path = args.out / f"{name}.truth.json"
    if not (args.reuse and truth_path.exists()):
        started = time.perf_counter()
        truth_path.parent.mkdir(parents=True, exist_ok=True)
        truth = build(args.data, root, args.docs, args.seed, args.copies_per_original)
        truth_path.write_text(json.dumps(truth), encoding="utf-8")
        print(f"generated {args.docs} documents in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    if args.generate_only:
        return
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    files = [p for p in root.rglob("*") if p.is_file()]
    megabytes = sum(p.stat().st_size for p in files) / 1e6
    load = subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()
    report_path = args.out / f"report-{name[len('corpus-'):]}.json"
    timing = run_check(root, args.jobs, report_path, "text" if args.timing_only else "json")
    result = {"documents": len(files), "originals": len(truth["originals"]),
              "copies_per_original": round((len(files) - len(truth["originals"])) / max(1, len(truth["originals"])), 1),
              "megabytes": round(megabytes, 1), "jobs": args.jobs, "load": load,
              **{k: round(v, 2) for k, v in timing.items()},
              "docs_per_s": round(len(files) / timing["wall_s"], 1),
              "mb_per_s": round(megabytes / timing["wall_s"], 2)}
    if not args.timing_only:
        result.update(score(truth, json.loads(report_path.read_text(encoding="utf-8"))))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
