"""--format sarif: valid SARIF 2.1.0 that GitHub code scanning accepts, with stable fingerprints."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
from srcaudit_plugins import sarif

from conftest import DUP_ONLY, SEEDS, run_cli
from crossref_plugin import CONFIG, PARAGRAPH

SCHEMA = json.loads((Path(__file__).parent / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
VALIDATOR = jsonschema.validators.validator_for(SCHEMA)(SCHEMA)
LINK = re.compile(r"(?<!\\)\[(?:[^\[\]\\]|\\.)*\]\((\d+)\)")


def sarif_of(*args: str, cwd: Path | None = None) -> dict:
    result = run_cli("check", "--format", "sarif", "--jobs", "1", *args, cwd=cwd)
    assert result.exit_code in (0, 1, 2), result.output  # 2: a problem, shown as a notification
    log = json.loads(result.stdout)
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in VALIDATOR.iter_errors(log)]
    assert errors == []
    return log


@pytest.fixture
def cross_corpus(corpus):
    """Three documents: b.md and c.txt share a.md's first line (XRF001); c.txt repeats a paragraph."""
    return corpus({
        "rules.toml": CONFIG,
        "a.md": "Shared headline: 100%, really\n\nSomething else entirely, said nobody.\n",
        "b.md": "Shared headline: 100%, really\n\nA different body.\n",
        "sub dir/c%20 é.txt": f"Shared headline: 100%, really\n\n{PARAGRAPH}\n\nMiddle.\n\n{PARAGRAPH}\n",
    })


def test_seeds_sarif_is_valid_and_complete():
    log = sarif_of(str(SEEDS), cwd=SEEDS.parent)
    assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-schema-2.1.0.json")
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "srcaudit" and driver["version"] and driver["semanticVersion"]
    assert driver["informationUri"].startswith("https://")
    for rule in driver["rules"]:
        assert rule["shortDescription"]["text"].endswith(".")
        assert rule["fullDescription"]["text"] and rule["helpUri"].startswith("https://")
        assert "## How to fix" in rule["help"]["markdown"] and rule["help"]["text"]
        assert rule["defaultConfiguration"]["level"] in {"error", "warning", "note"}
        assert rule["properties"]["precision"] in {"very-high", "high", "medium", "low"}
        assert isinstance(rule["properties"]["tags"], list)
    assert run["columnKind"] == "unicodeCodePoints"
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"].endswith("/")
    assert run["invocations"][0]["executionSuccessful"] is True
    assert run["results"], "the seeds have duplicated paragraphs"
    for result in run["results"]:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert location["artifactLocation"]["uri"].startswith("seeds/")
        assert set(location["region"]) == {"startLine", "startColumn", "endLine", "endColumn"}
        assert result["partialFingerprints"][sarif.FINGERPRINT_KEY]


def test_cross_document_results_link_their_related_locations(cross_corpus):
    log = sarif_of(".", cwd=cross_corpus)
    results = log["runs"][0]["results"]
    xrf = [r for r in results if r["ruleId"] == "XRF001"]
    assert len(xrf) == 2
    for result in xrf + [r for r in results if r["ruleId"] == "DUP001"]:
        ids = {related["id"] for related in result["relatedLocations"]}
        linked = {int(n) for n in LINK.findall(result["message"]["text"])}
        assert linked and linked <= ids
    # Brackets in the finding's own message are escaped, so they are not read as links.
    assert xrf[0]["message"]["text"].startswith('first line \\[shared\\] with a.md:1, 100% "same"\nsecond line.')
    related = xrf[0]["relatedLocations"][0]["physicalLocation"]
    assert related["artifactLocation"] == {"uri": "a.md", "uriBaseId": "%SRCROOT%"}
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert "sub%20dir/c%2520%20%C3%A9.txt" in uris  # percent-encoded, including the literal %


def test_fingerprints_survive_inserted_lines(corpus):
    root = corpus({"rules.toml": DUP_ONLY, "a.txt": f"Title\n\n{PARAGRAPH}\n\nOther words here.\n\n{PARAGRAPH}\n"})
    before = sarif_of(".", cwd=root)["runs"][0]["results"]
    (root / "a.txt").write_text(f"New line one.\nNew line two.\n\nTitle\n\n{PARAGRAPH}\n\nOther words here."
                                f"\n\n{PARAGRAPH}\n", encoding="utf-8")
    after = sarif_of(".", cwd=root)["runs"][0]["results"]
    assert [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in (before[0], after[0])] == [7, 10]
    assert before[0]["partialFingerprints"] == after[0]["partialFingerprints"]


def test_problems_become_notifications_and_fail_the_invocation(corpus):
    root = corpus({"rules.toml": DUP_ONLY, "a.txt": "Fine text.\n", "b.txt": b"\x89PNG\r\n\x1a\n\x00\x00binary"})
    log = sarif_of(".", "missing.txt", cwd=root)
    invocation = log["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    by_level = {(n["level"], n["message"]["text"]) for n in invocation["toolExecutionNotifications"]}
    assert ("error", "no such file or folder.") in by_level
    missing = next(n for n in invocation["toolExecutionNotifications"] if n["level"] == "error")
    assert missing["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "missing.txt"
    assert any(level == "note" and "PNG" in text for level, text in by_level)


def test_failing_plugin_is_a_notification(corpus, monkeypatch):
    root = corpus({"rules.toml": 'plugins = ["broken_plugin"]\n', "a.txt": "Text.\n"})
    (root / "broken_plugin.py").write_text(
        "import srcaudit\n@srcaudit.hookimpl\ndef srcaudit_check_document(document, rules):\n"
        "    raise RuntimeError('boom')\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(root))
    log = sarif_of(".", cwd=root)
    invocation = log["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    assert any("boom" in n["message"]["text"] and "broken_plugin" in n["message"]["text"]
               for n in invocation["toolExecutionNotifications"])


def test_github_limits_keep_the_most_severe(cross_corpus, monkeypatch):
    monkeypatch.setattr(sarif, "MAX_RESULTS", 2)
    monkeypatch.setattr(sarif, "MAX_LOCATIONS", 0)
    log = sarif_of(".", cwd=cross_corpus)
    run = log["runs"][0]
    assert [r["ruleId"] for r in run["results"]] == ["XRF001", "XRF001"]  # errors beat DUP001 warnings
    assert all("relatedLocations" not in r for r in run["results"])
    texts = [n["message"]["text"] for n in run["invocations"][0]["toolExecutionNotifications"]]
    assert any("1 of 3 results were left out" in t and "most severe" in t for t in texts)
    assert any("2 related locations were left out" in t for t in texts)


def test_show_suppressed_marks_in_source_and_baseline_suppressions(corpus):
    root = corpus({"rules.toml": DUP_ONLY, "a.md": f"Title\n\n{PARAGRAPH}\n\n<!-- srcaudit: ignore DUP001 -- quoted as published -->\n"
                           f"{PARAGRAPH}\n",
                   "b.txt": f"{PARAGRAPH}\n\nOther words.\n\n{PARAGRAPH}\n"})
    assert run_cli("check", "b.txt", "--write-baseline", "base.json", cwd=root).exit_code == 0
    hidden = sarif_of(".", "--baseline", "base.json", cwd=root)["runs"][0]["results"]
    assert hidden == []
    shown = sarif_of(".", "--baseline", "base.json", "--show-suppressed", cwd=root)["runs"][0]["results"]
    kinds = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]: r["suppressions"] for r in shown}
    assert kinds["a.md"] == [{"kind": "inSource", "status": "accepted", "justification": "quoted as published"}]
    assert kinds["b.txt"][0]["kind"] == "external"
