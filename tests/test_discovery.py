"""Discovery: the per-file shortcuts (one compiled exclusion pattern, folder real paths) find what
checking every path part with Config.is_excluded and resolving every file would."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from conftest import write_files
from srcaudit.config import Config
from srcaudit.discovery import discover

_FILES = {
    "a.txt": "x", "b.md": "x", "skip.log": "x", "draft-1.txt": "x", "notes/keep.txt": "x",
    "notes/draft-2.txt": "x", "notes/deep/c.txt": "x", "build/out.txt": "x", "node_modules/x.txt": "x",
    "archive/2019/old.txt": "x", "archive/new.txt": "x", "weird name [1].txt": "x",
}
_PATTERNS = [["draft-*"], ["build"], ["archive/2019/*"], ["*.md"], ["notes/deep"], ["[w]eird*"], []]


def _expected(root: Path, config: Config) -> list[str]:
    """Every file with a configured extension whose relative path (and every part of it) is not excluded."""
    found = []
    for folder, _, files in os.walk(root):
        for name in files:
            relative = os.path.relpath(os.path.join(folder, name), root).replace(os.sep, "/")
            parts = relative.split("/")
            if os.path.splitext(name)[1] not in config.extensions:
                continue
            if any(config.is_excluded("/".join(parts[:n])) for n in range(1, len(parts) + 1)):
                continue
            found.append(relative)
    return sorted(found)


@pytest.mark.parametrize("patterns", _PATTERNS)
def test_exclusions_match_checking_every_part(tmp_path, patterns):
    root = write_files(tmp_path / "corpus", _FILES)
    config = Config(exclude=list(Config().exclude) + patterns)
    sources, problems = discover([str(root)], config)
    assert not problems
    assert [os.path.relpath(s.path, root).replace(os.sep, "/") for s in sources] == _expected(root, config)


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links need privileges on Windows")
def test_a_file_reached_twice_is_audited_once_and_links_are_resolved(tmp_path):
    root = write_files(tmp_path / "corpus", {"one/a.txt": "x", "two/b.txt": "y"})
    (root / "two" / "link-to-a.txt").symlink_to(root / "one" / "a.txt")
    (root / "two" / "dangling.txt").symlink_to(root / "missing.txt")
    real = write_files(tmp_path / "elsewhere", {"c.txt": "z"})
    os.symlink(real, tmp_path / "alias")  # the corpus named through a linked folder
    sources, problems = discover([str(root), str(root / "one" / "a.txt"), str(tmp_path / "alias"),
                                  str(real / "c.txt")], Config())
    assert sorted(Path(s.display).name for s in sources) == ["a.txt", "b.txt", "c.txt"]
    assert [p.message for p in problems] == ["broken symbolic link (its target does not exist): skipped"]
