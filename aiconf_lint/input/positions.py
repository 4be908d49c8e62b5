"""Where every node of a document sits, kept compactly once its data is built.

libyaml's node trees cost about 20 bytes of memory per byte of YAML (a Python object, an
attribute dict and two marks per node): 300 MB for a 14 MB stream, kept for the whole run only
so that findings can point at lines. This table keeps what `span_of` needs and nothing else:
four 32-bit integers per node (start line, start column, end line, end column, 0-based as in
libyaml's marks) in one array per document, and the shape of the tree as one flat tuple per
collection. Node numbers below 257 are Python's shared small integers, so a typical document
costs its array plus about one tuple slot per node.

Trees: a scalar is its node number; a mapping is `(number, key text, key number, value, ...)`,
three slots per entry, a key text being None for a key that is not a scalar (no path can name
it); a sequence is `(-1 - number, child, ...)`, the negative head telling it apart.
"""

from __future__ import annotations

from array import array
from typing import TypeAlias

import yaml

from aiconf_lint.model import Span, YamlPath

Tree: TypeAlias = "int | tuple[object, ...]"
"""A node: its number (scalar), or a flat tuple headed by its number (see above)."""


class Positions:
    """The marks and shape of one document's node tree."""

    __slots__ = ("marks", "root")

    def __init__(self, marks: array[int], root: Tree) -> None:
        self.marks = marks
        self.root = root

    @classmethod
    def of(cls, node: yaml.Node, shared: bool = False) -> Positions:
        """Record a composed document; `shared`: the file has anchors, so nodes may recur."""
        marks: list[int] = []
        root = _record_shared(node, marks, {}) if shared else _record(node, marks)
        return cls(array("i", marks), root)

    @property
    def start_line(self) -> int:
        """0-based line where the document's root node starts."""
        return self.marks[0]

    def _span(self, number: int) -> Span:
        m = self.marks
        at = number * 4
        return Span(m[at] + 1, m[at + 1] + 1, m[at + 2] + 1, m[at + 3] + 1)

    def _first_line_span(self, number: int) -> Span:
        """A collection's span, clipped to its first line: a caret under 40 lines helps nobody."""
        m = self.marks
        at = number * 4
        if m[at + 2] == m[at]:
            return self._span(number)
        return Span(m[at] + 1, m[at + 1] + 1, m[at] + 1, m[at + 1] + 2)

    def span(self, path: YamlPath, key_only: bool = False) -> tuple[Span, bool]:
        """Same contract as `source.span_of` on the node tree this table was made from."""
        tree: Tree = self.root
        key: int | None = None
        for step in path:
            child_key, child = _find_child(tree, step)
            if child is None:
                if key is not None:
                    return self._span(key), False
                return self._first_line_span(_number(tree)), False
            tree, key = child, child_key
        if key is not None and (key_only or not isinstance(tree, int)):
            return self._span(key), True
        if isinstance(tree, int):
            return self._span(tree), True
        return self._first_line_span(_number(tree)), True


def _number(tree: Tree) -> int:
    if isinstance(tree, int):
        return tree
    head = tree[0]
    assert isinstance(head, int)
    return head if head >= 0 else -1 - head


def _find_child(tree: Tree, step: str | int) -> tuple[int | None, Tree | None]:
    """(key number, value) for one path step; the last duplicate key wins, as in data."""
    if isinstance(tree, int):
        return None, None
    head = tree[0]
    assert isinstance(head, int)
    if head >= 0:  # a mapping: (number, text, key number, value, ...)
        wanted = str(step)
        for i in range(len(tree) - 3, 0, -3):
            if tree[i] == wanted:
                return tree[i + 1], tree[i + 2]  # type: ignore[return-value]
        return None, None
    if isinstance(step, int) and 0 <= step < len(tree) - 1:
        return None, tree[step + 1]  # type: ignore[return-value]
    return None, None


_SCALAR = yaml.ScalarNode
_MAPPING = yaml.MappingNode


def _record(node: yaml.Node, marks: list[int]) -> Tree:
    """Number the nodes of a tree without aliases in document order, appending their marks.

    Scalars, most of the nodes, are recorded inline by their parent, and the marks go to a
    list first (`+=` on a list is the cheapest append there is): a third of the walk's cost.
    """
    number = len(marks) >> 2
    start, end = node.start_mark, node.end_mark
    marks += (start.line, start.column, end.line, end.column)
    cls = node.__class__
    if cls is _SCALAR:
        return number
    if cls is _MAPPING:
        entries: list[object] = [number]
        for key_node, value_node in node.value:
            if key_node.__class__ is _SCALAR:
                entries.append(key_node.value)
                entries.append(len(marks) >> 2)
                start, end = key_node.start_mark, key_node.end_mark
                marks += (start.line, start.column, end.line, end.column)
            else:
                entries.append(None)
                entries.append(_number(_record(key_node, marks)))
            if value_node.__class__ is _SCALAR:
                entries.append(len(marks) >> 2)
                start, end = value_node.start_mark, value_node.end_mark
                marks += (start.line, start.column, end.line, end.column)
            else:
                entries.append(_record(value_node, marks))
        return tuple(entries)
    children: list[object] = [-1 - number]
    for child in node.value:
        if child.__class__ is _SCALAR:
            children.append(len(marks) >> 2)
            start, end = child.start_mark, child.end_mark
            marks += (start.line, start.column, end.line, end.column)
        else:
            children.append(_record(child, marks))
    return tuple(children)


def _record_shared(node: yaml.Node, marks: list[int], seen: dict[int, Tree]) -> Tree:
    """`_record` for a file with anchors: an alias is the same node object, recorded once."""
    known = seen.get(id(node))
    if known is not None:
        return known
    number = len(marks) >> 2
    start, end = node.start_mark, node.end_mark
    marks += (start.line, start.column, end.line, end.column)
    result: Tree
    if node.__class__ is _SCALAR:
        result = number
    elif node.__class__ is _MAPPING:
        entries: list[object] = [number]
        for key_node, value_node in node.value:
            entries.append(key_node.value if key_node.__class__ is _SCALAR else None)
            entries.append(_number(_record_shared(key_node, marks, seen)))
            entries.append(_record_shared(value_node, marks, seen))
        result = tuple(entries)
    else:
        result = (-1 - number, *[_record_shared(child, marks, seen) for child in node.value])
    seen[id(node)] = result
    return result
