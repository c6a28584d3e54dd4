"""Score direct-quote + speaker extraction against PolNeAR gold attributions (brat standoff).

Usage: python eval/quotes_polnear.py PATH/TO/attribution-polnear [--split dev] [--show N] [--errors N]

Gold: every attribution relation whose Content fragment is a direct quotation (it starts
right after or with a quotation mark). Its speaker is the Source text; a pronoun source
("he") is resolved to the nearest preceding named gold source. Prediction: the quotes
srcaudit extracts (core ``srcaudit.people`` + ``srcaudit.quotes``) that have a speaker: a
named person, or the attribution's subject as written ("the announcer").
A predicted quote is correct when it overlaps a gold content span (a direct quote, or reported
speech containing a partial quote) by at least half of the shorter span and the speaker's
surname occurs in the gold source. Precision is over predicted quotes, recall over gold
direct quotes. The first annotation of each text is used.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from srcaudit.document import Document
from srcaudit.people import find_people
from srcaudit.quotes import find_quotes
from srcaudit.text import words

_QUOTE_MARKS = "\"“”'‘’«»"
_PRONOUNS = {"he", "she", "they", "i", "we", "it", "his", "her", "him", "them", "who", "which"}
_FUNCTION = {"the", "a", "an", "of", "and", "its", "their", "mr", "mrs", "ms", "dr", "in", "for", "to"}


def parse_ann(path: Path) -> tuple[dict[str, tuple[str, list[tuple[int, int]], str]], list[dict[str, str]]]:
    spans, relations = {}, []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("T"):
            ident, info, text = line.split("\t", 2)
            kind, _, ranges = info.partition(" ")
            pieces = [tuple(int(x) for x in r.split()) for r in ranges.split(";")]
            spans[ident] = (kind, pieces, text)
        elif line.startswith("E"):
            _, args = line.split("\t", 1)
            relations.append(dict(a.split(":", 1) for a in args.split()))
    return spans, relations


def gold_quotes(text: str, spans, relations, direct_only: bool = True) -> list[dict]:
    sources = sorted(((spans[r["Source"]][1][0][0], spans[r["Source"]][2]) for r in relations
                      if "Source" in r and r["Source"] in spans), key=lambda s: s[0])
    found = []
    for relation in relations:
        if "Content" not in relation or "Source" not in relation:
            continue
        _, pieces, _ = spans[relation["Content"]]
        direct = [(a, b) for a, b in pieces
                  if not direct_only or text[a:b].lstrip()[:1] in _QUOTE_MARKS or (a > 0 and text[a - 1] in _QUOTE_MARKS)]
        if not direct:
            continue
        source_start, source = spans[relation["Source"]][1][0][0], spans[relation["Source"]][2]
        if set(words(source)) <= _PRONOUNS:
            named = [s for start, s in sources if start < source_start and not set(words(s)) <= _PRONOUNS]
            source = named[-1] if named else source
        found.append({"pieces": direct, "source": source})
    return found


def _overlap(first: tuple[int, int], second: tuple[int, int]) -> bool:
    shared = min(first[1], second[1]) - max(first[0], second[0])
    return shared > 0 and shared >= 0.5 * min(first[1] - first[0], second[1] - second[0])


def predicted_quotes(text: str) -> list[dict]:
    document = Document.from_text("article.txt", text)
    spans = []
    for paragraph in document.paragraphs:
        region = paragraph.region
        spans.append((document.line_offset(region.line) + region.column - 1,
                      document.line_offset(region.end_line) + region.end_column - 1))
    people = find_people(document.text, spans)
    result = []
    for quote in find_quotes(document.text, spans, people):
        speaker = people.people[quote.speaker].name if quote.speaker else quote.speaker_text
        if speaker:
            # "the senator said" resolved to a person: either the person or the words as written may match
            written = quote.speaker_text if quote.speaker and quote.speaker_text else ""
            result.append({"pieces": quote.segments, "speaker": speaker, "written": written, "text": quote.text})
    return result


def speaker_matches(speaker: str, source: str, written: str = "") -> bool:
    source_words = set(words(source)) - _PRONOUNS - _FUNCTION
    return bool((set(words(speaker)) | set(words(written))) & source_words)


def _context(text: str, start: int, end: int, width: int = 90) -> str:
    """The text around a span, on one line, for reading errors."""
    before = text[max(0, start - width):start].replace("\n", " / ")
    after = text[end:end + width].replace("\n", " / ")
    return f"...{before}[[{text[start:min(end, start + 80)]}]]{after}..."


def score(folder: Path, split: str, show: int, errors: int = 0) -> dict[str, float]:
    annotations = sorted((folder / split / "attributions").glob("*.ann"))
    seen: set[str] = set()
    correct = predicted = recalled = gold_total = span_hits = 0
    examples: list[str] = []
    mismatches: list[str] = []
    for ann in annotations:
        stem = re.sub(r"_[0-9a-f]{4}$", "", ann.stem)
        if stem in seen:
            continue
        seen.add(stem)
        text = (folder / split / "text" / f"{stem}.txt").read_text(encoding="utf-8")
        spans, relations = parse_ann(ann)
        gold = gold_quotes(text, spans, relations)
        contents = gold_quotes(text, spans, relations, direct_only=False)
        predictions = predicted_quotes(text)
        gold_total += len(gold)
        predicted += len(predictions)
        for prediction in predictions:
            # a partial quote inside reported speech ("he said he would “go and vote”") is gold content too
            hits = [g for g in contents if any(_overlap(p, q) for p in prediction["pieces"] for q in g["pieces"])]
            span_hits += bool(hits)
            if any(speaker_matches(prediction["speaker"], g["source"], prediction["written"]) for g in hits):
                correct += 1
            else:
                if len(examples) < show:
                    examples.append(f"{stem}: {prediction['speaker']!r} <- {prediction['text'][:70]!r} "
                                    f"(gold: {[g['source'] for g in hits] or 'no quote'})")
                if len(mismatches) < errors:
                    a, b = prediction["pieces"][0]
                    mismatches.append(f"WRONG {stem}: predicted {prediction['speaker']!r}, gold "
                                      f"{[g['source'] for g in hits] or 'no quote'}\n    {_context(text, a, b)}")
        for g in gold:
            matched = [prediction for prediction in predictions
                       if any(_overlap(p, q) for p in prediction["pieces"] for q in g["pieces"])]
            if any(speaker_matches(prediction["speaker"], g["source"], prediction["written"]) for prediction in matched):
                recalled += 1
            elif len(mismatches) < errors:
                a, b = g["pieces"][0]
                found = [prediction["speaker"] for prediction in matched] or "no quote"
                mismatches.append(f"MISSED {stem}: gold {g['source']!r}, predicted {found}\n    {_context(text, a, b)}")
    precision = correct / predicted if predicted else 0.0
    recall = recalled / gold_total if gold_total else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    for example in examples:
        print("  wrong:", example)
    for mismatch in mismatches:
        print(mismatch)
    return {"documents": len(seen), "gold": gold_total, "predicted": predicted, "span_precision":
            span_hits / predicted if predicted else 0.0, "precision": precision, "recall": recall, "f1": f1}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--split", default="dev")
    parser.add_argument("--show", type=int, default=0, help="print this many wrong predictions")
    parser.add_argument("--errors", type=int, default=0,
                        help="print this many mismatches (wrong speakers and missed gold quotes) with context")
    args = parser.parse_args()
    result = score(args.folder, args.split, args.show, args.errors)
    print(" ".join(f"{k}={v:.3f}" if isinstance(v, float) else f"{k}={v}" for k, v in result.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
