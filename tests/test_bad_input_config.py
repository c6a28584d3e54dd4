"""Bad configuration: one clear line naming file, line and key; exit 2; no traceback.

A configuration error stops the run before any file is audited: results computed with
settings the user did not mean would be wrong in ways nobody would notice. Errors in the
file's shape (TOML syntax, global keys and their types) stop every command; errors that
need the declared rules (codes, options) are found when ``check`` resolves them.
"""

from __future__ import annotations

import pytest

from conftest import run_cli, write_files
from robustness_support import GOOD, assert_no_traceback


SHAPE = [["check", "."], ["rules"], ["explain", "DUP001"], ["formats"]]
RULES = [["check", "."]]


@pytest.mark.parametrize(("toml", "expected", "commands"), [
    ('select = ["DUP"\nfail-level = "info"\n', "rules.toml:2: not valid TOML: ", SHAPE),
    ("[rules.DUP001]\nthreshold = 0.7\n[rules.DUP001]\n", "rules.toml:3: not valid TOML: ", SHAPE),
    ('[rules.DUP009]\nseverity = "info"\n', "rules.toml:1: unknown rule code 'DUP009' in [rules.DUP009] "
                                            "(did you mean 'DUP00", RULES),
    ('select = ["DUPX"]\n', "unknown rule code or prefix 'DUPX'", RULES),
    ('[rules.DUP001]\nthreshold = "high"\n', "rules.toml:2: rules.DUP001.threshold must be a number "
                                             "(like the default 0.6), not a string 'high'", RULES),
    ("[rules.DUP001]\nmin_words = 2.5\n", "rules.toml:2: rules.DUP001.min_words must be an integer", RULES),
    ("[rules.DUP001]\ntreshold = 0.7\n", "rules.toml:2: DUP001 has no option 'treshold' (did you mean 'threshold'?)", RULES),
    ('[rules.DUP001]\nseverity = "fatal"\n', "unknown severity 'fatal'", RULES),
    ('max-file-size-mb = "big"\n', "rules.toml:1: 'max-file-size-mb' must be an integer or a number, not a string", SHAPE),
    ("exclude = 3\n", "rules.toml:1: 'exclude' must be a list, not an integer", SHAPE),
    ("selct = []\n", "rules.toml:1: unknown key 'selct' (did you mean 'select'?)", SHAPE),
])
def test_configuration_errors_are_one_clear_line(tmp_path, toml, expected, commands):
    write_files(tmp_path, {"good.txt": GOOD, "rules.toml": toml})
    for command in commands:
        result = run_cli(*command, cwd=tmp_path)
        assert result.exit_code == 2, (command, result.output)
        assert_no_traceback(result)
        assert expected in result.stderr
        assert result.stderr.startswith("srcaudit: configuration error: ")
        assert result.stderr.count("\n") == 1  # one line, not a stack
        assert result.stdout == ""


def test_config_file_that_is_not_utf8(tmp_path):
    write_files(tmp_path, {"good.txt": GOOD, "rules.toml": b"select = [\"DUP\"] # caf\xe9\n"})
    result = run_cli("check", ".", cwd=tmp_path)
    assert result.exit_code == 2
    assert_no_traceback(result)
    assert "rules.toml: cannot read configuration" in result.stderr


def test_missing_explicit_config(tmp_path):
    write_files(tmp_path, {"good.txt": GOOD})
    result = run_cli("check", "--config", "nope.toml", ".", cwd=tmp_path)
    assert result.exit_code == 2
    assert_no_traceback(result)
    assert "srcaudit: configuration error: nope.toml: configuration file not found" in result.stderr


def test_unknown_code_on_the_command_line(tmp_path):
    write_files(tmp_path, {"good.txt": GOOD})
    result = run_cli("check", "--select", "DUP01X", ".", cwd=tmp_path)
    assert result.exit_code == 2
    assert_no_traceback(result)
    assert "command line: unknown rule code or prefix 'DUP01X'" in result.stderr


def test_unknown_format_and_rule_code_for_explain(tmp_path):
    write_files(tmp_path, {"good.txt": GOOD})
    result = run_cli("check", "--format", "xml", ".", cwd=tmp_path)
    assert result.exit_code == 2
    assert_no_traceback(result)
    assert "unknown format 'xml'" in result.stderr
    result = run_cli("explain", "DUP00", cwd=tmp_path)
    assert result.exit_code == 2
    assert "unknown rule code 'DUP00'" in result.stderr
