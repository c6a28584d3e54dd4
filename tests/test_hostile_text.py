"""Every registered rule on hostile text: no exception, no malformed finding, no blow-up.

The rules come from the installed entry points (``select = ALL``), so rule families that
land later are covered without touching this file. Text is generated (random Unicode,
long lines, many quotes, deeply repeated punctuation, repeated paragraphs) by hypothesis,
plus a few fixed worst cases of 1 MB.

Time bounds are benchmark-style, so they do not flake on a loaded machine: a hostile
document may take at most ``SLOWDOWN`` times as long as ordinary prose of the same size
(measured in the same run), and never less than the absolute floor. Catastrophic
backtracking or a quadratic loop is hundreds of times slower, which this still catches.
"""

from __future__ import annotations

import random
import time
from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from srcaudit.config import resolve_rules
from srcaudit.discovery import SourceFile
from srcaudit.engine import AuditResult, RunSettings, audit
from srcaudit.session import open_session

SLOWDOWN = 25
FLOOR_SECONDS = 1.0
EXAMPLES = settings(max_examples=50, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                           HealthCheck.data_too_large])


@lru_cache(maxsize=1)
def _session():
    session = open_session(None, None)
    return session, resolve_rules(session.config, session.rules, select=["ALL"]).active


def run_every_rule(folder: Path, files: dict[str, str]) -> tuple[AuditResult, float]:
    """Write ``files`` and audit them with every registered rule; (result, seconds)."""
    session, active = _session()
    sources = []
    for name, text in files.items():
        path = folder / name
        path.write_text(text, encoding="utf-8", newline="")
        sources.append(SourceFile(name, path))
    started = time.perf_counter()
    result = audit(sorted(sources), RunSettings(rules=active, max_file_size=1 << 30), session.manager, jobs=1)
    return result, time.perf_counter() - started


def assert_clean(result: AuditResult) -> None:
    """No plugin raised or returned a malformed finding, and every finding is inside its file."""
    assert [p for p in result.problems if p.level == "error"] == []
    for finding in result.findings:
        assert finding.region.line >= 1 and finding.message.strip()


# -- generated text ----------------------------------------------------------------------------

WORDS = st.sampled_from(["the", "said", "Minister", "John", "Smith", "according", "to", "reports",
                         "analysts", "say", "10,000", "troops", "$2.5bn", "Reuters", "BBC", "on",
                         "Tuesday", "2024", "former", "CIA", "director", "Kim", "Jong-un", "Jong", "Un"])
PUNCTUATION = st.sampled_from(list(".,;:!?-–—…'\"“”‘’«»()[]{}*#_/\\|@&%$€£0123456789 \t"))
QUOTES = st.sampled_from(['"', "“", "”", "'", "‘", "’", "«", "»", "„", " ", "said", "\n", "\u00a0"])

random_unicode = st.text(max_size=3000)
prose = st.lists(st.lists(WORDS, min_size=1, max_size=60).map(" ".join), min_size=1, max_size=40).map(
    lambda paragraphs: "\n\n".join(paragraphs))
many_quotes = st.lists(QUOTES, max_size=3000).map("".join)
repeated_punctuation = st.tuples(st.lists(PUNCTUATION, min_size=1, max_size=4).map("".join),
                                 st.integers(1, 5000)).map(lambda pair: pair[0] * pair[1])
long_line = st.tuples(st.lists(WORDS | PUNCTUATION, min_size=1, max_size=20).map(" ".join),
                      st.integers(100, 3000)).map(lambda pair: (pair[0] + " ") * pair[1])
repeated_paragraphs = st.tuples(st.lists(WORDS, min_size=1, max_size=30).map(" ".join),
                                st.integers(2, 200), st.sampled_from(["\n", "\n\n"])).map(
    lambda t: (t[0] + t[2]) * t[1])
markdown = st.lists(st.sampled_from(["# ", "## ", "- ", "* ", "1. ", "> ", "```", "---", "<!--", "-->",
                                     "[link](http://x)", "**bold**", "\n", "\n\n", "text "]),
                    max_size=400).map("".join)
mixed_newlines = st.lists(st.sampled_from(["\r\n", "\n", "\r", "line", " ", "\u2028", "\x0c"]),
                          max_size=500).map("".join)


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("hostile")


@pytest.fixture(scope="module")
def prose_seconds_per_mb(folder) -> float:
    """How long ordinary prose takes per MB on this machine, now: the yardstick for the bounds."""
    rng = random.Random(1)
    vocabulary = [f"{rng.choice('bcdfgklmnprst')}{rng.choice('aeiou')}{rng.choice('lmnrst')}{n}"
                  for n in range(5000)]
    text = "".join(" ".join(rng.choices(vocabulary, k=40)).capitalize() + ".\n\n" for _ in range(4000))
    _, seconds = run_every_rule(folder, {"prose.txt": text})
    _, seconds_again = run_every_rule(folder, {"prose.txt": text})
    return min(seconds, seconds_again) * 1024 * 1024 / len(text)


def assert_fast(seconds: float, text_length: int, prose_seconds_per_mb: float) -> None:
    bound = max(FLOOR_SECONDS, SLOWDOWN * prose_seconds_per_mb * text_length / (1024 * 1024))
    assert seconds <= bound, f"{seconds:.2f} s for {text_length} characters (bound {bound:.2f} s)"


@pytest.mark.parametrize("strategy", [
    random_unicode, prose, many_quotes, repeated_punctuation, long_line, repeated_paragraphs,
    markdown, mixed_newlines,
], ids=["random-unicode", "prose", "many-quotes", "repeated-punctuation", "long-line",
        "repeated-paragraphs", "markdown", "mixed-newlines"])
def test_generated_text(folder, prose_seconds_per_mb, strategy):
    @EXAMPLES
    @given(text=strategy, other=prose)
    def check(text: str, other: str) -> None:
        # Two documents (one .md) so that corpus rules have something to compare.
        result, seconds = run_every_rule(folder, {"a.txt": text, "b.md": other + "\n\n" + text})
        assert_clean(result)
        assert_fast(seconds, 2 * len(text) + len(other), prose_seconds_per_mb)

    check()


# -- fixed worst cases, 1 MB each -----------------------------------------------------------------

MB = 1024 * 1024
WORST_CASES = {
    "one-line-of-words": ("word " * (MB // 5)),
    "one-line-of-quotes": ("“" * (MB // 2) + "”" * (MB // 2)),
    "alternating-quotes": ('"a" ' * (MB // 4)),
    "dots": "." * MB,
    "spaces-then-letter": " " * MB + "x",
    "digits-and-commas": ("1," * (MB // 2)),
    "capitalised-names": ("Alpha Beta Gamma Delta " * (MB // 23)),
    "according-to": ("according to according to " * (MB // 26)),
    "dashes-and-hyphens": ("-–—" * (MB // 3)),
    "markdown-hashes": ("#" * 1000 + "\n") * (MB // 1001),
    "identical-short-lines": "Share this article\n" * (MB // 19),
    "identical-paragraphs": ("The council approved the new budget after a long debate on Tuesday evening.\n\n"
                             * (MB // 77)),
}


@pytest.mark.parametrize("name", sorted(WORST_CASES))
def test_one_megabyte_worst_cases(folder, prose_seconds_per_mb, name):
    text = WORST_CASES[name]
    result, seconds = run_every_rule(folder, {f"{name}.txt": text})
    assert_clean(result)
    assert_fast(seconds, len(text), prose_seconds_per_mb)
