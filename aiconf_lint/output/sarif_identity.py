"""Identity for SARIF results: YAML path text, logical names, and stable fingerprints.

GitHub matches alerts by `primaryLocationLineHash`, which `upload-sarif` computes from line
content; we leave it alone. `aiconfLogicalId/v1` is ours, for other consumers: a hash of the
rule, the file, the object (API group, kind, namespace, name) and the YAML path with list items
named, so it survives moved lines, inserted sidecars and `v1beta1` -> `v1` bumps.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache

import yaml

from aiconf_lint.input.load import compose_nodes
from aiconf_lint.input.positions import Positions
from aiconf_lint.model import Finding, ObjectRef, YamlPath
from aiconf_lint.output.lines import line_at

FINGERPRINT_KEY = "aiconfLogicalId/v1"


# `\w` is what `str.isalnum()` accepts, and `_`.
_PLAIN_STEP = re.compile(r"[\w-]+")


@lru_cache(maxsize=4096)
def _segment(step: str | int, first: bool) -> str:
    """One path step as written in a fingerprint; paths repeat, so each is spelled once."""
    if isinstance(step, int):
        return f"[{step}]"
    if _PLAIN_STEP.fullmatch(step):
        return step if first else f".{step}"
    return f"[{json.dumps(step)}]"


def yaml_path_text(path: YamlPath) -> str:
    """`spec.containers[0].resources.limits["nvidia.com/gpu"]`: readable and unambiguous."""
    return "".join(_segment(step, i == 0) for i, step in enumerate(path))


def qualified_name(obj: ObjectRef) -> str:
    parts = [obj.api_version, obj.kind]
    if obj.namespace:
        parts.append(obj.namespace)
    parts.append(obj.name)
    return "/".join(parts)


def _object_identity(obj: ObjectRef | None) -> str:
    # The API group, not the version: moving `resource.k8s.io/v1beta1` to `v1` (what several
    # rules ask for) must not close the alert and open a new one.
    if obj is None:
        return ""
    group = obj.api_version.rpartition("/")[0]
    return "/".join((group, obj.kind, obj.namespace or "", obj.name))


def documents(text: str) -> list[yaml.Node]:
    """The document nodes of `text`, numbered as the loader numbers them (`Location.doc_index`).

    Composing builds nodes only (no alias expansion), with the loader's caching resolver;
    documents after a syntax error are lost, and findings in them fall back to plain indices.
    """
    return [node for node in compose_nodes(text) if node is not None]


def _item_name(node: yaml.Node) -> str | None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == "name" and isinstance(value, yaml.ScalarNode) and value.value:
                return str(value.value)
    return None


def identity_path(root: yaml.Node | None, path: YamlPath) -> str:
    """`path` with each list index replaced by the item's `name` where it has one.

    `containers[name="trainer"]` stays the same when a sidecar is inserted before `trainer`;
    `containers[0]` would not.
    """
    node = root
    out = ""
    for i, step in enumerate(path):
        child: yaml.Node | None = None
        name = None
        if isinstance(node, yaml.SequenceNode) and isinstance(step, int):
            child = node.value[step] if 0 <= step < len(node.value) else None
            name = None if child is None else _item_name(child)
        elif isinstance(node, yaml.MappingNode):
            child = next((v for k, v in node.value if k.value == str(step)), None)
        out += f"[name={json.dumps(name)}]" if name is not None else _segment(step, i == 0)
        node = child
    return out


def _from_tree(
    trees: Trees | None,
    readers: dict[str, _TreeReader],
    file: str,
    text: str,
    index: int,
    path: YamlPath,
) -> str | None:
    found = trees.get(file) if trees is not None else None
    if found is None or found[0] is not text or index not in found[1]:
        return None  # not this text's table (a template a render was mapped to, a stream)
    reader = readers.get(file)
    if reader is None:
        reader = readers[file] = _TreeReader(text)
    return reader.path(found[1][index], path)


def fingerprint_base(finding: Finding, uri: str, text: str | None, anchor: str | None) -> str:
    """Everything that identifies a finding except where it sits in the file: its object's
    `identity_path` (`anchor`), or for file-level problems the offending line's text."""
    loc = finding.location
    anchor = anchor or ""
    if loc.obj is None:
        # File-level problems (SYN) have no object or path: use the offending line's text.
        anchor = (line_at(text, loc.span.line) or "").strip()
    return "\x1f".join((finding.code, uri, _object_identity(loc.obj), anchor))


Trees = Mapping[str, tuple[str, Mapping[int, Positions]]]
"""File -> (the text the run read, the position table of each document by index)."""

_BREAKS = ("\x85", "\u2028", "\u2029")
_NOT_PLAIN = tuple("'\"|>&*!%@`")


class _TreeReader:
    """`identity_path` read from a document's position table and its text, without composing
    the file again, or None where the text alone cannot tell what the node tree would.

    The table has the node tree's shape (entries in order, duplicate and merge keys as
    written, key texts); what it lacks is a scalar's value, which for an item's `name` is read
    from the text: exact for a plain scalar on one ASCII line, and anything else (quoted,
    tagged, anchored, folded) is left to the composed tree, as is a file with line breaks other
    than `\n` and `\r\n`.
    """

    __slots__ = ("lines",)

    def __init__(self, text: str) -> None:
        # libyaml breaks lines at `\r\n`, `\n`, and also at a lone `\r`, NEL, LS and PS:
        # with any of the last four, line numbers are not `\n`-separated lines.
        lone_cr = text.count("\r") != text.count("\r\n")
        odd = lone_cr or any(b in text for b in _BREAKS)
        self.lines = None if odd else text.split("\n")

    def path(self, positions: Positions, path: YamlPath) -> str | None:
        if self.lines is None:
            return None
        tree: object = positions.root
        out = ""
        for i, step in enumerate(path):
            child: object = None
            name: str | None = None
            if isinstance(tree, tuple) and tree[0] < 0 and isinstance(step, int):
                child = tree[step + 1] if 0 <= step < len(tree) - 1 else None
                if child is not None:
                    found = self._item_name(positions, child)
                    if found is _UNSURE:
                        return None
                    name = found  # type: ignore[assignment]
            elif isinstance(tree, tuple) and tree[0] >= 0:
                wanted = str(step)
                child = next(
                    (tree[j + 2] for j in range(1, len(tree), 3) if tree[j] == wanted), None
                )
            out += f"[name={json.dumps(name)}]" if name is not None else _segment(step, i == 0)
            tree = child
        return out

    def _item_name(self, positions: Positions, item: object) -> object:
        if not (isinstance(item, tuple) and item[0] >= 0):
            return None
        for j in range(1, len(item), 3):
            value = item[j + 2]
            if item[j] != "name" or not isinstance(value, int):
                continue
            raw = self._plain(positions, value)
            if raw is _UNSURE or raw:
                return raw
        return None

    def _plain(self, positions: Positions, number: int) -> object:
        """The value of scalar `number` when it is plain and on one ASCII line."""
        assert self.lines is not None
        line, column, end_line, end_column = positions.marks[number * 4 : number * 4 + 4]
        if line != end_line or line >= len(self.lines):
            return _UNSURE
        text = self.lines[line]
        raw = text[column:end_column]
        if not text.isascii() or raw.startswith(_NOT_PLAIN):
            return _UNSURE
        return raw


_UNSURE = object()


def fingerprints(
    findings: Sequence[Finding],
    uri_of: Callable[[str], str],
    texts: dict[str, str],
    trees: Trees | None = None,
) -> list[str]:
    """One stable hash per finding; repeats of the same identity get `:2`, `:3` in file order.

    `trees`: the position tables of the run, which spare composing a file again for most
    findings (a 14 MB stream took 1.3 s); the composed tree answers the rest, identically.
    """
    seen: Counter[str] = Counter()
    parsed: dict[str, list[yaml.Node]] = {}
    readers: dict[str, _TreeReader] = {}
    out = []
    for finding in findings:
        loc = finding.location
        text = texts.get(loc.file)
        anchor = None
        if loc.obj is not None:
            if text is not None:
                anchor = _from_tree(trees, readers, loc.file, text, loc.doc_index, loc.path)
            if anchor is None:
                root = None
                if text is not None:
                    if loc.file not in parsed:
                        parsed[loc.file] = documents(text)
                    nodes = parsed[loc.file]
                    root = nodes[loc.doc_index] if 0 <= loc.doc_index < len(nodes) else None
                anchor = identity_path(root, loc.path)
        base = fingerprint_base(finding, uri_of(loc.file), text, anchor)
        seen[base] += 1
        digest = hashlib.sha256(base.encode("utf-8")).hexdigest()[:32]
        out.append(f"{digest}:{seen[base]}")
    return out
