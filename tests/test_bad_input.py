"""The bad-input matrix: odd files next to a good one.

Levels (documented in the README section "What srcaudit does with odd files"):
a file skipped on purpose (binary, empty, too large, a broken link found while walking) is
a *notice* and leaves the exit status alone; a file the user named that cannot be audited,
or a file that cannot be read, is an *error* (exit 2) — but every other file is still
audited and its findings are still printed.
"""

from __future__ import annotations

import codecs
import errno
import importlib.util
import os
import pathlib
import random
import tempfile
import time

import pytest

from conftest import REPO, write_files
from robustness_support import GOOD, audit

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00\x1f\xf3\xffa"
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
RANDOM_BYTES = random.Random(8).randbytes(4096)


@pytest.mark.parametrize(("name", "content", "message"), [
    ("image.txt", PNG, "looks like a PNG image, not text"),
    ("paper.txt", PDF, "looks like a PDF document, not text"),
    ("random.txt", RANDOM_BYTES, "binary data"),
    ("nul.txt", b"Some text\x00with a NUL byte in the middle of it.\n", "contains a NUL byte (at byte 9)"),
    ("late-nul.txt", b"A line of ordinary text.\n" * 4000 + b"\x00", "contains a NUL byte (at byte 100000)"),
    ("controls.txt", bytes(range(1, 9)) * 200, "mostly to control characters"),
    ("empty.txt", b"", "empty file"),
    ("blank.txt", b"  \n\t\r\n   \n\n", "only white space"),
])
def test_unreadable_content_is_skipped_with_a_notice(tmp_path, name, content, message):
    write_files(tmp_path, {"good.txt": GOOD, name: content})
    run = audit(tmp_path, ".")
    problem = run.problem_for(name)
    assert problem["level"] == "notice"
    assert message in problem["message"]
    assert name not in run.audited()
    assert run.exit_code == 0  # a notice does not change the exit status (good.txt has an info finding)
    run.assert_good_audited()
    assert f"srcaudit: notice: {name}: " in run.stderr


def test_binary_named_explicitly_is_skipped_whatever_its_extension(tmp_path):
    write_files(tmp_path, {"good.txt": GOOD, "photo.png": PNG})
    run = audit(tmp_path, "photo.png", "good.txt")
    assert "looks like a PNG image" in run.problem_for("photo.png")["message"]
    assert run.exit_code == 0
    run.assert_good_audited()


HEADLINE = "Zürich café reopens, señor García says"
BODY = "Le propriétaire a déclaré mardi que la rénovation avait coûté bien plus que prévu, selon la mairie."
SMART = "“Señor” García — café owner — pays €5"


def _article(headline: str) -> str:
    return f"{headline}\n\n{BODY}\n\n{headline}\n"


@pytest.mark.parametrize(("name", "content", "headline", "encoding"), [
    ("latin1.txt", _article(HEADLINE).encode("latin-1"), HEADLINE, "cp1252"),
    ("cp1252.txt", _article(SMART).encode("cp1252"), SMART, "cp1252"),
    ("utf8-bom.txt", codecs.BOM_UTF8 + _article(SMART).encode("utf-8"), SMART, "utf-8 (BOM)"),
    ("utf16-bom-le.txt", codecs.BOM_UTF16_LE + _article(SMART).encode("utf-16-le"), SMART, "utf-16 (BOM)"),
    ("utf16-bom-be.txt", codecs.BOM_UTF16_BE + _article(SMART).encode("utf-16-be"), SMART, "utf-16 (BOM)"),
    ("utf16-le.txt", _article(SMART).encode("utf-16-le"), SMART, "utf-16-le"),
    ("utf16-be.txt", _article(SMART).encode("utf-16-be"), SMART, "utf-16-be"),
    ("russian-utf16.txt", _article("Новости дня: мэр открыл мост").encode("utf-16-le"),
     "Новости дня: мэр открыл мост", "utf-16-le"),
])
def test_other_encodings_are_decoded_and_audited(tmp_path, name, content, headline, encoding):
    write_files(tmp_path, {"good.txt": GOOD, name: content})
    run = audit(tmp_path, ".")
    assert run.problems() == []
    assert run.exit_code == 0
    run.assert_good_audited()
    document = next(d for d in run.payload["documents"] if d["path"] == name)
    assert document["encoding"] == encoding
    # The repeated headline is found at line 5 and quoted exactly: the text was decoded right.
    messages = [f["message"] for f in run.payload["findings"] if f["path"] == name and f["line"] == 5]
    assert any(f'"{headline}"' in message for message in messages), messages


def test_mixed_newlines_count_as_an_editor_counts_them(tmp_path):
    content = (b"Breaking news today\r\n"
               b"The council approved the new budget after a long debate on Tuesday.\n"
               b"It takes effect next year, officials said.\r"
               b"Breaking news today\r\n")
    write_files(tmp_path, {"good.txt": GOOD, "mixed.txt": content})
    run = audit(tmp_path, ".")
    assert run.problems() == []
    run.assert_good_audited()
    assert ("mixed.txt", 4) in [(f["path"], f["line"]) for f in run.payload["findings"]]
    assert next(d for d in run.payload["documents"] if d["path"] == "mixed.txt")["lines"] == 4


# -- size -------------------------------------------------------------------------------------


def _sparse_file(path: pathlib.Path, size: int) -> None:
    """A file of ``size`` bytes that takes no disk space: the size check must come first."""
    with open(path, "wb") as handle:
        handle.truncate(size)


def test_a_200_mb_file_is_skipped_by_the_default_size_limit(tmp_path):
    write_files(tmp_path, {"good.txt": GOOD})
    _sparse_file(tmp_path / "huge.txt", 200 * 1024 * 1024)
    started = time.perf_counter()
    run = audit(tmp_path, ".")
    assert time.perf_counter() - started < 30  # skipped on its size, never read
    problem = run.problem_for("huge.txt")
    assert problem["level"] == "notice"
    assert "200.0 MB is over the 50 MB limit (max-file-size-mb in rules.toml)" in problem["message"]
    assert run.exit_code == 0
    run.assert_good_audited()


def test_raising_the_size_limit_audits_the_file(tmp_path):
    rng = random.Random(3)  # distinct lines: this test is about the limit, not about repeats
    big = GOOD + "".join(" ".join(f"w{rng.randrange(10**6)}" for _ in range(12)) + "\n" for _ in range(8000))
    write_files(tmp_path, {"big.txt": big, "rules.toml": "max-file-size-mb = 0.5\n"})
    assert 512 * 1024 < len(big) < 1024 * 1024
    run = audit(tmp_path, ".")
    assert "over the 0.5 MB limit" in run.problem_for("big.txt")["message"]

    (tmp_path / "rules.toml").write_text("max-file-size-mb = 1\n", encoding="utf-8")
    run = audit(tmp_path, ".")
    assert run.problems() == []
    run.assert_good_audited("big.txt")


def test_a_single_5_mb_line_is_audited(tmp_path):
    words = "the council said that the budget would be reviewed again next year ".split()
    line = " ".join(words[i % len(words)] for i in range(1_000_000))
    assert len(line) > 5 * 1024 * 1024 - 1
    write_files(tmp_path, {"good.txt": GOOD, "one-line.txt": line + "\n"})
    started = time.perf_counter()
    run = audit(tmp_path, ".")
    elapsed = time.perf_counter() - started
    assert run.problems() == []
    assert "one-line.txt" in run.audited()
    run.assert_good_audited()
    assert elapsed < 60, f"a 5 MB line took {elapsed:.1f} s"


# -- files that cannot be read --------------------------------------------------------------


def test_unreadable_file_is_an_error_and_the_rest_is_audited(tmp_path):
    write_files(tmp_path, {"good.txt": GOOD, "secret.txt": "Private notes.\n"})
    secret = tmp_path / "secret.txt"
    secret.chmod(0)
    try:
        if os.access(secret, os.R_OK):
            pytest.skip("running as root (or with CAP_DAC_OVERRIDE): chmod 000 does not stop reads; "
                        "test_unreadable_file_simulated covers the same path")
        run = audit(tmp_path, ".")
    finally:
        secret.chmod(0o644)
    _assert_unreadable(run)


def test_unreadable_file_simulated(tmp_path, monkeypatch):
    """The same case as above with the permission error injected, so it runs as root too."""
    write_files(tmp_path, {"good.txt": GOOD, "secret.txt": "Private notes.\n"})
    real_read_bytes = pathlib.Path.read_bytes

    def read_bytes(self: pathlib.Path) -> bytes:
        if self.name == "secret.txt":
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(self))
        return real_read_bytes(self)

    monkeypatch.setattr(pathlib.Path, "read_bytes", read_bytes)
    _assert_unreadable(audit(tmp_path, "."))


def _assert_unreadable(run) -> None:
    problem = run.problem_for("secret.txt")
    assert problem["level"] == "error"
    assert problem["message"] == "cannot read: Permission denied"
    assert run.exit_code == 2
    run.assert_good_audited()
    assert "srcaudit: error: secret.txt: cannot read: Permission denied" in run.stderr


# -- links, folders, missing paths ------------------------------------------------------------


def test_broken_symlink_found_while_walking_is_a_notice(tmp_path):
    write_files(tmp_path, {"good.txt": GOOD})
    (tmp_path / "gone.txt").symlink_to(tmp_path / "deleted.txt")
    run = audit(tmp_path, ".")
    problem = run.problem_for("gone.txt")
    assert (problem["level"], problem["message"]) == (
        "notice", "broken symbolic link (its target does not exist): skipped")
    assert run.exit_code == 0
    run.assert_good_audited()


def test_broken_symlink_named_explicitly_is_an_error(tmp_path):
    write_files(tmp_path, {"good.txt": GOOD})
    (tmp_path / "gone.txt").symlink_to(tmp_path / "deleted.txt")
    run = audit(tmp_path, "gone.txt", "good.txt")
    assert run.problem_for("gone.txt") == {
        "level": "error", "message": "broken symbolic link (its target does not exist)",
        "path": "gone.txt", "plugin": None}
    assert run.exit_code == 2
    run.assert_good_audited()


def test_symlink_loop(tmp_path):
    write_files(tmp_path, {"good.txt": GOOD})
    (tmp_path / "a.txt").symlink_to("b.txt")
    (tmp_path / "b.txt").symlink_to("a.txt")
    walked = audit(tmp_path, ".")
    for name in ("a.txt", "b.txt"):
        problem = walked.problem_for(name)
        assert (problem["level"], problem["message"]) == (
            "notice", "symbolic link loop (it never reaches a file): skipped")
    assert walked.exit_code == 0
    walked.assert_good_audited()

    named = audit(tmp_path, "a.txt", "good.txt")  # also the first path: config search must cope
    assert named.problem_for("a.txt")["message"] == "symbolic link loop (it never reaches a file)"
    assert named.exit_code == 2
    named.assert_good_audited()


def test_folder_symlink_loop_is_not_followed(tmp_path):
    write_files(tmp_path, {"sub/good.txt": GOOD})
    (tmp_path / "sub" / "again").symlink_to(tmp_path / "sub")
    run = audit(tmp_path, ".")
    assert run.problem_for("sub/again")["message"] == "symbolic link to a folder: not followed"
    assert run.audited() == ["sub/good.txt"]
    run.assert_good_audited("sub/good.txt")


def test_folder_named_like_a_text_file_is_walked(tmp_path):
    write_files(tmp_path, {"good.txt": GOOD, "x.txt/inner.txt": GOOD})
    run = audit(tmp_path, ".")
    assert run.problems() == []
    assert run.audited() == ["good.txt", "x.txt/inner.txt"]
    run.assert_good_audited("x.txt/inner.txt")
    named = audit(tmp_path, "x.txt")
    assert named.audited() == ["x.txt/inner.txt"]


def test_nonexistent_path_is_an_error(tmp_path):
    write_files(tmp_path, {"good.txt": GOOD})
    run = audit(tmp_path, "missing.txt", "good.txt")
    problem = run.problem_for("missing.txt")
    assert (problem["level"], problem["message"]) == ("error", "no such file or folder")
    assert run.exit_code == 2
    run.assert_good_audited()


# -- output paths ------------------------------------------------------------------------------


@pytest.mark.parametrize(("output", "reason"), [
    ("missing/report.json", "No such file or directory"),
    ("good.txt/report.json", "Not a directory"),
    ("good.txt", "it is one of the files being audited; choose another output path"),
])
def test_output_that_cannot_be_written(tmp_path, output, reason):
    write_files(tmp_path, {"good.txt": GOOD})
    run = audit(tmp_path, ".", "--output", output)
    assert run.exit_code == 2
    assert f"srcaudit: error: cannot write {output}: {reason}" in run.stderr
    assert (tmp_path / "good.txt").read_text(encoding="utf-8") == GOOD
    left = sorted(p.name for p in tmp_path.iterdir() if p.name != ".srcaudit_cache")  # the cache may stay
    assert left == ["good.txt"]  # no temporary file left


def test_output_into_a_read_only_folder(tmp_path):
    write_files(tmp_path, {"good.txt": GOOD})
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        if os.access(locked, os.W_OK):
            pytest.skip("running as root: a read-only folder is still writable; "
                        "test_output_that_cannot_be_written covers the error path")
        run = audit(tmp_path, "good.txt", "--output", "locked/report.json")
    finally:
        locked.chmod(0o755)
    assert run.exit_code == 2
    assert "srcaudit: error: cannot write locked/report.json: Permission denied" in run.stderr


def test_reading_a_large_file_needs_a_few_times_its_size():
    """Peak memory of reading with the limit raised (bench/robustness_memory.py measures 200 MB)."""
    spec = importlib.util.spec_from_file_location("robustness_memory", REPO / "bench" / "robustness_memory.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    with tempfile.TemporaryDirectory() as folder:
        path = pathlib.Path(folder) / "large.txt"
        bench.write_prose(path, 24 * 1024 * 1024)
        _, growth, lines, _ = bench.peak_read(path)
        assert lines > 100_000
        assert growth < 5 * path.stat().st_size, f"{growth / path.stat().st_size:.1f} x the file size"
