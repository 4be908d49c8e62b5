"""Walk a rendered object's YAML path through a source file's node tree.

Source files and the render disagree on list positions (a patch may add a container, a base
may order them differently), so list items are matched by their `name` when the rendered item
has one, as kustomize's strategic merge does, and by position otherwise.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from aiconf_lint.input.source import span_of
from aiconf_lint.model import Span, YamlPath

_CACHE: dict[Path, list[yaml.Node] | None] = {}


def compose_all(path: Path) -> list[yaml.Node]:
    """The document nodes of a YAML file, cached per run; [] when unreadable."""
    key = path.resolve()
    if key not in _CACHE:
        try:
            text = key.read_text(encoding="utf-8")
            _CACHE[key] = [n for n in yaml.compose_all(text, Loader=yaml.SafeLoader) if n]
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            _CACHE[key] = None
    return _CACHE[key] or []


def scalar(node: yaml.Node | None, key: str) -> str | None:
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key and isinstance(v, yaml.ScalarNode):
                return str(v.value)
    return None


def child(node: yaml.Node | None, key: str) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key:
                return v  # type: ignore[no-any-return]
    return None


def _item_name(data: object, path: YamlPath, depth: int) -> str | None:
    for step in path[: depth + 1]:
        if isinstance(data, dict) and isinstance(step, str):
            data = data.get(step)
        elif isinstance(data, list) and isinstance(step, int) and 0 <= step < len(data):
            data = data[step]
        else:
            return None
    name = data.get("name") if isinstance(data, dict) else None
    return name if isinstance(name, str) else None


def depth_in(root: yaml.Node, path: YamlPath, rendered: object = None) -> tuple[int, Span]:
    """How many steps of `path` the tree spells out, and the span of the deepest one."""
    node = root
    resolved: list[str | int] = []
    for depth, step in enumerate(path):
        if isinstance(step, int):
            if not isinstance(node, yaml.SequenceNode):
                break
            name = _item_name(rendered, path, depth) if rendered is not None else None
            index = None
            if name is not None:
                index = next(
                    (i for i, item in enumerate(node.value) if scalar(item, "name") == name), None
                )
            elif 0 <= step < len(node.value):
                index = step
            if index is None:
                break
            node = node.value[index]
            resolved.append(index)
        else:
            found = child(node, step)
            if found is None:
                break
            node = found
            resolved.append(step)
    span, _ = span_of(root, tuple(resolved), key_only=True)
    return len(resolved), span


def first_line(root: yaml.Node) -> Span:
    mark = root.start_mark
    return Span(mark.line + 1, mark.column + 1, mark.line + 1, mark.column + 2)
