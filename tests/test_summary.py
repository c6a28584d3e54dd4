"""The per-source reliability summary: `check --summary` (text) and the JSON `documents` list."""

from __future__ import annotations

from srcaudit_plugins.summary import reliability_score

from conftest import SEEDS, check_json, run_cli, write_files

WEAK = ("Harbour plan in doubt\n\n"
        "Analysts say the harbour plan will fail. Experts suggest the budget is too small for the work.\n")
STRONG = ("Harbour plan approved\nBy Jane Doe\nPublished: 24 June 2024\n\n"
          "The council approved the harbour plan on Tuesday, said Mayor Ana Ruiz.\n")


def test_score_definition() -> None:
    assert reliability_score({}) is None
    assert reliability_score({"byline_present": True, "date_present": True, "vague_attribution_count": 0,
                              "second_hand_count": 0}) == 100
    assert reliability_score({"byline_present": False, "date_present": False}) == 65
    assert reliability_score({"vague_attribution_count": 9, "second_hand_count": 9}) == 65  # capped: -20, -15
    assert reliability_score({"boilerplate_share": 0.5, "duplicated_share": 0.25}) == 78  # 100 - 15 - 7.5
    assert reliability_score({"boilerplate_share": None, "byline_present": True}) == 100  # absent: skipped


def test_text_summary_lists_weakest_first(tmp_path) -> None:
    write_files(tmp_path, {"weak.txt": WEAK, "strong.txt": STRONG})
    result = run_cli("check", str(tmp_path), "--summary", "--jobs", "1", "--select", "ATT,MET,RDB")
    lines = result.stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Per-source summary"))
    header, first, second = lines[start + 1:start + 4]
    assert header.split() == ["score", "findings", "boiler", "dup", "byline", "date", "vague", "2nd-hand",
                              "ease", "grade", "document"]
    assert first.endswith("weak.txt") and second.endswith("strong.txt")
    # 100 - 20 - 15 - 2 x 5; the boilerplate classifier measures every document, even with BOI rules off
    assert first.split()[:6] == ["55", "ATT", "2", "MET", "2", "0.00"]
    # byline and date lines are page furniture to the boilerplate classifier: a small share, a small cost
    assert 90 <= int(second.split()[0]) < 100
    assert lines[-1].startswith("Found ")  # the usual summary line still ends the output


def test_no_table_without_the_flag(tmp_path) -> None:
    write_files(tmp_path, {"weak.txt": WEAK})
    assert "Per-source summary" not in run_cli("check", str(tmp_path), "--jobs", "1").stdout


def test_table_with_quiet(tmp_path) -> None:
    write_files(tmp_path, {"weak.txt": WEAK})
    output = run_cli("check", str(tmp_path), "--summary", "-q", "--jobs", "1").stdout
    assert "Per-source summary" in output and "Found " not in output


def test_json_documents_carry_the_same_measures() -> None:
    _, payload = check_json(str(SEEDS))
    documents = {d["path"].split("/")[-1][:3]: d for d in payload["documents"]}
    seed002 = documents["002"]
    assert seed002["byline_present"] is True and seed002["date_present"] is False
    assert seed002["second_hand_count"] == 1
    assert seed002["findings_by_family"]["ATT"] >= 1 and seed002["findings_by_family"]["MET"] == 1
    assert isinstance(seed002["reliability_score"], int)
    assert documents["004"]["vague_attribution_count"] == 3
    assert "readability_flesch_reading_ease" in documents["004"]
    assert all("reliability_score" in d for d in payload["documents"])
