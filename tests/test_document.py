"""The document model: decoding, newlines, positions, and both paragraph shapes plus Markdown."""

from __future__ import annotations

import codecs

import pytest

from srcaudit.decoding import NotText, decode_bytes
from srcaudit.document import Document

from conftest import doc

WRAPPED = """\
The council met on Tuesday to discuss the new budget for the coming year, which
includes funding for roads, schools and the hospital that was promised during the
last election campaign.

A second paragraph follows here, and it is also wrapped at a fixed width so that
the lines look the same length when they are printed in a terminal window today.
"""

ONE_PER_LINE = """\
The council met on Tuesday to discuss the new budget.
It includes funding for roads.
Daniel Smith
dsmith@example.org
"""


def test_blank_line_blocks_that_are_hard_wrapped_become_one_paragraph_each():
    paragraphs = doc(WRAPPED).paragraphs
    assert len(paragraphs) == 2
    first = paragraphs[0]
    assert (first.start_line, first.end_line) == (1, 3)
    assert first.text.startswith("The council met") and "which includes" in first.text
    assert first.region.end_column == len("last election campaign.") + 1
    assert (paragraphs[1].start_line, paragraphs[1].end_line) == (5, 6)


def test_one_paragraph_per_line_text_keeps_each_line_apart():
    paragraphs = doc(ONE_PER_LINE).paragraphs
    assert [p.start_line for p in paragraphs] == [1, 2, 3, 4]
    assert paragraphs[2].text == "Daniel Smith"


def test_sentence_per_line_text_of_similar_lengths_is_not_taken_for_wrapping():
    lines = [
        "The city council voted on Thursday to raise the parking fee in the old town by half.",
        "Shop owners in the district said the change would drive customers to the shopping mall.",
        "The mayor defended the plan, saying the money would pay for new bus lines next year.",
    ]
    assert len(doc("\n".join(lines)).paragraphs) == 3


def test_short_lines_inside_a_blank_line_block_are_not_merged():
    text = "Daniel Smith\ncontent@example.org\n\nBody text starts here and goes on for a while.\n"
    assert [p.text for p in doc(text).paragraphs] == [
        "Daniel Smith", "content@example.org", "Body text starts here and goes on for a while."]


def test_markdown_skips_front_matter_code_and_comments_and_splits_headings_and_items():
    text = (
        "---\ntitle: Budget\nauthor: A. Writer\n---\n"
        "# The budget\n"
        "First paragraph runs\nover two lines.\n\n"
        "```\ncode = 'not prose'\n```\n\n"
        "<!-- a comment -->\n"
        "- item one\n- item two\n"
    )
    document = Document.from_text("story.md", text)
    assert document.markdown
    assert [p.text for p in document.paragraphs] == [
        "# The budget", "First paragraph runs over two lines.", "- item one", "- item two"]
    assert document.paragraphs[1].start_line == 6


def test_newlines_are_normalised_and_positions_match_an_editor():
    document = doc("one\r\ntwo\rthree\nfour")
    assert document.lines == ("one", "two", "three", "four")
    offset = document.text.index("three")
    assert document.position(offset) == (3, 1)
    assert document.region(offset, offset + 5).end_column == 6
    assert document.line_offset(4) == document.text.index("four")


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "latin-1", "cp1252"])
def test_encodings_decode_to_the_same_text(encoding):
    text = "Café owners say the “new” rules cost them 1,000 euros a month, Zoë Müller said.\n" * 3
    if encoding == "latin-1":
        text = text.replace("“", '"').replace("”", '"')
    data = text.encode(encoding)
    if encoding == "utf-16-le":
        assert not data.startswith(codecs.BOM_UTF16_LE)
    assert decode_bytes(data).text == text


@pytest.mark.parametrize("data, reason", [
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "PNG"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
    (b"text\x00\x01\x02\x03 binary \xff\xfe\x00\x00\x07" * 50, "NUL"),
])
def test_binary_data_is_refused_with_a_reason(data, reason):
    with pytest.raises(NotText, match=reason):
        decode_bytes(data)


def test_line_roles_decide_body_paragraphs():
    document = doc("Home | News | Sport\nThe council met on Tuesday.\n")
    assert len(document.body_paragraphs) == 2
    classified = document.with_line_roles(("navigation", None))
    assert not classified.is_body_line(1) and classified.is_body_line(2)
    assert [p.text for p in classified.body_paragraphs] == ["The council met on Tuesday."]
    with pytest.raises(ValueError):
        document.with_line_roles((None,))
