"""Turn `select`/`extend-select`/`ignore` into the set of enabled rules, the way ruff does.

Selectors are codes (`ACC002`), prefixes (`ACC`, `ACC0`), names (`invalid-accelerator-quantity`)
or `ALL`. An unknown selector is a config error, never silently ignored. Selection reads the
static rule table only; the enabled rules' families are imported at the end.
"""

from __future__ import annotations

from collections.abc import Iterable

from aiconf_lint.errors import ConfigError
from aiconf_lint.rule import Rule
from aiconf_lint.rules import CATALOG, ENTRIES_BY_CODE, RuleEntry


def resolve(selector: str, entries: Iterable[RuleEntry] = CATALOG) -> list[RuleEntry]:
    wanted = selector.strip()
    if wanted.upper() == "ALL":
        return list(entries)
    matched = [
        entry
        for entry in entries
        if entry.code.startswith(wanted.upper()) or entry.name == wanted.lower()
    ]
    if not matched:
        raise ConfigError(f"unknown rule selector `{selector}`")
    return matched


def select_codes(
    select: Iterable[str], extend_select: Iterable[str] = (), ignore: Iterable[str] = ()
) -> list[str]:
    """The enabled rule codes, sorted, without importing any rule."""
    enabled: set[str] = set()
    for selector in (*select, *extend_select):
        enabled.update(entry.code for entry in resolve(selector))
    for selector in ignore:
        enabled.difference_update(entry.code for entry in resolve(selector))
    return sorted(enabled)


def select_entries(
    select: Iterable[str], extend_select: Iterable[str] = (), ignore: Iterable[str] = ()
) -> list[RuleEntry]:
    """The enabled rules as table entries: the engine imports each only if the run wakes it."""
    return [ENTRIES_BY_CODE[code] for code in select_codes(select, extend_select, ignore)]


def select_rules(
    select: Iterable[str], extend_select: Iterable[str] = (), ignore: Iterable[str] = ()
) -> list[type[Rule]]:
    from aiconf_lint.rules import load

    return [load(code) for code in select_codes(select, extend_select, ignore)]
