"""Turn `select`/`extend-select`/`ignore` into the set of enabled rules, the way ruff does.

Selectors are codes (`ACC002`), prefixes (`ACC`, `ACC0`), names (`invalid-accelerator-quantity`)
or `ALL`. An unknown selector is a config error, never silently ignored.
"""

from __future__ import annotations

from collections.abc import Iterable

from aiconf_lint.errors import ConfigError
from aiconf_lint.rule import Rule
from aiconf_lint.rules import ALL_RULES


def resolve(selector: str, rules: Iterable[type[Rule]] = ALL_RULES) -> list[type[Rule]]:
    wanted = selector.strip()
    if wanted.upper() == "ALL":
        return list(rules)
    matched = [
        rule
        for rule in rules
        if rule.code.startswith(wanted.upper()) or rule.name == wanted.lower()
    ]
    if not matched:
        raise ConfigError(f"unknown rule selector `{selector}`")
    return matched


def select_rules(
    select: Iterable[str], extend_select: Iterable[str] = (), ignore: Iterable[str] = ()
) -> list[type[Rule]]:
    enabled: dict[str, type[Rule]] = {}
    for selector in (*select, *extend_select):
        for rule in resolve(selector):
            enabled[rule.code] = rule
    for selector in ignore:
        for rule in resolve(selector):
            enabled.pop(rule.code, None)
    return sorted(enabled.values(), key=lambda r: r.code)
