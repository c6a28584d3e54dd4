"""The modules a wheel compiles with mypyc (``setup.py``), and how an install reports them.

The test suite usually runs on an editable install, where those modules are plain Python;
``.ci/run`` also runs it on the built wheel, where they are compiled. What can only break
the compiled build is checked here: mypyc refuses modules that do not type-check, so a
type error would otherwise surface at the next wheel build (which then falls back to pure
Python with a warning, and the extraction is a fifth slower).
"""

from __future__ import annotations

import runpy
import subprocess
import sys
from importlib.machinery import EXTENSION_SUFFIXES, SOURCE_SUFFIXES
from importlib.util import find_spec

import pytest

import srcaudit
from conftest import REPO, run_cli

_BUILD = runpy.run_path(str(REPO / "setup.py"), run_name="srcaudit_build_constants")


def _module_name(path: str) -> str:
    return path.removeprefix("src/").removesuffix(".py").replace("/", ".")


def test_the_compiled_modules_type_check_as_mypyc_checks_them():
    pytest.importorskip("mypy", reason="mypy is a test dependency ([test] extra)")
    result = subprocess.run([sys.executable, "-m", "mypy", *_BUILD["MYPY_OPTIONS"], *_BUILD["COMPILED"]],
                            cwd=REPO, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_compiled_modules_exist_and_are_all_in_the_package():
    for path in _BUILD["COMPILED"]:
        assert (REPO / path).is_file(), path
        assert _module_name(path).startswith("srcaudit."), path


def test_compiled_modules_reports_how_each_module_is_loaded():
    compiled = set(srcaudit.compiled_modules())
    for path in _BUILD["COMPILED"]:
        name = _module_name(path)
        origin = find_spec(name).origin
        assert origin is not None
        if name.rsplit(".", 1)[-1] in compiled:
            assert origin.endswith(tuple(EXTENSION_SUFFIXES)), origin
        else:
            assert origin.endswith(tuple(SOURCE_SUFFIXES)), origin
    assert compiled <= {_module_name(path).rsplit(".", 1)[-1] for path in _BUILD["COMPILED"]}


def test_version_says_whether_modules_run_compiled():
    result = run_cli("--version")
    compiled = srcaudit.compiled_modules()
    expected = f"compiled: {', '.join(compiled)}" if compiled else "pure Python"
    assert result.exit_code == 0 and result.output.strip() == f"srcaudit {srcaudit.__version__} ({expected})"


def test_only_a_wheel_build_compiles(monkeypatch):
    """Editable installs stay pure Python (an edit takes effect at once); so does an explicit opt-out."""
    monkeypatch.delenv("SRCAUDIT_PURE_PYTHON", raising=False)
    for argv, wanted in ((["setup.py", "bdist_wheel", "--dist-dir", "dist"], True),
                         (["setup.py", "editable_wheel", "--dist-dir", "dist"], False),
                         (["setup.py", "dist_info"], False), (["setup.py", "sdist"], False)):
        monkeypatch.setattr(sys, "argv", argv)
        assert _BUILD["_wanted"]() is wanted, argv
    monkeypatch.setattr(sys, "argv", ["setup.py", "bdist_wheel"])
    monkeypatch.setenv("SRCAUDIT_PURE_PYTHON", "1")
    assert _BUILD["_wanted"]() is False


def test_no_compiler_builds_pure_python(monkeypatch, capsys):
    monkeypatch.delenv("SRCAUDIT_PURE_PYTHON", raising=False)
    monkeypatch.setattr(sys, "argv", ["setup.py", "bdist_wheel"])
    monkeypatch.setenv("CC", "no-such-compiler-srcaudit")
    assert _BUILD["_compiled_extensions"]() == []
    assert "no C compiler found" in capsys.readouterr().err
