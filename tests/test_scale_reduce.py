"""Reduce-phase work and findings stay linear when one text has many copies (issues 3 and 9)."""

from __future__ import annotations

from conftest import check_json, codes_at

STORY = ("The Harbour Authority of Velmora met on Tuesday in Port Aldine. Officials from Velmora, "
         "Port Aldine and the Ostrava Shipping Union discussed the Calder Bridge closure and the Marren Canal.\n\n")
FIRST = STORY + "The union said 4,000 dock workers joined the strike at the Marren Canal on Monday.\n"
SECOND = STORY + "More than 6,500 dock workers joined the strike at the Marren Canal, the union said.\n"


def test_conflict_between_two_much_copied_texts_is_one_finding_per_later_copy(corpus):
    files = {f"a{n}.txt": FIRST for n in range(6)} | {f"b{n}.txt": SECOND for n in range(6)}
    _, payload = check_json("--select", "CON001", str(corpus(files)))
    found = [f for f in payload["findings"] if f["code"] == "CON001"]
    # every copy of the second text, each against the first text's first copy: 6, not 6 x 6
    assert sorted((f["path"].rsplit("/", 1)[-1], f["related"][0]["path"].rsplit("/", 1)[-1]) for f in found) == [
        (f"b{n}.txt", "a0.txt") for n in range(6)]


def test_near_miss_copies_of_one_text_do_not_conflict_with_each_other(corpus):
    files = {f"a{n}.txt": FIRST for n in range(6)}
    _, payload = check_json("--select", "CON001", str(corpus(files)))
    assert codes_at(payload, "CON001") == []


def test_two_texts_once_each_still_conflict(corpus):
    _, payload = check_json("--select", "CON001", str(corpus({"a.txt": FIRST, "b.txt": SECOND})))
    assert [(p.rsplit("/", 1)[-1], line) for p, line in codes_at(payload, "CON001")] == [("b.txt", 3)]
