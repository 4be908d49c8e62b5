"""Plain JSON from `sarif-om` objects, which were generated from a pre-final SARIF schema.

`sarif-om` 1.0.4 comes from `2.1.0-rtm.4`: its attrs fields carry the schema's property names in
`schema_property_name`, its defaults include sentinels the final schema never had (`ruleIndex:
-1`, `rank: -1.0`, `byteOffset: -1`, `kind: "fail"`), and `Suppression.state` was renamed
`status` in 2.1.0. So nothing is serialised with `attr.asdict`: this walker renames fields,
drops values equal to the generator's defaults, and refuses `state` outright.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attr

# Fields whose value must be written even when it equals sarif-om's default: GitHub reads
# `level`, and an omitted level means "warning" only to readers who know the spec default.
_ALWAYS_EMIT = frozenset({"level"})
# Identity first, as people read it; everything else keeps the generator's field order.
_FIRST = ("$schema", "version", "id", "name", "ruleId", "ruleIndex", "level", "message")
# Properties of the pre-final schema that the final 2.1.0 schema rejects.
_NEVER_EMIT = frozenset({("Suppression", "state")})


_PLAIN = frozenset({str, int, float, bool, type(None)})


def to_sarif_json(value: object) -> object:
    """Plain JSON data from sarif-om objects, keyed by the schema's property names."""
    cls: Any = type(value)
    if cls in _PLAIN:  # most values: tested first, by exact type
        return value
    if isinstance(value, dict):
        return {str(k): to_sarif_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_sarif_json(v) for v in value]
    if not attr.has(cls):
        return value
    cls_name = cls.__name__
    out: dict[str, object] = {}
    fields, names = _fields(cls)
    for name, key, default in fields:
        current = getattr(value, name)
        if current is None:
            continue
        if (cls_name, key) in _NEVER_EMIT:
            raise ValueError(f"`{cls_name}.{key}` is not SARIF 2.1.0 (sarif-om schema drift)")
        if key not in _ALWAYS_EMIT and _is_default(default, current):
            continue
        out[key] = to_sarif_json(current)
    first = {key: out.pop(key) for key in _FIRST if key in out}
    out = {**first, **out}
    if cls_name == "PropertyBag":
        # Property bags are open: `precision`, `problem.severity`, `aiconf/origin` are set as
        # extra attributes because their names are not Python identifiers.
        for key, extra in vars(value).items():
            if key not in names and extra is not None:
                out[key] = to_sarif_json(extra)
    return out


_FIELDS: dict[type, tuple[list[tuple[str, str, object]], frozenset[str]]] = {}


def _fields(cls: type) -> tuple[list[tuple[str, str, object]], frozenset[str]]:
    """(attribute name, schema property name, default) of each field, and the attribute names:
    read from attrs once per class, not once per object (a run writes 100,000 of them)."""
    found = _FIELDS.get(cls)
    if found is None:
        fields = [
            (a.name, a.metadata.get("schema_property_name", a.name), a.default)
            for a in attr.fields(cls)
        ]
        found = _FIELDS[cls] = (fields, frozenset(name for name, _, _ in fields))
    return found


def _is_default(default: object, current: object) -> bool:
    if default is attr.NOTHING:
        return False
    factory: Callable[[], object] | None = getattr(default, "factory", None)
    if factory is not None:  # attr.Factory: compare with a fresh default
        return bool(current == factory())
    return type(current) is type(default) and current == default
