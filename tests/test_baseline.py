"""Baselines: record today's findings, report only new ones, survive edits elsewhere in the file."""

from __future__ import annotations

import json

from conftest import DUP_ONLY, check_json, run_cli
from crossref_plugin import PARAGRAPH

OTHER = "A second paragraph about the railway timetable that the council also discussed at length."


def article(*paragraphs: str, preamble: str = "") -> str:
    return preamble + "\n\n".join(paragraphs) + "\n"


def test_round_trip_reports_only_new_findings(corpus):
    root = corpus({"rules.toml": DUP_ONLY, "a.txt": article("Title", PARAGRAPH, "Middle words.", PARAGRAPH),
                   "b.txt": article("Heading", OTHER, "Filler here.")})
    written = run_cli("check", ".", "--write-baseline", "baseline.json", cwd=root)
    assert written.exit_code == 0  # the findings are now accepted
    assert "wrote 1 finding to the baseline baseline.json" in written.stderr
    entries = json.loads((root / "baseline.json").read_text(encoding="utf-8"))["findings"]
    assert [(e["code"], e["path"], e["line"]) for e in entries] == [("DUP001", "a.txt", 7)]

    status, payload = check_json(".", "--baseline", "baseline.json", cwd=root)
    assert (status, payload["findings"]) == (0, [])
    notices = [p["message"] for p in payload["problems"]]
    assert notices == ["baseline baseline.json: 1 finding baselined, 0 baseline entries no longer occur"]

    # Lines added above the baselined finding do not make it new.
    (root / "a.txt").write_text(article("Added line.", "Another added line.", "Title", PARAGRAPH,
                                        "Middle words.", PARAGRAPH), encoding="utf-8")
    status, payload = check_json(".", "--baseline", "baseline.json", cwd=root)
    assert (status, payload["findings"]) == (0, [])

    # A new problem is reported; the baselined one still is not.
    (root / "b.txt").write_text(article("Heading", OTHER, "Filler here.", OTHER), encoding="utf-8")
    status, payload = check_json(".", "--baseline", "baseline.json", cwd=root)
    assert status == 1
    assert [(f["code"], f["path"], f["line"]) for f in payload["findings"]] == [("DUP001", "b.txt", 7)]


def test_fixed_findings_are_counted_as_stale(corpus):
    root = corpus({"rules.toml": DUP_ONLY, "a.txt": article("Title", PARAGRAPH, "Middle words.", PARAGRAPH)})
    assert run_cli("check", ".", "--write-baseline", "baseline.json", cwd=root).exit_code == 0
    (root / "a.txt").write_text(article("Title", PARAGRAPH, "Middle words."), encoding="utf-8")
    status, payload = check_json(".", "--baseline", "baseline.json", cwd=root)
    assert status == 0
    assert payload["problems"][0]["message"].endswith(
        "0 findings baselined, 1 baseline entry no longer occurs (refresh with --write-baseline)")
    # Entries of rules that did not run are not stale: deselecting a rule fixes nothing.
    _, payload = check_json(".", "--baseline", "baseline.json", "--select", "DUP003", cwd=root)
    assert "0 baseline entries no longer occur" in payload["problems"][0]["message"]


def test_an_edited_finding_is_new(corpus):
    root = corpus({"rules.toml": DUP_ONLY, "a.txt": article("Title", PARAGRAPH, "Middle words.", PARAGRAPH)})
    run_cli("check", ".", "--write-baseline", "baseline.json", cwd=root)
    edited = PARAGRAPH.replace("Monday", "Tuesday")
    (root / "a.txt").write_text(article("Title", PARAGRAPH, "Middle words.", edited), encoding="utf-8")
    status, payload = check_json(".", "--baseline", "baseline.json", cwd=root)
    assert status == 1 and [f["line"] for f in payload["findings"]] == [7]


def test_unusable_baselines_are_clear_errors(corpus):
    root = corpus({"rules.toml": DUP_ONLY, "a.txt": "Text.\n", "bad.json": "{not json", "other.json": '{"findings": []}'})
    for name, expected in (("bad.json", "is not valid JSON"), ("other.json", "not a srcaudit baseline"),
                           ("missing.json", "cannot read the baseline")):
        result = run_cli("check", ".", "--baseline", name, cwd=root)
        assert result.exit_code == 2
        assert expected in result.stderr and name in result.stderr


def test_a_failed_write_keeps_the_old_baseline(corpus):
    root = corpus({"rules.toml": DUP_ONLY, "a.txt": article("Title", PARAGRAPH, "Middle words.", PARAGRAPH)})
    run_cli("check", ".", "--write-baseline", "baseline.json", cwd=root)
    before = (root / "baseline.json").read_text(encoding="utf-8")
    result = run_cli("check", ".", "--write-baseline", "no/such/folder/baseline.json", cwd=root)
    assert result.exit_code == 2
    assert "no/such/folder/baseline.json: cannot write the baseline" in result.stderr
    assert (root / "baseline.json").read_text(encoding="utf-8") == before
    assert not list(root.glob(".baseline.json.*"))
