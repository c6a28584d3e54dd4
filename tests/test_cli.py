"""The command line contract: exit codes, output shapes, rule listing and documentation."""

from __future__ import annotations

import json

import pytest

from conftest import DUP_ONLY, SEEDS, check_json, run_cli, write_files

REPEATING = """\
The mayor said the new bridge would open in the spring after two years of delays.

Residents have complained about traffic on the old road for more than a decade now.

The mayor said the new bridge would open in the spring after two years of delays.
"""
CLEAN = "The mayor opened the bridge on Monday.\n\nTraffic was light in the afternoon.\n"


def test_exit_status_follows_findings_and_fail_level(tmp_path):
    write_files(tmp_path, {"rules.toml": DUP_ONLY, "clean.txt": CLEAN, "dup.txt": REPEATING})
    assert run_cli("check", str(tmp_path / "clean.txt")).exit_code == 0
    assert run_cli("check", str(tmp_path / "dup.txt")).exit_code == 1
    assert run_cli("check", "--exit-zero", str(tmp_path / "dup.txt")).exit_code == 0
    assert run_cli("check", "--fail-level", "error", str(tmp_path / "dup.txt")).exit_code == 0
    assert run_cli("check", "--no-such-flag").exit_code == 2
    assert run_cli("check", "--format", "nope", str(tmp_path)).exit_code == 2


def test_text_output_is_sorted_lint_lines_with_a_summary(tmp_path):
    write_files(tmp_path, {"rules.toml": DUP_ONLY, "b.txt": REPEATING, "a.txt": REPEATING})
    result = run_cli("check", "--jobs", "1", str(tmp_path))
    lines = result.stdout.splitlines()
    assert lines[0] == f"{tmp_path}/a.txt:5:1: DUP001 paragraph repeats line 1 (similarity 1.00)"
    assert lines[1].startswith(f"{tmp_path}/b.txt:5:1: DUP001")
    assert lines[-1] == "Found 2 findings (2 warning) in 2 documents."
    assert "\x1b[" not in result.stdout  # no colour when not on a terminal


def test_statistics_count_findings_per_rule_instead_of_listing_them(tmp_path):
    config = DUP_ONLY + '\n[rules.DUP003]\nseverity = "error"\n'
    short = "Breaking news\n\nThe mayor opened the bridge on Monday morning.\n\nBreaking news\n"
    write_files(tmp_path, {"rules.toml": config, "b.txt": REPEATING, "a.txt": REPEATING, "c.txt": short})
    result = run_cli("check", "--jobs", "1", "--statistics", str(tmp_path))
    assert result.stdout.splitlines() == [
        "2  DUP001  warning  repeated-paragraph",
        "1  DUP003  error    repeated-short-line",  # the configured severity, not the default
        "Found 3 findings (1 error, 2 warning) in 3 documents.",
    ]
    assert result.exit_code == 1  # findings still fail the run
    # Without the flag the same run lists each finding.
    assert "a.txt:5:1: DUP001" in run_cli("check", "--jobs", "1", str(tmp_path)).stdout


def test_paths_stay_as_the_user_gave_them(tmp_path):
    write_files(tmp_path, {"rules.toml": DUP_ONLY, "corpus/dup.txt": REPEATING})
    result = run_cli("check", "corpus", cwd=tmp_path)
    assert result.stdout.startswith("corpus/dup.txt:5:1: DUP001")
    result = run_cli("check", "./corpus/", cwd=tmp_path)
    assert result.stdout.startswith("corpus/dup.txt:5:1:")


def test_json_output_has_the_documented_shape(tmp_path):
    write_files(tmp_path, {"rules.toml": DUP_ONLY, "dup.txt": REPEATING})
    code, payload = check_json(str(tmp_path))
    assert code == 1 and set(payload) == {"version", "findings", "documents", "problems"}
    finding = payload["findings"][0]
    assert set(finding) == {"code", "severity", "message", "path", "line", "column", "end_line",
                            "end_column", "fingerprint", "related"}
    assert (finding["line"], finding["column"], finding["end_line"], finding["end_column"]) == (5, 1, 5, 82)
    assert finding["related"] == [{"path": f"{tmp_path}/dup.txt", "line": 1, "column": 1, "end_line": 1,
                                   "end_column": 82, "message": "first copy"}]
    assert len(finding["fingerprint"]) == 32
    (document,) = payload["documents"]
    assert (document["path"], document["encoding"], document["lines"]) == (f"{tmp_path}/dup.txt", "utf-8", 5)
    assert 0.0 <= document["boilerplate_share"] <= 1.0  # measures rules publish sit beside the path


def test_fingerprints_survive_lines_inserted_above(tmp_path):
    write_files(tmp_path, {"rules.toml": DUP_ONLY, "dup.txt": REPEATING})
    _, before = check_json(str(tmp_path))
    (tmp_path / "dup.txt").write_text("A new first line about something else entirely.\n\n" + REPEATING)
    _, after = check_json(str(tmp_path))
    assert after["findings"][0]["line"] == before["findings"][0]["line"] + 2
    assert after["findings"][0]["fingerprint"] == before["findings"][0]["fingerprint"]


def test_output_file_is_written_and_unwritable_output_is_an_error(tmp_path):
    write_files(tmp_path, {"rules.toml": DUP_ONLY, "docs/dup.txt": REPEATING})
    target = tmp_path / "report.json"
    result = run_cli("check", "--format", "json", "--output", str(target), str(tmp_path / "docs"))
    assert result.exit_code == 1 and result.stdout == ""
    assert json.loads(target.read_text())["findings"][0]["code"] == "DUP001"
    result = run_cli("check", "--output", str(tmp_path / "missing" / "r.txt"), str(tmp_path / "docs"))
    assert result.exit_code == 2 and "cannot write" in result.stderr


def test_rules_lists_every_rule_and_explain_documents_it():
    listed = json.loads(run_cli("rules", "--format", "json").stdout)
    codes = [rule["code"] for rule in listed]
    assert {"DUP001", "DUP003"} <= set(codes) and codes == sorted(codes)
    text = run_cli("rules").stdout
    assert "DUP001  repeated-paragraph" in text
    for code in codes:
        explained = run_cli("explain", code.lower())
        assert explained.exit_code == 0
        for section in ("## What it does", "## Why it matters", "## Example", "## How to fix"):
            assert section in explained.stdout, f"{code} documentation lacks {section}"


def test_explain_unknown_code_suggests_one():
    result = run_cli("explain", "DUP01")
    assert result.exit_code == 2 and "did you mean DUP001" in result.stderr


def test_missing_path_is_an_error_but_other_paths_are_still_audited(tmp_path):
    write_files(tmp_path, {"rules.toml": DUP_ONLY, "dup.txt": REPEATING})
    result = run_cli("check", str(tmp_path / "dup.txt"), str(tmp_path / "absent.txt"))
    assert result.exit_code == 2
    assert "DUP001" in result.stdout and "absent.txt: no such file or folder" in result.stderr


@pytest.mark.parametrize("flag", ["--quiet", "-q"])
def test_quiet_drops_the_summary(tmp_path, flag):
    write_files(tmp_path, {"rules.toml": DUP_ONLY, "dup.txt": REPEATING})
    assert "Found" not in run_cli("check", flag, str(tmp_path)).stdout


def test_seeds_exit_one_with_findings():
    result = run_cli("check", "--jobs", "1", str(SEEDS))
    assert result.exit_code == 1 and "DUP001" in result.stdout


# -- streamed reports -------------------------------------------------------------------------


def test_json_report_is_exactly_indented_json_and_the_same_on_stdout_and_in_a_file(tmp_path):
    write_files(tmp_path, {"rules.toml": DUP_ONLY, "b.txt": REPEATING, "a.txt": REPEATING, "c.txt": CLEAN})
    printed = run_cli("check", "--format", "json", "--jobs", "1", str(tmp_path)).stdout
    assert printed == json.dumps(json.loads(printed), indent=2, ensure_ascii=False) + "\n"
    target = tmp_path / "out" / "report.json"
    target.parent.mkdir()
    run_cli("check", "--format", "json", "--jobs", "1", "--output", str(target), str(tmp_path))
    assert target.read_text(encoding="utf-8") == printed
    assert [p.name for p in target.parent.iterdir()] == ["report.json"]  # no temporary file left


def test_large_json_report_has_one_compact_line_per_item(tmp_path, monkeypatch):
    from srcaudit_plugins import formats

    write_files(tmp_path, {"rules.toml": DUP_ONLY, "b.txt": REPEATING, "a.txt": REPEATING, "c.txt": CLEAN})
    indented = json.loads(run_cli("check", "--format", "json", "--jobs", "1", str(tmp_path)).stdout)
    monkeypatch.setattr(formats, "LARGE_JSON_ITEMS", 2)  # 2 findings + 3 documents is "large" now
    monkeypatch.setattr(formats, "_CHUNK_ITEMS", 2)  # and written in several pieces
    printed = run_cli("check", "--format", "json", "--jobs", "1", str(tmp_path)).stdout
    assert json.loads(printed) == indented
    lines = printed.splitlines()
    assert lines[2] == '  "findings": ['
    assert lines[3].startswith('{"code":"DUP001",') and lines[4].startswith('{"code":"DUP001",')
    assert sum(line.startswith('{"path":') for line in lines) == 3
    assert printed.endswith('"problems": []\n}\n')


def test_text_report_in_pieces_is_the_same_text(tmp_path, monkeypatch):
    from srcaudit_plugins import formats

    write_files(tmp_path, {"rules.toml": DUP_ONLY, "b.txt": REPEATING, "a.txt": REPEATING, "d.txt": REPEATING})
    whole = run_cli("check", "--jobs", "1", str(tmp_path)).stdout
    monkeypatch.setattr(formats, "_CHUNK_ITEMS", 2)
    assert run_cli("check", "--jobs", "1", str(tmp_path)).stdout == whole
    assert whole.count("DUP001") == 3
