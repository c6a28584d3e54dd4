"""ATT001, ATT002, CON001, CON002: positive, negative and near-miss cases on small invented stories."""

from __future__ import annotations

import re

from conftest import SEEDS, check_json, codes_at

# Shared story background so that the two documents are paired as one story.
STORY = ("The Harbour Authority of Velmora met on Tuesday in Port Aldine. Officials from Velmora, "
         "Port Aldine and the Ostrava Shipping Union discussed the Calder Bridge closure and the Marren Canal.\n\n")


def _codes(corpus, files: dict[str, str], code: str) -> list[tuple[str, int]]:
    root = corpus({name: STORY + text for name, text in files.items()})
    _, payload = check_json("--select", code, str(root))
    return [(path.rsplit("/", 1)[-1], line) for path, line in codes_at(payload, code)]


# -- ATT001 ---------------------------------------------------------------------------------


def test_att001_different_roles_in_same_organisation(corpus):
    found = _codes(corpus, {
        "a.txt": "Maria Oduya, former Harbour Authority deputy director for planning, said the bridge would reopen.\n",
        "b.txt": "Maria Oduya, former Harbour Authority press officer for planning, said the bridge would reopen.\n",
    }, "ATT001")
    assert found == [("b.txt", 3)]


def test_att001_compatible_titles_are_not_conflicts(corpus):
    found = _codes(corpus, {
        "a.txt": "Sen. Tomas Reyes, chairman of the Harbour Committee, said the canal mattered.\n",
        "b.txt": "Senator Tomas Reyes said the canal mattered.\n\nHarbour Committee chairman Tomas Reyes agreed.\n",
    }, "ATT001")
    assert found == []


def test_att001_near_miss_one_title_contains_the_other(corpus):
    found = _codes(corpus, {
        "a.txt": "Lena Park, a lecturer, said the closure was overdue.\n",
        "b.txt": "Lena Park, a Velmora University lecturer in maritime law, said the closure was overdue.\n",
    }, "ATT001")
    assert found == []


def test_att001_a_relative_clause_about_what_someone_else_did_is_not_a_title(corpus):
    found = _codes(corpus, {
        "a.txt": "The mayor was joined by Rosa Imbert, Velmora's canal strategist, at the launch.\n",
        "b.txt": "The mayor was joined by Rosa Imbert, who Mr Calder put in charge of canal planning in place "
                 "of the chancellor, at the launch.\n",
    }, "ATT001")
    assert found == []


def test_att001_near_miss_a_relative_clause_naming_a_post_still_conflicts(corpus):
    found = _codes(corpus, {
        "a.txt": "Rosa Imbert, who served as Harbour Authority deputy director, said the bridge would reopen.\n",
        "b.txt": "Rosa Imbert, who served as Harbour Authority press officer, said the bridge would reopen.\n",
    }, "ATT001")
    assert found == [("b.txt", 3)]


FORMER = ("The sprinters Ivo Sandor and Pia Lund missed a drugs test at the Velmora stadium.\n\n"
          "Their former coach Anton Mirek is also facing charges.\n\n")
WARNED = "The federation sent a warning to the sprinters and coach Anton Mirek in May.\n"


def test_att001_former_and_current_in_one_document_is_no_conflict(corpus):
    # b.txt says "former coach" and also "coach": time passing, not a disagreement with a.txt.
    found = _codes(corpus, {"a.txt": FORMER.split("\n\n")[0] + "\n\n" + WARNED, "b.txt": FORMER + WARNED},
                   "ATT001")
    assert found == []


def test_att001_near_miss_former_against_current_across_documents_conflicts(corpus):
    found = _codes(corpus, {"a.txt": FORMER.split("\n\n")[0] + "\n\n" + WARNED, "b.txt": FORMER}, "ATT001")
    assert found == [("b.txt", 5)]


# -- ATT002 ---------------------------------------------------------------------------------


def test_att002_reworded_quote(corpus):
    found = _codes(corpus, {
        "a.txt": "“We were never consulted about the closure of the bridge and the traders will suffer,” "
                 "Anil Mehta said.\n",
        "b.txt": "“Nobody asked our opinion about shutting the bridge and the traders will suffer,” "
                 "Anil Mehta said.\n",
    }, "ATT002")
    assert found == [("b.txt", 3)]


def test_att002_partial_quote_with_ellipsis_is_not_drift(corpus):
    found = _codes(corpus, {
        "a.txt": "“We were never consulted about the closure of the bridge and the traders will suffer,” "
                 "Anil Mehta said.\n",
        "b.txt": "Anil Mehta said: “We were never consulted ... and the traders will suffer.”\n",
    }, "ATT002")
    assert found == []


def test_att002_near_miss_other_speaker(corpus):
    found = _codes(corpus, {
        "a.txt": "“We were never consulted about the closure of the bridge and the traders will suffer,” "
                 "Anil Mehta said.\n",
        "b.txt": "“Nobody asked our opinion about shutting the bridge and the traders will suffer,” "
                 "Rosa Lind said.\n",
    }, "ATT002")
    assert found == []


def test_att002_interrupted_quote_is_joined(corpus):
    found = _codes(corpus, {
        "a.txt": "“In our view,” Anil Mehta said, “the bridge must reopen before the harvest season begins.”\n",
        "b.txt": "“In our view, the bridge must reopen before the harvest season begins,” Anil Mehta said.\n",
    }, "ATT002")
    assert found == []


def test_att001_deputy_is_another_post_than_the_post_itself(corpus):
    found = _codes(corpus, {
        "a.txt": "Tomas Verhoek, the Harbour Authority's deputy director, said the canal would reopen.\n",
        "b.txt": "Tomas Verhoek, the Harbour Authority's director, said the canal would reopen.\n",
    }, "ATT001")
    assert found == [("b.txt", 3)]


def test_att001_near_miss_senior_and_country_words_are_not_posts(corpus):
    # "senior" describes the post; a country ("U.K.") says where it is, not which post it is.
    found = _codes(corpus, {
        "a.txt": ("Tomas Verhoek, a senior director at the Harbour Authority, said the canal would reopen. "
                  "Ines Calder, chief executive officer, agreed.\n"),
        "b.txt": ("Tomas Verhoek, director at the Harbour Authority, said the canal would reopen. "
                  "Ines Calder, chief executive of the U.K. Canal Trust, agreed.\n"),
    }, "ATT001")
    assert found == []


def test_att001_different_posts_in_one_country(corpus):
    found = _codes(corpus, {
        "a.txt": "Ines Calder, the U.S. attorney for the district, said the canal would reopen.\n",
        "b.txt": "Ines Calder, the U.S. judge for the district, said the canal would reopen.\n",
    }, "ATT001")
    assert found == [("b.txt", 3)]


# -- CON001 ---------------------------------------------------------------------------------


def test_con001_conflicting_counts(corpus):
    found = _codes(corpus, {
        "a.txt": "The union said 4,000 dock workers joined the strike at the Marren Canal on Monday.\n",
        "b.txt": "More than 6,500 dock workers joined the strike at the Marren Canal, the union said.\n",
    }, "CON001")
    assert found == [("b.txt", 3)]


def test_con001_hedges_and_rounding_are_respected(corpus):
    found = _codes(corpus, {
        "a.txt": "The union said about 4,000 dock workers joined the strike at the Marren Canal on Monday.\n",
        "b.txt": "Nearly 4,200 dock workers joined the strike at the Marren Canal, the union said.\n",
    }, "CON001")
    assert found == []


def test_con001_near_miss_unrelated_counts_and_years(corpus):
    found = _codes(corpus, {
        "a.txt": "The union said 4,000 dock workers joined the strike at the Marren Canal in 2019.\n",
        "b.txt": "The city hired 60 inspectors for the Calder Bridge in 2021, the mayor said.\n",
    }, "CON001")
    assert found == []


def test_con001_counts_of_different_months_are_two_periods(corpus):
    # Near-miss: the same count for two different months is two figures, not a conflict;
    # the same months (or one side without a month) still pair.
    months = {
        "a.txt": "The union said 4,000 dock workers joined the strike at the Marren Canal in October.\n",
        "b.txt": "The union said 6,500 dock workers joined the strike at the Marren Canal in December.\n",
    }
    assert _codes(corpus, months, "CON001") == []
    same_month = {name: text.replace("December", "October") for name, text in months.items()}
    assert _codes(corpus, same_month, "CON001") == [("b.txt", 3)]


def test_con001_counts_of_different_weekdays_are_two_days(corpus):
    days = {
        "a.txt": "The union said 4,000 dock workers joined the strike at the Marren Canal on Monday.\n",
        "b.txt": "The union said 6,500 dock workers joined the strike at the Marren Canal on Thursday.\n",
    }
    assert _codes(corpus, days, "CON001") == []
    same_day = {name: text.replace("Thursday", "Monday") for name, text in days.items()}
    assert _codes(corpus, same_day, "CON001") == [("b.txt", 3)]


def test_con001_a_sentence_of_several_values_pairs_value_by_value(corpus):
    # Positive: two values each side, the second one differs (a slipped decimal point).
    found = _codes(corpus, {
        "a.txt": "Canal tolls raised $20 million last year and will raise $1.8 billion by 2030, the union said.\n",
        "b.txt": "Canal tolls raised $20 million last year and will raise $18 billion by 2030, the union said.\n",
    }, "CON001")
    assert found == [("b.txt", 3)]


def test_con001_near_miss_one_value_against_several_close_ones_is_a_guess(corpus):
    # Two close values in one sentence against one value: which one it is cannot be told.
    found = _codes(corpus, {
        "a.txt": "Dock wages at the Marren Canal averaged $410 a week in the north and $455 in the south, "
                 "the union said.\n",
        "b.txt": "Dock wages at the Marren Canal averaged $480 a week, the union said.\n",
    }, "CON001")
    assert found == []
    # One of them of the same magnitude: that one pairs.
    found = _codes(corpus, {
        "a.txt": "The Marren Canal operator lost $4.4 billion last year and paid a $125 million fine, "
                 "the union said.\n",
        "b.txt": "The Marren Canal operator lost $6 billion last year, the union said.\n",
    }, "CON001")
    assert found == [("b.txt", 3)]


def test_con001_sentences_about_different_named_people_are_two_quantities(corpus):
    # Each sentence names someone the other document never mentions: two races, not one.
    found = _codes(corpus, {
        "a.txt": "Rowers raced on the Marren Canal. Pia Lund won the sculls final in 7 minutes 41 seconds.\n",
        "b.txt": "Rowers raced on the Marren Canal. Ivo Sandor won the sculls final in 7 minutes 52 seconds.\n",
    }, "CON001")
    assert found == []


def test_con001_near_miss_different_attributions_of_one_count_still_conflict(corpus):
    # Both documents name both sources: the count is one quantity, attributed differently.
    found = _codes(corpus, {
        "a.txt": "Dock workers joined the strike, Mayor Oduya and the Ostrava union said. "
                 "Mayor Oduya said 4,000 dock workers joined the strike at the Marren Canal.\n",
        "b.txt": "Dock workers joined the strike, Mayor Oduya and the Ostrava union said. "
                 "The Ostrava union said 6,500 dock workers joined the strike at the Marren Canal.\n",
    }, "CON001")
    assert found == [("b.txt", 3)]


def test_con001_the_seconds_of_a_compound_time_are_not_compared(corpus):
    # "two minutes, 41 seconds" against "two minutes, 52 seconds" may be one race or two:
    # the leading part is not a figure, so the tails are not compared ...
    found = _codes(corpus, {
        "a.txt": "The ferry crossed the Marren Canal in two minutes, 41 seconds on its first run.\n",
        "b.txt": "The ferry crossed the Marren Canal in three minutes, 52 seconds on its first run.\n",
    }, "CON001")
    assert found == []
    # ... while a time given in seconds alone still is (near-miss).
    found = _codes(corpus, {
        "a.txt": "The ferry crossed the Marren Canal in 41 seconds on its first run.\n",
        "b.txt": "The ferry crossed the Marren Canal in 52 seconds on its first run.\n",
    }, "CON001")
    assert found == [("b.txt", 3)]


def test_con001_values_far_apart_are_two_quantities_unless_ten_times(corpus):
    def found(a: str, b: str) -> list[tuple[str, int]]:
        return _codes(corpus, {
            "a.txt": f"The union said {a} dock workers joined the strike at the Marren Canal.\n",
            "b.txt": f"The union said {b} dock workers joined the strike at the Marren Canal.\n",
        }, "CON001")
    assert found("400", "2,600") == []               # 6.5 times: a count of something else
    assert found("4,000", "40,000") == [("b.txt", 3)]  # a slipped digit
    assert found("4,000", "12,000") == [("b.txt", 3)]  # three times: still one count told two ways


# -- CON002 ---------------------------------------------------------------------------------


def test_con002_hyphenation_variant(corpus):
    found = _codes(corpus, {
        "a.txt": "Harbour Authority director Park Ji-hoon said the canal would stay open.\n",
        "b.txt": "Harbour Authority director Park Ji Hoon said the canal would stay open.\n",
        "c.txt": "Harbour Authority director Park Ji Hoon said so again.\n",
    }, "CON002")
    assert found == [("a.txt", 3)]


def test_con002_transliteration_variant(corpus):
    found = _codes(corpus, {
        "a.txt": "Minister Oleksandr Kovalenkko said the canal would stay open.\n",
        "b.txt": "Minister Oleksandr Kovalenko said the canal would stay open.\n",
        "c.txt": "Minister Oleksandr Kovalenko said so again.\n",
    }, "CON002")
    assert found == [("a.txt", 3)]


def test_con002_near_miss_relatives_sharing_a_surname(corpus):
    found = _codes(corpus, {
        "a.txt": "Mayor Daniel Ferro said the bridge was safe. His sister, councillor Maria Ferro, disagreed.\n",
        "b.txt": "Mayor Daniel Ferro said the bridge was safe.\n",
    }, "CON002")
    assert found == []


def test_unrelated_stories_are_not_compared(corpus):
    root = corpus({
        "a.txt": "Maria Oduya, former Harbour Authority deputy director for planning, said the canal opened.\n",
        "b.txt": "A cycling race crossed the Dorran Hills on Sunday. Maria Oduya, former Harbour Authority "
                 "chief engineer for planning, watched the riders from Kessel and Brandt.\n",
    })
    _, payload = check_json("--select", "ATT001", str(root))
    assert codes_at(payload, "ATT001") == []


# -- seeds ------------------------------------------------------------------------------------


def test_seed_expectations():
    _, payload = check_json("--select", "ATT001,ATT002,CON001,CON002", str(SEEDS))
    found = {(f["code"], f["path"].rsplit("/", 1)[-1][:3], f["line"],
              f["related"][0]["path"].rsplit("/", 1)[-1][:3] if f["related"] else None)
             for f in payload["findings"]}
    assert ("ATT001", "002", 16, "001") in found
    assert ("CON001", "004", 3, "002") in found
    assert any(code == "CON002" and path == "001" and line == 4 for code, path, line, _ in found)
    assert any(code == "ATT002" and path == "004" and other == "001" for code, path, _, other in found)
    assert len(found) == 4  # nothing else from these rules on the seeds


def test_con002_near_miss_one_letter_apart_is_another_name(corpus):
    found = _codes(corpus, {
        "a.txt": "Minister Oleksandr Davies said the canal would stay open.\n",
        "b.txt": "Minister Oleksandr Davis said the canal would stay open.\n",
        "c.txt": "Minister Oleksandr Davis said so again.\n",
    }, "CON002")
    assert found == []


def test_topic_signature_is_the_minhash_of_the_content_words_in_any_script():
    import importlib

    from srcaudit.text import minhash_signatures, shingle_hashes

    extract = importlib.import_module("srcaudit_plugins.consistency.extract")
    paragraphs = ["Naïve Ünïcödé harbour 42 and ²³⁴ or ab cd, board123 café CAFÉ", "x" * 40 + " the of and"]
    vocabulary = set(re.findall(r"\w+", " ".join(paragraphs).lower()))
    content = [w for w in vocabulary if w not in extract._STOPWORDS and len(w) > 2 and not w.isdigit()]
    expected = minhash_signatures([shingle_hashes(content, 1)], extract.TOPIC_PERMUTATIONS)[0]
    assert extract.topic_signature(paragraphs).tolist() == expected.tolist()
    only_stopwords = extract.topic_signature(["the of and 12345 ab"])
    assert only_stopwords.tolist() == [0xFFFFFFFF] * extract.TOPIC_PERMUTATIONS


def test_entity_pair_codes_are_every_pair_of_each_group():
    import random

    import numpy as np

    from srcaudit_plugins.consistency.topics import _pair_codes

    chooser = random.Random(5)
    for _ in range(200):
        count = chooser.randint(2, 40)
        groups = [sorted(chooser.sample(range(count), chooser.randint(2, min(count, 9))))
                  for _ in range(chooser.randint(1, 6))]
        expected = [i * count + j for members in groups
                    for position, i in enumerate(members) for j in members[position + 1:]]
        assert _pair_codes(groups, count).tolist() == expected


def test_of_title_shortcut_finds_what_the_search_finds():
    from srcaudit.people import _OF_TITLE, PeopleFinder

    leads = ["Secretary of ", "Secretary of the ", "Secretary  of\tthe  ", "met at the ", "and the ", "Blythe of ",
             "x" * 130 + " Minister of ", "Minister of the\n", "of ", "the ", "(Director of the ", "Sec.-Gen. of the ",
             "Secretary ofthe ", "Secretary of  the ", "writers of the the "]
    for lead in leads:
        text = lead + "Jane Roe"
        base = max(0, len(lead) - 120)
        found = PeopleFinder(text)._of_title(base, len(lead))
        expected = _OF_TITLE.search(text[base:len(lead)])
        assert (found and found.span(1)) == (expected and expected.span(1)), lead


def test_packed_facts_survive_pickling_and_print_in_the_documented_shape():
    import importlib
    import pickle

    from srcaudit.document import Document

    extract = importlib.import_module("srcaudit_plugins.consistency.extract")
    packed = importlib.import_module("srcaudit_plugins.consistency.packed")
    text = ("Ivo Sand, director of the Port Board, spoke on Monday.\n\n"
            "“The trucks cannot wait another week at the gate,” Sand said.\n\n"
            "About 1,200 dock workers joined the strike.\n")
    facts = extract.extract(Document.from_text("a.txt", text))
    again = pickle.loads(pickle.dumps(facts, protocol=pickle.HIGHEST_PROTOCOL))
    assert again["people"] == facts["people"] and again["quotes"] == facts["quotes"]
    plain = packed.plain(again)
    person = plain["people"][0]
    assert person["key"] == "ivo sand" and person["titles"][0]["text"] == "director of the Port Board"
    assert person["titles"][0]["region"] == [1, 11, 1, 37] and person["mentions"][1]["surface"] == "Sand"
    assert plain["quotes"][0]["speaker"] == "ivo sand" and plain["quotes"][0]["region"][:2] == [3, 2]
    assert plain["figures"][0]["unit"] == "workers" and plain["figures"][0]["modifiers"] == ["dock"]
    unpacked = packed.figures(again["figures"])[0]
    assert (unpacked.unit, unpacked.value, unpacked.region[0]) == ("workers", 1200.0, 5)


def test_name_key_of_one_plain_word_is_the_general_rule():
    from srcaudit.names import HONORIFICS, _KEY_SEPARATORS, name_key, strip_possessive
    from srcaudit.text import fold

    def general(name: str) -> str:
        tokens = [strip_possessive(t).rstrip(".") for t in _KEY_SEPARATORS.split(fold(name)) if t]
        while tokens and tokens[0] in HONORIFICS:
            tokens = tokens[1:]
        return " ".join(t for t in tokens if t)

    for word in ("Smith", "SMITH", "Mr", "MRS", "Dr", "Prof", "Herr", "Dame", "Is", "Ali", "O", "Zelenskyy"):
        assert name_key(word) == general(word), word
