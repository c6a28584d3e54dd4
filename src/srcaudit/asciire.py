"""ASCII twins of regular expressions: the same matches on ASCII text, found with cheaper character tests.

In a ``str`` pattern, ``\\w``, ``\\d`` and ``\\s`` are Unicode categories: ``re`` decides each
character scanned against them with a chain of Unicode table look-ups (letter? decimal?
digit? numeric?). Extraction scans every body paragraph with such classes (capitalised
names, figures), and most paragraphs of news text are plain ASCII, where the categories
are exactly ``[a-zA-Z0-9_]``, ``[0-9]`` and the ASCII white space of ``str.isspace``. A twin
spells them out so: a character class without categories is compiled into a bitmap, one
test per character (on the BBC corpus the scans for digits alone were a quarter of the
figure extraction's instructions).

:func:`ascii_twin` rewrites the pattern's source, keeping its flags; ``\\b`` is left as it
is (on ASCII text a word boundary is the same either way). Use a twin only where every
character the match can look at is ASCII: for ``pattern.search(text, pos, endpos)`` the
characters of ``text[pos:endpos]`` plus what a lookbehind reaches before ``pos``.
"""

from __future__ import annotations

import re


def _ascii_members(escape: str) -> str:
    """The ASCII characters that ``escape`` matches in a ``str`` pattern, as class members."""
    found = [code for code in range(128) if re.fullmatch(escape, chr(code))]
    return "".join(f"\\x{code:02x}" for code in found)


#: What ``\w``, ``\d`` and ``\s`` match on ASCII text (``\s`` includes ``\x1c``-``\x1f``, as
#: ``str.isspace`` does: ``re.ASCII`` would leave them out, so it is not used).
_MEMBERS = {letter: _ascii_members("\\" + letter) for letter in "wds"}


def ascii_source(source: str) -> str:
    """``source`` with every ``\\w``, ``\\d`` and ``\\s`` spelled out as ASCII class members."""
    out: list[str] = []
    index, in_class, class_start = 0, False, 0
    while index < len(source):
        char = source[index]
        if char == "\\":
            escaped = source[index + 1]
            if escaped in _MEMBERS:
                members = _MEMBERS[escaped]
                out.append(members if in_class else f"[{members}]")
            elif escaped in "WDS":
                raise ValueError(f"no ASCII twin for \\{escaped}")
            else:
                out.append(source[index:index + 2])
            index += 2
            continue
        if in_class:
            # a "]" right after "[" or "[^" is a member, not the end of the class
            if char == "]" and index > class_start:
                in_class = False
        elif char == "[":
            in_class = True
            class_start = index + 1
            if source.startswith("^", class_start):
                out.append("[^")
                index += 2
                class_start += 1
                continue
        out.append(char)
        index += 1
    return "".join(out)


def ascii_twin(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """A pattern that matches exactly as ``pattern`` does on ASCII text (see the module docstring)."""
    return re.compile(ascii_source(pattern.pattern), pattern.flags)
