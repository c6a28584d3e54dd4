"""Set up a run: configuration, plugins, declared rules and formats, checked against each other.

Every command (``check``, ``rules``, ``explain`` ...) starts here, so that they all see
the same plugins and the same configuration errors.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pluggy

from .config import Config, ConfigError, find_config, load_config
from .plugins import PluginError, collect_reporters, collect_rules, create_plugin_manager
from .report import Problem, Reporter
from .rules import Rule


@dataclass
class Session:
    """What every command needs: the configuration and what the plugins declared."""

    config: Config
    manager: pluggy.PluginManager
    rules: dict[str, Rule]
    reporters: dict[str, Reporter]
    problems: list[Problem]


def open_session(config_path: Path | None, first_path: Path | None,
                 manager: pluggy.PluginManager | None = None) -> Session:
    """Load configuration and plugins. Raises :class:`ConfigError` on any unusable setting.

    :param config_path: an explicit ``--config`` file, else searched upward from ``first_path``.
    :param manager: a ready plugin manager (tests, embedding); by default one is built from
        the installed entry points plus the configuration's ``plugins`` modules.
    """
    if config_path is not None and not config_path.is_file():
        raise ConfigError(f"{config_path}: configuration file not found")
    path = config_path or find_config(first_path or Path.cwd())
    config = load_config(path)
    problems: list[Problem] = []
    if manager is None:
        manager, load_errors = create_plugin_manager(config.plugins)
        problems += [Problem("error", message) for message in load_errors]
    try:
        rules = collect_rules(manager)
        reporters = collect_reporters(manager)
    except PluginError as exc:
        raise ConfigError(str(exc)) from None
    return Session(config, manager, rules, reporters, problems)
