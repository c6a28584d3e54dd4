"""ATT003 (vague attribution) and ATT004 (second-hand sourcing): own fixtures, then the seeds."""

from __future__ import annotations

import pytest
from srcaudit_plugins import sourcing

from conftest import SEEDS, check_json, codes_at, doc
from srcaudit.api import ActiveRules, Severity


def active(**overrides: dict) -> ActiveRules:
    options = {rule.code: rule.default_options() for rule in sourcing.srcaudit_rules()}
    for code, values in overrides.items():
        options[code].update(values)
    return ActiveRules(options)


def findings(text: str, code: str, rules: ActiveRules | None = None):
    return [f for f in sourcing.srcaudit_check_document(doc(text), rules or active()) if f.code == code]


def flagged(text: str, code: str = "ATT003", rules: ActiveRules | None = None) -> list[str]:
    """The flagged text of each finding (single-line fixtures)."""
    return [text.split("\n")[f.region.line - 1][f.region.column - 1:f.region.end_column - 1]
            for f in findings(text, code, rules)]


# -- ATT003 ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("sentence, phrase", [
    ("Analysts say the merger will close in March.", "Analysts say"),
    ("The harbour will be dredged next year, experts suggest.", "experts suggest"),
    ("Some economists believe rates have peaked.", "Some economists believe"),
    ("Studies show that the drug lowers blood pressure.", "Studies show"),
    ("It is widely believed that the mayor will resign.", "It is widely believed"),
    ("Critics argue the bridge is too expensive.", "Critics argue"),
    ("The vote was rigged, according to critics.", "according to critics"),
    ("The tunnel will open in May, said officials.", "said officials"),
    ("Experts have long warned about the dam.", "Experts have long warned"),
    ("A senior official said the talks had stalled.", "A senior official said"),
])
def test_att003_flags_vague_attributions(sentence: str, phrase: str) -> None:
    assert flagged(sentence) == [phrase]


def test_att003_warning_for_unqualified_info_for_qualified_groups() -> None:
    text = "Analysts say the merger will close.\n\nPolice officials said the road would reopen on Monday.\n"
    found = findings(text, "ATT003")
    assert [(f.region.line, f.severity) for f in found] == [(1, None), (3, Severity.INFO)]
    assert 'qualified by "Police"' in found[1].message


def test_att003_qualified_by_an_organisation_after_the_group() -> None:
    found = findings("Analysts at Ridgeway Capital expect two rate cuts this year.", "ATT003")
    assert len(found) == 1 and found[0].severity is Severity.INFO
    assert "Ridgeway Capital" in found[0].message


def test_att003_not_inside_quotations() -> None:
    text = ('"Experts say the levee is safe," the mayor told the council.\n\n'
            "“Analysts believe the worst is over,” she added.\n")
    assert findings(text, "ATT003") == []


def test_att003_not_when_a_named_member_follows() -> None:
    text = ("Analysts expect the central bank to cut rates. \"Inflation is falling fast,\" said Maria Lopez, "
            "an analyst at Harbor Bank.\n")
    assert findings(text, "ATT003") == []


def test_att003_not_for_a_named_study() -> None:
    assert findings("Studies show, according to the Lancet review, that the drug works.", "ATT003") == []


def test_att003_near_miss_named_source_who_is_not_a_member_does_not_count() -> None:
    text = ("Some analysts believe the pact helps the capital. \"They are waiting,\" said Tomas Berg "
            "of the Nordic Policy Forum.\n")
    assert flagged(text) == ["Some analysts believe"]


def test_att003_near_misses_that_are_not_attributions() -> None:
    text = ("The experts were flown in from Oslo.\n\n"
            "Officials from both countries met on Tuesday.\n\n"
            "The analysts said nothing more.\n\n"           # refers back to a group already introduced
            "She said officials were told to wait.\n\n"     # "said officials" followed by more clause
            "Experts Warn Of Floods As Rivers Rise\n\n"    # a title-case headline
            "Sales will fall, Lena Park, an analyst at Ridgeway, said.\n\n"  # apposition to a named person
            "Northfield Research suggested prices would rise.\n\n"  # a firm's name, not a group
            "According to Northfield Research, 40% of homes have a second set.\n")  # the same, after "according to"

    assert findings(text, "ATT003") == []


def test_att003_near_miss_a_group_of_a_named_firm_after_according_to_is_still_vague() -> None:
    found = findings("Sales will rise, according to Northfield analysts.", "ATT003")
    assert len(found) == 1 and 'qualified by "Northfield"' in found[0].message


def test_att003_not_when_the_reports_name_their_publisher() -> None:
    text = ("The studio is in talks to buy the rights, according to reports from The Lantern and Variety.\n\n"
            "The deal will close in May, according to reports in the Weekly Courier.\n\n"
            "The merger will go ahead, according to reports in Ridgeway Screen trade magazine.\n\n"
            "It was reported by the Morning Star that the plant will close.\n")
    assert findings(text, "ATT003") == []


def test_att003_near_miss_reports_from_a_place_or_a_group_stay_vague() -> None:
    text = ("Troops have moved north, according to reports from Ruritania.\n\n"
            "Prices fell, according to reports from Ruritanian officials.\n\n"
            "Studies from the North show that the plan works.\n")
    assert flagged(text) == ["according to reports from Ruritania.", "according to reports from Ruritanian",
                             "Studies from the North show"]


def test_att003_not_when_the_group_word_is_followed_by_the_name() -> None:
    text = ("About 40% of homes have a second set, according to analysts Northfield Media.\n\n"
            "Sales were weak, according to Ridgeway analyst Lena Park.\n")
    assert findings(text, "ATT003") == []


def test_att003_a_person_word_used_as_an_adjective_is_not_a_person() -> None:
    assert findings("Truancy fell by a third, according to official statistics.", "ATT003") == []


def test_att003_near_miss_one_official_with_a_clause_after_is_still_vague() -> None:
    assert flagged("The talks stalled, according to an official familiar with them.") == ["according to an official"]


def test_att003_near_miss_a_day_or_a_determiner_after_the_group_is_not_a_name() -> None:
    text = ("The talks stalled, according to officials Monday.\n\n"
            "Prices will rise, according to some Ruritanian firms.\n")
    assert flagged(text) == ["according to officials", "according to some"]


def test_att003_vocabulary_is_configurable() -> None:
    text = "Pundits whisper that the senator will run.\n"
    assert findings(text, "ATT003") == []
    rules = active(ATT003={"extra_groups": ["pundits"], "extra_verbs": ["whisper"]})
    assert flagged(text, rules=rules) == ["Pundits whisper"]
    rules = active(ATT003={"extra_phrases": ["tongues are wagging"]})
    assert flagged("In the capital, tongues are wagging about the budget.", rules=rules) == ["tongues are wagging"]


def test_att003_vocabulary_from_rules_toml(tmp_path) -> None:
    (tmp_path / "rules.toml").write_text('[rules.ATT003]\nextra_groups = ["pundits"]\n', encoding="utf-8")
    (tmp_path / "a.txt").write_text("Pundits say the senator will run.\n", encoding="utf-8")
    _, payload = check_json(str(tmp_path), "--select", "ATT003", cwd=tmp_path)
    assert codes_at(payload, "ATT003") == [(str(tmp_path / "a.txt"), 1)]


def test_att003_region_spans_a_hard_wrapped_paragraph() -> None:
    line = "The committee met for six hours on Tuesday to discuss the harbour budget and the"
    text = f"{line}\nschedule, and officials said the vote would be delayed until the spring session.\n"
    found = findings(text, "ATT003")
    assert len(found) == 1
    region = found[0].region
    assert (region.line, region.column) == (2, len("schedule, and ") + 1)
    assert text.split("\n")[1][region.column - 1:region.end_column - 1] == "officials said"


def test_att003_same_findings_in_a_paragraph_as_in_its_sentences_alone() -> None:
    # The whole paragraph is tested first (no sentence split when nothing can match):
    # attributions at a sentence's start or end, and a paragraph with none, must come out
    # exactly as when each sentence is its own paragraph.
    sentences = ["The tunnel will open in May, said officials.", "Critics argue the cost is too high.",
                 "The vote was rigged, according to critics.", "Many residents said the road was quiet.",
                 "Some of them said officials were slow.", "It is widely believed that the mayor will go."]
    joined = " ".join(sentences)
    apart = "\n\n".join(sentences)
    assert flagged(joined) == [phrase for text in sentences for phrase in flagged(text)]
    assert flagged(joined) == flagged(apart.replace("\n\n", " "))
    assert flagged("Some residents said the road was quiet. Many of them walked to work.") == []


# -- ATT004 ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("sentence, outlet", [
    ("The minister's remarks, reported by The Daily Courier, caused a stir.", "The Daily Courier"),
    ("The plant will close, according to Reuters.", "Reuters"),
    ("The story was first reported by the Lakeside Herald in June.", "the Lakeside Herald"),
    ("Citing a report in The Korea Times, the ministry denied the claim.", "The Korea Times"),
    ("The Northern Post reported that the mayor had resigned.", "The Northern Post"),
    ("A Bloomberg report said the deal was off.", "Bloomberg"),
])
def test_att004_flags_second_hand_sourcing(sentence: str, outlet: str) -> None:
    found = findings(sentence, "ATT004")
    assert len(found) == 1 and outlet in found[0].message


def test_att004_keywords_found_alike_in_ascii_and_other_text() -> None:
    # ASCII paragraphs find keywords with str.find, others with the regex: same results,
    # and "report_2" or "reports2" are not the word "report(s)".
    for text in ("The Northern Post reported the plan.", "Déjà vu: The Northern Post reported the plan.",
                 "A Reuters REPORT said the deal was off.", "Citing Reuters, the café said it would close."):
        assert len(findings(text, "ATT004")) == 1, text
    assert sourcing._keyword_spans("a report_2 and reports2 but report.") == [(28, 34)]
    assert sourcing._keyword_spans("a report_2 and reports2 but report. é") == [(28, 34)]


def test_att004_own_interview_is_fine() -> None:
    assert findings("\"We will rebuild,\" the mayor told the Lakeside Herald on Monday.", "ATT004") == []


def test_att004_near_misses() -> None:
    text = ("The flood was reported by residents on Monday.\n\n"              # reported by people, not an outlet
            "According to the Environment Agency, the river peaked at noon.\n\n"  # an agency, not an outlet
            "\"As reported by the Daily Courier, it was chaos,\" he said.\n")   # inside a quotation
    assert findings(text, "ATT004") == []


def test_att004_outlets_option_adds_names() -> None:
    sentence = "The bridge will close, according to Kyivska Pravda Weekly Digest."
    rules = active(ATT004={"outlets": ["Kyivska Pravda Weekly Digest"]})
    assert findings(sentence, "ATT004") == []
    assert len(findings(sentence, "ATT004", rules)) == 1


def test_measures_count_both_rules() -> None:
    text = "Analysts say the plant will close, according to Reuters.\n"
    measures = sourcing.srcaudit_measure_document(doc(text), active())
    assert measures == {"vague_attribution_count": 1, "second_hand_count": 1}


# -- seeds -------------------------------------------------------------------------------------------

def test_seed_expectations() -> None:
    _, payload = check_json(str(SEEDS), "--select", "ATT003,ATT004")
    vague = codes_at(payload, "ATT003")
    texts = {(f["path"], f["line"]): f["message"] for f in payload["findings"]}
    def lines_with(name: str, code: str) -> list[int]:
        return [line for path, line in codes_at(payload, code) if name in path]
    seed004 = [texts[(p, n)] for p, n in vague if "004_" in p]
    for phrase in ("Analysts predict", "Experts suggest", "Some analysts believe"):
        assert any(phrase in message for message in seed004), phrase
    assert any("Reports indicate" in texts[(p, n)] for p, n in vague if "001_" in p)
    assert lines_with("002_", "ATT004") == [10] and "The Guardian" in texts[
        next((p, n) for p, n in codes_at(payload, "ATT004") if "002_" in p)]
    assert lines_with("003_", "ATT004") == []  # "told Newsweek" is the outlet's own interview



def _random_paragraphs(seed: int, count: int) -> list[str]:
    import random
    rng = random.Random(seed)
    pieces = ["Analysts", "analysts", "said", "say", "says", "some", "many", "others", "according", "to",
              "it", "is", "widely", "believed", "reported", "report", "reports2", "2report", "_said",
              "said_", "officials", "Experts", "suggest", "people", "familiar", "with", "the", "matter",
              "citing", "a", "Reuters", "by", "The", "Times", "1990s", "3.5bn", "O'Neil", "U.S.",
              " ", " ", " ", ",", ".", "\n", "\t", '"', "-", "’", "analystsx", "xsaid", "studies", "show"]
    return ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 40))) for _ in range(count)]


@pytest.mark.parametrize("extra", [{}, {"extra_groups": ["pundit class", "seers"],
                                        "extra_phrases": ["insiders whisper", "word on the street is"]}])
def test_keyword_scan_finds_what_the_word_set_found(extra) -> None:
    """ASCII paragraphs are scanned for keywords by one regex instead of being tokenised:
    anchors, phrase keys and ATT004's keyword spans must be exactly those the word set gave."""
    options = {**sourcing.ATT003.default_options(), **extra}
    grammar = sourcing._grammar_for(ActiveRules({"ATT003": options}))
    texts = _random_paragraphs(23, 4000) + [
        "Some analysts said it is widely believed, according to reports, that 2reports are due.",
        "It is said seers predict so; word on the street is that pundit class expect a cut",
        "", "said", "reports", "_reports_ 3analysts said4 others_"]
    assert sum(text.isascii() for text in texts) > 2000  # the scanned kind
    for text in texts:
        assert sourcing._anchors(text, grammar) == sourcing._anchors_by_words(text, grammar), repr(text)
        scan = sourcing._scan(text, grammar.keywords)
        assert sourcing._keyword_spans(text, scan) == sourcing._keyword_spans(text), repr(text)
        assert sourcing._keyword_spans(text) == [m.span() for m in sourcing._SECOND_HAND_KEYWORD.finditer(text)]


def test_word_finder_finds_whole_letter_words_only() -> None:
    finder = sourcing.WordFinder(["report", "reports", "said", "Ünï", "x1", "aid"])
    text = "reports2 report said_ xsaid reportsx _report reports é"
    assert finder.find(text) == ((0, "reports"), (9, "report"), (16, "said"), (38, "report"), (45, "reports"))
    assert finder.find("") == () and finder.find("said") == ((0, "said"),)
    assert sourcing.WordFinder([]).find("said") == ()
    import random
    import re
    rng = random.Random(31)
    words = ["report", "reports", "said", "aid", "some", "someone", "many", "others", "a"]
    finder = sourcing.WordFinder(words)
    for _ in range(2000):
        text = "".join(rng.choice(words + [" ", "x", "1", "_", ".", "é"]) for _ in range(rng.randint(0, 20)))
        expected = [(m.start(), m.group()) for m in re.finditer(r"(?<![a-z])[a-z]+(?![a-z])", text)
                    if m.group() in words]
        assert list(finder.find(text)) == expected, text


@pytest.mark.parametrize("extra", [[], ["word on the street", "word on", "insiders whisper", "it is"]])
def test_phrase_gate_matches_where_the_phrase_alternation_does(extra) -> None:
    """Whether a fixed phrase occurs near a key word is asked with a trie of the phrases'
    words: it must find a match exactly where the alternation of the phrases does."""
    import random
    phrases = tuple(sourcing.DEFAULT_PHRASES) + tuple(extra)
    options = {**sourcing.ATT003.default_options(), "phrases": list(phrases)}
    grammar = sourcing._grammar_for(ActiveRules({"ATT003": options}))
    words = sorted({word for phrase in phrases for word in phrase.split()}) + ["IT", "Is", "x", "said,"]
    rng = random.Random(29)
    for _ in range(4000):
        text = "".join(rng.choice(words) + rng.choice([" ", "  ", "\n", "", ", ", "-"])
                       for _ in range(rng.randint(0, 12)))
        start = rng.randint(0, len(text))
        end = rng.randint(start, len(text) + 2)
        assert (grammar.phrase_gate.search(text, start, end) is None) == \
            (grammar.phrases.search(text, start, end) is None), (text, start, end)


def test_prepare_builds_the_grammars_and_changes_no_result() -> None:
    rules = ActiveRules({"ATT003": sourcing.ATT003.default_options(), "ATT004": sourcing.ATT004.default_options()})
    text = "Analysts say the deal is done, as reported by The Guardian.\n"
    unprepared = sourcing.srcaudit_check_document(doc(text), rules)
    sourcing._second_hand_grammar.cache_clear()
    sourcing.srcaudit_prepare(rules)
    assert sourcing._second_hand_grammar.cache_info().currsize == 1
    assert sourcing._last_grammar[0] is rules
    assert sourcing.srcaudit_check_document(doc(text), rules) == unprepared
    assert [f.code for f in unprepared] == ["ATT003", "ATT004"]
