"""Score the boilerplate classifier against human ground truth.

Usage::

    python eval/boilerplate.py /path/to/boilerplate-zyte [--split dev|test|all|each] [--worst N]

The folder holds ``pages/<id>.txt`` (a page saved as text, one line per block),
``line_labels.jsonl`` (per line: ``body``, ``boilerplate`` or ``short_in_body``, derived
from the human-annotated article bodies) and ``index.jsonl`` (per page: the true
boilerplate share by words). Prints the mean absolute error and Pearson r of
``boilerplate_share`` against the true share, and precision/recall/F1 for boilerplate
lines. ``short_in_body`` lines (fewer than 4 words found somewhere in the body) are
ambiguous: they are left out of the line scores, and a second F1 counts them as
boilerplate. ``--split`` scores only one half of the *sites* (by a hash of the domain),
so that settings chosen while looking at one half can be checked on the other
(``--split each`` prints dev, test and all in turn).

It also scores the corpus-phase refinement ``boilerplate_share_with_templates`` (body
lines printed by other pages of the folder count as template), with every page of the
folder as the corpus, as ``srcaudit check FOLDER`` would compute it.
"""

from __future__ import annotations

import argparse
import json
import math
import time
import zlib
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlparse

from srcaudit_plugins.boilerplate import boilerplate_share, classify_document
from srcaudit_plugins.boilerplate.templates import template_facts, template_measures
from srcaudit_plugins.boilerplate.tokens import line_summary

from srcaudit.corpus import Corpus, DocumentFacts
from srcaudit.document import Document


def site_half(url: str) -> str:
    """'dev' or 'test': a stable split by domain, so both pages of a site fall in one half."""
    host = urlparse(url).netloc.removeprefix("www.")
    return "dev" if zlib.crc32(host.encode()) % 2 == 0 else "test"


def pearson(xs: list[float], ys: list[float]) -> float:
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    return sxy / math.sqrt(sxx * syy) if sxx and syy else float("nan")


def f1(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    score = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, score


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--split", choices=("dev", "test", "all", "each"), default="all",
                        help="score one half of the sites, all pages, or each of the three in turn")
    parser.add_argument("--worst", type=int, default=0, help="list the N pages with the largest share error")
    args = parser.parse_args()

    index = {row["id"]: row for row in map(json.loads, (args.folder / "index.jsonl").open(encoding="utf-8"))}
    labels: dict[str, dict[int, str]] = defaultdict(dict)
    for row in map(json.loads, (args.folder / "line_labels.jsonl").open(encoding="utf-8")):
        labels[row["id"]][row["line"]] = row["label"]

    pages: dict[str, tuple[float, list[str | None]]] = {}
    corpus_facts = []
    elapsed = 0.0
    for page_id in sorted(index):
        text = (args.folder / "pages" / f"{page_id}.txt").read_text(encoding="utf-8")
        document = Document.from_text(f"{page_id}.txt", text)
        started = time.perf_counter()
        roles = classify_document(document)
        elapsed += time.perf_counter() - started
        document = document.with_line_roles(tuple(roles))
        summary = line_summary(document.lines, last_use=True)
        corpus_facts.append(DocumentFacts(page_id, "", len(document.lines),
                                          {"boilerplate": template_facts(document, summary.counts, summary.hashes)}))
        pages[page_id] = (boilerplate_share(document), roles)
    # The template signal always sees the whole folder as its corpus, as `srcaudit check FOLDER` would.
    refined = template_measures(Corpus(tuple(corpus_facts)))
    for split in ("dev", "test", "all") if args.split == "each" else (args.split,):
        chosen = [page_id for page_id in sorted(index) if split == "all" or site_half(index[page_id]["url"]) == split]
        _report(split, chosen, index, labels, pages, refined, args.worst)
    print(f"classifier time: {elapsed:.2f} s for {len(pages)} pages")


def _report(split: str, chosen: list[str], index: dict, labels: dict[str, dict[int, str]],
            pages: dict[str, tuple[float, list[str | None]]], refined: dict, worst: int) -> None:
    """Print the scores of the pages in ``chosen``."""
    truth = [index[page_id]["boilerplate_share_lines_tokens"] for page_id in chosen]
    predicted = [pages[page_id][0] for page_id in chosen]
    with_templates = [refined[page_id]["boilerplate_share_with_templates"] for page_id in chosen]
    counts: dict[str, int] = defaultdict(int)
    for page_id in chosen:
        roles = pages[page_id][1]
        for line, label in labels[page_id].items():
            said_boilerplate = roles[line] is not None
            if label == "short_in_body":
                counts["tp_amb" if said_boilerplate else "fn_amb"] += 1
                continue
            is_boilerplate = label == "boilerplate"
            key = ("tp" if is_boilerplate else "fp") if said_boilerplate else ("fn" if is_boilerplate else "tn")
            counts[key] += 1
    n = len(truth)
    mae = sum(abs(p - t) for p, t in zip(predicted, truth)) / n
    mae_templates = sum(abs(p - t) for p, t in zip(with_templates, truth)) / n
    precision, recall, score = f1(counts["tp"], counts["fp"], counts["fn"])
    _, recall_amb, score_amb = f1(counts["tp"] + counts["tp_amb"], counts["fp"], counts["fn"] + counts["fn_amb"])
    print(f"pages: {n} (split: {split})")
    print(f"boilerplate_share  MAE {mae:.4f}   Pearson r {pearson(predicted, truth):.3f}   "
          f"mean predicted {sum(predicted) / n:.3f}   mean true {sum(truth) / n:.3f}")
    print(f"with templates     MAE {mae_templates:.4f}   Pearson r {pearson(with_templates, truth):.3f}   "
          f"(corpus phase: body lines printed by other pages count as template)")
    print(f"boilerplate lines  precision {precision:.3f}   recall {recall:.3f}   F1 {score:.3f}   "
          f"(short_in_body left out: {counts['tp_amb'] + counts['fn_amb']} lines)")
    print(f"  counting short_in_body as boilerplate: recall {recall_amb:.3f}   F1 {score_amb:.3f}")
    errors = sorted(((abs(p - t), p, t, index[page_id]["url"]) for page_id, p, t in zip(chosen, predicted, truth)),
                    reverse=True)
    for error, share, true_share, url in errors[:worst]:
        print(f"  {error:.3f}  predicted {share:.3f}  true {true_share:.3f}  {url}")


if __name__ == "__main__":
    main()
