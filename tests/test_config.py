"""rules.toml: discovery, precedence, and every kind of error with the message users see."""

from __future__ import annotations

from pathlib import Path

import pytest

from srcaudit.config import ConfigError, find_config, load_config, resolve_rules
from srcaudit.plugins import collect_rules, create_plugin_manager

from conftest import check_json, run_cli, write_files

ARTICLE = "The council met on Tuesday to discuss the budget for the next year and the roads.\n"


@pytest.fixture(scope="module")
def declared_rules():
    manager, errors = create_plugin_manager()
    assert errors == []
    return collect_rules(manager)


def config_error(tmp_path: Path, text: str, declared) -> str:
    path = tmp_path / "conf" / "rules.toml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        resolve_rules(load_config(path), declared)
    return str(caught.value)


def test_config_is_found_upward_from_the_first_path(tmp_path):
    write_files(tmp_path, {"rules.toml": "", "corpus/deep/a.txt": ARTICLE})
    assert find_config(tmp_path / "corpus" / "deep" / "a.txt") == tmp_path / "rules.toml"


def test_pyproject_tool_table_is_used_when_it_has_one(tmp_path):
    write_files(tmp_path, {"pyproject.toml": "[project]\nname='x'\n[tool.srcaudit]\nignore = ['DUP003']\n"})
    config = load_config(find_config(tmp_path))
    assert config.ignore == ["DUP003"]


def test_syntax_error_names_file_and_line(tmp_path, declared_rules):
    message = config_error(tmp_path, 'fail-level = "info"\nselect = ["DUP001" "DUP003"]\n', declared_rules)
    assert "rules.toml:2: not valid TOML" in message


def test_unknown_global_key_suggests_the_nearest(tmp_path, declared_rules):
    message = config_error(tmp_path, 'fail-levl = "error"\n', declared_rules)
    assert "rules.toml:1" in message and "'fail-levl'" in message and "did you mean 'fail-level'" in message


def test_unknown_rule_code_in_a_table_names_its_line(tmp_path, declared_rules):
    message = config_error(tmp_path, '# x\n[rules.DUP010]\nthreshold = 0.5\n', declared_rules)
    assert "rules.toml:2" in message and "unknown rule code 'DUP010'" in message and "did you mean" in message


def test_unknown_option_lists_the_valid_ones(tmp_path, declared_rules):
    message = config_error(tmp_path, '[rules.DUP001]\nthreshhold = 0.5\n', declared_rules)
    assert "rules.toml:2" in message and "did you mean 'threshold'" in message and "min_words" in message


def test_wrong_option_type_shows_the_expected_type(tmp_path, declared_rules):
    message = config_error(tmp_path, '[rules.DUP001]\n\nmin_words = "ten"\n', declared_rules)
    assert "rules.toml:3" in message and "must be an integer" in message and "'ten'" in message


def test_bad_severity_and_bad_fail_level(tmp_path, declared_rules):
    assert "use one of info, warning, error" in config_error(
        tmp_path, '[rules.DUP001]\nseverity = "fatal"\n', declared_rules)
    assert "use one of" in config_error(tmp_path, 'fail-level = "loud"\n', declared_rules)


def test_unknown_selector_in_select_and_on_the_command_line(tmp_path, declared_rules):
    message = config_error(tmp_path, 'fail-level = "info"\nselect = ["DUPP"]\n', declared_rules)
    assert "rules.toml:2: unknown rule code or prefix 'DUPP'" in message
    write_files(tmp_path, {"cli/a.txt": ARTICLE})
    result = run_cli("check", "--select", "XYZ999", str(tmp_path / "cli" / "a.txt"))
    assert result.exit_code == 2 and "command line: unknown rule code or prefix 'XYZ999'" in result.stderr


def test_int_is_accepted_for_a_float_option(tmp_path, declared_rules):
    path = tmp_path / "rules.toml"
    path.write_text("[rules.DUP001]\nthreshold = 1\n", encoding="utf-8")
    resolved = resolve_rules(load_config(path), declared_rules)
    assert resolved.active.option("DUP001", "threshold") == 1.0


def test_select_ignore_prefixes_and_cli_precedence(tmp_path, declared_rules):
    path = tmp_path / "rules.toml"
    path.write_text('select = ["DUP"]\nignore = ["DUP003"]\n[rules.DUP001]\nseverity = "error"\n')
    config = load_config(path)
    resolved = resolve_rules(config, declared_rules)
    assert resolved.active.codes == {c for c in declared_rules if c.startswith("DUP")} - {"DUP003"}
    assert resolved.severities == {"DUP001": "error"}
    only = resolve_rules(config, declared_rules, select=["DUP003"])
    assert only.active.codes == frozenset()  # the file's ignore still applies
    assert resolve_rules(config, declared_rules, select=["DUP003"], ignore=[]).active.codes == frozenset()
    widened = resolve_rules(load_config(None), declared_rules, select=["ALL"], ignore=["DUP001"])
    assert "DUP001" not in widened.active.codes and "DUP003" in widened.active.codes


def test_per_file_ignores_and_exclude(tmp_path):
    repeated = "Breaking News Today\n\nBody text here.\n\nBreaking News Today\n"
    write_files(tmp_path, {
        "rules.toml": 'select = ["DUP"]\n[per-file-ignores]\n"quiet/*.txt" = ["DUP003"]\n',
        "loud/a.txt": repeated, "quiet/b.txt": repeated, "drafts/c.txt": repeated,
    })
    code, payload = check_json(str(tmp_path), "--config", str(tmp_path / "rules.toml"))
    paths = {f["path"].split("/")[-2] for f in payload["findings"]}
    assert code == 0 and paths == {"loud", "drafts"}  # DUP003 is info: below the fail level
    (tmp_path / "rules.toml").write_text('select = ["DUP"]\nexclude = ["drafts"]\n')
    _, payload = check_json(str(tmp_path), "--config", str(tmp_path / "rules.toml"))
    assert {d["path"].split("/")[-2] for d in payload["documents"]} == {"loud", "quiet"}


def test_missing_config_file_is_a_clear_error(tmp_path):
    result = run_cli("check", "--config", str(tmp_path / "nope.toml"), str(tmp_path))
    assert result.exit_code == 2 and "configuration file not found" in result.stderr
