"""Shortcuts taken for speed in the per-document hooks give the answers of the plain code."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from srcaudit_plugins.boilerplate import signals

# Pieces that make the widget patterns match, nearly match or fail, in several cases and scripts.
_PIECES = ["Powered by", "powered  by", "All Rights Reserved", "(c) 2019", "(C)2020", "(c)", "Copyright ©",
           "copyright 2021", "Privacy Policy", "privacy", "Cookie settings", "cookies", "we use cookies",
           "Accept all cookies", "Terms of Use", "terms of service", "termsof use", "Impressum", "Datenschutz",
           "Todos los derechos", "Tous droits", "Direitos reservados", "Все права", "©", "COOKIE POLICY",
           "Subscribe", "Share", "3", "Comments0", "Read more", "ſ", "K", "İ", " ", ":", ".", "the", "news",
           "a", "Zebra"]


def _widget_kind_by_patterns(line: str, count: int) -> str | None:
    """``signals._widget_kind`` without the shortcut: every pattern is searched."""
    if count > signals._LONGEST_WIDGET:
        return None
    if signals._DIGIT.search(line):
        line = signals._GLUED_NUMBER.sub(" ", line)
    for kind, (pattern, max_words) in signals.WIDGET_PHRASES.items():
        if count <= max_words and pattern.search(line):
            return kind
    if count <= signals.TITLE_WORDS and ":" in line[:signals._LABEL_CHARS] and signals._RELATED_LABEL.match(line):
        return "related-links"
    return None


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=12), st.integers(0, 32))
def test_widget_kind_equals_searching_every_pattern(pieces: list[str], count: int) -> None:
    for line in (" ".join(pieces), "".join(pieces)):
        assert signals._widget_kind(line, count) == _widget_kind_by_patterns(line, count), line


def test_every_cms_credit_branch_that_matches_ascii_text_holds_a_needed_word() -> None:
    lines = ["Powered by Acme", "All rights reserved.", "(c) 2019 Acme", "Copyright 2020 Acme", "Privacy policy",
             "Cookie preferences", "We use cookies", "Terms of service", "Impressum", "Datenschutz",
             "Todos los derechos reservados", "Tous droits reserves", "Direitos reservados"]
    for line in lines:
        assert signals._widget_kind(line, len(line.split())) == "cms-credit", line
    assert signals._widget_kind("Growth of the economy", 4) is None


def test_line_summaries_of_a_batch_are_kept_until_their_last_use(monkeypatch) -> None:
    """The engine classifies a batch of documents before their other hooks run: each
    document's summary is found again (no second tokenising) and dropped at its last use."""
    from srcaudit_plugins.boilerplate import tokens
    from srcaudit_plugins.boilerplate.classify import classify_lines

    texts = [tuple(f"Line {n} of document {d} has several words in it." for n in range(5)) for d in range(3)]
    expected = []
    for lines in texts:
        classify_lines(lines)
        expected.append(tokens.SummaryBuilder())
        for line in lines:
            expected[-1].add(tokens.word_tuple(line))
    calls = []
    monkeypatch.setattr(tokens, "word_tuple", lambda text: calls.append(text) or ())
    for lines, builder in zip(texts, expected):
        assert tokens.line_word_counts(lines) == tuple(builder.counts)
        assert tokens.line_summary(lines, last_use=True).hashes == tuple(builder.hashes)
    assert calls == []  # every summary was kept
    assert all(id(lines) not in tokens._Kept.summaries for lines in texts)
    tokens.line_summary(list(texts[0]))  # no longer kept: tokenised again
    assert len(calls) == len(texts[0])


def test_kept_line_summaries_are_bounded_by_their_lines(monkeypatch) -> None:
    from srcaudit_plugins.boilerplate import tokens
    from srcaudit_plugins.boilerplate.classify import classify_lines

    monkeypatch.setattr(tokens._Kept, "max_lines", 10)
    documents = [tuple(f"word {d} {n}" for n in range(4)) for d in range(5)]
    for lines in documents:
        classify_lines(lines)
    assert tokens._Kept.lines_held <= 10
    assert [entry[0] for entry in tokens._Kept.summaries.values()] == documents[-2:]  # the newest stay
    big = tuple(f"word {n}" for n in range(30))
    classify_lines(big)
    assert [entry[0] for entry in tokens._Kept.summaries.values()] == [big]  # kept alone, though larger
    tokens.line_summary(big, last_use=True)
    assert tokens._Kept.summaries == {} and tokens._Kept.lines_held == 0


def test_ascii_words_equal_the_regex_tokeniser() -> None:
    """ASCII text is tokenised with bytes.translate: the same words as ``\\w+`` in folded text,
    for every ASCII character (control characters, separators, "_", digits, both cases)."""
    import random

    from srcaudit import text
    rnd = random.Random(11)
    alphabet = [chr(code) for code in range(128)] + ["ab", "Word", " "]
    samples = ["", " ", "It's a well-known FACT_1 - isn't it?", "\x1c\x1f\x0b\x85"]
    samples += ["".join(rnd.choice(alphabet) for _ in range(rnd.randrange(0, 40))) for _ in range(5000)]
    for sample in samples:
        text._cached_words.cache_clear()
        assert text.words(sample) == text.FOLDED_WORD.findall(text.fold(sample)), repr(sample)
    assert text.words("Ünïcödé and ASCII") == ["unicode", "and", "ascii"]  # not ASCII: the regex


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.integers(0, 6), min_size=1, max_size=9), min_size=1, max_size=8), st.integers(1, 4))
def test_shingles_of_long_texts_equal_each_texts_shingles(texts: list[list[int]], size: int) -> None:
    """When every text has at least ``size`` words the shingles are windows of the joined
    hashes (the shortcut); otherwise the general path runs. Both give each text's shingles."""
    import numpy as np

    from srcaudit import text
    token_lists = [[f"w{n}" for n in tokens] for tokens in texts]
    values, counts = text._shingle_groups(token_lists, size)
    expected = [text.shingle_hashes(tokens, size) for tokens in token_lists]
    assert counts.tolist() == [len(shingles) for shingles in expected]
    assert np.array_equal(values, np.concatenate(expected))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.integers(0, (1 << 32) - 1), min_size=1, max_size=12, unique=True), min_size=1, max_size=10))
def test_signing_groups_in_one_block_equals_signing_each_set(groups: list[list[int]]) -> None:
    """Groups that all have shingles and fit one block are signed with one reduceat: the same rows."""
    import numpy as np

    from srcaudit import text
    sets = [np.array(sorted(group), dtype=np.uint64) for group in groups]
    values, counts = np.concatenate(sets), np.array([len(group) for group in groups])
    assert np.array_equal(text._sign_groups(values, counts, 16), text.minhash_signatures(sets, 16))


def test_control_share_of_ascii_text_equals_the_regex_count() -> None:
    import random

    from srcaudit import decoding
    rnd = random.Random(5)
    alphabet = [chr(code) for code in range(128)]
    for _ in range(3000):
        sample = "".join(rnd.choice(alphabet) for _ in range(rnd.randrange(1, 40)))
        expected = len(decoding._CONTROL.findall(sample)) / len(sample)
        assert decoding._control_share(sample) == expected, repr(sample)
    assert decoding._control_share("") == 0.0
    assert decoding._control_share("é\x07") == 0.5  # not ASCII: the regex


def test_cjk_pattern_matches_exactly_the_han_and_kana_ranges() -> None:
    ranges = ((0x3040, 0x30FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF))
    for code in range(0x2F00, 0xA100):
        inside = any(low <= code <= high for low, high in ranges)
        assert bool(signals._CJK.fullmatch(chr(code))) == inside, hex(code)
    assert signals._CJK.findall("ab\u3041c\u4e01\u3401") == ["\u3041", "\u4e01", "\u3401"]
