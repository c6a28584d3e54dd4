"""srcaudit: a plugin-based linter for collections of source documents.

The core knows no rule. It loads plugins (``srcaudit.plugins`` entry points), reads
documents, runs the per-document phase (map) and the corpus phase (reduce), and hands
the findings to a reporter. Plugins import what they need from here.
"""

from __future__ import annotations

from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

import pluggy

__version__ = "0.1.0"


def compiled_modules() -> list[str]:
    """The modules of this install that run compiled, by name (empty: pure Python).

    A wheel carries a few modules compiled with mypyc (``setup.py`` says which and why);
    an editable install runs them as plain Python. Read from the files next to this one,
    so it reports the install as it is, whatever ``setup.py`` asked for.
    """
    return sorted(path.name.split(".")[0] for path in Path(__file__).parent.iterdir()
                  if path.name.endswith(tuple(EXTENSION_SUFFIXES)))


#: Marker for plugin hook implementations: ``@srcaudit.hookimpl``.
hookimpl = pluggy.HookimplMarker("srcaudit")

__all__ = ["__version__", "compiled_modules", "hookimpl"]
