"""Enumerations (line-ups, results, casts): article content, not template, next to the article.

Fixtures are invented: a match report with its line-ups, a Q&A list and page template.
"""

from __future__ import annotations

from pathlib import Path

from srcaudit_plugins.boilerplate import classify_document
from srcaudit_plugins.boilerplate.signals import line_signals

from conftest import check_json, doc
from test_boilerplate import ARTICLE, MOST_READ, NAVIGATION, SHARE, line_of, page

REPORT = [
    ("Harbour Rovers came from two goals down to draw with Millbrook Athletic on Saturday, with a late "
     "header from their young striker settling a match that the visitors had controlled for an hour."),
    ("Millbrook scored twice before the break, first from a corner that was never cleared and then with a "
     "long shot that the home goalkeeper could only push into the roof of his own net."),
    ("The second half belonged to the home side, who pressed high up the pitch and were rewarded when "
     "their captain turned in a low cross at the far post with twenty minutes left to play."),
]
LINE_UP = [
    "Harbour Rovers: Aldane; Brisk, Corran (Dell 70), Emmet, Fallow; Garran, Hollis, Ibsen; Jory, Kett, Lomond.",
    "Subs not used: Marr, Nolde.",
    "Millbrook Athletic: Oberly; Penn, Quaile, Rusk, Stell; Tarrant, Uller (Vance 81), Wick; Yarrow, Zell, Abney.",
    "Referee: P Quill (Eastshire).",
]


def roles_of(text: str, lines: list[str]) -> list[str | None]:
    roles = classify_document(doc(text))
    return [roles[line_of(text, line[:40]) - 1] for line in lines]


def test_line_up_is_an_enumeration_and_a_headline_with_commas_is_not() -> None:
    assert line_signals(LINE_UP[0]).enumeration
    assert line_signals("Aldane, Brisk, Corran, Emmet, Fallow.").enumeration is False  # too few words
    # Near-misses: a Title Case headline listing three things, a line of date parts, a sentence.
    assert not line_signals("Mayor, Council, Harbour Board Agree Bridge Deal, Set Spring Start").enumeration
    assert not line_signals("Posted Tue, Mar 5, 2024, 10:48 | Updated Wed, Mar 6, 2024, 09:12").enumeration
    assert not line_signals(ARTICLE[0]).enumeration


def test_line_up_after_the_report_is_body() -> None:
    # The two line-ups and the short line between them; the referee's line after the last
    # enumeration ends the page's article like any short line after its last paragraph.
    text = page(NAVIGATION, ["Harbour Rovers 2-2 Millbrook Athletic"], REPORT, LINE_UP, MOST_READ)
    assert roles_of(text, REPORT + LINE_UP[:3]) == [None] * (len(REPORT) + 3)
    assert all(role is not None for role in roles_of(text, MOST_READ))


def test_line_up_before_the_report_is_body() -> None:
    text = page(NAVIGATION, ["Harbour Rovers 2-2 Millbrook Athletic"], LINE_UP[:1], REPORT, MOST_READ)
    assert roles_of(text, LINE_UP[:1] + REPORT) == [None] * (1 + len(REPORT))


TAGS = "Tags: bridges, harbour, council, transport, buses, cycling, planning, budget"


def test_enumeration_among_template_lines_stays_template() -> None:
    # Near-miss: a tag list between two link lists, away from any paragraph, is no line-up.
    text = page(NAVIGATION, ["Council approves harbour bridge"], ARTICLE, MOST_READ, [TAGS], MOST_READ)
    assert line_signals(TAGS).enumeration
    assert roles_of(text, ARTICLE) == [None] * len(ARTICLE)
    assert roles_of(text, [TAGS])[0] is not None


def test_enumeration_after_share_buttons_stays_template() -> None:
    # Near-miss: share buttons (widgets) end the article; a tag list after them is template.
    text = page(NAVIGATION, ["Council approves harbour bridge"], ARTICLE, SHARE, [TAGS], MOST_READ)
    assert roles_of(text, ARTICLE) == [None] * len(ARTICLE)
    assert roles_of(text, [TAGS])[0] is not None


def test_copied_line_up_is_dup002(tmp_path: Path) -> None:
    # Two reports of one match by different outlets, the second copying the line-up.
    other = [("The visitors looked comfortable for an hour at the harbour ground, but a tired defence gave "
              "way twice in the last half hour and the points were shared after a lively finish."),
             ("Millbrook's manager said afterwards that his side should have killed the game off long "
              "before the home team found their rhythm and their voice in the second half.")]
    files = {"a.txt": page(["Harbour Rovers 2-2 Millbrook Athletic"], REPORT, LINE_UP),
             "b.txt": page(["Late header earns Rovers a point"], other, LINE_UP[2:3])}
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    _, payload = check_json(str(tmp_path), "--select", "DUP002", "--no-cache")
    found = [(f["path"].rsplit("/", 1)[-1], f["line"]) for f in payload["findings"]]
    assert found == [("b.txt", line_of(files["b.txt"], LINE_UP[2][:30]))]
