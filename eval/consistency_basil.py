"""List what the consistency rules report on real multi-outlet stories, for judging by hand.

Usage: python eval/consistency_basil.py PATH/TO/stories-basil [--verdicts FILE]

Runs ``srcaudit check`` (ATT001, ATT002, CON001, CON002) over the whole folder at once, so
that story pairing is tested too (a finding across two story folders is a pairing error),
and prints every finding with the two passages side by side. Real disagreements between
outlets are rare, so each finding must be judged by a person. With ``--verdicts FILE`` (a
JSON object mapping a finding's fingerprint to "right" or "wrong"), it also prints false
alarms per story; unjudged findings are counted as wrong.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path


def _line(path: str, line: int) -> str:
    try:
        return Path(path).read_text(encoding="utf-8", errors="replace").splitlines()[line - 1].strip()
    except (OSError, IndexError):
        return ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--verdicts", type=Path, help="JSON: fingerprint -> 'right' | 'wrong'")
    args = parser.parse_args()
    # Run inside the folder: paths (and so fingerprints, the verdicts' keys) are relative to
    # it, whatever path the folder is given by. --no-cache: never write into the data folder.
    result = subprocess.run([sys.executable, "-c", "from srcaudit.cli import main; main()", "check", "--format",
                             "json", "--select", "ATT001,ATT002,CON001,CON002", "--exit-zero", "--no-cache", "."],
                            capture_output=True, text=True, check=False, cwd=args.folder)
    findings = json.loads(result.stdout)["findings"]
    stories = [p for p in args.folder.iterdir() if p.is_dir()]
    verdicts = json.loads(args.verdicts.read_text()) if args.verdicts else {}
    wrong = 0
    for finding in findings:
        other = finding["related"][0] if finding["related"] else None
        cross = other and Path(other["path"]).parent != Path(finding["path"]).parent
        verdict = verdicts.get(finding.get("fingerprint", ""), "unjudged")
        wrong += verdict != "right"
        print(f"[{verdict}{' cross-story' if cross else ''}] {finding['path']}:{finding['line']} "
              f"{finding['code']} {finding['message']}")
        print(f"    here:  {_line(finding['path'], finding['line'])[:300]}")
        if other:
            print(f"    there: {_line(other['path'], other['line'])[:300]}")
        print(f"    fingerprint: {finding.get('fingerprint')}")
    print(f"{len(findings)} findings in {len(stories)} stories: {len(findings) / max(1, len(stories)):.2f} per story; "
          f"wrong or unjudged {wrong}: {wrong / max(1, len(stories)):.2f} false alarms per story")
    return 0


if __name__ == "__main__":
    sys.exit(main())
