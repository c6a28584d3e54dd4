"""ATT003/ATT004 precision against hand-checked labels.

    python eval/sourcing_precision.py DATA_FOLDER [--labels eval/sourcing_att003_labels.tsv] [--code ATT003]

Runs srcaudit on DATA_FOLDER and joins its findings with a labels file (location
relative to DATA_FOLDER, verdict tp/fp). Prints precision over the labelled findings and
lists findings that have no label yet (label them with eval/sourcing_sample.py's output),
so a change to the rule shows up as new or vanished locations instead of a silent score.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sourcing_sample import findings


def read_labels(path: Path) -> dict[str, str]:
    rows = (line for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#"))
    return {row["location"]: row["verdict"] for row in csv.DictReader(rows, delimiter="\t")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--labels", type=Path, default=Path(__file__).with_name("sourcing_att003_labels.tsv"))
    parser.add_argument("--code", default="ATT003")
    args = parser.parse_args()
    labels = read_labels(args.labels)
    found = findings(args.folder, args.code)
    locations = [f"{os.path.relpath(f['path'], args.folder)}:{f['line']}:{f['column']}" for f in found]
    verdicts = [labels[loc] for loc in locations if loc in labels]
    unlabelled = [loc for loc in locations if loc not in labels]
    vanished = sorted(set(labels) - set(locations))
    tp = verdicts.count("tp")
    print(f"{args.code}: {len(found)} findings, {len(verdicts)} labelled: {tp} tp, {len(verdicts) - tp} fp, "
          f"precision {tp / len(verdicts):.3f}" if verdicts else f"{args.code}: no labelled findings")
    by_severity: dict[str, int] = {}
    for f in found:
        by_severity[f["severity"]] = by_severity.get(f["severity"], 0) + 1
    print("by severity:", ", ".join(f"{k} {v}" for k, v in sorted(by_severity.items())))
    if unlabelled:
        print(f"{len(unlabelled)} findings without a label:", *unlabelled, sep="\n  ")
    if vanished:
        print(f"{len(vanished)} labelled locations no longer reported:", *vanished, sep="\n  ")


if __name__ == "__main__":
    main()
