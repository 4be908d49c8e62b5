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
from collections.abc import Callable, Sequence
from functools import lru_cache

import yaml

from aiconf_lint.input.load import compose_nodes
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


def fingerprint_base(finding: Finding, uri: str, text: str | None, root: yaml.Node | None) -> str:
    """Everything that identifies a finding except where it sits in the file."""
    loc = finding.location
    anchor = identity_path(root, loc.path)
    if loc.obj is None:
        # File-level problems (SYN) have no object or path: use the offending line's text.
        anchor = (line_at(text, loc.span.line) or "").strip()
    return "\x1f".join((finding.code, uri, _object_identity(loc.obj), anchor))


def fingerprints(
    findings: Sequence[Finding], uri_of: Callable[[str], str], texts: dict[str, str]
) -> list[str]:
    """One stable hash per finding; repeats of the same identity get `:2`, `:3` in file order."""
    seen: Counter[str] = Counter()
    parsed: dict[str, list[yaml.Node]] = {}
    out = []
    for finding in findings:
        loc = finding.location
        text = texts.get(loc.file)
        root = None
        if loc.obj is not None and text is not None:
            if loc.file not in parsed:
                parsed[loc.file] = documents(text)
            nodes = parsed[loc.file]
            root = nodes[loc.doc_index] if 0 <= loc.doc_index < len(nodes) else None
        base = fingerprint_base(finding, uri_of(loc.file), text, root)
        seen[base] += 1
        digest = hashlib.sha256(base.encode("utf-8")).hexdigest()[:32]
        out.append(f"{digest}:{seen[base]}")
    return out
