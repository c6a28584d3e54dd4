"""Plugins that raise or return garbage lose only their own results.

A failing plugin is an *error* (exit 2): work that should have happened did not. The
other plugins' findings are still printed, and the traceback is shown only with --debug.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import REPO, run_cli, write_files
from srcaudit import engine
from robustness_support import GOOD, TEST_RULE, audit, use_plugin, write_plugin

RAISING_HOOKS = {
    "srcaudit_check_document": ("document, rules", "checking good.txt"),
    "srcaudit_measure_document": ("document, rules", "measuring good.txt"),
    "srcaudit_extract_facts": ("document, rules", "extracting facts from good.txt"),
    "srcaudit_classify_lines": ("document, rules", "classifying lines of good.txt"),
    "srcaudit_check_corpus": ("corpus, rules", "checking the corpus"),
    "srcaudit_measure_corpus": ("corpus, rules", "measuring the corpus"),
}


@pytest.mark.parametrize("hook", sorted(RAISING_HOOKS))
def test_a_raising_plugin_is_an_error_and_others_still_report(tmp_path, monkeypatch, hook):
    arguments, doing = RAISING_HOOKS[hook]
    module = f"raising_{hook}"
    write_plugin(tmp_path / "site", module, TEST_RULE + f'''
@srcaudit.hookimpl
def {hook}({arguments}):
    raise RuntimeError("boom")
''', monkeypatch)
    root = write_files(tmp_path / "corpus", {"good.txt": GOOD})
    use_plugin(root, module)
    run = audit(root, ".")
    assert run.exit_code == 2
    run.assert_good_audited()
    [problem] = run.problems("error")
    assert problem["plugin"] == module
    assert problem["message"] == f"plugin {module!r} raised RuntimeError: boom while {doing}"
    assert f"srcaudit: error: " in run.stderr and "boom" in run.stderr


@pytest.mark.parametrize("debug_flag", [("--debug", "check"), ("check", "--debug")])
def test_debug_shows_the_plugin_traceback(tmp_path, monkeypatch, debug_flag):
    write_plugin(tmp_path / "site", "raising_debug", TEST_RULE + '''
@srcaudit.hookimpl
def srcaudit_check_document(document, rules):
    raise RuntimeError("boom")
''', monkeypatch)
    root = write_files(tmp_path / "corpus", {"good.txt": GOOD})
    use_plugin(root, "raising_debug")
    result = run_cli(*debug_flag, ".", cwd=root)
    assert result.exit_code == 2
    assert "Traceback (most recent call last)" in result.stderr
    assert 'raise RuntimeError("boom")' in result.stderr
    assert "good.txt:5:1: DUP003" in result.stdout


def test_malformed_findings_are_reported_and_dropped(tmp_path, monkeypatch):
    write_plugin(tmp_path / "site", "malformed_findings", TEST_RULE + '''
@srcaudit.hookimpl
def srcaudit_check_document(document, rules):
    here = Region(1, 1, 1, 5)
    return [
        "not a finding",
        None,
        Finding("ZZZ001", "", document.path, here),
        Finding("ZZZ001", "wrong file", "elsewhere.txt", here),
        Finding("ZZZ001", "past the end", document.path, Region(99, 1, 99, 2)),
        Finding("ZZZ001", "region is a tuple", document.path, (1, 1, 1, 5)),
        Finding("ZZZ001", "severity is a string", document.path, here, severity="loud"),
        Finding("ZZZ001", "related is not a list", document.path, here, related=5),
        Finding("ZZZ001", "related holds a string", document.path, here, related=("x",)),
        Finding(7, "code is a number", document.path, here),
        Finding("ZZZ001", "this one is fine", document.path, here),
    ]
''', monkeypatch)
    root = write_files(tmp_path / "corpus", {"good.txt": GOOD})
    use_plugin(root, "malformed_findings")
    run = audit(root, ".")
    assert run.exit_code == 2
    run.assert_good_audited()
    assert [f["message"] for f in run.payload["findings"] if f["code"] == "ZZZ001"] == ["this one is fine"]
    errors = run.problems("error")
    assert len(errors) == 10
    assert all(e["message"].startswith("plugin 'malformed_findings' returned a malformed finding: ")
               for e in errors)
    reasons = " | ".join(e["message"] for e in errors)
    for reason in ("str is not a srcaudit Finding", "NoneType is not a srcaudit Finding", "empty message",
                   "path 'elsewhere.txt' is not the document", "line 99 is past the end",
                   "is not a srcaudit Region", "is not a srcaudit Severity", "related locations",
                   "rule code 7 is not a string"):
        assert reason in reasons


def test_a_generator_that_raises_half_way(tmp_path, monkeypatch):
    write_plugin(tmp_path / "site", "half_way", TEST_RULE + '''
@srcaudit.hookimpl
def srcaudit_check_document(document, rules):
    yield Finding("ZZZ001", "first", document.path, Region(1, 1, 1, 2))
    raise ValueError("ran out")
''', monkeypatch)
    root = write_files(tmp_path / "corpus", {"good.txt": GOOD})
    use_plugin(root, "half_way")
    run = audit(root, ".")
    assert run.exit_code == 2
    run.assert_good_audited()
    assert "plugin 'half_way' raised ValueError: ran out while producing findings" in run.stderr


def test_corpus_finding_on_a_file_not_in_the_corpus(tmp_path, monkeypatch):
    write_plugin(tmp_path / "site", "stray_corpus", TEST_RULE + '''
@srcaudit.hookimpl
def srcaudit_check_corpus(corpus, rules):
    return [Finding("ZZZ001", "somewhere else", "/etc/passwd", Region(1, 1, 1, 2), anchor="x")]
''', monkeypatch)
    root = write_files(tmp_path / "corpus", {"good.txt": GOOD})
    use_plugin(root, "stray_corpus")
    run = audit(root, ".")
    assert run.exit_code == 2
    run.assert_good_audited()
    assert "plugin 'stray_corpus' reported ZZZ001 on '/etc/passwd', which is not in the corpus" in run.stderr
    assert not [f for f in run.payload["findings"] if f["code"] == "ZZZ001"]


def test_bad_line_roles(tmp_path, monkeypatch):
    write_plugin(tmp_path / "site", "bad_roles", '''
import srcaudit

@srcaudit.hookimpl
def srcaudit_classify_lines(document, rules):
    return ["navigation"]  # one role for a five-line document
''', monkeypatch)
    root = write_files(tmp_path / "corpus", {"good.txt": GOOD})
    use_plugin(root, "bad_roles")
    run = audit(root, ".")
    assert run.exit_code == 2
    run.assert_good_audited()
    assert "plugin 'bad_roles' returned bad line roles for good.txt: 1 line roles for 5 lines" in run.stderr


def test_a_plugin_that_fails_to_import(tmp_path, monkeypatch):
    write_plugin(tmp_path / "site", "broken_import", "import does_not_exist_anywhere\n", monkeypatch)
    root = write_files(tmp_path / "corpus", {"good.txt": GOOD})
    use_plugin(root, "broken_import")
    run = audit(root, ".")
    assert run.exit_code == 2
    run.assert_good_audited()
    assert ("plugin module 'broken_import' failed to load: ModuleNotFoundError: "
            "No module named 'does_not_exist_anywhere'") in run.stderr


def test_a_plugin_whose_rule_declaration_raises_stops_the_run(tmp_path, monkeypatch):
    write_plugin(tmp_path / "site", "bad_declaration", '''
import srcaudit

@srcaudit.hookimpl
def srcaudit_rules():
    raise KeyError("code")
''', monkeypatch)
    root = write_files(tmp_path / "corpus", {"good.txt": GOOD})
    use_plugin(root, "bad_declaration")
    result = run_cli("check", ".", cwd=root)
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr
    assert "configuration error: plugin 'bad_declaration' failed to declare its rules: KeyError('code')" \
        in result.stderr


# -- internal errors: only --debug shows a traceback ------------------------------------------------

REPORTER_PLUGIN = '''
import srcaudit
from srcaudit.api import Reporter

def render(report):
    raise ZeroDivisionError("reporter bug")

@srcaudit.hookimpl
def srcaudit_reporters():
    return [Reporter("crash", "always fails", render)]
'''


def _srcaudit(*args: str, cwd, site) -> subprocess.CompletedProcess:
    """Run srcaudit in a fresh process (``--debug`` detection reads the real ``sys.argv``)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), str(REPO / "src")])}
    env.pop("SRCAUDIT_DEBUG", None)
    return subprocess.run([sys.executable, "-c", "import sys; from srcaudit.cli import main; sys.exit(main())",
                           *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def test_internal_error_without_and_with_debug(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "crash_reporter.py").write_text(REPORTER_PLUGIN, encoding="utf-8")
    root = write_files(tmp_path / "corpus", {"good.txt": GOOD, "rules.toml": 'plugins = ["crash_reporter"]\n'})

    plain = _srcaudit("check", "--format", "crash", ".", cwd=root, site=site)
    assert plain.returncode == 2
    assert "Traceback" not in plain.stderr + plain.stdout
    assert plain.stderr.strip() == ("srcaudit: internal error: ZeroDivisionError: reporter bug "
                                    "(run with --debug for the traceback)")

    debug = _srcaudit("--debug", "check", "--format", "crash", ".", cwd=root, site=site)
    assert debug.returncode == 2
    assert "Traceback (most recent call last)" in debug.stderr
    assert "ZeroDivisionError: reporter bug" in debug.stderr


# -- measures and facts that are not mappings, or cannot be written ---------------------------------

#: A well-behaved plugin beside the bad one: its measure must survive the other's mistake.
GOOD_MEASURES = '''
import srcaudit

@srcaudit.hookimpl
def srcaudit_measure_document(document, rules):
    return {"good_measure": 1}

@srcaudit.hookimpl
def srcaudit_measure_corpus(corpus, rules):
    return {d.path: {"good_corpus_measure": 2} for d in corpus.documents}
'''

BAD_RESULTS = {
    "list from measure_document": ("srcaudit_measure_document(document, rules)", "[1, 2]",
                                   "returned a list, not a mapping of names to values, from "
                                   "srcaudit_measure_document for good.txt: ignored"),
    "string from extract_facts": ("srcaudit_extract_facts(document, rules)", '"facts"',
                                  "returned a str, not a mapping of names to values, from "
                                  "srcaudit_extract_facts for good.txt: ignored"),
    "number from measure_corpus": ("srcaudit_measure_corpus(corpus, rules)", "42",
                                   "returned a int, not a mapping of names to values, from "
                                   "srcaudit_measure_corpus: ignored"),
    "number per path from measure_corpus": ("srcaudit_measure_corpus(corpus, rules)",
                                            "{d.path: 0.5 for d in corpus.documents}",
                                            "returned a float, not a mapping of names to values, for good.txt "
                                            "from srcaudit_measure_corpus: ignored"),
    "object as a measure": ("srcaudit_measure_document(document, rules)", '{"when": object()}',
                            "returned values that cannot be written as JSON (TypeError: Object of type object "
                            "is not JSON serializable) from srcaudit_measure_document for good.txt: ignored"),
    "number as a measure name": ("srcaudit_measure_document(document, rules)", "{1: 2}",
                                 "returned a mapping with a key that is not a string (1) from "
                                 "srcaudit_measure_document for good.txt: ignored"),
    "unpicklable facts": ("srcaudit_extract_facts(document, rules)", '{"bad_facts": (x for x in ())}',
                          "returned values that cannot be pickled (TypeError: cannot pickle 'generator' object) "
                          "from srcaudit_extract_facts for good.txt: ignored"),
}


@pytest.mark.parametrize("case", sorted(BAD_RESULTS))
def test_a_bad_measure_or_facts_result_is_the_plugins_problem(tmp_path, monkeypatch, case):
    signature, value, message = BAD_RESULTS[case]
    write_plugin(tmp_path / "site", "bad_result", f'''
import srcaudit

@srcaudit.hookimpl
def {signature}:
    return {value}
''', monkeypatch)
    write_plugin(tmp_path / "site", "good_measures", GOOD_MEASURES, monkeypatch)
    root = write_files(tmp_path / "corpus", {"good.txt": GOOD,
                                             "rules.toml": 'plugins = ["bad_result", "good_measures"]\n'})
    run = audit(root, ".", "--select", "DUP001,DUP003")
    assert run.exit_code == 2  # an error, not an internal error: the report was written
    run.assert_good_audited()
    [problem] = run.problems("error")
    assert problem["plugin"] == "bad_result"
    assert problem["message"] == f"plugin 'bad_result' {message}"
    [document] = run.payload["documents"]
    assert document["good_measure"] == 1 and document["good_corpus_measure"] == 2


def test_facts_are_checked_with_several_workers_too(tmp_path, monkeypatch):
    """Unpicklable facts would otherwise break the process pool, not just this plugin."""
    write_plugin(tmp_path / "site", "bad_facts", '''
import srcaudit

@srcaudit.hookimpl
def srcaudit_extract_facts(document, rules):
    return {"bad_facts": lambda: None}
''', monkeypatch)
    names = [f"doc{n:02}.txt" for n in range(4)]
    root = write_files(tmp_path / "corpus", {**{name: GOOD for name in names}, "rules.toml": 'plugins = ["bad_facts"]\n'})
    monkeypatch.setattr(engine, "POOL_MIN_FILES", 2)  # a pool even for four files
    run = audit(root, ".", "--select", "DUP003", "--jobs", "2")
    assert run.exit_code == 2
    assert sorted(run.audited()) == names
    assert len(run.problems("error")) == len(names)
    assert all("cannot be pickled" in p["message"] for p in run.problems("error"))


@pytest.mark.parametrize("hook", ["srcaudit_check_document(document, rules)", "srcaudit_check_corpus(corpus, rules)"])
def test_a_finding_with_an_undeclared_code_is_malformed(tmp_path, monkeypatch, hook):
    """Nobody could select, explain or suppress it: reported, not dropped silently."""
    path = "document.path" if "document" in hook else "corpus.documents[0].path"
    write_plugin(tmp_path / "site", "undeclared", TEST_RULE + f'''
@srcaudit.hookimpl
def {hook}:
    here = Region(1, 1, 1, 5)
    return [Finding("QQQ999", "a code nobody declares", {path}, here, anchor="a"),
            Finding("ZZZ001", "a declared code", {path}, here, anchor="b")]
''', monkeypatch)
    root = write_files(tmp_path / "corpus", {"good.txt": GOOD})
    use_plugin(root, "undeclared")
    run = audit(root, ".", "--select", "DUP003,ZZZ001")
    assert run.exit_code == 2
    run.assert_good_audited()
    [problem] = run.problems("error")
    assert problem["plugin"] == "undeclared"
    assert problem["message"] == ("plugin 'undeclared' returned a malformed finding: "
                                  "QQQ999: no plugin declares a rule with this code (srcaudit_rules)")
    assert [f["message"] for f in run.payload["findings"] if f["code"] in ("QQQ999", "ZZZ001")] == ["a declared code"]


def test_a_declared_but_deselected_code_is_dropped_quietly(tmp_path, monkeypatch):
    write_plugin(tmp_path / "site", "deselected", TEST_RULE + '''
@srcaudit.hookimpl
def srcaudit_check_document(document, rules):
    return [Finding("ZZZ001", "not selected", document.path, Region(1, 1, 1, 5))]
''', monkeypatch)
    root = write_files(tmp_path / "corpus", {"good.txt": GOOD})
    use_plugin(root, "deselected")
    run = audit(root, ".", "--select", "DUP003")
    assert run.exit_code == 0 and run.problems("error") == []  # DUP003 is info: below the fail level
    assert not [f for f in run.payload["findings"] if f["code"] == "ZZZ001"]
