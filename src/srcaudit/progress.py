"""A progress bar for long runs, on standard error, only where a person is watching.

A run that ends within :data:`DELAY` seconds shows nothing (no flicker for small
folders); after that a click progress bar shows files done, files per second and the
phase ("reading" the documents, then "checking corpus"). Never on a pipe or file, in CI
(``CI`` set), or with ``--quiet``: output there must be byte-for-byte the findings.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from typing import Any, TextIO

import click

#: Seconds before the bar appears.
DELAY = 2.0


def wants_progress(stream: Any, environ: Mapping[str, str], quiet: bool) -> bool:
    """Whether to show a bar: a terminal on ``stream``, not CI, not quiet."""
    if quiet or environ.get("CI", "").strip().lower() not in ("", "0", "false", "no"):
        return False
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except (ValueError, OSError):  # a closed stream
        return False


class Progress:
    """Counts files through the phases of a run and draws the bar once the run is slow.

    ``clock`` is injectable so the delay logic is testable without waiting.
    """

    def __init__(self, stream: TextIO, delay: float = DELAY, clock: Callable[[], float] = time.monotonic) -> None:
        self.stream = stream
        self.delay = delay
        self.clock = clock
        self.started = clock()
        self.total = 0
        self.done = 0
        self.phase = ""
        self._phase_started = self.started
        self._bar: Any = None
        self._drawn_at = 0.0
        self._phase_done = 0

    @property
    def shown(self) -> bool:
        return self._bar is not None

    def start(self, total: int, phase: str) -> None:
        self.total, self.done = total, 0
        self.set_phase(phase)

    def set_phase(self, phase: str) -> None:
        self.phase = phase
        self._phase_started = self.clock()
        self._phase_done = self.done
        if self._bar is not None:
            self._bar.label = phase
            self._render(force=True)

    def advance(self, count: int = 1) -> None:
        self.done += count
        if self._bar is None and self.clock() - self.started >= self.delay:
            self._bar = click.progressbar(length=max(1, self.total), label=self.phase, file=self.stream,
                                          show_pos=True, show_eta=False, item_show_func=lambda rate: rate)
            self._bar.__enter__()
        if self._bar is not None:
            self._render(force=self.done >= self.total)

    def _render(self, force: bool = False) -> None:
        """Draw at most ten times a second: a terminal write per file would cost more than the file."""
        now = self.clock()
        if not force and now - self._drawn_at < 0.1:
            return
        self._drawn_at = now
        moved = self.done - self._phase_done
        rate = f"{moved / max(1e-6, now - self._phase_started):,.0f} files/s" if moved else ""
        steps = min(self.done, self.total) - self._bar.pos
        if steps > 0:
            self._bar.update(steps, current_item=rate)
        else:  # a new phase, no new file: click's update() would not redraw
            self._bar.current_item = rate
            self._bar.render_progress()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None


def progress_for(stream: TextIO, quiet: bool, environ: Mapping[str, str] | None = None) -> Progress | None:
    """A :class:`Progress` if one should be shown on ``stream``, else ``None``."""
    return Progress(stream) if wants_progress(stream, os.environ if environ is None else environ, quiet) else None
