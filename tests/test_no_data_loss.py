"""srcaudit never writes to the files it audits; reports are replaced atomically or not at all."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

import srcaudit.output
from conftest import SEEDS, run_cli, write_files
from robustness_support import GOOD


def tree_state(root: Path) -> dict[str, tuple[str, int]]:
    """Every file and link under ``root``: (SHA-256 or link target, mode bits), by relative path.

    srcaudit's own cache folder (``.srcaudit_cache``, next to rules.toml) is not audited
    content; it is left out, and tests/test_cache.py checks what goes into it.
    """
    state: dict[str, tuple[str, int]] = {}
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = [name for name in subfolders if name != ".srcaudit_cache"]
        for name in sorted(subfolders + files):
            path = Path(folder, name)
            relative = path.relative_to(root).as_posix()
            if path.is_symlink():
                state[relative] = ("-> " + os.readlink(path), 0)
            elif path.is_file():
                state[relative] = (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mode)
            else:
                state[relative] = ("folder", path.stat().st_mode)
    return state


@pytest.fixture
def audited_tree(tmp_path: Path) -> Path:
    """A corpus with every kind of file srcaudit meets: seeds, odd encodings, binary, links."""
    root = tmp_path / "corpus"
    write_files(root, {
        **{f"seeds/{p.name}": p.read_bytes() for p in sorted(SEEDS.glob("*.txt"))},
        "good.txt": GOOD,
        "crlf.txt": GOOD.replace("\n", "\r\n").encode("utf-8"),
        "latin1.txt": "Café au lait\n\nCafé au lait\n".encode("latin-1"),
        "utf16.txt": GOOD.encode("utf-16"),
        "image.txt": b"\x89PNG\r\n\x1a\n\x00\x00",
        "empty.txt": b"",
        "notes.md": "# Title\n\nSome *markdown* text.\n\n# Title\n",
        "rules.toml": "select = [\"ALL\"]\n",
    })
    (root / "link.txt").symlink_to("good.txt")
    (root / "dangling.txt").symlink_to("missing.txt")
    return root


COMMANDS = [
    ["check", "."],
    ["check", "--format", "json", "."],
    ["check", "--jobs", "2", "."],
    ["check", "--output", "{out}/report.txt", "."],
    ["check", "--format", "json", "--output", "{out}/report.json", "."],
    ["check", "--select", "DUP", "--exit-zero", "seeds", "good.txt"],
    ["rules"],
    ["rules", "--format", "json"],
    ["explain", "DUP001"],
    ["formats"],
]


def test_no_command_changes_the_audited_tree(audited_tree, tmp_path):
    out = tmp_path / "reports"
    out.mkdir()
    before = tree_state(audited_tree)
    for command in COMMANDS:
        args = [arg.replace("{out}", str(out)) for arg in command]
        result = run_cli(*args, cwd=audited_tree)
        assert result.exit_code in (0, 1, 2), (args, result.output)
        assert tree_state(audited_tree) == before, f"srcaudit {' '.join(args)} changed the audited files"
    assert sorted(p.name for p in out.iterdir()) == ["report.json", "report.txt"]


def test_a_failed_run_leaves_the_previous_report_intact(tmp_path):
    root = write_files(tmp_path / "corpus", {"good.txt": GOOD})
    report = tmp_path / "report.json"
    first = run_cli("check", "--format", "json", "--select", "DUP", "--output", str(report), ".", cwd=root)
    assert first.exit_code == 0
    previous = report.read_bytes()
    assert b'"DUP003"' in previous

    (root / "rules.toml").write_text("select = [\n", encoding="utf-8")  # the next run fails early
    result = run_cli("check", "--format", "json", "--output", str(report), ".", cwd=root)
    assert result.exit_code == 2
    assert report.read_bytes() == previous


def test_a_write_that_fails_half_way_keeps_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    report = tmp_path / "report.txt"
    report.write_text("previous report\n", encoding="utf-8")

    def failing_replace(source, destination):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(srcaudit.output.os, "replace", failing_replace)
    with pytest.raises(OSError, match="No space left"):
        srcaudit.output.write_atomically(report, "new report\n")
    assert report.read_text(encoding="utf-8") == "previous report\n"
    assert [p.name for p in tmp_path.iterdir()] == ["report.txt"]


def test_the_cli_reports_a_failed_write_and_keeps_the_old_file(tmp_path, monkeypatch):
    root = write_files(tmp_path / "corpus", {"good.txt": GOOD})
    report = tmp_path / "report.txt"
    report.write_text("previous report\n", encoding="utf-8")
    monkeypatch.setattr(srcaudit.output.os, "replace",
                        lambda source, destination: (_ for _ in ()).throw(OSError(28, "No space left on device")))
    result = run_cli("check", "--output", str(report), ".", cwd=root)
    assert result.exit_code == 2
    assert f"srcaudit: error: cannot write {report}: No space left on device" in result.stderr
    assert "Traceback" not in result.stderr
    assert report.read_text(encoding="utf-8") == "previous report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus", "report.txt"]


def test_report_is_never_written_over_an_audited_file_even_through_a_link(tmp_path):
    root = write_files(tmp_path / "corpus", {"good.txt": GOOD})
    (tmp_path / "alias.txt").symlink_to(root / "good.txt")
    result = run_cli("check", "--output", str(tmp_path / "alias.txt"), ".", cwd=root)
    assert result.exit_code == 2
    assert "it is one of the files being audited" in result.stderr
    assert (root / "good.txt").read_text(encoding="utf-8") == GOOD


def test_reports_get_ordinary_file_permissions(tmp_path):
    """A report is readable like any file the user creates (mkstemp alone would make it 0600)."""
    old = os.umask(0o022)
    try:
        target = tmp_path / "report.txt"
        srcaudit.output.write_atomically(target, "report\n")
    finally:
        os.umask(old)
    assert target.stat().st_mode & 0o777 == 0o644
