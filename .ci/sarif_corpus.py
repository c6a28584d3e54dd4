"""Write a synthetic multi-document corpus that exercises every part of srcaudit's SARIF.

Usage: python3 .ci/sarif_corpus.py DIR

The texts are generated here (no third-party text): paragraphs repeated within a document
(results with related locations), the same paragraphs in several documents (cross-document
rules), short lines repeated many times (several related locations), file names that need
percent-encoding, an inline suppression and a per-file ignore (SARIF ``suppressions`` with
--show-suppressed), and a binary file (a tool notification). CI validates the SARIF of this
corpus with the OASIS schema and the SARIF Multitool's GitHub rules.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

SUBJECTS = ["The council", "The ministry", "A spokesperson", "The committee", "The regulator", "Local officials"]
VERBS = ["approved", "rejected", "delayed", "reviewed", "announced", "questioned"]
OBJECTS = ["the new budget", "the rail project", "a housing plan", "the water contract", "the school merger"]
TAILS = ["after a long debate on Monday", "despite objections from residents", "following a public consultation",
         "citing rising costs of 12% this year", "in a vote of 7 to 4, with two abstentions"]


def paragraph(rng: random.Random) -> str:
    return " ".join(f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(TAILS)}."
                    for _ in range(rng.randint(2, 3)))


def main(folder: Path) -> None:
    rng = random.Random(7)
    shared = [paragraph(rng) for _ in range(3)]  # syndicated: appears in several documents
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(6):
        own = [paragraph(rng) for _ in range(4)]
        body = [f"Story {n}: {rng.choice(OBJECTS)}", "By Staff Reporter", *own[:2], *shared[: 1 + n % 3], *own[2:]]
        if n % 2 == 0:
            body.append(own[0])  # repeated within the document
        if n == 3:
            body += ["Share this story", "Comments", "Share this story", "Comments", "Share this story"]
        suffix = ".md" if n % 2 else ".txt"
        (folder / f"story-{n}{suffix}").write_text("\n\n".join(body) + "\n", encoding="utf-8")
    odd = folder / "odd names" / "ré view, 100% [draft].md"
    odd.parent.mkdir(exist_ok=True)
    copy = paragraph(rng)
    odd.write_text(f"# Review\n\n{copy}\n\n{shared[0]}\n\n<!-- srcaudit: ignore DUP001 -- kept as published -->\n"
                   f"{copy}\n", encoding="utf-8")
    (folder / "ignored.txt").write_text(f"{copy}\n\nMiddle.\n\n{copy}\n", encoding="utf-8")
    (folder / "rules.toml").write_text('[per-file-ignores]\n"ignored.txt" = ["DUP001"]\n', encoding="utf-8")
    (folder / "scan.txt").write_bytes(b"%PDF-1.4 not really text\x00\x01")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: sarif_corpus.py DIR")
    main(Path(sys.argv[1]))
