"""The edit ops, applied to plain data (to check a fix) and to ruamel trees (to write it).

One implementation serves both: a `Nodes` factory says how to build new mappings and values
for each kind of tree. Every op checks its precondition first and raises `FixConflict`
without touching the tree, so a fix whose edits all pass a dry run on a copy of the plain
data can be replayed on the ruamel tree knowing it will succeed. Ops are idempotent where
that is meaningful: setting a value that is already there, or appending an item that is
already in the list, changes nothing.

| op       | does                         | precondition                               |
| -------- | ---------------------------- | ------------------------------------------ |
| set      | replace the value at `path`  | the path exists                            |
| add      | add `key` to a mapping       | the mapping exists; `key` absent or equal  |
| merge    | set `key` in a mapping       | none: missing mappings are created         |
| remove   | delete a key or list item    | the path exists                            |
| append   | add an item to a list        | a list, or a missing key (list created)    |
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, MutableMapping, MutableSequence
from typing import Any, Protocol

from aiconf_lint.model import Edit, Fix, YamlPath


class FixConflict(Exception):
    """A fix's precondition failed; the message says why, for the summary."""


class Nodes(Protocol):
    """How to make new nodes for one kind of tree."""

    def value(self, plain: object, like: object = None) -> Any: ...

    def block(self, node: object) -> None: ...

    def empty(self, like: object) -> Any: ...

    def detach(self, parent: Any, key: Any) -> None: ...

    def put(self, target: Any, key: Any, value: object, like: object) -> None: ...

    def push(self, seq: Any, value: object) -> None: ...


class PlainNodes:
    """Plain dicts and lists, as PyYAML builds them."""

    def value(self, plain: object, like: object = None) -> Any:
        return copy.deepcopy(plain)

    def block(self, node: object) -> None:
        return None

    def empty(self, like: object) -> Any:
        return {} if isinstance(like, Mapping) else []

    def detach(self, parent: Any, key: Any) -> None:
        return None

    def put(self, target: Any, key: Any, value: object, like: object) -> None:
        target[key] = copy.deepcopy(value)

    def push(self, seq: Any, value: object) -> None:
        seq.append(copy.deepcopy(value))


class RuamelNodes:
    """ruamel's commented maps and sequences; the import stays inside yamlio.

    One instance per fix: it carries the comments of the keys the fix removes to where the
    same fix adds them back (a move); `finish` re-homes the rest.
    """

    def __init__(self) -> None:
        from aiconf_lint.fix.yamlio import CommentCarrier

        self._carrier = CommentCarrier()

    def detach(self, parent: Any, key: Any) -> None:
        self._carrier.detach(parent, key)

    def put(self, target: Any, key: Any, value: object, like: object) -> None:
        from aiconf_lint.fix.yamlio import put

        put(target, key, value, like, self._carrier)

    def push(self, seq: Any, value: object) -> None:
        from aiconf_lint.fix.yamlio import push

        push(seq, value)

    def finish(self) -> None:
        self._carrier.finish()

    def value(self, plain: object, like: object = None) -> Any:
        from aiconf_lint.fix.yamlio import to_node

        return to_node(plain, like)

    def block(self, node: object) -> None:
        from aiconf_lint.fix.yamlio import make_block

        make_block(node)

    def empty(self, like: object) -> Any:
        from aiconf_lint.fix.yamlio import empty_flow

        return empty_flow(like)


def show(path: YamlPath) -> str:
    return ".".join(f"[{step}]" if isinstance(step, int) else step for step in path) or "<root>"


def _child(node: Any, step: str | int) -> tuple[bool, Any]:
    if isinstance(node, MutableMapping) and isinstance(step, str):
        return (step in node, node.get(step))
    if isinstance(node, MutableSequence) and isinstance(step, int) and 0 <= step < len(node):
        return (True, node[step])
    return (False, None)


def resolve(root: Any, path: YamlPath) -> Any:
    node = root
    for depth, step in enumerate(path):
        found, node = _child(node, step)
        if not found:
            raise FixConflict(f"`{show(path[: depth + 1])}` does not exist")
    return node


def _mapping_at(root: Any, path: YamlPath) -> MutableMapping[Any, Any]:
    """The mapping at `path`."""
    node = resolve(root, path)
    if not isinstance(node, MutableMapping):
        raise FixConflict(f"`{show(path)}` is not a mapping")
    return node


def _create_missing(root: Any, path: YamlPath, key: str, value: object, nodes: Nodes) -> bool:
    """For `merge`: when mappings on `path` are missing (or null), add them, holding
    `key: value`, in one step at the deepest one that exists; False when none is missing."""
    node = root
    for depth, step in enumerate(path):
        found, child = _child(node, step)
        if found and child is not None:
            node = child
            continue
        if not isinstance(node, MutableMapping) or not isinstance(step, str):
            raise FixConflict(f"`{show(path[: depth + 1])}` does not exist")
        nested: object = {key: value}
        for inner in reversed(path[depth + 1 :]):
            if not isinstance(inner, str):
                raise FixConflict(f"`{show(path[: depth + 1])}` does not exist")
            nested = {inner: nested}
        nodes.block(node)
        nodes.put(node, step, nested, None)
        return True
    return False


def same(a: object, b: object) -> bool:
    """Equal as YAML data: a ruamel map equals a dict, but `1` never equals `true`."""
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, int | float) and isinstance(b, int | float):  # ruamel's ScalarInt too
        return isinstance(a, int) == isinstance(b, int) and a == b
    return bool(a == b) and (isinstance(a, type(b)) or isinstance(b, type(a)))


def apply_edit(root: Any, edit: Edit, nodes: Nodes) -> None:
    """Apply one structural edit in place; raises FixConflict and leaves `root` untouched."""
    op, path = edit.op, edit.path
    if op == "set":
        if not path:
            raise FixConflict("`set` needs a path")
        parent = resolve(root, path[:-1])
        found, old = _child(parent, path[-1])
        if not found:
            raise FixConflict(f"`{show(path)}` does not exist")
        if not same(old, edit.value):
            parent[path[-1]] = nodes.value(edit.value, old)
    elif op in ("add", "merge"):
        if edit.key is None:
            raise FixConflict(f"`{op}` needs a key")
        if op == "merge" and _create_missing(root, path, edit.key, edit.value, nodes):
            return
        target = _mapping_at(root, path)
        if edit.key in target:
            if same(target[edit.key], edit.value):
                return
            if op == "add":
                raise FixConflict(f"`{show((*path, edit.key))}` already exists")
        nodes.block(target)
        nodes.put(target, edit.key, edit.value, target.get(edit.key))
    elif op == "remove":
        if not path:
            raise FixConflict("`remove` needs a path")
        parent = resolve(root, path[:-1])
        found, _ = _child(parent, path[-1])
        if not found:
            raise FixConflict(f"`{show(path)}` does not exist")
        nodes.detach(parent, path[-1])
        del parent[path[-1]]
        if len(parent) == 0 and len(path) >= 2:
            # An empty block collection is written `{}` or `[]`; a fresh one carries none of
            # the old one's comment anchors, which ruamel would misplace.
            grand = resolve(root, path[:-2])
            grand[path[-2]] = nodes.empty(parent)
    elif op == "append":
        _append(root, path, edit.value, nodes)
    elif op == "add_document":
        raise FixConflict("`add_document` is applied to the stream, not to a document")
    else:
        raise FixConflict(f"unknown edit op `{op}`")


def _append(root: Any, path: YamlPath, value: object, nodes: Nodes) -> None:
    if not path:
        raise FixConflict("`append` needs a path")
    parent = resolve(root, path[:-1])
    found, seq = _child(parent, path[-1])
    if not found or seq is None:
        if not isinstance(parent, MutableMapping) or not isinstance(path[-1], str):
            raise FixConflict(f"`{show(path)}` does not exist")
        nodes.block(parent)
        parent[path[-1]] = nodes.value([value])
        return
    if not isinstance(seq, MutableSequence):
        raise FixConflict(f"`{show(path)}` is not a list")
    if any(same(item, value) for item in seq):
        return
    nodes.block(seq)
    nodes.push(seq, value)


def owned_path(edit: Edit) -> tuple[str, YamlPath]:
    """The op and the part of the document an edit may change."""
    if edit.op in ("add", "merge") and edit.key is not None:
        return (edit.op, (*edit.path, edit.key))
    if edit.op == "remove" and edit.path and isinstance(edit.path[-1], int):
        return (edit.op, edit.path[:-1])  # removing an item shifts the indices after it
    return (edit.op, edit.path)


def anchor(fix: Fix) -> YamlPath:
    """The deepest path all of a fix's edits lie under (`add_document` aside)."""
    paths = [owned_path(edit)[1] for edit in fix.edits if edit.op != "add_document"]
    if not paths:
        return ()
    prefix = paths[0]
    for path in paths[1:]:
        n = 0
        while n < min(len(prefix), len(path)) and prefix[n] == path[n]:
            n += 1
        prefix = prefix[:n]
    return prefix


def nested(a: YamlPath, b: YamlPath) -> bool:
    shorter = min(len(a), len(b))
    return a[:shorter] == b[:shorter]


def overlaps(a: tuple[str, YamlPath], b: tuple[str, YamlPath]) -> bool:
    """Whether two fixes touch nested parts and so must not share a pass (the second is
    retried after re-linting); appends to one list commute and do not count."""
    if a[0] == b[0] == "append" and a[1] == b[1]:
        return False
    if "add_document" in (a[0], b[0]):
        return False
    shorter = min(len(a[1]), len(b[1]))
    return a[1][:shorter] == b[1][:shorter]
