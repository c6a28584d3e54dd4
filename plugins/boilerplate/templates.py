"""Template lines: body lines that other documents of the corpus print too.

A site's template repeats on every page saved from it ("About Acme: Acme is a leading
provider of ...", a sign-off, a standing disclaimer), even where it reads like prose
and the single-document classifier keeps it. Only the corpus can tell, so this is a
reduce-phase refinement: the map phase hands over a stable hash of each body line (no
text), and the reduce phase counts in how many documents each line occurs.

A line shared with a document that shares most of this document's body is not a
template but a copy (syndication, reported by the duplication rules): such pairs are
left out, so an article syndicated twice does not become "template".

The result is published as extra measures (``template_share`` and
``boilerplate_share_with_templates``); BOI001 and BOI002 stay per-document, so a
document's findings never depend on which other files happen to be in the run.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from srcaudit.api import Corpus, Document

NAMESPACE = "boilerplate"
#: Lines shorter than this are left to the per-document classifier ("Read more", "Share").
MIN_WORDS = 4
#: A document sharing at least this share of another's body lines is a copy, not a template.
COPY_SHARE = 0.5
#: A line in more documents than this is template whatever else they share (and is not paired).
COMMON = 50


def line_hash(tokens: Sequence[str]) -> int:
    """A stable 63-bit hash of a line's folded words (equal across processes and runs).

    The words joined by spaces are the line's ``srcaudit.text.comparison_key``.
    """
    return int.from_bytes(hashlib.blake2b(" ".join(tokens).encode(), digest_size=8).digest(), "big") >> 1


def template_facts(document: Document, counts: Sequence[int], hashes: Sequence[int | None]) -> dict[str, Any]:
    """What the reduce phase needs: total words, and (hash, words) of each long-enough body line.

    ``counts`` holds the number of folded words of each line (``srcaudit.text.words``),
    ``hashes`` the :func:`line_hash` of each line with at least ``MIN_WORDS`` words.
    """
    lines = [[key, count] for n, (key, count) in enumerate(zip(hashes, counts), 1)
             if count >= MIN_WORDS and document.is_body_line(n)]
    boilerplate = sum(count for n, count in enumerate(counts, 1) if not document.is_body_line(n))
    return {"words": sum(counts), "boilerplate_words": boilerplate, "lines": lines}


def template_measures(corpus: Corpus) -> dict[str, Mapping[str, float]]:
    """Per document: the share of its words on template lines, and the share with them counted."""
    documents = [(facts.path, data) for facts, data in corpus.facts(NAMESPACE)]
    holders: dict[int, set[int]] = defaultdict(set)
    for index, (_, data) in enumerate(documents):
        for key, _ in data["lines"]:
            holders[key].add(index)
    return {path: document_measures(index, data, holders) for index, (path, data) in enumerate(documents)}


def document_measures(index: int, data: Mapping[str, Any], holders: Mapping[int, set[int]]) -> dict[str, float]:
    """One document's template measures. They depend on its own facts and on which documents
    hold each of its lines (``holders``, by line hash, documents by any distinct number), and
    on nothing else: what lets :mod:`.template_updates` recompute only the documents a change touches."""
    shared = [(key, count) for key, count in data["lines"] if len(holders[key]) > 1]
    copies = _copies(index, data, holders) if shared else frozenset()
    template = sum(count for key, count in shared if _is_template(index, key, holders, copies))
    total = data["words"] or 1
    return {
        "template_share": round(template / total, 3),
        "boilerplate_share_with_templates": round((data["boilerplate_words"] + template) / total, 3),
    }


def _is_template(index: int, key: int, holders: Mapping[int, set[int]], copies: frozenset[int]) -> bool:
    others = holders[key] - {index}
    return len(others) >= COMMON or any(other not in copies for other in others)


def _copies(index: int, data: Mapping[str, Any], holders: Mapping[int, set[int]]) -> frozenset[int]:
    """Documents that share at least COPY_SHARE of this document's body lines."""
    shared: Counter[int] = Counter()
    for key, _ in data["lines"]:
        if len(holders[key]) <= COMMON:
            shared.update(holders[key] - {index})
    needed = COPY_SHARE * len(data["lines"])
    return frozenset(other for other, count in shared.items() if count >= needed)
