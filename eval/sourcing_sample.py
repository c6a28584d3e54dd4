"""Draw a reproducible sample of ATT003/ATT004 findings from a corpus, for hand-checking precision.

    python eval/sourcing_sample.py DATA_FOLDER [--code ATT003] [--size 60] [--seed 7] > sample.tsv

Runs srcaudit on DATA_FOLDER, samples findings of one rule (seeded, so the same sample
comes back), and prints each with its sentence context as TSV: an empty `verdict` column
to fill in by hand (tp / fp). `eval/sourcing_precision.py` then counts the verdicts.
The data folder is only read: nothing from it is copied into the repository.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
from pathlib import Path


def srcaudit_command() -> str:
    """The srcaudit executable of this environment (next to the running Python), else on PATH."""
    beside = Path(sys.executable).with_name("srcaudit")
    return str(beside) if beside.exists() else (shutil.which("srcaudit") or "srcaudit")


def findings(folder: Path, code: str) -> list[dict]:
    result = subprocess.run(
        [srcaudit_command(), "check", str(folder), "--select", code, "--format", "json",
         "--exit-zero", "--jobs", "1"],
        capture_output=True, text=True, check=True)
    return [f for f in json.loads(result.stdout)["findings"] if f["code"] == code]


def context(finding: dict, width: int = 160) -> str:
    lines = Path(finding["path"]).read_text(encoding="utf-8", errors="replace").splitlines()
    line = lines[finding["line"] - 1]
    start = max(0, finding["column"] - 1 - width)
    end = finding["end_column"] - 1 + width if finding["end_line"] == finding["line"] else len(line)
    return " ".join(line[start:end].split())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--code", default="ATT003")
    parser.add_argument("--size", type=int, default=60)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    found = findings(args.folder, args.code)
    sample = sorted(random.Random(args.seed).sample(found, min(args.size, len(found))),
                    key=lambda f: (f["path"], f["line"], f["column"]))
    print(f"# {len(found)} {args.code} findings in {args.folder}; {len(sample)} sampled (seed {args.seed})",
          file=sys.stderr)
    print("verdict\tseverity\tlocation\tmessage\tcontext")
    for f in sample:
        print(f"\t{f['severity']}\t{f['path']}:{f['line']}:{f['column']}\t{f['message']}\t{context(f)}")


if __name__ == "__main__":
    main()
