"""What DRA005 asks of a parsed selector: its result type, undeclared names, unguarded reads.

The DRA CEL environment declares one variable, `device` (`driver`, `attributes`, `capacity`,
`allowMultipleAllocations`), and the API server rejects a selector whose type is not bool.
Attribute types are only known for the drivers documented in the domain notes; an attribute
of unknown type may be a bool attribute (Intel's `sriov`), so it is never called non-bool.
"""

from __future__ import annotations

from collections.abc import Iterator

from aiconf_lint.records import record
from aiconf_lint.rules.dra._cel import Node
from aiconf_lint.rules.dra._dra_attributes import (
    CLASS_PUBLISHES,
    DRIVER_PUBLISHES,
    NON_BOOL_ATTRIBUTES,
    TYPE_CLASSES,
)

_BOOL_FUNCTIONS = frozenset({"has", "matches", "isQuantity", "isSemver"})
_BOOL_METHODS = frozenset(
    [
        "startsWith",
        "endsWith",
        "contains",
        "matches",
        "all",
        "exists",
        "exists_one",
        "isGreaterThan",
        "isLessThan",
        "includes",
    ]
)
_VALUE_FUNCTIONS = frozenset(
    [
        "size",
        "int",
        "uint",
        "double",
        "string",
        "bytes",
        "quantity",
        "semver",
        "duration",
        "timestamp",
    ]
)
_VALUE_METHODS = frozenset(
    [
        "compareTo",
        "size",
        "map",
        "filter",
        "asInteger",
        "asApproximateFloat",
        "add",
        "sub",
        "sign",
        "lowerAscii",
        "upperAscii",
        "trim",
        "replace",
        "split",
        "join",
        "format",
        "substring",
        "charAt",
        "indexOf",
        "lastIndexOf",
        "major",
        "minor",
        "patch",
        "getMilliValue",
    ]
)
_COMPREHENSIONS = frozenset({"all", "exists", "exists_one", "map", "filter"})
_TYPE_NAMES = frozenset(
    {"int", "uint", "double", "bool", "string", "bytes", "list", "map", "null_type", "type", "dyn"}
)


def _literal_string(node: Node) -> str | None:
    return (
        node.text
        if node.kind == "lit" and node.value == "string" and isinstance(node.text, str)
        else None
    )


def _is_device(node: Node) -> bool:
    return node.kind == "ident" and node.value == "device"


def _device_map(node: Node) -> str | None:
    """`attributes`/`capacity` for `device.attributes` / `device.capacity`."""
    if (
        node.kind == "select"
        and _is_device(node.args[0])
        and node.value in ("attributes", "capacity")
    ):
        return node.value
    return None


@record(frozen=True)
class DeviceRead:
    """`device.<map>['<domain>'].<name>` (or `['<name>']`)."""

    map: str
    domain: str
    name: str

    def display(self) -> str:
        return f"device.{self.map}['{self.domain}'].{self.name}"


def device_read(node: Node) -> DeviceRead | None:
    if node.kind == "select":
        target, name = node.args[0], node.value
    elif node.kind == "index":
        target, literal = node.args
        key = _literal_string(literal)
        if key is None:
            return None
        name = key
    else:
        return None
    if target.kind != "index":
        return None
    domain = _literal_string(target.args[1])
    which = _device_map(target.args[0])
    if domain is None or which is None:
        return None
    return DeviceRead(which, domain, name)


def result_type(node: Node) -> str | None:
    """`bool`, a description of a non-bool type, or None when it cannot be told."""
    kind = node.kind
    if kind == "lit":
        return "bool" if node.value == "bool" else f"a {node.value} literal"
    if kind in ("list", "map"):
        return f"a {kind}"
    if kind == "binary":
        if node.value in ("&&", "||", "in", "==", "!=", "<", "<=", ">", ">="):
            return "bool"
        return f"the result of `{node.value}` (a number, string or list)"
    if kind == "unary":
        return "bool" if node.value == "!" else "a negated number"
    if kind == "cond":
        then, other = result_type(node.args[1]), result_type(node.args[2])
        if then == "bool" and other == "bool":
            return "bool"
        if then not in (None, "bool") and other not in (None, "bool"):
            return then
        return None
    if kind == "call":
        if node.method and node.value == "bind" and len(node.args) == 4:
            return result_type(node.args[3])
        bools = _BOOL_METHODS if node.method else _BOOL_FUNCTIONS
        values = _VALUE_METHODS if node.method else _VALUE_FUNCTIONS
        if node.value in bools:
            return "bool"
        if node.value in values:
            return f"the value of `{node.value}()`"
        return None
    return _device_type(node)


def _device_type(node: Node) -> str | None:
    if _is_device(node):
        return "the `device` object"
    if node.kind == "select" and _is_device(node.args[0]):
        return {
            "driver": "a string (`device.driver`)",
            "attributes": "a map (`device.attributes`)",
            "capacity": "a map (`device.capacity`)",
            "allowMultipleAllocations": "bool",
        }.get(node.value)
    if node.kind == "index" and _device_map(node.args[0]):
        return "a map of one domain's attributes or capacities"
    read = device_read(node)
    if read is None:
        return None
    if read.map == "capacity":
        return f"a quantity (`{read.display()}`)"
    if read.name in NON_BOOL_ATTRIBUTES.get(read.domain, frozenset()):
        return f"a string, number or version (`{read.display()}`)"
    return None


def walk(node: Node) -> Iterator[Node]:
    """Every node, parents first; iterative, since `a || b || ...` nests as deep as it is long."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(current.args))


def undeclared(root: Node) -> list[str]:
    """Identifiers that the DRA environment does not declare (only `device` exists)."""
    bound: set[str] = set()
    call_names: set[int] = set()
    for node in walk(root):
        if node.kind == "call" and node.method and node.args:
            if node.value == "bind" and node.args[0].kind == "ident" and len(node.args) == 4:
                call_names.add(id(node.args[0]))
                if node.args[1].kind == "ident":
                    bound.add(node.args[1].value)
            elif node.value in _COMPREHENSIONS and len(node.args) >= 3:
                for var in node.args[1:-1]:
                    if var.kind == "ident":
                        bound.add(var.value)
    names: list[str] = []
    for node in walk(root):
        if node.kind != "ident" or id(node) in call_names:
            continue
        if node.value in bound or node.value == "device" or node.value in _TYPE_NAMES:
            continue
        if node.value not in names:
            names.append(node.value)
    return names


def _always_published(read: DeviceRead, device_class: str | None, drivers: set[str]) -> bool:
    known = CLASS_PUBLISHES.get(device_class or "")
    if known and known[0] == read.domain:
        return read.name in (known[1] if read.map == "attributes" else known[2])
    if read.map != "attributes" or read.domain not in drivers:
        return False
    if read.domain in DRIVER_PUBLISHES:
        return read.name in DRIVER_PUBLISHES[read.domain]
    by_class = CLASS_PUBLISHES.get(read.domain)
    return by_class is not None and read.name in by_class[1]


def conjuncts(node: Node) -> Iterator[Node]:
    """The terms of a top-level `a && b && c` (the expression itself otherwise)."""
    stack = [node]
    while stack:
        current = stack.pop()
        if current.kind == "binary" and current.value == "&&":
            stack.extend(reversed(current.args))
        else:
            yield current


def pinned_drivers(root: Node) -> set[str]:
    """Drivers the expression requires with a top-level `device.driver == '<driver>'`."""
    drivers: set[str] = set()
    for node in conjuncts(root):
        if node.kind == "binary" and node.value == "==":
            left, right = node.args
            for a, b in ((left, right), (right, left)):
                value = _literal_string(b)
                if value and a.kind == "select" and a.value == "driver" and _is_device(a.args[0]):
                    drivers.add(value)
    return drivers


def implied_class(root: Node) -> str | None:
    """The known class a selector narrows to with `device.attributes['<d>'].type == '<t>'`
    (how NVIDIA's own classes and custom MIG classes are written)."""
    for node in conjuncts(root):
        if node.kind == "binary" and node.value == "==":
            read, value = device_read(node.args[0]), _literal_string(node.args[1])
            if read and value and read.map == "attributes" and read.name == "type":
                found = TYPE_CLASSES.get((read.domain, value))
                if found:
                    return found
    return None


def unguarded_reads(root: Node, device_class: str | None = None) -> list[DeviceRead]:
    """Attribute/capacity reads with no `has()` or `'name' in ...` guard for the same name,
    leaving out those the class's driver publishes on every device."""
    drivers = pinned_drivers(root)
    device_class = device_class or implied_class(root)
    guarded: set[DeviceRead] = set()
    inside_has: set[int] = set()
    for node in walk(root):
        if node.kind == "call" and not node.method and node.value == "has" and node.args:
            read = device_read(node.args[0])
            if read:
                guarded.add(read)
                inside_has.add(id(node.args[0]))
        elif node.kind == "binary" and node.value == "in":
            key, container = node.args
            name = _literal_string(key)
            which = _device_map(container.args[0]) if container.kind == "index" else None
            domain = _literal_string(container.args[1]) if container.kind == "index" else None
            if name is not None and which and domain is not None:
                guarded.add(DeviceRead(which, domain, name))
    reads: list[DeviceRead] = []
    for node in walk(root):
        if id(node) in inside_has:
            continue
        read = device_read(node)
        if (
            read
            and read not in guarded
            and read not in reads
            and not _always_published(read, device_class, drivers)
        ):
            reads.append(read)
    return reads
