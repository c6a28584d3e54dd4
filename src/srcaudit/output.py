"""Write output files atomically: a reader never sees half a report, a failed run keeps the old one."""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path


def write_atomically(path: Path, text: str | Iterable[str], *, protected: Iterable[str | Path] = ()) -> None:
    """Write ``text`` (a string, or pieces written as they come) to ``path`` through a
    temporary file in the same folder and a rename.

    Raises :class:`OSError` if the folder is missing or not writable, or if ``path`` is
    one of ``protected`` (the files being audited: a report must never replace a
    source); the previous file, if any, is left untouched and no temporary file remains.
    """
    if _is_one_of(path, protected):
        raise OSError(errno.EEXIST, "it is one of the files being audited; choose another output path",
                      str(path))
    folder = path.parent if str(path.parent) else Path(".")
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        # mkstemp creates the file 0600; a report is an ordinary file: honour the umask like open() does.
        os.chmod(temporary, 0o666 & ~_current_umask())
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n") as handle:
            if isinstance(text, str):
                handle.write(text)
            else:
                for piece in text:  # a streamed report: the whole text never sits in memory
                    handle.write(piece)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


def _is_one_of(path: Path, others: Iterable[str | Path]) -> bool:
    """Whether ``path`` exists and is the same file as one of ``others`` (links included)."""
    try:
        target = path.stat()
    except OSError:
        return False
    for other in others:
        try:
            candidate = os.stat(other)
        except OSError:
            continue
        if (candidate.st_dev, candidate.st_ino) == (target.st_dev, target.st_ino):
            return True
    return False


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
