"""Build hook: a wheel gets the consistency rules' extraction modules compiled with mypyc.

Everything else about the package is declared in ``pyproject.toml``; this file only adds
the compiled modules (the approach of black and charset-normalizer: the source stays
plain, typed Python, and the wheel carries the same modules compiled to C).

Why: fact extraction runs on every document and is Python-bound; compiled, it takes about
a fifth less CPU, where the consistency family has a time budget (issue 5).

When it is skipped, and the modules stay pure Python:

- an editable install (``pip install -e .``): an edit to a module takes effect at once,
  instead of being hidden behind a stale compiled copy;
- ``SRCAUDIT_PURE_PYTHON=1`` in the environment;
- mypyc is missing, no C compiler is found, or the modules do not type-check: a warning,
  then a pure wheel. (A compiler that is found but fails stops the build: set
  ``SRCAUDIT_PURE_PYTHON=1`` to install without it.)

``tests/test_compiled.py`` type-checks :data:`COMPILED` as mypyc will, so that a type
error is caught by the test suite rather than by the next wheel build.
"""

from __future__ import annotations

import os
import shlex
import shutil
import sys
import sysconfig

from setuptools import setup

#: Modules compiled in a wheel: the hot loops of ``srcaudit_plugins.consistency.extract``.
COMPILED = [
    "src/srcaudit/names.py",
    "src/srcaudit/people.py",
    "src/srcaudit/quotes.py",
    "src/srcaudit/figures.py",
    "src/srcaudit/speakers.py",
]
#: How mypy checks them: the rest of the package is imported, not compiled.
MYPY_OPTIONS = ["--ignore-missing-imports", "--follow-imports=silent"]


def _wanted() -> bool:
    """Compile only for a real wheel build: not for editable installs, metadata or sdists."""
    if os.environ.get("SRCAUDIT_PURE_PYTHON"):
        return False
    return "bdist_wheel" in sys.argv


def _has_compiler() -> bool:
    """Whether the C compiler Python was built with (or ``$CC``) is on this machine."""
    command = os.environ.get("CC") or sysconfig.get_config_var("CC") or "cc"
    return shutil.which(shlex.split(command)[0]) is not None


def _compiled_extensions() -> list:
    """The extension modules mypyc builds for :data:`COMPILED`, or none (see the module docstring)."""
    if not _wanted():
        return []
    if not _has_compiler():
        print("srcaudit: no C compiler found, building pure Python", file=sys.stderr)
        return []
    try:
        from mypyc.build import mypycify
    except ImportError:
        print("srcaudit: mypyc not available, building pure Python", file=sys.stderr)
        return []
    try:
        return mypycify([*MYPY_OPTIONS, *COMPILED], opt_level="3")
    except (Exception, SystemExit) as error:  # a type error exits; anything else: build pure
        print(f"srcaudit: not compiling ({error!r}), building pure Python", file=sys.stderr)
        return []


if __name__ == "__main__":
    setup(ext_modules=_compiled_extensions())
