"""Small invented corpora for the syndication plugin's incremental tests, and the runs to compare.

Words are made of syllables (no real text): stories are pools of paragraphs, and documents
take paragraphs from a story as exact copies, light or heavy edits (some confirmed as
copies, some only LSH candidates), quoted statements with their own framing, the same
words with and without quotation marks, and title lines whose words also appear as a
body paragraph elsewhere (one key, a title in one document and not in another).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from conftest import doc
from srcaudit.corpus import Corpus, CorpusChange, DocumentFacts
from srcaudit.rules import ActiveRules
from srcaudit.text import prepare_signing

from srcaudit_plugins import syndication
from srcaudit_plugins.syndication import facts
from srcaudit_plugins.syndication.rules import DUP002, DUP004

_SYLLABLES = ["ka", "lo", "mi", "ren", "tu", "sa", "vo", "del", "pi", "nor", "ga", "be", "sul", "tra", "ho", "mex"]
WORDS = sorted({a + b + c for a in _SYLLABLES for b in _SYLLABLES[::3] for c in ("", "n", "ta")})


def rules(**options: dict[str, Any]) -> ActiveRules:
    """DUP002 and DUP004 with their defaults, ``options`` (code -> {name: value}) overriding."""
    chosen = {}
    for rule in (DUP002, DUP004):
        chosen[rule.code] = {o.name: o.default for o in rule.options} | options.get(rule.code, {})
    return ActiveRules(chosen)


def corpus_of(texts: dict[str, str], extracted: dict[str, dict[str, Any]]) -> Corpus:
    """A corpus as the engine builds it on a cached run: paths known, facts loaded on demand
    (counted in ``loads``). Each run gets its own facts mappings, since ``release`` empties them."""
    documents = {path: DocumentFacts(path, str(hash(texts[path])), texts[path].count("\n") + 1,
                                     {facts.NAMESPACE: extracted[path]}) for path in texts}

    def load(paths):
        LOADS.append(len(paths))
        return [DocumentFacts(p, documents[p].content_hash, documents[p].line_count, dict(documents[p].facts))
                for p in paths]

    return Corpus(paths=sorted(texts), load=load)


#: How many documents each load read (cleared by :func:`warm`).
LOADS: list[int] = []


class Extractor:
    """Syndication facts of texts, extracted once per (path, text) as the map phase does."""

    def __init__(self, min_words: int = 8) -> None:
        prepare_signing(facts.NUM_PERM)
        self.min_words = min_words
        self.cache: dict[tuple[str, str], dict[str, Any]] = {}

    def corpus(self, texts: dict[str, str]) -> Corpus:
        extracted = {}
        for path, text in texts.items():
            if (path, text) not in self.cache:
                self.cache[path, text] = facts.extract(doc(text, path), self.min_words)
            extracted[path] = self.cache[path, text]
        return corpus_of(texts, extracted)


@dataclass
class Reduced:
    findings: list[Any]
    measures: dict[str, Any]
    state: Any = None
    loaded: int = 0
    affected: frozenset[str] = field(default_factory=frozenset)


def full(extractor: Extractor, texts: dict[str, str], active: ActiveRules) -> Reduced:
    """A full reduce, as the engine runs it: check_corpus, measure_corpus, then the state (facts
    loaded once, as reading ``documents`` does)."""
    corpus = extractor.corpus(texts)
    corpus.keeps_state = True  # as on a run with a cache
    findings = list(syndication.srcaudit_check_corpus(corpus, active))
    measures = dict(syndication.srcaudit_measure_corpus(corpus, active) or {})
    return Reduced(findings, measures, syndication.corpus_state(corpus, active))


def warm(extractor: Extractor, base_texts: dict[str, str], base: Reduced, texts: dict[str, str],
         active: ActiveRules) -> Reduced | None:
    """An update from ``base``, merged as the engine merges it: the base's findings and measures
    of present paths not affected, plus the update's. None when the update asked for a full run."""
    changed = frozenset(p for p, t in texts.items() if base_texts.get(p) != t)
    removed = frozenset(base_texts) - frozenset(texts)
    corpus = extractor.corpus(texts)
    LOADS.clear()
    result = syndication.update(corpus, CorpusChange(base.state, changed, removed), active)
    if result is None:
        return None
    assert changed <= result.affected and result.affected <= set(texts)
    assert all(f.path in result.affected for f in result.findings)
    assert set(result.measures) <= result.affected
    kept = [f for f in base.findings if f.path in texts and f.path not in result.affected]
    measures = {p: m for p, m in base.measures.items() if p in texts and p not in result.affected}
    return Reduced(kept + list(result.findings), measures | dict(result.measures), loaded=max(LOADS),
                   affected=result.affected)


def ordered(findings: list[Any]) -> list[Any]:
    """Findings in one order (the engine sorts them; the comparison is of the whole objects)."""
    return sorted(findings, key=repr)


def assert_same(warm_run: Reduced, full_run: Reduced) -> None:
    assert ordered(warm_run.findings) == ordered(full_run.findings)
    assert repr(sorted(warm_run.measures.items())) == repr(sorted(full_run.measures.items()))


# -- invented text ------------------------------------------------------------------------

def sentence(rng: random.Random, words: int) -> list[str]:
    return [rng.choice(WORDS) for _ in range(words)]


def edited(rng: random.Random, words: list[str], share: float) -> list[str]:
    """``words`` with about ``share`` of them replaced, dropped or with a word inserted."""
    out = []
    for word in words:
        if rng.random() >= share:
            out.append(word)
            continue
        action = rng.random()
        if action < 0.6:
            out.append(rng.choice(WORDS))
        elif action < 0.8:
            out += [word, rng.choice(WORDS)]
    return out or words[:1]


def text_of(words: list[str], quoted: tuple[int, int] | None = None) -> str:
    """The paragraph's text, words ``quoted[0]:quoted[1]`` inside quotation marks."""
    if quoted is None:
        return " ".join(words).capitalize() + "."
    begin, end = quoted
    head, inside, tail = " ".join(words[:begin]), " ".join(words[begin:end]), " ".join(words[end:])
    return (f"{head}: \u201c{inside}\u201d {tail}".strip() + ".").capitalize()


@dataclass
class Story:
    paragraphs: list[list[str]]
    quote: list[str]
    framings: list[list[str]]
    titles: list[list[str]]


def story(rng: random.Random) -> Story:
    paragraphs = [sentence(rng, rng.randint(9, 22)) for _ in range(rng.randint(3, 6))]
    quote = sentence(rng, rng.randint(8, 14))
    framings = [sentence(rng, rng.randint(4, 7)) for _ in range(3)]
    title = sentence(rng, rng.randint(8, 12))
    titles = [title, edited(rng, title, 0.1), edited(rng, title, 0.25), sentence(rng, 9)]
    return Story(paragraphs, quote, framings, titles)


def paragraph(rng: random.Random, chosen: Story) -> str:
    """One body paragraph of a story: a copy, an edit, a quoted statement or a title's words."""
    kind = rng.random()
    if kind < 0.12:
        framing = rng.choice(chosen.framings)
        words = framing + chosen.quote
        if rng.random() < 0.3:
            return text_of(words)  # the same words as a quoted version, without the marks
        return text_of(words, (len(framing), len(words)))
    if kind < 0.17:
        return text_of(rng.choice(chosen.titles))
    words = rng.choice(chosen.paragraphs)
    share = rng.choice([0.0, 0.0, 0.0, 0.05, 0.1, 0.2, 0.35, 0.5])
    return text_of(edited(rng, words, share) if share else words)


def document(rng: random.Random, stories: list[Story], boilerplate: str | None) -> str:
    chosen = rng.choice(stories)
    parts = []
    if rng.random() < 0.8:
        parts.append(text_of(rng.choice(chosen.titles)).rstrip("."))
    parts += [paragraph(rng, chosen) for _ in range(rng.randint(1, 5))]
    if rng.random() < 0.3:
        other = rng.choice(stories)
        parts.insert(rng.randint(1, len(parts)), paragraph(rng, other))
    if boilerplate and rng.random() < 0.4:
        parts.append(boilerplate)
    return "\n\n".join(parts) + "\n"


def path(rng: random.Random, first: bool = False) -> str:
    prefix = "0" if first else rng.choice("abcdefgh")
    return f"{prefix}{rng.randrange(10000):04d}.txt"


class Crafted(Extractor):
    """Facts written by hand, for cases the map phase reaches only by rare chance: a "text" is
    the name of a paragraph list, each paragraph ``(key, tokens, bands)`` with ``bands``
    {band number: value} overriding its otherwise unique signature rows (LSH buckets
    chosen exactly, and key order too)."""

    def __init__(self, paragraphs: dict[str, list[tuple[int, list[int], dict[int, int]]]], rows: int) -> None:
        super().__init__()
        self.paragraphs = paragraphs
        self.rows = rows

    def corpus(self, texts: dict[str, str]) -> Corpus:
        import numpy as np

        extracted = {}
        for path, name in texts.items():
            paragraphs = self.paragraphs[name]
            signatures = np.empty((len(paragraphs), facts.NUM_PERM), dtype=np.uint32)
            for row, (key, _, bands) in enumerate(paragraphs):
                signatures[row] = np.random.default_rng(key).integers(1, 2 ** 32, facts.NUM_PERM, dtype=np.uint32)
                for band, value in bands.items():
                    signatures[row, band * self.rows:(band + 1) * self.rows] = value
            lengths = [len(tokens) for _, tokens, _ in paragraphs]
            extracted[path] = {
                "body_words": sum(lengths),
                "regions": np.array([(3 + 2 * n, 1, 3 + 2 * n, 40) for n in range(len(paragraphs))],
                                    dtype=np.int32).reshape(-1, 4),
                "keys": np.array([key for key, _, _ in paragraphs], dtype=np.uint64),
                "signatures": signatures,
                "tokens": np.array([t for _, tokens, _ in paragraphs for t in tokens], dtype=np.uint32),
                "offsets": np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64),
                "quoted": np.empty(0, dtype=np.uint8),
            }
        return corpus_of(texts, extracted)
