"""The C-speed counts in decoding (control characters, high bytes) equal the plain per-character rules."""

from __future__ import annotations

import random

import pytest

from srcaudit import decoding
from srcaudit.decoding import NotText, decode_bytes


def _controls_by_character(text: str) -> float:
    sample = text[:decoding._SAMPLE]
    if not sample:
        return 0.0
    return sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f\v") / len(sample)


def test_control_share_counts_every_non_space_control_character():
    rnd = random.Random(7)
    for _ in range(2000):
        text = "".join(chr(rnd.choice((rnd.randrange(0, 40), rnd.randrange(0, 0x3000))))
                       for _ in range(rnd.randrange(0, 200)))
        assert decoding._control_share(text) == _controls_by_character(text)
    # the white-space controls are text; the separators 0x1c-0x1f are not
    assert decoding._control_share("a\tb\nc\x0bd\x0ce\rf") == 0.0
    assert decoding._control_share("ab\x1c\x1f") == 0.5


def test_mostly_control_characters_is_not_text():
    with pytest.raises(NotText, match="control characters"):
        decode_bytes(b"\x01\x02\x03 text" * 10)


def test_few_high_bytes_read_as_windows_1252():
    # a pound sign and a curly quote in otherwise ASCII text (not valid UTF-8)
    data = ("The price rose to " + "x" * 200).encode("ascii") + b" \xa3300 \x93quoted\x94"
    decoded = decode_bytes(data)
    assert decoded.encoding == "cp1252"
    assert "£300" in decoded.text and "“quoted”" in decoded.text
