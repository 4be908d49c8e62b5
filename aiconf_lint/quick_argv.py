"""Parse a plain `check` or `fix` command line without Typer, or decline so that Typer parses it.

Why: pre-commit runs `aiconf-lint check --force-exclude --with-context FILE...` and
`aiconf-lint fix --force-exclude FILE...` on every commit, and importing Typer and building its
seven commands was 40 ms of a 130 ms run. The lines this parser accepts are the unambiguous
ones: the command first, then known options (long or short, a value after a space or `=`),
paths, and `--`. Anything else (help, an unknown or combined short option, a missing value, a
value starting with `-`, a format that is not one of the choices) returns None and Typer
parses it, with its own messages. A property test runs Typer on the same lines and compares
what the command receives; another keeps these tables equal to Typer's options.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from aiconf_lint.check_command import CheckArgs
from aiconf_lint.fix_command import FixArgs
from aiconf_lint.output.render import OutputFormat
from aiconf_lint.records import record

# How each option takes its value: a flag sets True (a switch's `--no-` form False); `text`
# and `path` take one value (the last wins); `texts` and `paths` repeat and collect.
_SELECTION = {
    "select": "texts",
    "extend_select": "texts",
    "ignore": "texts",
    "extend_ignore": "texts",
    "exclude": "texts",
    "extend_exclude": "texts",
    "force_exclude": "flag",
    "profile": "text",
    "fail_on": "text",
    "exit_zero": "flag",
    "quiet": "flag",
    "stdin_filename": "text",
    "config": "path",
}
CHECK_KINDS: dict[str, str] = {
    **_SELECTION,
    "output_format": "format",
    "output_file": "path",
    "statistics": "flag",
    "verbose": "flag",
    "sarif_category": "text",
    "sarif_root": "path",
    "with_context": "flag",
    "render": "switch",
    "values": "paths",
    "set_values": "texts",
    "release_name": "text",
    "namespace": "text",
    "kube_version": "text",
    "api_versions": "texts",
}
FIX_KINDS: dict[str, str] = {
    **_SELECTION,
    "unsafe_fixes": "switch",
    "diff": "flag",
    "force_rendered": "flag",
    "emit_kustomize": "path",
}
_SHORT = {"output_format": "-F", "output_file": "-o", "quiet": "-q", "verbose": "-v"}
_SHORT |= {"values": "-f"}
_FORMATS = {member.value: member for member in OutputFormat}


def spellings(name: str) -> tuple[str, ...]:
    """The command-line spellings of option field `name` (Typer's: `--field-name`, shorts)."""
    long = "--set" if name == "set_values" else "--" + name.replace("_", "-")
    return (long, _SHORT[name]) if name in _SHORT else (long,)


@record(frozen=True)
class _Command:
    make: Callable[..., Any]
    table: dict[str, tuple[str, str, bool]]


def _table(kinds: dict[str, str]) -> dict[str, tuple[str, str, bool]]:
    table = {s: (name, kind, True) for name, kind in kinds.items() for s in spellings(name)}
    switches = [name for name, kind in kinds.items() if kind == "switch"]
    table |= {"--no-" + name.replace("_", "-"): (name, "switch", False) for name in switches}
    return table


_COMMANDS = {
    "check": _Command(CheckArgs, _table(CHECK_KINDS)),
    "fix": _Command(FixArgs, _table(FIX_KINDS)),
}


def parse_quick(argv: Sequence[str]) -> CheckArgs | FixArgs | None:
    """The options of a plain `check` or `fix` from `argv` (after the program name), or None."""
    command = _COMMANDS.get(argv[0]) if argv else None
    if command is None:
        return None
    found: dict[str, Any] = {}
    paths: list[str] = []
    i = 1
    while i < len(argv):
        token = argv[i]
        i += 1
        if token == "--":
            paths.extend(argv[i:])
            break
        if token == "-" or not token.startswith("-"):
            paths.append(token)
            continue
        name, equals, inline = token.partition("=") if token.startswith("--") else (token, "", "")
        spec = command.table.get(name)
        if spec is None:
            return None
        field, kind, on = spec
        if kind in ("flag", "switch"):
            if equals:
                return None
            found[field] = on
            continue
        if not equals:
            if i == len(argv):
                return None
            inline = argv[i]
            i += 1
        if not _take(found, field, kind, inline):
            return None
    args: CheckArgs | FixArgs = command.make(paths=paths or None, **found)
    return args


def parse_check(argv: Sequence[str]) -> CheckArgs | None:
    """`parse_quick` for `check` lines only."""
    found = parse_quick(argv)
    return found if isinstance(found, CheckArgs) else None


def _take(found: dict[str, Any], field: str, kind: str, value: str) -> bool:
    """Store one option value; False for a value Typer should judge."""
    if value.startswith("-"):
        return False  # `--select -q`: Typer takes it as the value; a typo more often than not
    if kind == "format":
        if value not in _FORMATS:
            return False
        found[field] = _FORMATS[value]
    elif kind == "text":
        found[field] = value
    elif kind == "path":
        found[field] = Path(value)
    elif kind == "texts":
        found.setdefault(field, []).append(value)
    else:
        found.setdefault(field, []).append(Path(value))
    return True
