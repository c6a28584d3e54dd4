"""DUP002: a quotation two outlets both report is not a copied paragraph.

Fixtures are invented news paragraphs. Independent reports of one statement share the
quote word for word and frame it in their own words; a copied paragraph keeps its frame.
"""

from __future__ import annotations

import numpy as np

from conftest import check_json
from srcaudit.text import words
from srcaudit_plugins.syndication.quoting import MIN_FRAME_WORDS, is_shared_quotation, quoted_words

QUOTE = ("\u201cWe will not reopen the northern crossing until every inspection of the old bridge "
         "has been completed and the results have been published,\u201d")
FRAMED_ONE = (f"Speaking to reporters outside the harbour office on Tuesday afternoon, the transport minister "
              f"said: {QUOTE[:-2]}.\u201d")
FRAMED_OTHER = (f"{QUOTE} the minister, who took office in the spring after a long dispute over ferry funding, "
                f"wrote in a letter to local councillors.")
BARE = f"{QUOTE} she said."
OTHER = ("Volunteers spent the weekend clearing litter from the dunes, collecting more than two tonnes "
         "of plastic that had washed up during the autumn storms.")


def _hashes(text: str) -> list[int]:
    return [hash(word) for word in words(text)]


def _shared(first: str, second: str) -> bool:
    return is_shared_quotation(_hashes(first), quoted_words(first, len(words(first))),
                               _hashes(second), quoted_words(second, len(words(second))), 0.6)


def test_quoted_words_flags_the_words_inside_the_marks():
    text = 'The mayor said "the budget is final" on Monday.'
    flags = quoted_words(text, len(words(text)))
    assert [w for w, inside in zip(words(text), flags) if inside] == ["the", "budget", "is", "final"]
    assert quoted_words("No quotation in this sentence at all.", 7) is None


def test_an_unclosed_quote_runs_to_the_end_of_the_paragraph():
    # The first paragraph of a quotation that goes on in the next one has no closing mark.
    text = "\u201cThe plan was never costed, and the council knew it from the start"
    flags = quoted_words(text, len(words(text)))
    assert flags is not None and bool(np.all(flags))


def test_the_same_quote_framed_differently_is_a_shared_quotation():
    assert _shared(FRAMED_ONE, FRAMED_OTHER)


def test_a_bare_quote_against_a_framed_one_is_a_shared_quotation():
    assert len(words(BARE)) - int(quoted_words(BARE, len(words(BARE))).sum()) < MIN_FRAME_WORDS
    assert _shared(BARE, FRAMED_ONE)


def test_a_copied_paragraph_keeps_its_frame_and_is_not_a_shared_quotation():
    edited = FRAMED_ONE.replace("Tuesday afternoon", "Tuesday evening")
    assert not _shared(FRAMED_ONE, edited)


def test_near_miss_two_bare_quotes_are_compared_as_they_are():
    # Nothing tells a copied bare quote from the same quote reported twice: no exemption.
    assert not _shared(BARE, f"{QUOTE} he said.")


def test_paragraphs_without_quotes_are_never_exempt():
    assert not _shared(OTHER, OTHER.replace("weekend", "holiday"))


def _doc(*paragraphs: str) -> str:
    return "A headline for this story\n\n" + "\n\n".join(paragraphs) + "\n"


def test_end_to_end_shared_quote_is_not_reported_but_a_copied_paragraph_is(corpus):
    root = corpus({
        "a.txt": _doc(FRAMED_ONE, OTHER),
        "b.txt": _doc(FRAMED_OTHER),  # independent report of the same statement
        "c.txt": _doc(FRAMED_ONE.replace("Tuesday afternoon", "Tuesday evening")),  # a copy of a.txt's paragraph
    })
    _, payload = check_json("--select", "DUP002", ".", cwd=root)
    reported = sorted((f["path"], f["line"], f["related"][0]["path"]) for f in payload["findings"])
    assert reported == [("c.txt", 3, "a.txt")]
