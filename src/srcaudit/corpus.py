"""What the corpus (reduce) phase sees: every document's extracted facts, not its text.

Facts are plain serialisable data (dicts, lists, strings, numbers, numpy arrays), so the
map phase can run in worker processes, be cached by content hash, or run on another
engine entirely. A corpus rule that needs text must extract it as a fact.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class DocumentFacts:
    """One audited document as the corpus phase knows it."""

    path: str
    content_hash: str
    line_count: int
    facts: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Corpus:
    """Every successfully read document of the run, sorted by path."""

    documents: tuple[DocumentFacts, ...]

    def facts(self, namespace: str) -> Iterator[tuple[DocumentFacts, Any]]:
        """Each document that has facts under ``namespace``, with those facts."""
        for document in self.documents:
            if namespace in document.facts:
                yield document, document.facts[namespace]

    def __len__(self) -> int:
        return len(self.documents)
