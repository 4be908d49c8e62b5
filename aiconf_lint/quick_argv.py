"""Parse a plain `check` command line without Typer, or decline so that Typer parses it.

Why: pre-commit runs `aiconf-lint check --force-exclude --with-context FILE...` on every commit,
and importing Typer and building its seven commands was 40 ms of a 130 ms run. The lines this
parser accepts are the unambiguous ones: `check` first, then known options (long or short, a
value after a space or `=`), paths, and `--`. Anything else (help, an unknown or combined short
option, a missing value, a value starting with `-`, a format that is not one of the choices)
returns None and Typer parses it, with its own messages. A property test runs Typer on the same
lines and compares what `check` receives; another keeps this table equal to Typer's options.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from aiconf_lint.check_command import CheckArgs
from aiconf_lint.output.render import OutputFormat

# How each option takes its value: a flag sets True (a switch's `--no-` form False); `text`
# and `path` take one value (the last wins); `texts` and `paths` repeat and collect.
_KINDS: dict[str, tuple[str, ...]] = {
    "flag": ("force_exclude", "exit_zero", "statistics", "quiet", "verbose", "with_context"),
    "switch": ("render",),
    "text": (
        "profile",
        "fail_on",
        "stdin_filename",
        "sarif_category",
        "release_name",
        "namespace",
        "kube_version",
    ),
    "path": ("output_file", "config", "sarif_root"),
    "texts": (
        "select",
        "extend_select",
        "ignore",
        "extend_ignore",
        "exclude",
        "extend_exclude",
        "set_values",
        "api_versions",
    ),
    "paths": ("values",),
    "format": ("output_format",),
}
KIND_OF = {name: kind for kind, names in _KINDS.items() for name in names}
"""The kind of every option field of `CheckArgs` (all but `paths`)."""

_SPELLINGS = {"output_format": ("-F",), "output_file": ("-o",), "quiet": ("-q",)}
_SPELLINGS |= {"verbose": ("-v",), "values": ("-f",), "set_values": ("--set",)}
_FORMATS = {member.value: member for member in OutputFormat}


def spellings(name: str) -> tuple[str, ...]:
    """The command-line spellings of option field `name` (Typer's: `--field-name`, shorts)."""
    long = "--set" if name == "set_values" else "--" + name.replace("_", "-")
    return (long, *(s for s in _SPELLINGS.get(name, ()) if s != long))


_TABLE: dict[str, tuple[str, str, bool]] = {
    spelling: (name, kind, True) for name, kind in KIND_OF.items() for spelling in spellings(name)
}
_TABLE |= {"--no-" + name: (name, "switch", False) for name in _KINDS["switch"]}


def parse_check(argv: Sequence[str]) -> CheckArgs | None:
    """`check`'s options from `argv` (the arguments after the program name), or None."""
    if not argv or argv[0] != "check":
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
        spec = _TABLE.get(name)
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
    return CheckArgs(paths=paths or None, **found)


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
