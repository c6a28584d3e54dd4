"""Articles saved clean (no page template on top): their short data lines are article, not template.

Fixtures are invented: a match report with a table of results under it, a preview with a
venue and date header, the same material on a page with a menu above it, and a clean
article followed by widgets.
"""

from __future__ import annotations

from pathlib import Path

from srcaudit_plugins.boilerplate import classify_document
from srcaudit_plugins.boilerplate.signals import line_signals

from conftest import check_json, codes_at, doc
from test_boilerplate import CREDIT, MOST_READ, NAVIGATION, SHARE, line_of, page
from test_boilerplate_enumerations import REPORT

HEADLINE = ["Rovers hold on for a late draw"]
# Short lines of names and numbers, one a line: a table, fixtures and a result, not a menu.
DATA = [
    "1 Aldane Brisk (Eastland)",
    "2 Corran Dell (Westmark)",
    "3 Emmet Fallow (Northby)",
    "Harbour Rovers v Millbrook Athletic",
    "Result: Brisk 6-4 3-6 7-5",
    "Quill, Rusk.",
]
HEADER = ["Harbour Park, Eastport", "Saturday 14 May", "1500 GMT"]
DATED_SENTENCE = ["Replays will be played on 18/19 May."]


def roles_of(text: str, lines: list[str]) -> list[str | None]:
    roles = classify_document(doc(text))
    return [roles[line_of(text, line) - 1] for line in lines]


def test_data_lines_after_a_clean_article_are_body(tmp_path: Path) -> None:
    text = page(HEADLINE, REPORT, DATA, DATED_SENTENCE)
    assert roles_of(text, HEADLINE + REPORT + DATA + DATED_SENTENCE) == [None] * (1 + len(REPORT) + len(DATA) + 1)
    (tmp_path / "report.txt").write_text(text, encoding="utf-8")
    _, payload = check_json("report.txt", cwd=tmp_path)
    assert codes_at(payload, "BOI002") == [] and codes_at(payload, "BOI001") == []


def test_short_header_under_the_headline_of_a_clean_article_is_body() -> None:
    text = page(HEADLINE, HEADER, REPORT, DATA)
    assert roles_of(text, HEADER + DATA) == [None] * (len(HEADER) + len(DATA))


def test_data_lines_under_a_page_template_stay_template() -> None:
    # Negative: with a menu above the article, the same short lines after it may be the
    # page's own lists, so the stretch decides as before.
    text = page(NAVIGATION, HEADLINE, REPORT, DATA)
    assert roles_of(text, REPORT) == [None] * len(REPORT)
    assert all(role is not None for role in roles_of(text, DATA[:3]))


def test_widgets_after_a_clean_article_end_it() -> None:
    # Near-miss: the data lines are kept, but share buttons, a "Most read" list and a
    # copyright line after them are where a template starts, and everything from there.
    text = page(HEADLINE, REPORT, DATA, SHARE, MOST_READ, CREDIT)
    assert roles_of(text, DATA) == [None] * len(DATA)
    assert all(role is not None for role in roles_of(text, SHARE + MOST_READ + CREDIT))


def test_undated_headline_list_after_a_date_line_stays_template() -> None:
    # Near-miss: a date line that is no sentence ("Posted ...") ends the clean article's tail.
    text = page(HEADLINE, REPORT, DATA[3:], ["Posted May 3, 2024"], MOST_READ[1:])
    assert roles_of(text, DATA[3:]) == [None] * 3
    assert all(role is not None for role in roles_of(text, MOST_READ[1:]))


def test_heading_of_the_first_template_block_stays_template() -> None:
    # Near-miss: the short line right above the first template sign, not ending like a
    # sentence, is that block's heading; the data lines before it stay article.
    stamps = ["More headlines", "5 minutes ago", MOST_READ[1], "20 minutes ago", MOST_READ[2]]
    text = page(HEADLINE, REPORT, DATA[4:], stamps)
    assert roles_of(text, DATA[4:]) == [None] * 2
    assert all(role is not None for role in roles_of(text, stamps))


def test_long_header_is_a_page_template() -> None:
    # Near-miss: more than a few lines between the headline and the article (a back link,
    # a byline, a date) is a page's template: the lines after the article are not kept.
    header = ["Back to overview", "By", "Jo Marr", "Published 3 May 2024"]
    text = page(HEADLINE, header, REPORT, MOST_READ[1:])
    assert roles_of(text, REPORT) == [None] * len(REPORT)
    assert all(role is not None for role in roles_of(text, header + MOST_READ[1:]))


def test_month_names_are_whole_words() -> None:
    # Positive: month names and abbreviations next to a day make a dated line, in several languages.
    for line in ("Saturday 14 May", "Nov. 19, 2024", "3 septembre 2024", "19. Juni 2024", "4 March"):
        assert line_signals(line).dated, line
    # Near-miss: a number before a word that only starts like a month ("Mar", "Jun", "Dec") is no date.
    for line in ("4 Marat Lund (Eastland)", "12 Junior Team", "3 Decades of Song", "5 Marines hurt"):
        assert not line_signals(line).dated, line


def test_headline_starting_with_a_list_heading_word_is_body() -> None:
    headline = "Latest ferry timetable splits the harbour towns"
    for paragraphs in (REPORT[:2], REPORT + REPORT):  # a short document, and one long enough for the stretch
        text = page([headline], paragraphs)
        assert roles_of(text, [headline]) == [None]


def test_list_heading_over_links_stays_template() -> None:
    # Negative: a "Latest" heading with a list of headlines under it, then the article.
    heading = "Latest stories from the harbour towns"
    text = page([heading], MOST_READ[1:], REPORT)
    assert roles_of(text, [heading]) != [None]
    # Near-miss: a labelled link ("Read more: ...") over the article is a link, not a headline.
    label = "Read more: ferry timetable splits the towns"
    text = page([label], REPORT)
    assert roles_of(text, [label]) != [None]


def test_menu_under_a_clean_article_stays_template() -> None:
    # Negative: three or more one- or two-word lines in a row (a footer menu with no widget
    # phrase) end the clean article, while the data lines before them stay article.
    footer = ["About us", "Contact", "Careers", "Advertise"]
    text = page(HEADLINE, REPORT, DATA[3:], footer)
    assert roles_of(text, DATA[3:]) == [None] * 3
    assert all(role is not None for role in roles_of(text, footer))
    # Near-miss: two short figures in a row (an attendance, a score) are no menu.
    figures = ["27,595", "Half-time 1-0", "Quill, Rusk."]
    text = page(HEADLINE, REPORT, figures)
    assert roles_of(text, figures) == [None] * 3
