"""Recall of the consistency rules on conflicts planted into copies of real multi-outlet stories.

Usage: python eval/consistency_planted.py PATH/TO/stories-basil [--keep DIR]

Each story folder holds the same story from several outlets. For each story, facts are
extracted from one outlet (X) and four conflicts are planted as new paragraphs into
another outlet's copy (Y), each built from something X says:

- ATT001: a person X gives a title to, with the title's role word swapped for another role;
- ATT002: a quote of X's, with two content words replaced and one dropped, "..." NAME said;
- CON001: X's sentence with a figure, the number raised by half (doubled after "at least",
  "more than", "nearly" and the like, whose range half as much again still meets);
- CON002: a full name X uses, with a diacritic put on the surname's first vowel.

Then ``srcaudit check`` runs over all copies; a plant is found when a finding of its code
points at (or relates) its line in Y. The plants are inserted as paragraphs in the middle of
Y's article (appended after its end, short plants read as page furniture). Prints recall per code and overall, and the number of
other findings (false alarms on the copies are counted by eval/consistency_basil.py).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

from srcaudit.document import Document
from srcaudit_plugins.consistency.extract import extract
from srcaudit_plugins.consistency.packed import plain

_ROLE_SWAPS = {"director": "spokesperson", "spokesman": "director", "spokeswoman": "director",
               "spokesperson": "director", "secretary": "ambassador", "senator": "governor",
               "governor": "senator", "chairman": "treasurer", "president": "secretary",
               "minister": "ambassador", "leader": "whip", "professor": "dean", "attorney": "judge",
               "representative": "senator", "adviser": "spokesperson", "advisor": "spokesperson",
               "ambassador": "minister", "mayor": "governor", "judge": "prosecutor", "chief": "deputy"}
_ACCENTS = {"a": "á", "e": "é", "i": "í", "o": "ó", "u": "ú"}


def _title_plant(facts: dict) -> str | None:
    for person in facts["people"]:
        if " " not in person["key"]:
            continue
        for title in person["titles"]:
            words = title["text"].split()
            if sum(1 for w in words if w.lower().strip(".,") not in _ROLE_SWAPS) < 1:
                continue  # a bare role ("Chairman") names no organisation: nothing to conflict with
            for index, word in enumerate(words):
                swap = _ROLE_SWAPS.get(word.lower().strip(".,"))
                if swap:
                    new = words[:index] + [swap] + words[index + 1:]
                    return f"{person['name']}, {' '.join(new)}, spoke on Tuesday."
    return None


def _quote_plant(facts: dict) -> str | None:
    for quote in facts["quotes"]:
        words = quote["text"].split()
        if not quote["speaker"] or " " not in quote["speaker"] or not 8 <= len(words) <= 60:
            continue
        longest = sorted(range(len(words)), key=lambda i: -len(words[i].strip(".,;")))[:2]
        for position, index in enumerate(longest):
            words[index] = ["remarkably", "unprecedented"][position]
        del words[min(longest) + 1 if min(longest) + 1 < len(words) else 0]
        return f"“{' '.join(words).rstrip(',.')},” {quote['speaker_name']} said."
    return None


def _figure_plant(document: Document, facts: dict) -> str | None:
    for figure in facts["figures"]:
        if figure["unit"] in ("dollars", "percent", "euros", "pounds") or figure["value"] < 3:
            continue
        line_number, column = figure["region"][0], figure["region"][1]
        line = document.lines[line_number - 1]
        number = next((t for t in figure["text"].split() if t[:1].isdigit()), None)
        # The region starts at the number (a hedge before it, "about 600", is outside it).
        start = column - 1 if number and line.startswith(number, column - 1) else -1
        if number is None or line[start:start + len(number)] != number:
            continue
        # The figure's own number, raised by half in its own notation ("1.5 million" -> "2.2
        # million", "2,763" -> "4,144"); replaced where the figure stands, not at the first
        # equal digits of the line (a "9/12" earlier in the sentence is not the figure).
        # A one-sided hedge ("at least 10 years") stays true of a value half as high again, so
        # such a figure is doubled: "at least 15 years" would not contradict it.
        value = float(number.replace(",", "")) * (2.0 if figure["hedge"] in ("above", "below") else 1.5)
        if "." in number:
            new_number = f"{value:.{len(number.split('.')[1])}f}"
        else:
            new_number = f"{int(value):,}" if "," in number else str(int(value))
        if new_number == number:
            continue
        return (line[:start] + new_number + line[start + len(number):]).strip()
    return None


def _name_plant(facts: dict) -> str | None:
    for person in facts["people"]:
        parts = person["name"].split()
        if len(parts) < 2 or not person["titles"] and len(person["mentions"]) < 2:
            continue
        surname = parts[-1]
        for index, char in enumerate(surname):
            if char in _ACCENTS:
                respelled = surname[:index] + _ACCENTS[char] + surname[index + 1:]
                return f"{' '.join(parts[:-1])} {respelled} said nothing further on Tuesday."
    return None


def plant(story: Path, target: Path) -> dict[str, tuple[str, int]]:
    """Copy one story folder into ``target`` with planted conflicts; return code -> (path, line)."""
    files = sorted(p for p in story.iterdir() if p.suffix == ".txt")
    target.mkdir(parents=True)
    for path in files:
        shutil.copy(path, target / path.name)
    if len(files) < 2:
        return {}
    source, receiver = files[0], files[1]
    document = Document.from_bytes(str(source), source.read_bytes())
    facts = plain(extract(document))
    sentences = {"ATT001": _title_plant(facts), "ATT002": _quote_plant(facts),
                 "CON001": _figure_plant(document, facts), "CON002": _name_plant(facts)}
    text = (target / receiver.name).read_text(encoding="utf-8", errors="replace").rstrip("\n")
    # Plants go in the middle of the article, where a real conflicting sentence would be:
    # short lines appended after the article's end read as page furniture (boilerplate).
    paragraphs = text.split("\n\n")
    middle = max(1, len(paragraphs) // 2)
    plants = {code: sentence for code, sentence in sentences.items() if sentence is not None}
    text = "\n\n".join(paragraphs[:middle] + list(plants.values()) + paragraphs[middle:])
    lines = text.split("\n")
    start = len("\n\n".join(paragraphs[:middle]).split("\n")) + 1  # the blank line before the plants
    planted = {code: (str(target / receiver.name), lines.index(sentence, start) + 1)
               for code, sentence in plants.items()}
    (target / receiver.name).write_text(text + "\n", encoding="utf-8")
    return planted


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--keep", type=Path, help="write the planted copies here (default: a temporary folder)")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="srcaudit-planted-"))
    plants: dict[str, dict[str, tuple[str, int]]] = {}
    for story in sorted(p for p in args.folder.iterdir() if p.is_dir()):
        plants[story.name] = plant(story, work / story.name)
    result = subprocess.run([sys.executable, "-c", "from srcaudit.cli import main; main()", "check", "--format", "json", "--select",
                             "ATT001,ATT002,CON001,CON002", "--exit-zero", str(work)],
                            capture_output=True, text=True, check=False)
    if not result.stdout.strip():
        print(result.stderr, file=sys.stderr)
        return 2
    findings = json.loads(result.stdout)["findings"]
    located = {(f["code"], f["path"], f["line"]) for f in findings}
    located |= {(f["code"], r["path"], r["line"]) for f in findings for r in f.get("related", [])}
    totals, found = Counter(), Counter()
    planted_keys = set()
    for story, codes in plants.items():
        for code, (path, line) in codes.items():
            totals[code] += 1
            planted_keys.add((code, path, line))
            if (code, path, line) in located:
                found[code] += 1
            else:
                print(f"missed {code} in {story}")
    others = [f for f in findings if (f["code"], f["path"], f["line"]) not in planted_keys
              and not any((f["code"], r["path"], r["line"]) in planted_keys for r in f.get("related", []))]
    for code in sorted(totals):
        print(f"{code}: planted {totals[code]} found {found[code]} recall {found[code] / totals[code]:.3f}")
    total = sum(totals.values())
    print(f"overall: planted {total} found {sum(found.values())} recall {sum(found.values()) / total:.3f}; "
          f"other findings {len(others)} in {len(plants)} stories")
    return 0


if __name__ == "__main__":
    sys.exit(main())
