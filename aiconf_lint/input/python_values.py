"""Python literals as YAML nodes: the bridge that lets every YAML rule judge Python sources.

A rule reads plain data and resolves its findings through node marks (`source.span_of`). So a
Python expression is turned into both at once: the plain value a manifest would hold, and a
`yaml.Node` tree whose marks are the Python positions of the literals. A rule then reports on
the Python line and column without knowing it read Python, and no rule is written twice.

Only literals are judged. A name is followed to its assignment when it is assigned exactly once
in the same function or at module level (three hops at most); anything computed at run time
(a call we do not know, an f-string, arithmetic) is left out, so the rules see nothing there
rather than a guess.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import libcst as cst
import yaml
from libcst.metadata import CodeRange

from aiconf_lint.input.python_calls import is_cdk8s_props, model_kind
from aiconf_lint.records import record

STR_TAG = "tag:yaml.org,2002:str"
INT_TAG = "tag:yaml.org,2002:int"
FLOAT_TAG = "tag:yaml.org,2002:float"
BOOL_TAG = "tag:yaml.org,2002:bool"
NULL_TAG = "tag:yaml.org,2002:null"
MAP_TAG = "tag:yaml.org,2002:map"
SEQ_TAG = "tag:yaml.org,2002:seq"

_MAX_NAME_HOPS = 3
_CAMEL_RE = re.compile(r"_([a-z0-9])")
# Python keywords the client renames with a trailing underscore, or a snake name that does not
# camel-case mechanically.
_KEY_EXCEPTIONS = {"_from": "from", "_continue": "continue", "x_kubernetes": "x-kubernetes"}


@record(frozen=True)
class Value:
    """A Python expression as a manifest would hold it: plain data plus its positioned node."""

    data: object
    node: yaml.Node


def camel(name: str) -> str:
    """The manifest key of a Python keyword argument (`node_selector` -> `nodeSelector`)."""
    if name in _KEY_EXCEPTIONS:
        return _KEY_EXCEPTIONS[name]
    return _CAMEL_RE.sub(lambda m: m.group(1).upper(), name.rstrip("_"))


def dotted_name(expr: cst.BaseExpression) -> str | None:
    """`k8s.client.V1Pod` for an attribute chain of names, else None."""
    if isinstance(expr, cst.Name):
        return expr.value
    if isinstance(expr, cst.Attribute):
        base = dotted_name(expr.value)
        return f"{base}.{expr.attr.value}" if base else None
    return None


class Positions:
    """Marks for libcst nodes: libcst is 1-based in lines, libyaml (and `span_of`) 0-based."""

    def __init__(self, ranges: Mapping[cst.CSTNode, CodeRange], path: str) -> None:
        self._ranges = ranges
        self._path = path

    def marks(self, node: cst.CSTNode) -> tuple[yaml.Mark, yaml.Mark]:
        code_range = self._ranges[node]
        start = yaml.Mark(self._path, 0, code_range.start.line - 1, code_range.start.column, "", 0)
        end = yaml.Mark(self._path, 0, code_range.end.line - 1, code_range.end.column, "", 0)
        return start, end

    def scalar(self, node: cst.CSTNode, data: object, tag: str, text: str) -> Value:
        start, end = self.marks(node)
        return Value(data, yaml.ScalarNode(tag, text, start, end))

    def mapping(
        self, node: cst.CSTNode, entries: list[tuple[Value, Value]], data: dict[str, object]
    ) -> Value:
        start, end = self.marks(node)
        pairs = [(key.node, value.node) for key, value in entries]
        return Value(data, yaml.MappingNode(MAP_TAG, pairs, start, end))

    def sequence(self, node: cst.CSTNode, items: list[Value]) -> Value:
        start, end = self.marks(node)
        nodes = [item.node for item in items]
        return Value([item.data for item in items], yaml.SequenceNode(SEQ_TAG, nodes, start, end))

    def key(self, node: cst.CSTNode, name: str) -> Value:
        return self.scalar(node, name, STR_TAG, name)


class Scope:
    """Names assigned exactly once, per function and at module level: what may be followed."""

    def __init__(self, module: cst.Module) -> None:
        self._assigned: dict[tuple[int, str], cst.BaseExpression | None] = {}
        self._module = module
        self._collect(module.body, 0)

    def _collect(self, body: object, scope_id: int, conditional: bool = False) -> None:
        for statement in body if isinstance(body, Sequence) else ():
            if isinstance(statement, cst.SimpleStatementLine):
                for small in statement.body:
                    self._record(small, scope_id, conditional)
            elif isinstance(statement, cst.FunctionDef | cst.ClassDef):
                self._collect(_block(statement.body), id(statement))
            elif isinstance(statement, cst.With):
                # `with DAG(...) as dag:` always runs its body: Airflow DAGs live there.
                self._collect(_block(statement.body), scope_id, conditional)
            elif isinstance(statement, cst.If | cst.For | cst.While | cst.Try):
                # An assignment that may not run makes its name ambiguous: never followed.
                self._collect(_block(statement.body), scope_id, conditional=True)

    def _record(self, small: cst.BaseSmallStatement, scope_id: int, conditional: bool) -> None:
        targets: list[cst.BaseAssignTargetExpression] = []
        value: cst.BaseExpression | None = None
        if isinstance(small, cst.Assign):
            targets = [t.target for t in small.targets]
            value = small.value
        elif isinstance(small, cst.AnnAssign):
            targets = [small.target]
            value = small.value
        elif isinstance(small, cst.AugAssign):
            targets = [small.target]
        for target in targets:
            if isinstance(target, cst.Name):
                key = (scope_id, target.value)
                # A second assignment makes the name ambiguous: never follow it.
                ambiguous = conditional or key in self._assigned
                self._assigned[key] = None if ambiguous else value

    def lookup(self, name: str, scopes: tuple[int, ...]) -> cst.BaseExpression | None:
        for scope_id in scopes:
            key = (scope_id, name)
            if key in self._assigned:
                return self._assigned[key]
        return None


def _block(body: cst.BaseSuite) -> Sequence[cst.BaseStatement]:
    if isinstance(body, cst.IndentedBlock):
        return body.body
    return ()


class Converter:
    """Turns expressions into `Value`s; `seen` collects every call it consumed."""

    def __init__(self, positions: Positions, scope: Scope) -> None:
        self.positions = positions
        self.scope = scope
        self.consumed: set[int] = set()

    def convert(
        self, expr: cst.BaseExpression, scopes: tuple[int, ...], hops: int = 0
    ) -> Value | None:
        pos = self.positions
        if isinstance(expr, cst.SimpleString):
            text = expr.evaluated_value
            if isinstance(text, bytes):
                return None
            return pos.scalar(expr, text, STR_TAG, text)
        if isinstance(expr, cst.Integer):
            number = int(expr.value.replace("_", ""), 0)
            return pos.scalar(expr, number, INT_TAG, str(number))
        if isinstance(expr, cst.Float):
            real = float(expr.value.replace("_", ""))
            return pos.scalar(expr, real, FLOAT_TAG, expr.value)
        if isinstance(expr, cst.UnaryOperation) and isinstance(expr.operator, cst.Minus):
            inner = self.convert(expr.expression, scopes, hops)
            if inner is not None and isinstance(inner.data, int | float):
                text = f"-{inner.data}"
                return pos.scalar(expr, -inner.data, inner.node.tag, text)
            return None
        if isinstance(expr, cst.Name):
            return self._name(expr, scopes, hops)
        if isinstance(expr, cst.Dict):
            return self._dict(expr, scopes, hops)
        if isinstance(expr, cst.List | cst.Tuple):
            items = [
                value
                for element in expr.elements
                if isinstance(element, cst.Element)
                and (value := self.convert(element.value, scopes, hops)) is not None
            ]
            return pos.sequence(expr, items)
        if isinstance(expr, cst.Call):
            return self.call(expr, scopes, hops)
        return None

    def _name(self, expr: cst.Name, scopes: tuple[int, ...], hops: int) -> Value | None:
        literal = {"True": True, "False": False, "None": None}
        if expr.value in literal:
            data = literal[expr.value]
            tag = NULL_TAG if data is None else BOOL_TAG
            return self.positions.scalar(expr, data, tag, expr.value.lower())
        if hops >= _MAX_NAME_HOPS:
            return None
        target = self.scope.lookup(expr.value, scopes)
        if target is None:
            return None
        return self.convert(target, scopes, hops + 1)

    def _dict(self, expr: cst.Dict, scopes: tuple[int, ...], hops: int) -> Value | None:
        entries: list[tuple[Value, Value]] = []
        data: dict[str, object] = {}
        for element in expr.elements:
            if not isinstance(element, cst.DictElement):
                continue
            key = self.convert(element.key, scopes, hops)
            if key is None or not isinstance(key.data, str):
                continue
            value = self.convert(element.value, scopes, hops)
            if value is None:
                continue
            entries.append((key, value))
            data[key.data] = value.data
        return self.positions.mapping(expr, entries, data)

    def keywords(
        self,
        call: cst.Call,
        scopes: tuple[int, ...],
        hops: int,
        rename: Mapping[str, str] | None = None,
        only: frozenset[str] | None = None,
    ) -> tuple[list[tuple[Value, Value]], dict[str, object]]:
        """Keyword arguments as manifest entries (`node_selector=` -> `nodeSelector`)."""
        entries: list[tuple[Value, Value]] = []
        data: dict[str, object] = {}
        for arg in call.args:
            if arg.keyword is None or arg.star:
                continue
            name = arg.keyword.value
            if only is not None and name not in only:
                continue
            manifest_key = (rename or {}).get(name) or camel(name)
            value = self.convert(arg.value, scopes, hops)
            if value is None:
                continue
            entries.append((self.positions.key(arg.keyword, manifest_key), value))
            data[manifest_key] = value.data
        return entries, data

    def call(self, expr: cst.Call, scopes: tuple[int, ...], hops: int) -> Value | None:
        name = dotted_name(expr.func)
        if name is None:
            return None
        tail = name.rsplit(".", 1)[-1]
        if tail in {"from_number", "from_string"} and ".Quantity." in f".{name}":
            # cdk8s `k8s.Quantity.from_number(1)`: the quantity is the argument.
            if expr.args and expr.args[0].keyword is None:
                return self.convert(expr.args[0].value, scopes, hops)
            return None
        if tail == "dict" and name == "dict":
            entries, data = self.keywords(expr, scopes, hops, rename=_IDENTITY)
            self.consumed.add(id(expr))
            return self.positions.mapping(expr, entries, data)
        if model_kind(tail) is None and not is_cdk8s_props(name):
            return None
        entries, data = self.keywords(expr, scopes, hops)
        self.consumed.add(id(expr))
        return self.positions.mapping(expr, entries, data)


class _Identity(dict[str, str]):
    def get(self, key: str, default: str | None = None) -> str:  # type: ignore[override]
        return key


_IDENTITY = _Identity()
