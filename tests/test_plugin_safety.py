"""Code inside the audited folder is never imported: plugins come only from entry points
and from module names the user lists under ``plugins`` in the configuration."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import REPO, run_cli, write_files
from robustness_support import GOOD

TRAP = "open({marker!r}, 'w').write('imported')\n"
NAMES = ["conftest.py", "plugin.py", "plugins.py", "srcaudit_local.py", "srcaudit_plugins.py",
         "srcaudit.py", "__init__.py", "sitecustomize.py", "hookspecs.py"]


def trapped_corpus(root: Path, marker: Path) -> Path:
    files: dict[str, str] = {"good.txt": GOOD}
    for name in NAMES:
        files[name] = TRAP.format(marker=str(marker))
        files[f"sub/{name}"] = TRAP.format(marker=str(marker))
        files[f"srcaudit_pkg/{name}"] = TRAP.format(marker=str(marker))
    return write_files(root, files)


def test_code_in_the_audited_folder_is_not_imported_in_process(tmp_path):
    marker = tmp_path / "imported.flag"
    root = trapped_corpus(tmp_path / "corpus", marker)
    modules_before = set(sys.modules)
    for command in (["check", "."], ["check", "--extend-select", "ALL", "sub", "good.txt"], ["rules"],
                    ["explain", "DUP001"], ["formats"]):
        result = run_cli(*command, cwd=root)
        assert result.exit_code in (0, 1), result.output
    assert not marker.exists()
    new_modules = set(sys.modules) - modules_before
    assert not [m for m in new_modules if getattr(sys.modules[m], "__file__", "") and
                str(root) in str(sys.modules[m].__file__)]


def test_code_in_the_audited_folder_is_not_imported_by_the_command(tmp_path):
    """The installed console script, run inside the folder (the working directory is not on sys.path)."""
    marker = tmp_path / "imported.flag"
    root = trapped_corpus(tmp_path / "corpus", marker)
    script = Path(sys.executable).parent / "srcaudit"
    command = [str(script)] if script.exists() else [
        sys.executable, "-c", "import sys; from srcaudit.cli import main; sys.exit(main())"]
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    for args in (["check", "."], ["check", "--jobs", "2", "."], ["rules"]):
        completed = subprocess.run(command + args, cwd=root, env=env, capture_output=True, text=True,
                                   timeout=120)
        assert completed.returncode in (0, 1), completed.stderr
        assert "good.txt:5:1: DUP003" in completed.stdout or args == ["rules"]
    assert not marker.exists()


def test_a_configured_plugin_name_is_not_looked_up_in_the_audited_folder(tmp_path):
    """``plugins = ["plugin"]`` must name an installed module, not a file that happens to be audited."""
    marker = tmp_path / "imported.flag"
    root = trapped_corpus(tmp_path / "corpus", marker)
    (root / "rules.toml").write_text('plugins = ["srcaudit_local"]\n', encoding="utf-8")
    script = Path(sys.executable).parent / "srcaudit"
    command = [str(script)] if script.exists() else [
        sys.executable, "-c", "import sys; from srcaudit.cli import main; sys.exit(main())"]
    completed = subprocess.run(command + ["check", "."], cwd=root, capture_output=True, text=True, timeout=120)
    assert completed.returncode == 2
    assert "plugin module 'srcaudit_local' failed to load: ModuleNotFoundError" in completed.stderr
    assert not marker.exists()


def test_python_dash_m_does_not_put_the_audited_folder_on_the_path(tmp_path):
    """``python -m srcaudit`` run inside the folder: its working directory is dropped from sys.path.

    (A file named ``srcaudit.py`` there would still be what ``python -m srcaudit`` runs:
    Python finds it before srcaudit starts. The README recommends the ``srcaudit`` command.)
    """
    marker = tmp_path / "imported.flag"
    root = write_files(tmp_path / "corpus", {"good.txt": GOOD, "srcaudit_local.py": TRAP.format(marker=str(marker)),
                                             "rules.toml": 'plugins = ["srcaudit_local"]\n'})
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    env.pop("PYTHONSAFEPATH", None)
    completed = subprocess.run([sys.executable, "-m", "srcaudit", "check", "."], cwd=root, env=env,
                               capture_output=True, text=True, timeout=120)
    assert completed.returncode == 2
    assert "plugin module 'srcaudit_local' failed to load: ModuleNotFoundError" in completed.stderr
    assert "good.txt:5:1: DUP003" in completed.stdout
    assert not marker.exists()
