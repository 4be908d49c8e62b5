"""Scalar `set` edits by text splicing, for documents ruamel cannot round-trip unchanged.

When a document fails the identity round trip, restructuring it would reformat it; but a fix
that only replaces scalar values (`apiVersion: resource.k8s.io/v1beta2` to `v1`) can be done
by replacing the characters of those scalars, as pre-commit's hooks do, keeping their quote
style. Anything else in such a document stays "formatting cannot be preserved".
"""

from __future__ import annotations

import json
from collections.abc import Iterable

import yaml

from aiconf_lint.input.source import node_at
from aiconf_lint.model import Edit

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_SCALARS = (str, int, float, bool, type(None))


def _reads_back(text: str, value: object) -> bool:
    try:
        block = yaml.load(f"k: {text}\n", Loader=_Loader)  # the C safe loader
        flow = yaml.load(f"[{text}]\n", Loader=_Loader)
    except yaml.YAMLError:
        return False
    return block == {"k": value} and flow == [value] and type(block["k"]) is type(value)


def render_scalar(value: object, quote: str | None) -> str | None:
    """The YAML text of `value` in the style of the scalar it replaces, or None."""
    if isinstance(value, str):
        if quote == "'" and "\n" not in value:
            return "'" + value.replace("'", "''") + "'"
        if quote is None and "\n" not in value and _reads_back(value, value):
            return value
        return json.dumps(value, ensure_ascii=False)  # JSON strings are YAML double-quoted
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif value is None:
        text = "null"
    elif isinstance(value, int | float):
        text = repr(value)
    else:
        return None
    return text


def splice_scalars(root: yaml.Node, edits: Iterable[Edit]) -> list[tuple[int, int, str]] | None:
    """Text replacements for edits that are all scalar `set`s, else None."""
    pieces: list[tuple[int, int, str]] = []
    for edit in edits:
        if edit.op != "set" or not isinstance(edit.value, _SCALARS):
            return None
        node = node_at(root, edit.path)
        if not isinstance(node, yaml.ScalarNode) or node.style in ("|", ">"):
            return None
        text = render_scalar(edit.value, node.style)
        if text is None:
            return None
        pieces.append((int(node.start_mark.index), int(node.end_mark.index), text))
    return pieces
