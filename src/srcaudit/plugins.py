"""The plugin host: find plugins, collect what they declare, call hooks one plugin at a time.

Plugins come from the ``srcaudit.plugins`` entry-point group (built-ins included) and
from module names the user lists explicitly; never from files inside the audited folder.
Hooks that do work (checks, extraction) are called one implementation at a time, so a
plugin that raises loses only its own results.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from importlib.metadata import entry_points
from weakref import WeakKeyDictionary
from typing import Any

import pluggy

from . import hookspecs
from .report import Reporter
from .rules import Rule

ENTRY_POINT_GROUP = "srcaudit.plugins"


class PluginError(Exception):
    """A plugin could not be loaded, or declared something invalid."""


@dataclass(frozen=True, slots=True)
class HookFailure:
    """One hook implementation raised: which plugin, and the exception."""

    plugin: str
    error: BaseException


class PluginManager(pluggy.PluginManager):
    """pluggy's manager, remembering which distribution installed each entry-point plugin.

    The cache's run key names every plugin's distribution and version; the entry point
    already knows its distribution, whereas finding it from the module name means
    reading the metadata of every installed package (~25-40 ms of every cached run).
    """

    def __init__(self) -> None:
        super().__init__("srcaudit")
        #: plugin name -> distribution name, for plugins loaded from entry points
        self.distributions: dict[str, str] = {}


def create_plugin_manager(extra_modules: Iterable[str] = (), *, load_entry_points: bool = True,
                          ) -> tuple[PluginManager, list[str]]:
    """A plugin manager with every installed plugin registered.

    :param extra_modules: importable module names to register too (``plugins`` in rules.toml).
    :return: the manager and a list of load errors (a broken plugin does not stop the others).
    """
    manager = PluginManager()
    manager.add_hookspecs(hookspecs)
    errors: list[str] = []
    if load_entry_points:
        for entry_point in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda ep: ep.name):
            if manager.get_plugin(entry_point.name) is not None:
                continue
            try:
                manager.register(entry_point.load(), name=entry_point.name)
                if entry_point.dist is not None:
                    manager.distributions[entry_point.name] = entry_point.dist.name
            except Exception as exc:  # a broken third-party plugin must not take the others down
                errors.append(f"plugin {entry_point.name!r} ({entry_point.value}) failed to load: "
                              f"{type(exc).__name__}: {exc}")
    for module_name in extra_modules:
        try:
            manager.register(importlib.import_module(module_name), name=module_name)
        except Exception as exc:
            errors.append(f"plugin module {module_name!r} failed to load: {type(exc).__name__}: {exc}")
    return manager, errors


def call_each(hook: pluggy.HookCaller, **kwargs: Any) -> Iterator[tuple[str, Any | HookFailure]]:
    """Call every implementation of ``hook`` separately, in pluggy's order.

    Yields ``(plugin_name, result)``; a raising implementation yields a
    :class:`HookFailure` instead of stopping the iteration.
    """
    for impl in reversed(hook.get_hookimpls()):
        yield impl.plugin_name, call_impl(impl, **kwargs)


def call_impl(impl: pluggy.HookImpl, **kwargs: Any) -> Any | HookFailure:
    """One implementation's result, or a :class:`HookFailure` if it raised."""
    try:
        return impl.function(*(kwargs[name] for name in impl.argnames))
    except Exception as exc:
        return HookFailure(impl.plugin_name, exc)


def collect_rules(manager: pluggy.PluginManager) -> dict[str, Rule]:
    """Every rule declared by every plugin, by code, tagged with its plugin's name."""
    rules: dict[str, Rule] = {}
    for plugin_name, declared in call_each(manager.hook.srcaudit_rules):
        if isinstance(declared, HookFailure):
            raise PluginError(f"plugin {plugin_name!r} failed to declare its rules: {declared.error!r}")
        for rule in declared or ():
            if not isinstance(rule, Rule):
                raise PluginError(f"plugin {plugin_name!r} declared {rule!r}, which is not a srcaudit Rule")
            if rule.code in rules:
                raise PluginError(f"rule {rule.code} is declared by both {rules[rule.code].plugin!r} "
                                  f"and {plugin_name!r}")
            rules[rule.code] = replace(rule, plugin=plugin_name)
    return dict(sorted(rules.items()))


_declared: WeakKeyDictionary[pluggy.PluginManager, tuple[int, frozenset[str]]] = WeakKeyDictionary()


def declared_codes(manager: pluggy.PluginManager) -> frozenset[str] | None:
    """Every rule code the registered plugins declare; ``None`` if the declarations are broken.

    Asked once per document (a finding's code must be declared), so remembered per
    manager until a plugin is registered or removed.
    """
    registered = len(manager.get_plugins())
    known = _declared.get(manager)
    if known is None or known[0] != registered:
        try:
            codes = frozenset(collect_rules(manager))
        except PluginError:  # reported where the rules are first collected; no check then
            return None
        known = _declared[manager] = (registered, codes)
    return known[1]


def collect_reporters(manager: pluggy.PluginManager) -> dict[str, Reporter]:
    """Every output format declared by every plugin, by name."""
    reporters: dict[str, Reporter] = {}
    for plugin_name, declared in call_each(manager.hook.srcaudit_reporters):
        if isinstance(declared, HookFailure):
            raise PluginError(f"plugin {plugin_name!r} failed to declare its formats: {declared.error!r}")
        for reporter in declared or ():
            if reporter.name in reporters:
                raise PluginError(f"output format {reporter.name!r} is declared twice "
                                  f"(again by {plugin_name!r})")
            reporters[reporter.name] = reporter
    return dict(sorted(reporters.items()))
