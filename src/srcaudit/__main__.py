"""``python -m srcaudit``: the same as the ``srcaudit`` command.

``python -m`` puts the working directory first on ``sys.path``; usually that is the folder
being audited, and a module there (``plugins = ["x"]`` in rules.toml resolving to an audited
``x.py``) must never be imported. The installed command has no such entry: remove it.
"""

import os
import sys
from pathlib import Path


def _drop_working_directory() -> None:
    if sys.flags.safe_path or not sys.path:  # python -P: nothing was added
        return
    first = Path(os.path.abspath(sys.path[0] or os.curdir))
    # Keep it only when srcaudit itself is imported from there (running from a source tree).
    if first == Path.cwd() and Path(__file__).resolve().parent.parent != first.resolve():
        del sys.path[0]


_drop_working_directory()

from .cli import main  # noqa: E402  (after the path is cleaned: cli imports the plugins)

main()
