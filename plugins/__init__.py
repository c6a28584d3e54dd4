"""srcaudit's built-in plugins, installed as ``srcaudit_plugins``.

Each module is one rule family (or output family) and is registered through the
``srcaudit.plugins`` entry-point group in ``pyproject.toml``, exactly as a third-party
plugin would be. The core never imports these modules by name.
"""
