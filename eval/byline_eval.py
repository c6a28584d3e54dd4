"""Byline (MET001) and date (MET002) detection against PolNeAR's author and date metadata.

    python eval/byline_eval.py DATA_FOLDER/attribution-polnear [--keep DIR]

PolNeAR's texts are article bodies without their page headers: the byline and date live
only in ``metadata.tsv`` (``author``, ``publication_date``). Scoring the rule on the bare
bodies would only test that it stays quiet, so the test rebuilds pages in a temporary
folder, one per (article, layout):

* ``body`` -- the text as distributed: no header. Expected: no byline unless the body
  itself carries an agency dateline ("WASHINGTON (AP) —"), and no date unless a dateline
  carries one. Measures false detections on real news prose full of names and "said X".
* five header layouts built from the metadata, the author string used verbatim (all
  capitals, several authors, handles, "byYlan Q. Mui", trailing "USA TODAY", research
  credits...): ``by`` ("By AUTHOR" under the title), ``pipe`` ("AUTHOR | Publisher"),
  ``comma`` ("By AUTHOR, Publisher"), ``contact`` (name line + e-mail under the body) and
  ``dated`` ("By AUTHOR" plus "Published: <date>" in one of several date formats).
  Expected: byline found, and the first author's surname inside the detected byline.

Articles whose author field is empty or "None" get only the ``body`` page and a
``none-dated`` page (a date line, no author): the rule must report MET001 there. The
layouts are generic news shapes named in the issue, not tuned to this data; what the
test measures is robustness to real author strings and real body text.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import subprocess
import sys
import tempfile
from collections import defaultdict
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sourcing_sample import srcaudit_command

PUBLISHERS = {
    "breitbart": "Breitbart News", "huff-post": "HuffPost", "nyt": "The New York Times", "politico": "Politico",
    "usa-today": "USA Today", "wash-post": "The Washington Post", "west-journal": "Western Journal",
}
DATE_FORMATS = ("{d:%Y-%m-%d}", "{d:%B} {d.day}, {d:%Y}", "{d.day} {d:%b} {d:%Y}", "{d:%d/%m/%Y}",
                "{d:%a} {d.day} {d:%B} {d:%Y} 10.05 EDT")


def has_author(author: str) -> bool:
    return author.strip() not in ("", "None")


def first_surname(author: str) -> str:
    """The first author's last name, for checking what the rule extracted."""
    name = re.sub(r"^\s*by\s*", "", author, flags=re.IGNORECASE)
    name = re.split(r",|\band\b|\.\s|\|", name)[0]
    words = name.split()
    return words[-1].casefold() if words else ""


def email_for(author: str, publisher: str) -> str:
    words = re.sub(r"^\s*by\s*", "", author, flags=re.IGNORECASE).split(",")[0].split()
    local = ".".join(w.casefold().strip(".") for w in words[:2]) or "desk"
    return f"{local}@{publisher}.example"


def pages(row: dict[str, str], body: str, index: int) -> dict[str, str]:
    """Page variants of one article: layout name -> text."""
    title, _, rest = body.partition("\n")
    author, publisher = row["author"].strip(), PUBLISHERS.get(row["publisher"], row["publisher"])
    published = date.fromisoformat(row["publication_date"])
    dated = DATE_FORMATS[index % len(DATE_FORMATS)].format(d=published)
    variants = {"body": body}
    if not has_author(author):
        variants["none-dated"] = f"{title}\n\n{dated}\n{rest}"
        return variants
    variants["by"] = f"{title}\n\nBy {author}\n{rest}" if not author.lower().startswith("by") \
        else f"{title}\n\n{author}\n{rest}"
    variants["pipe"] = f"{title}\n\n{author} | {publisher}\n{rest}"
    variants["comma"] = f"{title}\n\nBy {author}, {publisher}\n{rest}" if not author.lower().startswith("by") \
        else f"{title}\n\n{author}, {publisher}\n{rest}"
    variants["contact"] = f"{body.rstrip()}\n\n{author}\n{email_for(author, row['publisher'])}\n"
    byline = author if author.lower().startswith("by") else f"By {author}"
    variants["dated"] = f"{title}\n\n{byline}\nPublished: {dated}\n{rest}"
    return variants


def run(folder: Path) -> dict[str, dict]:
    result = subprocess.run([srcaudit_command(), "check", str(folder), "--select", "MET001,MET002",
                             "--format", "json", "--exit-zero", "--jobs", "2"],
                            capture_output=True, text=True, check=True)
    return {Path(d["path"]).name: d for d in json.loads(result.stdout)["documents"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="the attribution-polnear folder (metadata.tsv, dev/text/)")
    parser.add_argument("--keep", type=Path, help="write the generated pages here instead of a temp folder")
    args = parser.parse_args()
    with (args.folder / "metadata.tsv").open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle, delimiter="\t") if r["compartment"] == "dev"]
    expected: dict[str, tuple[str, dict[str, str]]] = {}
    with tempfile.TemporaryDirectory() as temporary:
        out = args.keep or Path(temporary)
        out.mkdir(parents=True, exist_ok=True)
        for index, row in enumerate(rows):
            body = (args.folder / "dev" / "text" / f"{row['filename']}.txt").read_text(encoding="utf-8")
            for layout, text in pages(row, body, index).items():
                name = f"{index:03d}-{layout}.txt"
                (out / name).write_text(text, encoding="utf-8")
                expected[name] = (layout, row)
        documents = run(out)
    report(expected, documents)


def report(expected: dict[str, tuple[str, dict[str, str]]], documents: dict[str, dict]) -> None:
    tally: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # pages, byline found, name right, date found
    misses: list[str] = []
    for name, (layout, row) in sorted(expected.items()):
        measures = documents[name]
        counts = tally[layout]
        counts[0] += 1
        found = measures.get("byline_present", False)
        counts[1] += found
        if found and has_author(row["author"]) and first_surname(row["author"]) in measures["byline"].casefold():
            counts[2] += 1
        counts[3] += measures.get("date_present", False)
        if layout not in ("body", "none-dated") and not found:
            misses.append(f"{layout}: author field {row['author']!r}")
    print(f"{'layout':<11} {'pages':>5} {'byline found':>13} {'first surname right':>20} {'date found':>11}")
    for layout, (pages_, found, right, dated) in sorted(tally.items()):
        print(f"{layout:<11} {pages_:>5} {found:>6} ({found / pages_:5.1%}) {right:>12} ({right / pages_:5.1%})"
              f" {dated:>4} ({dated / pages_:5.1%})")
    with_header = [c for layout, c in tally.items() if layout not in ("body", "none-dated")]
    total, found = sum(c[0] for c in with_header), sum(c[1] for c in with_header)
    right = sum(c[2] for c in with_header)
    print(f"\nbyline recall over header layouts: {found}/{total} = {found / total:.3f}; "
          f"first surname inside the detected byline: {right}/{total} = {right / total:.3f}")
    for layout in ("body", "none-dated"):
        if layout in tally:
            c = tally[layout]
            print(f"{layout}: byline reported on {c[1]}/{c[0]} pages without a header byline "
                  "(agency datelines in the body count as credits)")
    if misses:
        print("\nmissed:", *misses, sep="\n  ")


if __name__ == "__main__":
    main()
