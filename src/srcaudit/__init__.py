"""srcaudit: a plugin-based linter for collections of source documents.

The core knows no rule. It loads plugins (``srcaudit.plugins`` entry points), reads
documents, runs the per-document phase (map) and the corpus phase (reduce), and hands
the findings to a reporter. Plugins import what they need from here.
"""

from __future__ import annotations

import pluggy

__version__ = "0.1.0"

#: Marker for plugin hook implementations: ``@srcaudit.hookimpl``.
hookimpl = pluggy.HookimplMarker("srcaudit")

__all__ = ["__version__", "hookimpl"]
