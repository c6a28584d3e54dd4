"""``srcaudit docs``: rule pages generated from the plugins' documentation, and kept current."""

from __future__ import annotations

import re

from srcaudit.api import Rule, RuleOption, Severity
from srcaudit.docs_command import MARKER, generate, stale_pages, write_pages
from srcaudit.session import open_session

from conftest import REPO, run_cli

RULE = Rule(code="TST301", name="fixture-rule", summary="A rule | with a pipe.", severity=Severity.INFO,
            documentation="## What it does\nFinds things.\n\n## Why it matters\nBecause.\n\n"
                          "## Example\n```text\nthing\n```\n\n## How to fix\nRemove it.\n",
            options=(RuleOption("limit", 3, "How many."),), enabled_by_default=False, plugin="fixture")


def test_the_committed_rule_pages_are_up_to_date():
    """Fails when a rule's documentation changed without `srcaudit docs` being run."""
    result = run_cli("docs", "--check", "--output", str(REPO / "docs" / "rules"), cwd=REPO)
    assert result.exit_code == 0, result.output


def test_every_rule_documents_what_why_example_and_fix():
    session = open_session(None, REPO)
    assert session.rules
    for code, rule in session.rules.items():
        headings = re.findall(r"^## (.+)$", rule.documentation, re.MULTILINE)
        for section in ("What it does", "Why it matters", "Example", "How to fix"):
            assert section in headings, f"{code} documentation has no '## {section}' section"


def test_a_page_is_the_explain_text_and_the_index_links_every_rule():
    pages = generate({"TST301": RULE})
    assert sorted(pages) == ["README.md", "TST301.md"]
    page = pages["TST301.md"]
    assert page.startswith(MARKER) and RULE.explain().rstrip() in page
    for part in ("## Options", "`limit` (default `3`): How many.", "## Suppressing", 'ignore = ["TST301"]'):
        assert part in page
    assert "| [TST301](TST301.md) | fixture-rule | info | document | A rule \\| with a pipe. (off by default) |" \
        in pages["README.md"]


def test_generated_pages_pass_the_check(tmp_path):
    out = tmp_path / "rules"
    written = run_cli("docs", "--output", str(out), cwd=REPO)
    assert written.exit_code == 0, written.output
    codes = {line.split(" ")[0] for line in run_cli("rules", cwd=REPO).output.splitlines()}
    assert {p.stem for p in out.glob("*.md")} == codes | {"README"}
    checked = run_cli("docs", "--check", "--output", str(out), cwd=REPO)
    assert checked.exit_code == 0 and "up to date" in checked.output


def test_check_lists_stale_missing_and_left_over_pages_and_writes_nothing(tmp_path):
    pages = generate({"TST301": RULE, "TST302": RULE})
    write_pages(tmp_path, pages)
    (tmp_path / "TST301.md").write_text(pages["TST301.md"] + "edited by hand\n", encoding="utf-8")
    (tmp_path / "TST302.md").unlink()
    (tmp_path / "OLD001.md").write_text(MARKER + "\n# OLD001\n", encoding="utf-8")
    (tmp_path / "notes.md").write_text("# Notes written by a person\n", encoding="utf-8")
    before = sorted(p.name for p in tmp_path.iterdir())
    reasons = stale_pages(tmp_path, pages)
    assert reasons == [f"{tmp_path / 'TST301.md'}: out of date", f"{tmp_path / 'TST302.md'}: missing",
                       f"{tmp_path / 'OLD001.md'}: no rule has this code any more"]
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    changed = write_pages(tmp_path, pages)
    assert sorted(p.name for p in changed) == ["OLD001.md", "TST301.md", "TST302.md"]
    assert stale_pages(tmp_path, pages) == [] and (tmp_path / "notes.md").exists()


def test_check_exits_1_and_names_the_stale_page(tmp_path):
    out = tmp_path / "rules"
    run_cli("docs", "--output", str(out), cwd=REPO)
    page = next(out.glob("DUP*.md"))
    page.write_text("old text\n", encoding="utf-8")
    result = run_cli("docs", "--check", "--output", str(out), cwd=REPO)
    assert result.exit_code == 1
    assert f"{page}: out of date" in result.stdout and "run `srcaudit docs" in result.stderr
