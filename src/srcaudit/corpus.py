"""What the corpus (reduce) phase sees: every document's extracted facts, not its text.

Facts are plain serialisable data (dicts, lists, strings, numbers, numpy arrays), so the
map phase can run in worker processes, be cached by content hash, or run on another
engine entirely. A corpus rule that needs text must extract it as a fact.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, MutableMapping
from dataclasses import dataclass, field
from typing import Any

from .pickling import fast_pickling


@fast_pickling
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

    def release(self, namespace: str) -> None:
        """Forget every document's facts under ``namespace``: their memory is freed now.

        For a plugin whose corpus hooks are done with its facts while other plugins' hooks
        still run: the reduce phase holds every document's facts at once, and it is where
        a large run reaches its peak memory. Afterwards the namespace looks empty to every
        plugin, so release only facts nobody else reads. (Facts the engine did not build as
        plain dicts are left in place.)
        """
        for document in self.documents:
            if isinstance(document.facts, MutableMapping):
                document.facts.pop(namespace, None)

    def __len__(self) -> int:
        return len(self.documents)
