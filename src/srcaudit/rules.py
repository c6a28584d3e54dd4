"""Rule metadata: what a plugin declares about each rule it provides.

One :class:`Rule` feeds ``srcaudit rules``, ``srcaudit explain``, configuration
validation and every reporter (SARIF rule descriptors included), so a rule's
documentation is written once, next to its code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .findings import Severity


@dataclass(frozen=True, slots=True)
class RuleOption:
    """A setting of one rule, configurable under ``[rules.CODE]`` in ``rules.toml``.

    The type of ``default`` is the option's type: a ``float`` option accepts integers,
    a ``list`` option takes a list of strings.
    """

    name: str
    default: Any
    description: str


@dataclass(frozen=True, slots=True)
class Rule:
    """A rule's identity and documentation.

    ``code`` is stable once shipped (``DUP001``): configuration, baselines and
    suppressions refer to it. ``documentation`` is Markdown with the sections *What it
    does*, *Why it matters*, *Example* and *How to fix*; options are documented from
    ``options`` automatically.
    """

    code: str
    name: str
    summary: str
    severity: Severity
    documentation: str
    scope: str = "document"  # "document" or "corpus"
    options: tuple[RuleOption, ...] = ()
    enabled_by_default: bool = True
    tags: tuple[str, ...] = ()
    plugin: str = field(default="", compare=False)

    @property
    def family(self) -> str:
        """The letter prefix of the code (``DUP`` for ``DUP001``): used for selection by prefix."""
        return self.code.rstrip("0123456789")

    def default_options(self) -> dict[str, Any]:
        return {option.name: option.default for option in self.options}

    def explain(self) -> str:
        """The full text shown by ``srcaudit explain CODE``."""
        parts = [f"# {self.code} ({self.name})", "", self.summary, "",
                 f"Default severity: {self.severity.value}. Scope: {self.scope}."
                 + ("" if self.enabled_by_default else " Off by default: enable with `select`."),
                 "", self.documentation.strip()]
        if self.options:
            parts += ["", "## Options", ""]
            parts += [f"- `{o.name}` (default `{o.default!r}`): {o.description}" for o in self.options]
        parts += ["", "## Suppressing", "",
                  f"Turn it off with `ignore = [\"{self.code}\"]` in rules.toml, or for some files with "
                  f"`[per-file-ignores]` `\"glob\" = [\"{self.code}\"]`."]
        return "\n".join(parts) + "\n"


@dataclass(frozen=True)
class ActiveRules:
    """The rules that will run, with their effective options, as plugins see them.

    Passed to every check hook as ``rules``. A plugin providing several rules asks
    ``rules.enabled("DUP001")`` before doing that rule's work and reads settings with
    ``rules.option("DUP001", "threshold")``. Plain data: it crosses process boundaries.
    """

    options: dict[str, dict[str, Any]]

    def enabled(self, code: str) -> bool:
        return code in self.options

    def any_enabled(self, *codes: str) -> bool:
        return any(code in self.options for code in codes)

    def option(self, code: str, name: str) -> Any:
        return self.options[code][name]

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(self.options)
