"""Quote attribution: pronoun gender, speakers named only by the attribution, typo'd openers, titles.

Each behaviour has a positive case, a negative case and a near miss, on small invented texts.
"""

from __future__ import annotations

import pytest

from srcaudit.people import find_people
from srcaudit.quotes import Quote, find_quotes, is_title
from srcaudit.speakers import Genders


def _quotes(text: str) -> list[Quote]:
    spans, start = [], 0
    for block in text.split("\n\n"):
        spans.append((start, start + len(block)))
        start += len(block) + 2
    return find_quotes(text, spans, find_people(text, spans))


def _speaker(text: str, words: str) -> str | None:
    """The speaker's name (person) or attribution text of the quote containing ``words``."""
    people = find_people(text, [(0, len(text))])
    for quote in _quotes(text):
        if words in quote.text:
            if quote.speaker:
                return people.people[quote.speaker].name
            return quote.speaker_text
    raise AssertionError(f"no quote with {words!r}")


# -- pronoun gender ---------------------------------------------------------------------


def test_she_said_skips_the_nearer_man() -> None:
    text = ("Maria Lopez, the county treasurer, said the audit found no losses.\n\n"
            "Lopez said the report was sent to Governor Peter Haines last week.\n\n"
            "“We will publish every page,” she said.")
    assert _speaker(text, "publish every page") == "Maria Lopez"


def test_he_said_takes_the_nearer_man() -> None:
    text = ("Maria Lopez, the county treasurer, said the audit found no losses.\n\n"
            "The report went to Governor Peter Haines, who read it on Monday.\n\n"
            "“I have no concerns,” he said.")
    assert _speaker(text, "no concerns") == "Peter Haines"


def test_unknown_gender_stays_a_candidate() -> None:
    # near miss: "Kim" is used for both sexes, so gender cannot rule the nearer person out
    text = ("Paul Ward, a trustee, said the vote was close.\n\n"
            "Kim Ashby, the chair, said the board would meet again.\n\n"
            "“It was a fair vote,” she said.")
    assert _speaker(text, "fair vote") == "Kim Ashby"


def test_honorific_and_role_noun_give_gender() -> None:
    text = ("Mrs. Okafor said the plan was late. Company spokeswoman Sam Ellery said it was on time.\n\n"
            "Later Mr. Dunn said he agreed.")
    people = find_people(text, [(0, len(text))])
    genders = Genders(text, people)
    assert genders.of(people.resolve("Okafor")) == "f"
    assert genders.of(people.resolve("Sam Ellery")) == "f"  # "spokeswoman", although "Sam" is unclear
    assert genders.of(people.resolve("Dunn")) == "m"


def test_plural_pronoun_names_no_person() -> None:
    text = ("Anna Berg and Tom Ruiz, both teachers, wrote to the council.\n\n"
            "“We want smaller classes,” they wrote.")
    assert _speaker(text, "smaller classes") is None


# -- the subject of the antecedent sentence ----------------------------------------------


def test_pronoun_prefers_the_sentence_subject_to_a_later_object() -> None:
    text = ("Frank Osei explained why he backs the mayor over Council Member Victor Lamb.\n\n"
            "“The city needs a steady hand,” he said.")
    assert _speaker(text, "steady hand") == "Frank Osei"


def test_pronoun_prefers_the_previous_quotes_speaker() -> None:
    text = ("Details aside, the plan was called “a fine start for the state budget,” Mr. Irving Kamara said.\n\n"
            "“The message is clear and simple,” he added.")
    assert _speaker(text, "message is clear") == "Irving Kamara"


# -- speakers named only by their attribution ----------------------------------------------


def test_said_surname_only() -> None:
    text = "“Nobody here wants a longer commute,” said Hollis.\n\n“We asked twice,” she said."
    assert _speaker(text, "longer commute") == "Hollis"


def test_said_descriptor_then_name() -> None:
    text = "“The numbers do not add up,” said radio host Dana Whitcombe. “Not even close.”"
    assert _speaker(text, "numbers do not add up") == "Dana Whitcombe"


def test_said_then_a_day_is_not_a_speaker() -> None:
    # negative: a weekday or a preposition's object after the verb names nobody
    assert _speaker("“The vote will be close,” officials said Tuesday.", "vote will be close") != "Tuesday"
    text = "The aide said of Jordan Pike, “He never misses a meeting.”"
    assert _speaker(text, "never misses") != "Jordan Pike"


# -- typo'd openers and titles ----------------------------------------------------------------


def test_closing_mark_at_a_word_start_opens_a_quote() -> None:
    text = "”I was there every day and I saw it all.” ― Rosa Imbert"
    quotes = _quotes(text)
    assert [q.text for q in quotes] == ["I was there every day and I saw it all."]


def test_closing_mark_after_a_word_still_closes() -> None:
    # near miss: the usual closing mark after a word is not an opener
    quotes = _quotes("She called it “a plan with no money behind it” and left the room.")
    assert [q.text for q in quotes] == ["a plan with no money behind it"]


@pytest.mark.parametrize(("words", "title"), [
    ("Face the Nation,", True),
    ("A Change Is Gonna Come", True),
    ("Make Your Kid a Millionaire", True),
    ("We will not back down", False),
    ("Here comes the Mayor", False),
    ("Yes", False),
])
def test_is_title(words: str, title: bool) -> None:
    assert is_title(words) is title


def test_a_quoted_title_has_no_speaker() -> None:
    text = "In an interview on “Meet the Press Today,” Senator Joan Avery said the bill would pass."
    assert all(q.speaker is None and q.speaker_text is None for q in _quotes(text))


def test_pronoun_skips_a_person_in_a_prepositional_phrase() -> None:
    text = ("Governor Peter Haines signed the bill.\n\nAfter years under Haines, Mr. Ruben Diaz wanted a change.\n\n"
            "“It was time to go,” he said.")
    assert _speaker(text, "time to go") == "Ruben Diaz"


# -- descriptions pointing back at a titled person ------------------------------------------


def _speaker_and_text(text: str, words: str) -> tuple[str | None, str | None]:
    people = find_people(text, [(0, len(text))])
    quote = next(q for q in _quotes(text) if words in q.text)
    return (people.people[quote.speaker].name if quote.speaker else None), quote.speaker_text


def test_the_senator_said_is_the_senator_named_before() -> None:
    text = ("Senator Ann Cole and Governor Mark Bell met on Monday.\n\n"
            "“We found common ground on roads,” the senator said.")
    assert _speaker_and_text(text, "common ground") == ("Ann Cole", "the senator")


def test_a_spokesman_is_someone_new() -> None:
    text = ("Spokesman Oliver Hart announced the merger.\n\n"
            "“Nothing has been decided about jobs,” a spokesman said.")
    assert _speaker_and_text(text, "Nothing has been decided") == (None, "a spokesman")


def test_the_title_must_match() -> None:
    # near miss: nobody named before is a mayor
    text = ("Senator Ann Cole spoke first.\n\n“The budget is balanced at last,” the mayor said.")
    assert _speaker_and_text(text, "budget is balanced") == (None, "the mayor")


def test_pronoun_skips_the_subject_of_a_side_clause() -> None:
    text = ("Governor Peter Haines signed the bill.\n\nWhile Haines was away, Mr. Ruben Diaz ran the office.\n\n"
            "“It was a quiet month,” he said.")
    assert _speaker(text, "quiet month") == "Ruben Diaz"
