"""Every configuration key, once: its type, bounds and description.

The validator in `settings.py` and the JSON Schema in `schemas.py` both read this table, so a
bound (`max-file-size-mib >= 1`) or a type (`true` is not an integer) cannot hold in one and
not the other, which is how `max-file-size-mib = 0` used to pass and then reject every file.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from aiconf_lint.errors import ConfigError
from aiconf_lint.profiles import PROFILES
from aiconf_lint.records import record

Kind = Literal[
    "string",
    "boolean",
    "integer",
    "strings",
    "tables",
    "selectors",
    "choice",
    "globs-to-selectors",
    "names-to-strings",
]

SELECTOR_PATTERN = "^[A-Za-z][A-Za-z0-9-]*$"
"""What a selector looks like (code, prefix, name, ALL); the validator also checks it exists."""


@record(frozen=True)
class Key:
    name: str
    kind: Kind
    description: str
    minimum: int | None = None
    choices: tuple[str, ...] = ()


def profile_spellings() -> tuple[str, ...]:
    """`1.34`, `v1.34`, `1.34.0` and `v1.34.0` all name the 1.34 profile."""
    return tuple(
        spelling
        for version in PROFILES
        for spelling in (version, f"v{version}", f"{version}.0", f"v{version}.0")
    )


KEYS: tuple[Key, ...] = (
    Key("select", "selectors", "Rules to enable: codes, prefixes, names, ALL"),
    Key("extend-select", "selectors", "Rules to add to `select`"),
    Key("ignore", "selectors", "Rules to disable"),
    Key("extend-ignore", "selectors", "Rules to disable as well (same as `ignore`)"),
    Key(
        "exclude",
        "strings",
        "Globs to skip, added to the defaults; globs with `/` are relative to this file",
    ),
    Key("extend-exclude", "strings", "More globs to skip; globs with `/` relative to this file"),
    Key(
        "per-file-ignores",
        "globs-to-selectors",
        "Glob (relative to this file when it has `/`) -> rule selectors ignored in those files",
    ),
    Key("profile", "choice", "AI Conformance profile", choices=profile_spellings()),
    Key("fail-on", "choice", "Lowest severity that fails", choices=("error", "warning", "info")),
    Key("unsafe-fixes", "boolean", "Let `fix` apply unsafe fixes"),
    Key("force-exclude", "boolean", "Apply excludes to files named on the command line"),
    Key("default-namespace", "string", "Namespace of objects that name none"),
    Key("max-file-size-mib", "integer", "Files larger than this are reported, not read", 1),
    Key("render", "boolean", "Render Helm charts and kustomize overlays found among the inputs"),
)

SECTIONS: Mapping[str, tuple[Key, ...]] = {
    "accelerators": (
        Key(
            "resources",
            "names-to-strings",
            'Extended resource name -> DRA device class ("" for none)',
        ),
    ),
    "gang": (Key("kueue-queue", "string", "LocalQueue the GNG001 fix labels jobs with"),),
    # Objects that exist in the cluster but not in the files checked: `[namespace/]name`.
    "inventory": (
        Key("claim-templates", "strings", "ResourceClaimTemplates that exist outside the run"),
        Key("resource-claims", "strings", "ResourceClaims that exist outside the run"),
        Key("node-pools", "strings", "Karpenter NodePools that exist outside the run"),
    ),
    # Charts and overlays; `render/config.py` checks the per-chart tables in depth.
    "helm": (
        Key("release-name", "string", "Release name of every render (default `release-name`)"),
        Key("namespace", "string", "Release namespace of every render (default `default`)"),
        Key("kube-version", "string", "`.Capabilities.KubeVersion` of every render"),
        Key("api-versions", "strings", "`.Capabilities.APIVersions` of every render"),
        Key("timeout", "integer", "Seconds one render may take", 1),
        Key("charts", "tables", "Chart folder (relative to this file) -> values, set, values-sets"),
    ),
    "kustomize": (
        Key(
            "load-restrictor", "choice", "kustomize --load-restrictor", choices=("rootOnly", "none")
        ),
    ),
    "security": (
        Key("exempt-images", "strings", "Image globs of device infrastructure"),
        Key("exempt-names", "strings", "Object name globs of device infrastructure"),
    ),
}


def _strings(where: str, value: object) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where} must be a list of strings")
    return value


def _selectors(where: str, value: object) -> list[str]:
    from aiconf_lint.selection import resolve

    selectors = _strings(where, value)
    for selector in selectors:
        try:
            resolve(selector)
        except ConfigError as exc:
            raise ConfigError(f"{where}: {exc}") from None
    return selectors


def check(key: Key, value: object, where: str) -> Any:
    """`value` if it is valid for `key`; else a ConfigError that names `where` and the key."""
    label = f"{where}: `{key.name}`"
    if key.kind == "string" and not isinstance(value, str):
        raise ConfigError(f"{label} must be a string")
    if key.kind == "boolean" and not isinstance(value, bool):
        raise ConfigError(f"{label} must be true or false")
    if key.kind == "integer":
        if not isinstance(value, int) or isinstance(value, bool):
            raise ConfigError(f"{label} must be an integer")
        if key.minimum is not None and value < key.minimum:
            raise ConfigError(f"{label} must be at least {key.minimum}")
    if key.kind == "strings":
        _strings(label, value)
    if key.kind == "selectors":
        _selectors(label, value)
    if key.kind == "tables" and (
        not isinstance(value, dict) or not all(isinstance(v, dict) for v in value.values())
    ):
        raise ConfigError(f"{label} must be a table of tables")
    if key.kind == "choice" and value not in key.choices:
        raise ConfigError(f"{label} must be one of {', '.join(key.choices)}")
    if key.kind in ("globs-to-selectors", "names-to-strings"):
        if not isinstance(value, dict):
            raise ConfigError(f"{label} must be a table")
        for name, item in value.items():
            if key.kind == "globs-to-selectors":
                _selectors(f"{label}.{name}", item)
            elif not isinstance(item, str):
                raise ConfigError(f"{label}.{name} must be a string")
    return value


_STRINGS = {"type": "array", "items": {"type": "string"}}
_SELECTORS = {"type": "array", "items": {"type": "string", "pattern": SELECTOR_PATTERN}}


def schema_of(key: Key) -> dict[str, Any]:
    """The JSON Schema of one key: the same constraints `check` enforces."""
    body: dict[str, Any]
    if key.kind == "string":
        body = {"type": "string"}
    elif key.kind == "boolean":
        body = {"type": "boolean"}
    elif key.kind == "integer":
        body = {"type": "integer"}
        if key.minimum is not None:
            body["minimum"] = key.minimum
    elif key.kind == "strings":
        body = dict(_STRINGS)
    elif key.kind == "selectors":
        body = dict(_SELECTORS)
    elif key.kind == "choice":
        body = {"enum": list(key.choices)}
    elif key.kind == "tables":
        body = {"type": "object", "additionalProperties": {"type": "object"}}
    elif key.kind == "globs-to-selectors":
        body = {"type": "object", "additionalProperties": _SELECTORS}
    else:
        body = {"type": "object", "additionalProperties": {"type": "string"}}
    return {**body, "description": key.description}
