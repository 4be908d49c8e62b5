"""Build plain Python data from libyaml's node tree, within bounds, in one pass.

PyYAML's `SafeConstructor` is pure Python and generic; on rendered manifests it cost more than
libyaml's parse itself. Almost every scalar in a manifest is a plain string whose tag libyaml
already resolved, so this builder takes a fast path for those and hands anything unusual
(timestamps, binary, merge keys, `!!set`) to `SafeConstructor`, keeping PyYAML's semantics.
The same pass enforces the depth and alias-expansion bounds, so nothing walks the tree twice.
"""

from __future__ import annotations

import sys

import yaml

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_NULL = "tag:yaml.org,2002:null"
_BOOL = "tag:yaml.org,2002:bool"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_MERGE = "tag:yaml.org,2002:merge"
_TRUE = frozenset({"yes", "true", "on", "y"})


_SCALAR = yaml.ScalarNode


def _key(node: yaml.ScalarNode) -> str:
    """A mapping key, interned and put back on the node (where positions read it).

    Every copy of a manifest repeats the same few hundred keys: one string each instead of one
    per occurrence saved 15 MB on a 14 MB stream.
    """
    text: str = sys.intern(node.value)
    node.value = text
    return text


_SHORT = 64


def _value(node: yaml.ScalarNode) -> str:
    """A string value, interned when short.

    Labels, images, kinds of ports and resource names recur across the documents of a chart
    and across copies of it; a long value (a script, a config file) is left alone, since
    hashing it would cost more than it can save.
    """
    text: str = node.value
    return sys.intern(text) if len(text) < _SHORT else text


class TooComplexError(Exception):
    """The document is beyond the configured bounds (reported as SYN003)."""


class _Fallback(Exception):
    """The document uses a feature the fast path leaves to `SafeConstructor` (merge keys)."""


class UnhashableKeyError(Exception):
    def __init__(self, mark: yaml.Mark) -> None:
        super().__init__("a mapping key is itself a mapping or sequence")
        self.mark = mark


class Builder:
    """One document's construction; `memo` keeps aliases shared, as PyYAML does."""

    def __init__(
        self,
        constructor: yaml.constructor.SafeConstructor,
        max_depth: int,
        max_alias_expansion: int,
    ) -> None:
        self.constructor = constructor
        self.max_depth = max_depth
        self.max_extra = max_alias_expansion
        self.memo: dict[int, tuple[object, int]] = {}
        self.expanded = 0
        self.distinct = 0

    def build(self, node: yaml.Node, has_anchors: bool = True) -> object:
        """Construct one document; without anchors in the file, no alias can need counting."""
        try:
            if has_anchors:
                return self._build(node, 1)
            return self._build_plain(node, 1)
        except _Fallback:
            return self.constructor.construct_document(node)

    def _build_plain(self, node: yaml.Node, depth: int) -> object:
        """The hot path for files with no `&anchor`: no memo, no expansion accounting."""
        if depth > self.max_depth:
            raise TooComplexError(f"nesting deeper than {self.max_depth} levels")
        cls = node.__class__
        if cls is yaml.ScalarNode:
            return _value(node) if node.tag == _STR else self._scalar(node)  # type: ignore[arg-type]
        build = self._build_plain
        depth += 1
        # Plain string scalars, most of a manifest, are taken in the comprehension: a call per
        # scalar was a third of the walk. Their depth is checked once for the whole collection.
        if cls is yaml.MappingNode and node.tag == _MAP:
            if depth > self.max_depth and node.value:
                raise TooComplexError(f"nesting deeper than {self.max_depth} levels")
            try:
                return {
                    (_key(k) if k.__class__ is _SCALAR and k.tag == _STR else build(k, depth)): (
                        _value(v) if v.__class__ is _SCALAR and v.tag == _STR else build(v, depth)
                    )
                    for k, v in node.value
                }
            except TypeError:
                raise UnhashableKeyError(_first_unhashable(node)) from None
        if cls is yaml.SequenceNode and node.tag == _SEQ:
            if depth > self.max_depth and node.value:
                raise TooComplexError(f"nesting deeper than {self.max_depth} levels")
            return [
                _value(c) if c.__class__ is _SCALAR and c.tag == _STR else build(c, depth)
                for c in node.value
            ]
        return self.constructor.construct_object(node, deep=True)

    def _scalar(self, node: yaml.ScalarNode) -> object:
        tag = node.tag
        value: str = node.value
        if tag == _INT and value.isdigit() and (value == "0" or value[0] != "0"):
            return int(value)
        if tag == _NULL:
            return None
        if tag == _BOOL:
            return value.lower() in _TRUE
        if tag == _MERGE:
            raise _Fallback
        return self.constructor.construct_object(node, deep=True)

    def _build(self, node: yaml.Node, depth: int) -> object:
        if depth > self.max_depth:
            raise TooComplexError(f"nesting deeper than {self.max_depth} levels")
        cls = node.__class__
        if cls is yaml.ScalarNode:
            self.expanded += 1
            self.distinct += 1
            return _value(node) if node.tag == _STR else self._scalar(node)  # type: ignore[arg-type]
        key = id(node)
        hit = self.memo.get(key)
        if hit is not None:
            self.expanded += hit[1]
            if self.expanded - self.distinct > self.max_extra:
                raise TooComplexError(
                    f"aliases expand to more than {self.max_extra:,} extra nodes (an alias bomb?)"
                )
            return hit[0]
        start = self.expanded
        self.expanded += 1
        self.distinct += 1
        result: object
        if cls is yaml.MappingNode and node.tag == _MAP:
            mapping: dict[object, object] = {}
            for key_node, value_node in node.value:
                if key_node.__class__ is _SCALAR and key_node.tag == _STR:
                    self.expanded += 1  # as `_build` counts a scalar; its value fails on depth
                    self.distinct += 1
                    item_key: object = _key(key_node)
                else:
                    item_key = self._build(key_node, depth + 1)
                try:
                    mapping[item_key] = self._build(value_node, depth + 1)
                except TypeError:
                    raise UnhashableKeyError(key_node.start_mark) from None
            result = mapping
        elif cls is yaml.SequenceNode and node.tag == _SEQ:
            result = [self._build(child, depth + 1) for child in node.value]
        else:
            result = self.constructor.construct_object(node, deep=True)
        self.memo[key] = (result, self.expanded - start)
        return result


def _first_unhashable(node: yaml.Node) -> yaml.Mark:
    mark: yaml.Mark = node.start_mark
    for key_node, _ in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            mark = key_node.start_mark
            break
    return mark
