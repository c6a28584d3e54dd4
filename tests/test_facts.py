"""Fact extraction (people, titles, quotes, figures) and the `srcaudit facts` command, on invented text."""

from __future__ import annotations

import json
import re

from conftest import run_cli

from srcaudit.figures import find_figures
from srcaudit.names import name_key, spelling_key
from srcaudit.people import find_people
from srcaudit.quotes import find_quotes


def _quotes(text: str):
    spans, start = [], 0
    for block in text.split("\n\n"):
        spans.append((start, start + len(block)))
        start += len(block) + 2
    people = find_people(text, spans)
    return people, find_quotes(text, spans, people)


def test_name_keys_fold_case_diacritics_and_hyphens():
    assert name_key("Park Ji-hoon") == name_key("PARK Ji Hoon") == "park ji hoon"
    assert name_key("Sari Havrén") == name_key("Sari Havren")
    assert spelling_key("Park Ji-hoon") != spelling_key("Park Ji Hoon")


def test_titles_appositive_prenominal_and_of_org():
    people = find_people("Undersecretary of Trade Lucia Brandt met Ivo Sand, director of the Port Board, "
                         "and North Velmoran leader Kass Orrin. Dr. Ana Weiss said so.").people
    assert [t.text for t in people["lucia brandt"].titles] == ["Undersecretary of Trade"]
    assert [t.text for t in people["ivo sand"].titles] == ["director of the Port Board"]
    assert [t.text for t in people["kass orrin"].titles] == ["North Velmoran leader"]
    assert people["ana weiss"].titles == []  # an honorific is not a title


def test_a_speech_verb_after_a_comma_is_no_appositive_title():
    # Near-miss of the appositive: "PLACE, said the former minister ..." goes on as a sentence.
    people = find_people("The letter, from Dr. Ana Weiss of the clinic in Alder Creek, Port Aldine, said the former "
                         "trade minister was in good health. Ivo Sand, director of the Port Board, agreed.").people
    assert "port aldine" not in people
    assert [t.text for t in people["ivo sand"].titles] == ["director of the Port Board"]


def test_surname_references_resolve_to_the_full_name():
    people = find_people("Lucia Brandt, the trade minister, spoke first. Later Brandt said the talks failed.")
    assert len(people.people["lucia brandt"].mentions) == 2


def test_quotes_with_speakers_after_before_pronoun_and_interrupted():
    text = ("Lucia Brandt, the trade minister, spoke on Monday.\n\n"
            "“The talks have failed completely,” Brandt said.\n\n"
            "Ivo Sand said: “We will return to the table next week.”\n\n"
            "“In some sessions,” he said, “nobody listened to the other side.”\n\n"
            "“This is a scare quote” appears here without any speaker at all")
    people, quotes = _quotes(text)
    found = [(q.text, q.speaker) for q in quotes]
    assert ("The talks have failed completely,", "lucia brandt") in found
    assert ("We will return to the table next week.", "ivo sand") in found
    assert ("In some sessions, nobody listened to the other side.", "ivo sand") in found
    assert ("This is a scare quote", None) in found


def test_unclosed_quote_runs_on_into_the_next_paragraph():
    text = ("Ivo Sand said:\n\n“The first point is that the port is full.\n\n"
            "“The second point is that the trucks cannot wait.”")
    _, quotes = _quotes(text)
    assert [q.speaker for q in quotes] == ["ivo sand", "ivo sand"]


def test_figures_units_hedges_and_non_figures():
    figures = find_figures("Over 11,000 dock workers and about 300 trucks cost $4.7 billion in 24 years. "
                           "On May 3, 2021, at 10:30, the No. 2 official left.")
    by_unit = {f.unit: f for f in figures}
    assert set(by_unit) == {"workers", "trucks", "dollars", "years"}
    assert by_unit["workers"].low == 11000 and by_unit["workers"].high > 11000
    assert by_unit["trucks"].low < 300 < by_unit["trucks"].high
    assert by_unit["dollars"].value == 4.7e9


def test_facts_command_prints_json(tmp_path):
    (tmp_path / "a.txt").write_text("“The talks have failed completely,” Lucia Brandt said on Monday.\n",
                                    encoding="utf-8")
    result = run_cli("facts", "--jobs", "1", str(tmp_path / "a.txt"))
    assert result.exit_code == 0
    facts = json.loads(result.stdout)["documents"][0]["facts"]["consistency"]
    assert facts["quotes"][0]["speaker_name"] == "Lucia Brandt"
    assert facts["quotes"][0]["region"][:2] == [1, 2]
    assert facts["people"][0]["key"] == "lucia brandt"


# -- the fast paths find exactly what the plain formulations find ----------------------------
# Speed work on extraction must not change the facts: each test compares a fast path with
# the straightforward formulation it replaced, on invented text with the awkward cases.

_AWKWARD = ("J.R. Tolkien met À Côté and Ó Briain; xYz Ab-cd-ef-gh O’Neill’s aide, the U.S. envoy "
            "Kim Jong-un, Osama bin Laden and Charles de Gaulle.\tTab\u00a0Run then Café Noir’s CEO. "
            "A. B. C. D. E. F. Gh said. $5 £ $ 12,000.5 troops 1999 3rd 10:30 No. 4 v2 A-10 5m 7 per cent "
            "May 5 people, 2 people. 3 people")


def test_name_runs_match_the_pattern_with_its_lookbehind_first():
    import re

    from srcaudit import names

    reference = re.compile(rf"(?<![\w\u00C0-\u024F]){names._UPPER_WORD}(?:[ \t\u00A0]{{1,2}}"
                           rf"(?:{names._PARTICLE}[ \t])?{names._UPPER_WORD}){{0,4}}(?![\w\u00C0-\u024F])")
    for text in (_AWKWARD, _AWKWARD.lower(), _AWKWARD.upper(), "É" + _AWKWARD[5:], ""):
        assert [m.span() for m in names.NAME_RUN.finditer(text)] == [m.span() for m in reference.finditer(text)]
    runs = names.name_run_tuples(_AWKWARD)
    assert [(r.text, r.start, r.end) for r in names.name_runs(_AWKWARD)] == [r[:3] for r in runs]
    for text, start, end, words in runs:
        assert _AWKWARD[start:end] == text
        assert words is None or [w for _, _, w in words] == text.split()


def test_figures_found_per_paragraph_equal_figures_found_per_sentence():
    import re

    from srcaudit import figures
    from srcaudit.text import sentence_spans

    by_sentence = [f for a, b in sentence_spans(_AWKWARD) for f in figures.find_figures(_AWKWARD, a, b)]
    assert figures.find_figures(_AWKWARD) == by_sentence
    assert [m.span() for m in figures._figure_matches(_AWKWARD, 0, len(_AWKWARD))] == \
        [m.span() for m in re.compile(figures.FIGURE.pattern, re.IGNORECASE).finditer(_AWKWARD)]


def test_pre_nominal_title_found_with_string_methods_as_with_the_window_search():
    from srcaudit.people import PeopleFinder, is_role_word

    reference = re.compile(r"[^\s,;:()\"“”]+\s+\Z")  # the last word of the window, then white space
    for lead in ("the agency (Deputy) director ", "said, director\u00a0 ", "former chief executive ",
                 "director: ", "director,", "x" * 120 + " director ", "“director” ", "\tdirector\t",
                 "the director(s) ", "", " ", "chief,director  ", "Mr. "):
        text = lead + "Ana Weiss spoke"
        name_start = len(lead)
        finder = PeopleFinder(text)
        last = reference.search(text[max(0, name_start - 100):name_start])
        expected = (finder._title_back(name_start - len(last.group()))
                    if last and is_role_word(last.group().strip()) else None)
        assert finder._pre_nominal(name_start) == expected, lead


def test_topic_signature_is_the_minhash_of_the_distinct_content_words():
    import importlib

    from srcaudit.text import minhash_signatures, shingle_hashes

    extract = importlib.import_module("srcaudit_plugins.consistency.extract")
    paragraphs = ["The Harbour Board met 12 times in Velmora.", "Café owners and the board met again, twice."]
    body = " ".join(paragraphs).lower()
    words = sorted({w for w in re.findall(r"\w+", body) if w not in extract._STOPWORDS and len(w) > 2
                    and not w.isdigit()})
    expected = minhash_signatures([shingle_hashes(words, 1)], extract.TOPIC_PERMUTATIONS)[0]
    assert extract.topic_signature(paragraphs).tolist() == expected.tolist()
    assert extract.topic_signature([]).tolist() == [0xFFFFFFFF] * extract.TOPIC_PERMUTATIONS
