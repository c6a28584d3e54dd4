"""BOI001, BOI002 and the line classifier, on small pages written for these tests."""

from __future__ import annotations

from pathlib import Path

from srcaudit_plugins.boilerplate import boilerplate_share, classify_document
from srcaudit_plugins.boilerplate.signals import line_signals

from conftest import check_json, codes_at, doc

ARTICLE = [
    ("The city council voted on Tuesday to rebuild the old harbour bridge, ending a dispute that has "
     "divided residents for more than ten years."),
    ("The new bridge will carry cyclists and buses as well as cars, and the work is expected to take "
     "three years, according to the council's own estimate."),
    ("Opponents had argued that the money would be better spent on the schools in the north of the "
     "city, where several buildings are in poor repair."),
    ("The mayor said that the decision was not an easy one, but that the bridge was used by more than "
     "forty thousand people every day and could not wait any longer."),
    ("Construction is due to begin in the spring, once the final designs have been approved by the "
     "regional planning office."),
]

NAVIGATION = ["Home", "World", "Business", "Sport", "Culture", "Weather"]
MOST_READ = [
    "Most Read",
    "Storm Closes Coastal Roads Across The Region",
    "Local Bakery Wins National Bread Award",
    "Five Things To Do This Weekend In The Old Town",
    "Rail Strike Called Off After Late Night Talks",
    "Football Club Confirms New Head Coach",
]
SHARE = ["Share this article", "Facebook", "Twitter", "12 Comments"]
SUBSCRIBE = ["Subscribe to our newsletter"]
CREDIT = ["© 2024 Example Media Ltd. All rights reserved. Powered by WordPress"]


def page(*blocks: list[str]) -> str:
    """A page saved as text: blocks of lines, blank lines between lines."""
    return "\n\n".join(line for block in blocks for line in block) + "\n"


def line_of(text: str, needle: str) -> int:
    """1-based number of the first line containing ``needle``."""
    return next(n for n, line in enumerate(text.split("\n"), 1) if needle in line)


def boi002_kinds(payload: dict) -> dict[int, str]:
    """BOI002 findings by line, with the kind named in the message ("" when generic)."""
    kinds = {}
    for finding in payload["findings"]:
        if finding["code"] == "BOI002":
            message = finding["message"]
            kinds[finding["line"]] = message[message.find("(") + 1:message.find(")")] if "block (" in message else ""
    return kinds


# -- the classifier ---------------------------------------------------------------


def test_article_lines_are_body_and_template_lines_are_not() -> None:
    text = page(NAVIGATION, ["Council approves harbour bridge"], ARTICLE, SHARE, MOST_READ)
    document = doc(text)
    roles = classify_document(document)
    for paragraph in ARTICLE:
        assert roles[line_of(text, paragraph[:40]) - 1] is None
    assert roles[line_of(text, "Council approves") - 1] is None  # the headline stays
    for item in NAVIGATION + MOST_READ:
        assert roles[line_of(text, item) - 1] is not None, item


def test_short_subheading_between_paragraphs_is_body() -> None:
    # Near-miss: a short line in the middle of the article looks like a menu item.
    text = page(ARTICLE[:2], ["What happens next"], ARTICLE[2:], ["He declined to comment."], ARTICLE[:1])
    roles = classify_document(doc(text))
    assert roles[line_of(text, "What happens next") - 1] is None
    assert roles[line_of(text, "He declined") - 1] is None


def test_widget_words_in_news_text_are_not_widgets() -> None:
    # Near-miss: "shares", "comment", "trial" and names in capitals are news words too.
    text = page(["Shares tumble as bank warns on profits"],
                ["Hollywood star Tom Hanks was in London's Leicester Square for the UK Premiere."],
                ARTICLE[:2], ["The trial resumes on Monday."], ARTICLE[2:])
    assert classify_document(doc(text)) == [None] * len(text.split("\n")[:-1])


def test_copyright_and_cookies_in_news_text_are_not_cms_credits() -> None:
    # Near-miss: a story about a copyright ruling or a biscuit maker uses the words of a footer.
    text = page(["Carmaker wins copyright ruling against local rival"],
                ["A court has ruled that the firm's designs are protected by copyright, in a case watched by exporters."],
                ARTICLE[:2], ["The company also makes cookies and crackers for supermarkets."], ARTICLE[2:])
    assert classify_document(doc(text)) == [None] * len(text.split("\n")[:-1])


def test_cookie_and_copyright_notices_are_cms_credits() -> None:
    for notice in ("We use cookies to improve your experience.", "Copyright 2024 Example Media",
                   "Cookie settings", "Read our privacy policy"):
        assert line_signals(notice).widget == "cms-credit", notice
    for news in ("The ruling strengthens copyright protection for designers.", "Sales of cookies rose by 4%."):
        assert line_signals(news).widget is None, news


def test_other_languages_use_their_function_words() -> None:
    german = [
        ("Der Stadtrat hat am Dienstag beschlossen, die alte Brücke am Hafen neu zu bauen, und damit "
         "einen Streit beendet, der die Bewohner seit mehr als zehn Jahren gespalten hat."),
        ("Die neue Brücke soll auch von Radfahrern und Bussen genutzt werden, und die Arbeiten werden nach "
         "Schätzung der Stadt etwa drei Jahre dauern."),
        ("Gegner hatten argumentiert, das Geld sei in den Schulen im Norden der Stadt besser angelegt, wo "
         "mehrere Gebäude in einem schlechten Zustand sind."),
    ]
    text = page(["Startseite", "Politik", "Wirtschaft", "Sport"], german, ["Lesen Sie auch", "Neue Regeln für Mieter"])
    roles = classify_document(doc(text))
    assert all(roles[line_of(text, p[:30]) - 1] is None for p in german)
    assert roles[line_of(text, "Wirtschaft") - 1] == "navigation"
    assert roles[line_of(text, "Lesen Sie auch") - 1] == "related-links"


REPLIES = [
    ("I wonder whether the council looked at a tunnel instead, since the ferry company offered to "
     "share the cost of the study last year."),
    ("Thanks for the question. The council looked at a tunnel in its first report and found that it "
     "would cost about twice as much as the bridge."),
    ("Has anyone asked the people who live next to the old bridge what they think about three years "
     "of building work outside their windows?"),
]


def test_comment_thread_after_the_article_is_boilerplate() -> None:
    # Headers from one template, each with a clock time and a name, each followed by a reply.
    thread = ["Comments", "Jo Baker on March 3, 2024 at 9:15 am said:", REPLIES[0],
              "Sam (Council) on March 4, 2024 at 4:02 pm said:", REPLIES[1],
              "Priya on March 6, 2024 at 11:47 am said:", REPLIES[2]]
    text = page(NAVIGATION, ["Council approves harbour bridge"], ARTICLE[:2], thread, MOST_READ)
    roles = classify_document(doc(text))
    assert all(roles[line_of(text, p[:40]) - 1] is None for p in ARTICLE[:2])
    assert all(roles[line_of(text, reply[:40]) - 1] is not None for reply in REPLIES)


def test_dated_lines_in_an_article_are_not_a_thread() -> None:
    # Near-miss: a byline and an update line with clock times (but differently worded) and
    # embedded posts (no clock time) between paragraphs, each followed by prose.
    body = [*ARTICLE[:2], "By Jo Baker, March 3, 2024 at 9:15 am", *ARTICLE[2:4],
            "— Sam Green (@samgreen) March 3, 2024", ARTICLE[4], ARTICLE[0],
            "Updated March 4, 2024, 10:02 GMT", *ARTICLE[1:3],
            "— Priya Shah (@priyashah) March 3, 2024", *ARTICLE[3:]]
    text = page(NAVIGATION, ["Council approves harbour bridge"], body, MOST_READ)
    roles = classify_document(doc(text))
    paragraphs = [n for n, line in enumerate(text.split("\n")) if line in ARTICLE]
    assert len(paragraphs) == 10
    assert all(roles[n] is None for n in paragraphs)


DISCLAIMER = [
    ("The information on this website is provided for general purposes only and is not intended as a "
     "substitute for professional advice, and the publisher accepts no liability for its use."),
    ("Results may vary from one reader to another, and the statements made in our articles have not been "
     "reviewed by any public authority or by the makers of the products that are mentioned in them."),
    ("© 2024 Example Media Ltd. All rights reserved. Example Media is the owner of the trademarks shown on "
     "this website, and all other trademarks belong to their respective owners."),
]


def test_legal_footer_after_the_article_is_boilerplate() -> None:
    # The footer is in the foot of the page: its last tenth of lines.
    text = page(NAVIGATION * 4, ["Council approves harbour bridge"], ARTICLE, MOST_READ,
                DISCLAIMER, ["Contact | Terms of use"])
    roles = classify_document(doc(text))
    assert all(roles[line_of(text, p[:40]) - 1] is None for p in ARTICLE)
    assert all(roles[line_of(text, p[:40]) - 1] is not None for p in DISCLAIMER)


def test_short_article_above_a_longer_legal_footer_is_found() -> None:
    # The footer alone outweighs the article: it is set aside and the article sought again.
    legal = DISCLAIMER + [DISCLAIMER[0].replace("website", "site")]
    text = page(NAVIGATION * 7, ["Council approves harbour bridge"], ARTICLE[:2], SHARE, MOST_READ,
                legal, ["Contact | Terms of use"])
    roles = classify_document(doc(text))
    assert all(roles[line_of(text, p[:40]) - 1] is None for p in ARTICLE[:2])
    assert all(roles[n] is not None for n, line in enumerate(text.split("\n")) if line in legal)


def test_clean_article_ending_with_a_copyright_notice_stays_body() -> None:
    # Near-miss: no template at all; the notice is in the article's last paragraph.
    last = ARTICLE[-1] + " Copyright 2024 Example Press Agency. All rights reserved."
    text = page(["Council approves harbour bridge"], ARTICLE, ARTICLE[:-1], [last])
    assert classify_document(doc(text)) == [None] * len(text.split("\n")[:-1])


def test_agency_credit_under_the_article_stays_body() -> None:
    # Near-miss: a copyright notice printed under the article (the stretch also holds two
    # teasers above it, past a short menu), with the rest of the page after it.
    teasers = [("The harbour festival returns this summer with three days of music, food and boat races, "
                "and the organisers expect more visitors than ever."),
               ("Tickets for the opening concert on the pier go on sale on Friday, and the first thousand "
                "will be sold at half the usual price.")]
    credit = ("© 2024 Example Press Agency. All rights reserved. This material may not be published, "
              "broadcast, rewritten or redistributed.")
    text = page(NAVIGATION, teasers, NAVIGATION[:4], ["Council approves harbour bridge"], ARTICLE,
                [credit], SHARE,
                MOST_READ, NAVIGATION * 3, DISCLAIMER[2:])
    roles = classify_document(doc(text))
    assert all(roles[line_of(text, p[:40]) - 1] is None for p in ARTICLE)
    assert roles[line_of(text, credit[:40]) - 1] is None


def test_photo_captions_between_paragraphs_are_boilerplate() -> None:
    captions = ["Workers inspect the old bridge, which was built in 1911 (Photo: Jo Baker/Reuters)",
                "The council chamber during Tuesday's vote. Credit: City Press Office",
                "Residents watch the final vote from the public galleryCredit: City Press Office",
                "Cyclists queue at the old bridge on a winter morning Jo Baker | Getty Images"]
    # Near-miss: picture words and an agency's name inside the article's sentences.
    near = ["The photo agency Getty Images, which took the pictures of the vote, said they would be free to use.",
            "One photo: a crowd of cyclists waiting for the old bridge to open, was shared thousands of times."]
    body = [*ARTICLE[:2], captions[0], ARTICLE[2], near[0], captions[1], *ARTICLE[3:], near[1], captions[2],
            ARTICLE[0], captions[3], ARTICLE[1]]
    text = page(NAVIGATION, ["Council approves harbour bridge"], body, MOST_READ)
    roles = classify_document(doc(text))
    assert all(roles[line_of(text, p[:40]) - 1] is None for p in ARTICLE + near)
    assert all(roles[line_of(text, caption[:40]) - 1] is not None for caption in captions)


RECIPE_ITEMS = ["Heat the oven to a moderate temperature", "2 cups of flour, sifted twice",
                "1 teaspoon of baking soda and a pinch of salt", "3 ripe bananas, mashed with a fork",
                "Bake for about an hour, until a skewer comes out clean", "Leave to cool in the tin for ten minutes"]


def test_list_after_a_short_introduction_is_body() -> None:
    # Sentence-case items (with short Title Case labels between them) carry the article on.
    intro = [("This banana bread keeps for a week and needs only one bowl, so it is the loaf we bake most "
              "often when the fruit bowl has a few bananas that are past their best."),
             ("The recipe below makes one large loaf; it can be doubled, and the batter freezes well if you "
              "want to bake the second loaf later in the month.")]
    body = [*intro, "Ingredients", *RECIPE_ITEMS[1:4], "Method", RECIPE_ITEMS[0], *RECIPE_ITEMS[4:]]
    text = page(NAVIGATION, ["Easy banana bread"], body, MOST_READ)
    roles = classify_document(doc(text))
    assert all(roles[line_of(text, line) - 1] is None for line in intro + RECIPE_ITEMS)
    assert all(roles[line_of(text, item) - 1] is not None for item in MOST_READ)


def test_author_box_after_the_article_is_not_a_list() -> None:
    # Near-miss: two sentence-case lines after the article (an author's box) are no list.
    box = ["Jo Baker covers transport for the paper", "Follow her reporting on the city's roads and bridges"]
    text = page(NAVIGATION, ["Council approves harbour bridge"], ARTICLE, box, MOST_READ)
    roles = classify_document(doc(text))
    assert all(roles[line_of(text, p[:40]) - 1] is None for p in ARTICLE)
    assert all(roles[line_of(text, line) - 1] is not None for line in box)


def test_embedded_post_in_the_article_is_body() -> None:
    # An embedded post's signature ("— Name (@handle) date") is the source of a quotation.
    post = ["Please keep away from the harbour road tonight while the crews finish the work.",
            "— City Council (@citycouncil) March 3, 2024"]
    text = page(NAVIGATION, ["Council approves harbour bridge"], ARTICLE[:3], post, ARTICLE[3:], MOST_READ)
    roles = classify_document(doc(text))
    assert all(roles[line_of(text, line[:40]) - 1] is None for line in ARTICLE + post)


def test_labelled_link_between_paragraphs_is_boilerplate() -> None:
    link = "Read more: Rail strike called off after late night talks between unions and the operator"
    # Near-miss: the same words opening a sentence of the article, without the label's colon.
    sentence = "Read more about the plans on the council's website, where the full designs were published today."
    text = page(NAVIGATION, ["Council approves harbour bridge"], ARTICLE[:2], [link], ARTICLE[2:4], [sentence],
                ARTICLE[4:], MOST_READ)
    roles = classify_document(doc(text))
    assert roles[line_of(text, link) - 1] == "related-links"
    assert all(roles[line_of(text, line[:40]) - 1] is None for line in ARTICLE + [sentence])


def test_share_counts_words_on_boilerplate_lines() -> None:
    clean = doc(page(["Council approves harbour bridge"], ARTICLE))
    assert boilerplate_share(clean.with_line_roles(tuple(classify_document(clean)))) == 0.0
    noisy = doc(page(NAVIGATION, ARTICLE[:1], MOST_READ))
    share = boilerplate_share(noisy.with_line_roles(tuple(classify_document(noisy))))
    assert 0.5 < share < 1.0


def test_pathological_lines_are_classified() -> None:
    # Regexes must not backtrack badly on long runs of digits, punctuation or spaces.
    text = "1" * 20000 + "\n" + "a " * 20000 + "\n" + ":" * 20000 + "\n" + "13 " * 5000 + "minutes ago\n"
    assert len(classify_document(doc(text))) == 4


# -- BOI002 -------------------------------------------------------------------------


def test_boi002_reports_each_block_with_its_kind(tmp_path: Path) -> None:
    text = page(NAVIGATION, ["Council approves harbour bridge"], ARTICLE, SHARE, MOST_READ, SUBSCRIBE, CREDIT)
    (tmp_path / "page.txt").write_text(text, encoding="utf-8")
    _, payload = check_json("page.txt", cwd=tmp_path)
    kinds = boi002_kinds(payload)
    assert kinds[line_of(text, "Home")] == "navigation"
    assert kinds[line_of(text, "Share this article")] == "share-widget"
    assert kinds[line_of(text, "Most Read")] == "related-links"
    assert kinds[line_of(text, "Subscribe to our")] == "subscription"
    assert kinds[line_of(text, "Powered by")] == "cms-credit"
    finding = next(f for f in payload["findings"] if f["code"] == "BOI002" and f["line"] == line_of(text, "Most Read"))
    assert finding["end_line"] == line_of(text, "Football Club")
    assert '"Most Read"' in finding["message"] and "6 lines" in finding["message"]


def test_boi002_names_timestamp_lists(tmp_path: Path) -> None:
    stamps = ["More headlines"]
    for n, title in enumerate(MOST_READ[1:], 1):
        stamps += [f"{n * 5} minutes ago", title]
    text = page(["Council approves harbour bridge"], ARTICLE, stamps)
    (tmp_path / "page.txt").write_text(text, encoding="utf-8")
    _, payload = check_json("page.txt", cwd=tmp_path)
    assert boi002_kinds(payload) == {line_of(text, "More headlines"): "timestamp-list"}


def test_boi002_is_silent_on_a_clean_article(tmp_path: Path) -> None:
    text = page(["Council approves harbour bridge"], ARTICLE[:2], ["What happens next"], ARTICLE[2:])
    (tmp_path / "clean.txt").write_text(text, encoding="utf-8")
    _, payload = check_json("clean.txt", cwd=tmp_path)
    assert codes_at(payload, "BOI002") == [] and codes_at(payload, "BOI001") == []
    assert payload["documents"][0]["boilerplate_share"] == 0.0


# -- BOI001 -------------------------------------------------------------------------


def test_boi001_reports_a_mostly_template_page(tmp_path: Path) -> None:
    text = page(NAVIGATION, ["Council approves harbour bridge"], ARTICLE[:2], SHARE, MOST_READ, MOST_READ[1:], CREDIT)
    (tmp_path / "page.txt").write_text(text, encoding="utf-8")
    _, payload = check_json("page.txt", cwd=tmp_path)
    [finding] = [f for f in payload["findings"] if f["code"] == "BOI001"]
    share = payload["documents"][0]["boilerplate_share"]
    assert share > 0.4
    assert f"boilerplate is {share:.0%} of the words" in finding["message"]
    assert finding["line"] == line_of(text, "Most Read")  # points at the largest block


def test_boi001_near_miss_below_threshold_until_configured(tmp_path: Path) -> None:
    # Some template (a share widget and a short list), but the article dominates.
    text = page(["Council approves harbour bridge"], ARTICLE, SHARE, MOST_READ[:3])
    (tmp_path / "page.txt").write_text(text, encoding="utf-8")
    _, payload = check_json("page.txt", cwd=tmp_path)
    share = payload["documents"][0]["boilerplate_share"]
    assert 0.1 < share < 0.4
    assert codes_at(payload, "BOI001") == []
    assert codes_at(payload, "BOI002")
    (tmp_path / "rules.toml").write_text("[rules.BOI001]\nthreshold = 0.1\n", encoding="utf-8")
    _, payload = check_json("page.txt", cwd=tmp_path)
    assert codes_at(payload, "BOI001") == [("page.txt", line_of(text, "Most Read"))]


def test_boi001_ignores_tiny_documents(tmp_path: Path) -> None:
    text = page(NAVIGATION[:3], ["Council approves harbour bridge"], NAVIGATION[3:], ["Read more", "Share this"])
    (tmp_path / "menu.txt").write_text(text, encoding="utf-8")
    _, payload = check_json("menu.txt", cwd=tmp_path)
    assert codes_at(payload, "BOI001") == []  # fewer words than min_words
    assert payload["documents"][0]["boilerplate_share"] > 0.5


def test_short_documents_are_judged_by_widget_lines_only() -> None:
    # Near-miss: seven short lines could be a menu or a short note; only the widgets are template.
    text = page(["Council approves harbour bridge"], ARTICLE[:1], ["Home", "Sport"], ARTICLE[1:2], SHARE[:1])
    roles = classify_document(doc(text))
    assert [n for n, role in enumerate(roles, 1) if role] == [line_of(text, "Share this article")]


def test_other_rules_skip_boilerplate(tmp_path: Path) -> None:
    # The same "Most Read" list printed twice is template, not a repeated paragraph.
    text = page(["Council approves harbour bridge"], ARTICLE, MOST_READ, SHARE, MOST_READ)
    (tmp_path / "page.txt").write_text(text, encoding="utf-8")
    _, payload = check_json("page.txt", cwd=tmp_path)
    assert codes_at(payload, "DUP001") == [] and codes_at(payload, "DUP003") == []


# -- corpus phase: template lines ---------------------------------------------------------

OTHER_ARTICLE = [
    ("Heavy rain flooded several streets in the lower town on Sunday, and the fire service pumped "
     "water out of more than forty cellars during the night."),
    ("The river rose by almost two metres in a day, the highest level that has been recorded there "
     "since the great flood of the spring of 1999."),
    ("Residents said that the new flood walls had held, but that the drains in the old streets could "
     "not cope with the amount of water that fell."),
]
ABOUT = [("About the Harbour Gazette: the Harbour Gazette is an independent local newspaper that has "
         "been published every week since 1921 and is owned by its readers.")]


def _measures(tmp_path: Path, files: dict[str, str]) -> dict[str, dict]:
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    _, payload = check_json(".", cwd=tmp_path)
    return {d["path"]: d for d in payload["documents"]}


def test_prose_line_printed_by_other_documents_is_template(tmp_path: Path) -> None:
    measures = _measures(tmp_path, {"a.txt": page(["Council approves harbour bridge"], ARTICLE, ABOUT),
                                    "b.txt": page(["Floods in the lower town"], OTHER_ARTICLE, ABOUT)})
    for name in ("a.txt", "b.txt"):
        assert measures[name]["boilerplate_share"] == 0.0  # one page alone cannot tell
        assert measures[name]["template_share"] > 0.1
        assert measures[name]["boilerplate_share_with_templates"] == measures[name]["template_share"]


def test_a_copied_article_is_not_template(tmp_path: Path) -> None:
    # Syndication is the duplication rules' business: a copy's lines are not template.
    text = page(["Council approves harbour bridge"], ARTICLE)
    measures = _measures(tmp_path, {"a.txt": text, "b.txt": text, "c.txt": page(OTHER_ARTICLE)})
    assert {d["template_share"] for d in measures.values()} == {0.0}


def test_short_shared_lines_are_left_to_the_classifier(tmp_path: Path) -> None:
    # Near-miss: both articles contain the same three-word sentence.
    measures = _measures(tmp_path, {"a.txt": page(ARTICLE[:3], ["Nobody was hurt."], ARTICLE[3:]),
                                    "b.txt": page(OTHER_ARTICLE[:2], ["Nobody was hurt."], OTHER_ARTICLE[2:])})
    assert {d["template_share"] for d in measures.values()} == {0.0}


def test_memory_of_a_large_document_stays_small(tmp_path) -> None:
    """An lru cache of every line's words once kept 9.6x a large page's size after classifying it."""
    from memory_support import hook_bytes_per_byte

    peak, kept = hook_bytes_per_byte(tmp_path, "boilerplate", "classify_lines")
    assert peak < 2.5, f"{peak:.2f} bytes of memory per byte of text at the peak"
    assert kept < 2.0, f"{kept:.2f} bytes per byte of text left resident"
