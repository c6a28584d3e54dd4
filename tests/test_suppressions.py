"""Inline suppressions: Markdown comments and plain-text marker lines, per block and per file."""

from __future__ import annotations

import json

from conftest import DUP_ONLY, check_json, doc, run_cli
from crossref_plugin import CONFIG, PARAGRAPH
from srcaudit.suppressions import parse_suppressions

FILLER = "Some unrelated words in between."


def lines_of(payload: dict, code: str = "DUP001") -> list[tuple[str, int]]:
    return [(f["path"], f["line"]) for f in payload["findings"] if f["code"] == code]


def notices(payload: dict) -> list[str]:
    return [f'{p["path"]}: {p["message"]}' for p in payload["problems"]]


def test_markdown_comment_suppresses_the_next_block_only(corpus):
    root = corpus({"rules.toml": DUP_ONLY, "a.md": f"{PARAGRAPH}\n\n{FILLER}\n\n<!-- srcaudit: ignore DUP001 -->\n{PARAGRAPH}\n\n"
                           f"{FILLER} Again.\n\n{PARAGRAPH}\n"})
    status, payload = check_json(".", cwd=root)
    assert status == 1
    assert lines_of(payload) == [("a.md", 10)]  # line 6 is suppressed, the later copy is not
    assert notices(payload) == []


def test_plain_text_marker_line_and_prefix_selector(corpus):
    root = corpus({"rules.toml": DUP_ONLY, "a.txt": f"{PARAGRAPH}\n\n{FILLER}\n\nsrcaudit: ignore DUP -- syndicated twice\n\n{PARAGRAPH}\n"})
    status, payload = check_json(".", cwd=root)
    assert (status, lines_of(payload)) == (0, [])


def test_near_miss_other_code_and_unused_marker_is_reported(corpus):
    root = corpus({"rules.toml": DUP_ONLY, "a.md": f"{PARAGRAPH}\n\n{FILLER}\n\n<!-- srcaudit: ignore DUP003 -->\n{PARAGRAPH}\n"})
    status, payload = check_json(".", cwd=root)
    assert lines_of(payload) == [("a.md", 6)]  # a marker for another rule does not hide DUP001
    assert notices(payload) == [("a.md: line 5: unused suppression `srcaudit: ignore DUP003`: "
                                "no such finding in the next block")]
    assert status == 1  # notices do not change the exit status; the finding does


def test_unused_marker_of_a_rule_that_did_not_run_is_not_reported(corpus):
    root = corpus({"rules.toml": DUP_ONLY, "a.md": f"<!-- srcaudit: ignore-file DUP003 -->\n\n{FILLER}\n"})
    _, payload = check_json(".", "--select", "DUP001", cwd=root)
    assert notices(payload) == []
    _, payload = check_json(".", cwd=root)
    assert notices(payload) == [("a.md: line 1: unused suppression `srcaudit: ignore-file DUP003`: "
                                "no such finding in this file")]


def test_file_level_suppression_covers_every_line(corpus):
    root = corpus({"rules.toml": CONFIG,
                   "a.md": "Same first line\n\nBody.\n",
                   "b.md": f"Same first line\n\n{PARAGRAPH}\n\n{FILLER}\n\n{PARAGRAPH}\n\n"
                           "<!-- srcaudit: ignore-file XRF001, DUP001 -->\n"})
    status, payload = check_json(".", cwd=root)
    assert (status, payload["findings"]) == (0, [])


def test_invalid_markers_are_notices():
    document = doc("<!-- srcaudit: ignore -->\nText.\n\nsrcaudit: ignore dup001\nMore.\n", "a.md")
    suppressions, problems = parse_suppressions(document)
    assert suppressions == []
    assert [p.message.split(":")[0] for p in problems] == ["line 1", "line 4"]


def test_marker_parsing_regions_and_justification():
    document = doc(f"Intro.\n\nsrcaudit: ignore DUP001, ATT003 -- as published\nWrapped {PARAGRAPH}\n"
                   f"{PARAGRAPH}\n\nLast.\n", "a.txt")
    (suppression,), _ = parse_suppressions(document)
    assert suppression.selectors == ("DUP001", "ATT003")
    assert suppression.justification == "as published"
    assert suppression.line == 3 and suppression.first_line == 4
    assert suppression.first_line <= suppression.last_line < 7  # never reaches "Last."


def test_marker_lines_are_safe_on_adversarial_input():
    hostile = "<!-- srcaudit: ignore " + "-- " * 300 + "x" + " " * 200
    suppressions, problems = parse_suppressions(doc(hostile + "\n" + "srcaudit:" * 5000 + "\n", "a.md"))
    assert suppressions == [] and len(problems) <= 1


def test_markers_are_read_in_the_map_phase_and_kept_by_the_cache_and_the_pool(corpus, monkeypatch):
    # Markers travel with each document's outcome: from a worker process and from the
    # cache, a warm run applies them without reading the files again.
    from srcaudit import engine

    monkeypatch.setattr(engine, "POOL_MIN_FILES", 2)
    root = corpus({"rules.toml": DUP_ONLY,
                   "a.md": f"{PARAGRAPH}\n\n{FILLER}\n\n<!-- srcaudit: ignore DUP001 -->\n{PARAGRAPH}\n\n"
                           f"{FILLER} Again.\n\n{PARAGRAPH}\n",
                   "b.txt": "srcaudit: ignore NOT-A-CODE\n\nA short body.\n"})
    runs = []
    for _ in range(2):  # cold (fills the cache), then warm
        result = run_cli("check", "--format", "json", "--jobs", "2", ".", cwd=root)
        runs.append(json.loads(result.stdout))

        def must_not_parse(document):  # the warm run takes the markers from the cache
            raise AssertionError(f"markers of {document.path} parsed again")
        monkeypatch.setattr(engine, "parse_suppressions", must_not_parse)
    for payload in runs:
        assert lines_of(payload) == [("a.md", 10)]
        assert [n for n in notices(payload) if n.startswith("b.txt")] == [
            "b.txt: line 1: suppression names no valid rule code (NOT-A-CODE); write e.g. `srcaudit: ignore DUP001`"]
