"""When the progress bar shows, and what it draws: no real terminal needed."""

from __future__ import annotations

import io
import re

from conftest import run_cli, write_files

from srcaudit.progress import Progress, progress_for, wants_progress


class _Terminal(io.StringIO):
    """A stream that says it is a terminal (and, like a real one, raises once closed)."""

    def isatty(self) -> bool:
        if self.closed:
            raise ValueError("I/O operation on closed file")
        return True


class _Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_shown_only_on_a_terminal_outside_ci_and_not_quiet() -> None:
    assert wants_progress(_Terminal(), {}, quiet=False)
    assert not wants_progress(io.StringIO(), {}, quiet=False)  # a pipe or file
    assert not wants_progress(_Terminal(), {"CI": "true"}, quiet=False)
    assert not wants_progress(_Terminal(), {"CI": "1"}, quiet=False)
    assert not wants_progress(_Terminal(), {}, quiet=True)
    assert wants_progress(_Terminal(), {"CI": ""}, quiet=False)  # set but empty: not CI


def test_a_closed_stream_is_not_a_terminal() -> None:
    stream = _Terminal()
    stream.close()
    assert not wants_progress(stream, {}, quiet=False)


def test_progress_for_returns_nothing_on_a_pipe() -> None:
    assert progress_for(io.StringIO(), quiet=False, environ={}) is None
    assert isinstance(progress_for(_Terminal(), quiet=False, environ={}), Progress)


def _read_files(total: int, count: int, seconds_each: float) -> tuple[_Terminal, Progress]:
    """A progress bar (2 s delay) that has seen ``count`` of ``total`` files, one per ``seconds_each``."""
    stream, clock = _Terminal(), _Clock()
    progress = Progress(stream, delay=2.0, clock=clock)
    progress.start(total, "reading")
    for _ in range(count):
        clock.now += seconds_each
        progress.advance()
    return stream, progress


def test_short_runs_draw_nothing() -> None:
    stream, progress = _read_files(10, 10, 0.1)
    progress.set_phase("checking corpus")
    progress.close()
    assert stream.getvalue() == "" and not progress.shown


def test_long_runs_draw_files_done_rate_and_phase() -> None:
    stream, progress = _read_files(100, 60, 0.05)
    assert progress.shown
    drawn = stream.getvalue()
    # Drawn at most ten times a second: the last drawing is within a few files of the count.
    assert "reading" in drawn and "20 files/s" in drawn
    assert re.search(r"(5[5-9]|60)/100", drawn.rsplit("\r", 1)[-1])
    progress.advance(40)
    progress.set_phase("checking corpus")
    assert "checking corpus" in stream.getvalue() and "100/100" in stream.getvalue()
    progress.close()
    assert not progress.shown


def test_the_command_line_draws_nothing_when_not_on_a_terminal(tmp_path) -> None:
    write_files(tmp_path, {"a.txt": "A short note.\n\nAnother paragraph here.\n"})
    result = run_cli("check", "--no-cache", "--select", "DUP", ".", cwd=tmp_path)
    assert "reading" not in result.stderr and "files/s" not in result.stderr
