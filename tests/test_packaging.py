"""Packaging: every plugin package is shipped, so `pip install .` (not only -e) loads every plugin."""

from __future__ import annotations

import sys

from conftest import REPO

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


def test_every_package_under_src_and_plugins_is_listed_in_pyproject():
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    roots = {"srcaudit": REPO / "src" / "srcaudit", "srcaudit_plugins": REPO / "plugins"}
    found = set()
    for name, root in roots.items():
        for init in root.rglob("__init__.py"):
            relative = init.parent.relative_to(root).parts
            found.add(".".join((name, *relative)))
    assert found == listed, f"pyproject.toml [tool.setuptools] packages should be {sorted(found)}"


def test_every_entry_point_names_a_shipped_module():
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    modules = config["project"]["entry-points"]["srcaudit.plugins"].values()
    for module in modules:
        path = REPO / "plugins" / module.removeprefix("srcaudit_plugins.").replace(".", "/")
        assert path.with_suffix(".py").is_file() or (path / "__init__.py").is_file(), module
