"""MET001 (no byline) and MET002 (no date / empty date fields): own fixtures, then the seeds."""

from __future__ import annotations

import pytest
from srcaudit_plugins import metadata

from conftest import SEEDS, check_json, codes_at, doc, write_files
from srcaudit.api import ActiveRules

BODY = ("The council approved the new harbour budget on Tuesday after a long debate about dredging "
        "costs and the future of the ferry service.\n\nThe vote was seven to two.\n")


def active() -> ActiveRules:
    return ActiveRules({rule.code: rule.default_options() for rule in metadata.srcaudit_rules()})


def codes(text: str) -> list[tuple[str, int]]:
    return [(f.code, f.region.line) for f in metadata.srcaudit_check_document(doc(text), active())]


def found(text: str) -> metadata.Metadata:
    return metadata.find_metadata(tuple(text.split("\n")))


@pytest.mark.parametrize("header, name", [
    ("By Jane Doe", "Jane Doe"),
    ("BY JAMES B. STEWART", "JAMES B. STEWART"),
    ("byMaria Q. Lopez", "Maria Q. Lopez"),
    ("By Ana Ruiz and Tom Berg, Lakeside Herald", "Ana Ruiz and Tom Berg"),
    ("**By Jane Doe**", "Jane Doe"),
    ("Von Anna Schmidt", "Anna Schmidt"),
    ("Author: Pierre Martin", "Pierre Martin"),
    ("Jane Doe | The Daily Courier", "Jane Doe"),
    ("Jane Doe, Reuters", "Jane Doe"),
    ("Jane Doe\njane.doe@courier.example", "Jane Doe\n"),
    ("Jane Doe\nSenior Correspondent", "Jane Doe\n"),
    ("WASHINGTON (AP) — The council approved", "AP"),
    ("(Reuters) - The council approved", "Reuters"),
    ("Jane Doe\nNov. 19, 2024 6:30 AM", "Jane Doe"),
])
def test_bylines_in_their_usual_shapes(header: str, name: str) -> None:
    result = found(f"Harbour budget approved\n\n{header}\n\n{BODY}")
    assert result.byline == name.strip()


def test_byline_at_the_end_with_contact_line() -> None:
    assert found(f"Harbour budget approved\n\n{BODY}\nJane Doe\njane@courier.example\n").byline == "Jane Doe"


def test_no_byline_near_misses() -> None:
    text = ("Harbour budget approved\n\nBy Monday Morning the vote was done.\n\nRead More\nLatest News\n\n"
            "Officials said the vote was close, according to Jane Doe, a councillor.\n\n" + BODY)
    assert found(text).byline is None
    assert ("MET001", 1) in codes(text)


def test_a_name_line_is_a_byline_only_right_above_a_date_line() -> None:
    # Near-misses: a name line above a sentence, or with a menu word between it and the date.
    assert found(f"Harbour budget approved\n\nJane Doe\n\nThe vote was close on Tuesday night.\n\n{BODY}").byline is None
    assert found(f"Harbour budget approved\n\nJane Doe\nIdeas\nNov. 19, 2024\n\n{BODY}").byline is None
    # A date deep in the article does not make the name above it a byline.
    assert found("Harbour budget approved\n\n" + "Filler line of the article text.\n\n" * 30
                 + f"Jane Doe\nNov. 19, 2024\n\n{BODY}").byline is None


def test_lone_by_line_with_the_name_below() -> None:
    assert found(f"Harbour budget approved\n\nBy\n\nJane Doe\n\n{BODY}").byline == "Jane Doe"
    # Near-miss: "By" alone, then a sentence, is no byline.
    assert found(f"Harbour budget approved\n\nBy\n\nthe end of the week the vote was done.\n\n{BODY}").byline is None


MENU = "\n\n".join(["Home", "World", "Business", "Sport", "Culture", "Weather", "Travel", "Video", "Audio",
                     "Newsletters", "Podcasts", "Live", "Markets", "Tech", "Science", "Health", "Opinion",
                     "Obituaries", "Puzzles", "Events"])
ARTICLE = ("The council approved the new harbour budget on Tuesday after a long debate about dredging costs, "
           "the future of the ferry service and the repairs the old pier has needed for years.\n\n"
           "The vote was seven to two, and work on the pier is due to begin in the spring.\n")


def test_byline_and_date_next_to_an_article_below_a_long_menu(tmp_path) -> None:
    # A saved web page: 40 lines of menu, then the headline, byline and date right above the text.
    page = f"{MENU}\n\nHarbour budget approved\n\nBy Jane Doe\n\nNovember 19, 2024 6:30 AM\n\n{ARTICLE}"
    (tmp_path / "page.txt").write_text(page, encoding="utf-8")
    _, payload = check_json("--select", "MET001,MET002", "page.txt", cwd=tmp_path)
    assert codes_at(payload, "MET001") == [] and codes_at(payload, "MET002") == []
    assert payload["documents"][0]["byline"] == "Jane Doe"
    assert payload["documents"][0]["publication_date"] == "November 19, 2024"


def test_a_long_page_title_on_top_is_not_where_the_article_starts() -> None:
    # Every line is body here (no classifier ran), so the long title line is the first long
    # body paragraph; the article starts at the first one that ends like a sentence.
    title = "Harbour budget approved after a long debate about dredging costs and the ferry service | Courier"
    page = f"{title}\n\n{MENU}\n\nHarbour budget approved\n\nNov. 19, 2024 8:03 am ET\n\n{ARTICLE}"
    assert metadata._article_starts(doc(page)) == [1, page.split("\n").index(ARTICLE.split("\n")[0]) + 1]
    assert ("MET002", 1) not in codes(page)


def test_near_miss_long_menu_and_no_byline_or_date_by_the_article(tmp_path) -> None:
    # The same page without byline and date: a date in a sentence of the article does not count.
    page = f"{MENU}\n\nHarbour budget approved\n\nThe budget for 2024 was first proposed on May 3, 2023.\n\n{ARTICLE}"
    (tmp_path / "page.txt").write_text(page, encoding="utf-8")
    _, payload = check_json("--select", "MET001,MET002", "page.txt", cwd=tmp_path)
    assert codes_at(payload, "MET001") == [("page.txt", 1)] and codes_at(payload, "MET002") == [("page.txt", 1)]


@pytest.mark.parametrize("line, date", [
    ("Published: 24 June 2024", "24 June 2024"),
    ("Updated 2024-06-24T10:05", "2024-06-24T10:05"),
    ("June 24, 2024 10:05 AM", "June 24, 2024"),
    ("Sept. 5, 2023", "Sept. 5, 2023"),
    ("Veröffentlicht am 24. Juni 2024", "24. Juni 2024"),
    ("Publié le 3 mars 2024 à 10h", "3 mars 2024"),
    ("5 de junio de 2024", "5 de junio de 2024"),
    ("24/06/2024", "24/06/2024"),
    ("11/20/19 6:38 AM", "11/20/19"),
    ("2024年6月24日", "2024年6月24日"),
])
def test_dates_in_common_formats_and_languages(line: str, date: str) -> None:
    assert found(f"Harbour budget approved\n{line}\n\n{BODY}").date == date


def test_dated_dateline_counts() -> None:
    text = "Harbour budget approved\n\nLONDON, June 5 (Reuters) - The council approved the budget on Tuesday.\n"
    result = found(text)
    assert result.date == "June 5" and result.byline == "Reuters"


def test_date_in_a_sentence_or_relative_time_is_not_a_publication_date() -> None:
    text = ("Harbour budget approved\n\n"
            "The leaders shook hands on September 13, 2023 at the harbour, after a long and difficult week "
            "of talks about the future of the ferry service and the fishing fleet.\n\n"
            "13 minutes ago\n\n" + BODY)
    assert found(text).date is None
    assert ("MET002", 1) in codes(text)


def test_empty_date_template_is_reported_at_its_line() -> None:
    text = f"Harbour budget approved\n\nPublished: Updated:\nBy Jane Doe\n\n{BODY}"
    assert codes(text) == [("MET002", 3)]
    message = metadata.srcaudit_check_document(doc(text), active())[0].message
    assert "Published: Updated:" in message


def test_a_filled_template_is_not_empty() -> None:
    assert codes(f"Harbour budget approved\n\nPublished: 24 June 2024 Updated:\nBy Jane Doe\n\n{BODY}") == []


def test_measures() -> None:
    text = f"Harbour budget approved\nBy Jane Doe\nPublished: 24 June 2024\n\n{BODY}"
    measures = metadata.srcaudit_measure_document(doc(text), active())
    assert measures == {"byline_present": True, "byline": "Jane Doe", "date_present": True,
                        "publication_date": "24 June 2024"}


def test_seed_expectations() -> None:
    _, payload = check_json(str(SEEDS), "--select", "MET001,MET002")
    no_byline = {path.split("/")[-1][:3] for path, _ in codes_at(payload, "MET001")}
    assert no_byline == {"000", "001", "003", "004"}
    no_date = {(path.split("/")[-1][:3], line) for path, line in codes_at(payload, "MET002")}
    assert ("000", 3) in no_date  # "Published: Updated:" with no values
    assert {seed for seed, _ in no_date} == {"000", "001", "002", "003", "004"}
    assert all(line == 1 for seed, line in no_date if seed != "000")


def test_findings_carry_the_anchor_the_engine_would_give_them() -> None:
    """The plugin sets each finding's anchor itself (saving the engine a copy per finding):
    it must be the text of the finding's region, as the engine computes it."""
    from srcaudit import engine

    rules = ActiveRules({"MET001": metadata.MET001.default_options(), "MET002": metadata.MET002.default_options()})
    for text in ["  A headline with edge blanks \t\nBody text follows here.\n",
                 "Title\n\n Published:   Updated:  \n\nBody.\n", "\u00a0Ünïcödé title\u2003\nBody.\n"]:
        document = doc(text)
        found = metadata.srcaudit_check_document(document, rules)
        assert found
        for finding in found:
            assert finding.anchor == engine._span_text(document, finding)


def test_lines_without_date_digits_hold_no_date() -> None:
    """The date regex runs only on lines holding a year or a numeric day/month/year: every
    line it matches must hold one (random lines of dates' parts, in several languages)."""
    import random
    settings = metadata._Settings(25, metadata.DEFAULT_BYLINE_PREFIXES, metadata.DEFAULT_DATE_LABELS,
                                  tuple(metadata.MONTH_NAMES))
    patterns = metadata._patterns(settings.byline_prefixes, settings.date_labels, settings.month_names)
    pieces = ["June ", "juin ", "Mai ", "sept. ", "5 ", "5, ", "05/", "5.", "31st ", "1. ", "2024", "1999 ", "1799",
              "2100 ", "24", "de ", "2024年", "6月", "5日", "12-", "1-", "10:05 ", "Published: ", "T", "x", "2024-06-05"]
    rng = random.Random(41)
    matched = 0
    for _ in range(20000):
        line = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 12)))
        if patterns.date.search(line):
            matched += 1
            assert metadata._DATE_DIGITS.search(line), line
    assert matched > 3000


def test_prepare_compiles_the_patterns_and_changes_no_result() -> None:
    rules = active()
    text = "Markets rally\nBy Jane Doe | The Daily Courier\n\nBody text.\n"
    unprepared = metadata.srcaudit_check_document(doc(text), rules)
    metadata._patterns.cache_clear()
    metadata.srcaudit_prepare(rules)
    assert metadata._patterns.cache_info().currsize == 1
    assert metadata.srcaudit_check_document(doc(text), rules) == unprepared


def test_findings_have_the_rules_severity_unless_configured(tmp_path) -> None:
    """MET001/MET002 findings carry their rule's default severity (so the engine need not
    copy them to set it); a severity set in rules.toml still replaces it."""
    document = doc(f"Harbour budget approved\n\n{BODY}")
    assert [(f.code, f.severity) for f in metadata.srcaudit_check_document(document, active())] == [
        ("MET001", metadata.MET001.severity), ("MET002", metadata.MET002.severity)]
    write_files(tmp_path, {"story.txt": f"Harbour budget approved\n\n{BODY}",
                           "rules.toml": '[rules.MET001]\nseverity = "info"\n'})
    _, payload = check_json("story.txt", "--select", "MET001,MET002", cwd=tmp_path)
    assert [(f["code"], f["severity"]) for f in payload["findings"]] == [("MET001", "info"), ("MET002", "warning")]


def test_agency_dateline_needs_its_parenthesis() -> None:
    """The dateline pattern is tried only on lines with "(": lines without one are still checked
    for the other byline shapes, and a dateline inside a long line is still found."""
    assert found(f"Harbour budget approved\n\nLAKESIDE, Ohio (Reuters) - {BODY}").byline == "Reuters"
    assert found(f"Harbour budget approved\n\nLAKESIDE, Ohio Reuters - {BODY}").byline is None
