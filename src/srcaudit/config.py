"""Configuration: ``rules.toml`` (or ``[tool.srcaudit]`` in ``pyproject.toml``).

Loading happens in two steps because the set of valid rule codes depends on the
plugins, and the plugins to load are themselves configured: :func:`load_config` checks
the file's shape, then :func:`resolve_rules` checks rule codes and options against the
rules the plugins declared. Every error names the file, the line, the key and, where
one is close, the valid name the user probably meant.
"""

from __future__ import annotations

import difflib
import fnmatch
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .findings import Severity
from .rules import ActiveRules, Rule

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

CONFIG_NAMES = ("rules.toml", ".srcaudit.toml")
DEFAULT_EXTENSIONS = (".txt", ".md", ".markdown", ".text")
DEFAULT_EXCLUDE = (".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__",
                   ".srcaudit_cache", ".tox", ".mypy_cache", ".pytest_cache")

# Top-level keys, with the type each must have.
_GLOBAL_KEYS: dict[str, type | tuple[type, ...]] = {
    "select": list, "extend-select": list, "ignore": list, "fail-level": str,
    "exclude": list, "extend-exclude": list, "extensions": list, "plugins": list,
    "max-file-size-mb": (int, float), "rules": dict, "per-file-ignores": dict,
}


class ConfigError(Exception):
    """The configuration cannot be used; the message says where and what to do."""


@dataclass
class Config:
    """The effective configuration, before it is checked against the declared rules."""

    source: Path | None = None
    root: Path = field(default_factory=Path.cwd)
    select: list[str] | None = None
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    fail_level: Severity = Severity.WARNING
    exclude: list[str] = field(default_factory=lambda: list(DEFAULT_EXCLUDE))
    extensions: list[str] = field(default_factory=lambda: list(DEFAULT_EXTENSIONS))
    plugins: list[str] = field(default_factory=list)
    max_file_size: int = 50 * 1024 * 1024
    rule_tables: dict[str, dict[str, Any]] = field(default_factory=dict)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    _text: str = field(default="", repr=False)
    _table_prefix: str = field(default="", repr=False)

    def where(self, table: str | None, key: str | None = None) -> str:
        """``rules.toml:12`` for a key (or table) of this configuration, for error messages."""
        name = str(self.source) if self.source else "configuration"
        line = _line_of(self._text, self._table_prefix, table, key) if self._text else None
        return f"{name}:{line}" if line else name

    def is_excluded(self, relative_path: str) -> bool:
        """Whether a path (relative to the run's root) matches an ``exclude`` pattern."""
        parts = relative_path.replace("\\", "/").split("/")
        for pattern in self.exclude:
            if fnmatch.fnmatch(relative_path, pattern) or any(fnmatch.fnmatch(p, pattern) for p in parts):
                return True
        return False

    def ignored_codes(self, path: str) -> set[str]:
        """Selectors ignored for ``path`` by ``[per-file-ignores]``."""
        if not self.per_file_ignores:
            return set()
        candidates = {path.replace("\\", "/")}
        try:
            candidates.add(Path(path).resolve().relative_to(self.root.resolve()).as_posix())
        except ValueError:
            pass
        codes: set[str] = set()
        for pattern, selectors in self.per_file_ignores.items():
            if any(fnmatch.fnmatch(candidate, pattern) for candidate in candidates):
                codes.update(selectors)
        return codes


def find_config(start: Path) -> Path | None:
    """The nearest ``rules.toml``/``.srcaudit.toml``, or ``pyproject.toml`` with ``[tool.srcaudit]``."""
    try:
        directory = start.resolve()
    except (OSError, RuntimeError):  # a symbolic link loop: search from where the link is
        directory = start.absolute()
    if not directory.is_dir():
        directory = directory.parent
    for folder in (directory, *directory.parents):
        for name in CONFIG_NAMES:
            if (folder / name).is_file():
                return folder / name
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and re.search(r"^\[tool\.srcaudit", _read(pyproject), re.MULTILINE):
            return pyproject
    return None


def load_config(path: Path | None) -> Config:
    """Read and shape-check a configuration file; ``None`` gives the defaults."""
    if path is None:
        return Config()
    text = _read(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = re.search(r"at line (\d+)", str(exc))
        where = f"{path}:{line.group(1)}" if line else str(path)
        raise ConfigError(f"{where}: not valid TOML: {exc}") from None
    prefix = ""
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("srcaudit", {})
        prefix = "tool.srcaudit."
    config = Config(source=path, root=path.parent, _text=text, _table_prefix=prefix)
    _apply_globals(config, data)
    return config


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read configuration: {exc}") from None


def _apply_globals(config: Config, data: dict[str, Any]) -> None:
    for key, value in data.items():
        if key not in _GLOBAL_KEYS:
            raise ConfigError(f"{config.where(None, key)}: unknown key {key!r}{_suggest(key, _GLOBAL_KEYS)}")
        expected = _GLOBAL_KEYS[key]
        if not isinstance(value, expected) or isinstance(value, bool):
            raise ConfigError(f"{config.where(None, key)}: {key!r} must be {_type_name(expected)}, "
                              f"not {_type_name(type(value))}")
        if isinstance(value, list) and not all(isinstance(item, str) for item in value):
            raise ConfigError(f"{config.where(None, key)}: {key!r} must be a list of strings")
    config.select = data.get("select")
    config.extend_select = data.get("extend-select", [])
    config.ignore = data.get("ignore", [])
    config.exclude = data.get("exclude", config.exclude) + data.get("extend-exclude", [])
    config.extensions = [e if e.startswith(".") else "." + e for e in data.get("extensions", config.extensions)]
    config.plugins = data.get("plugins", [])
    if "max-file-size-mb" in data:
        config.max_file_size = int(data["max-file-size-mb"] * 1024 * 1024)
    if "fail-level" in data:
        try:
            config.fail_level = Severity.parse(data["fail-level"])
        except ValueError as exc:
            raise ConfigError(f"{config.where(None, 'fail-level')}: {exc}") from None
    for code, table in data.get("rules", {}).items():
        if not isinstance(table, dict):
            raise ConfigError(f"{config.where(None, 'rules')}: 'rules.{code}' must be a table")
        config.rule_tables[code] = table
    for pattern, codes in data.get("per-file-ignores", {}).items():
        if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
            raise ConfigError(f"{config.where('per-file-ignores', pattern)}: per-file-ignores "
                              f"{pattern!r} must be a list of rule codes")
        config.per_file_ignores[pattern] = codes


@dataclass(frozen=True)
class ResolvedRules:
    """The outcome of checking the configuration against the declared rules."""

    active: ActiveRules
    severities: dict[str, Severity]


def resolve_rules(config: Config, rules: dict[str, Rule], *, select: list[str] | None = None,
                  extend_select: list[str] = (), ignore: list[str] = ()) -> ResolvedRules:
    """Decide which rules run, with which options and severities (CLI lists override the file)."""
    for key, selectors in (("select", config.select or []), ("extend-select", config.extend_select),
                           ("ignore", config.ignore)):
        for selector in selectors:
            _check_selector(selector, rules, config.where(None, key))
    for pattern, selectors in config.per_file_ignores.items():
        for selector in selectors:
            _check_selector(selector, rules, config.where("per-file-ignores", pattern))
    for selector in [*(select or []), *extend_select, *ignore]:
        _check_selector(selector, rules, "command line")
    chosen = select if select is not None else config.select
    if chosen is None:
        enabled = {code for code, rule in rules.items() if rule.enabled_by_default}
    else:
        enabled = {code for code in rules if _matches_any(code, chosen)}
    enabled |= {code for code in rules if _matches_any(code, [*config.extend_select, *extend_select])}
    enabled -= {code for code in rules if _matches_any(code, [*config.ignore, *ignore])}

    options: dict[str, dict[str, Any]] = {}
    severities: dict[str, Severity] = {}
    for code, table in config.rule_tables.items():
        if code not in rules:
            raise ConfigError(f"{config.where('rules.' + code)}: unknown rule code {code!r} in "
                              f"[rules.{code}]{_suggest(code, rules)}")
        severity, _ = _validate_rule_table(config, rules[code], table)
        if severity is not None:
            severities[code] = severity
    for code in sorted(enabled):
        rule = rules[code]
        options[code] = rule.default_options()
        options[code].update(_validate_rule_table(config, rule, config.rule_tables.get(code, {}))[1])
    return ResolvedRules(ActiveRules(options), severities)


def _validate_rule_table(config: Config, rule: Rule, table: dict[str, Any]
                         ) -> tuple[Severity | None, dict[str, Any]]:
    declared = {option.name: option for option in rule.options}
    severity: Severity | None = None
    values: dict[str, Any] = {}
    for key, value in table.items():
        where = config.where(f"rules.{rule.code}", key)
        if key == "severity":
            if not isinstance(value, str):
                raise ConfigError(f"{where}: rules.{rule.code}.severity must be a string")
            try:
                severity = Severity.parse(value)
            except ValueError as exc:
                raise ConfigError(f"{where}: rules.{rule.code}.severity: {exc}") from None
            continue
        if key not in declared:
            valid = ["severity", *declared]
            raise ConfigError(f"{where}: {rule.code} has no option {key!r}{_suggest(key, valid)} "
                              f"(options: {', '.join(valid)})")
        values[key] = _coerce_option(where, rule.code, key, value, declared[key].default)
    return severity, values


def _coerce_option(where: str, code: str, key: str, value: Any, default: Any) -> Any:
    expected = type(default)
    if expected is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if expected is list and isinstance(value, list):
        if all(isinstance(item, str) for item in value):
            return value
        raise ConfigError(f"{where}: rules.{code}.{key} must be a list of strings")
    if type(value) is not expected:
        raise ConfigError(f"{where}: rules.{code}.{key} must be {_type_name(expected)} "
                          f"(like the default {default!r}), not {_type_name(type(value))} {value!r}")
    return value


def _check_selector(selector: str, rules: dict[str, Rule], where: str) -> None:
    if selector == "ALL" or any(code.startswith(selector) for code in rules):
        return
    raise ConfigError(f"{where}: unknown rule code or prefix {selector!r}{_suggest(selector, rules)}")


def _matches_any(code: str, selectors: list[str]) -> bool:
    return any(selector == "ALL" or code.startswith(selector) for selector in selectors)


def matches_selector(code: str, selectors: set[str] | list[str]) -> bool:
    """Whether a rule code is named by any selector (a code, a prefix or ``ALL``)."""
    return _matches_any(code, list(selectors))


def _suggest(word: str, valid: Any) -> str:
    close = difflib.get_close_matches(word, list(valid), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _type_name(expected: type | tuple[type, ...]) -> str:
    names = {str: "a string", int: "an integer", float: "a number", bool: "true or false",
             list: "a list", dict: "a table"}
    if isinstance(expected, tuple):
        return " or ".join(names.get(t, t.__name__) for t in expected)
    return names.get(expected, expected.__name__)


def _line_of(text: str, prefix: str, table: str | None, key: str | None) -> int | None:
    """Best-effort line number of ``key`` in ``[table]`` (or of the table header itself)."""
    wanted_table = f"{prefix}{table}" if table else prefix.rstrip(".")
    current = ""
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        header = re.match(r"^\[\s*([^\[\]]+?)\s*\]$", line)
        if header:
            current = header.group(1).replace('"', "").replace(" ", "")
            if key is None and current == wanted_table:
                return number
            continue
        if key is None:
            continue
        match = re.match(r'^("?)([^"=]+?)\1\s*=', line)
        if not match:
            continue
        if current == wanted_table and match.group(2).strip() == key:
            return number
        # dotted keys at top level: rules.DUP001.threshold = 0.8
        if table and current == prefix.rstrip(".") and match.group(2).strip() == f"{table}.{key}":
            return number
    return None
