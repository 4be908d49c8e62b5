"""CustomResourceDefinition schemas are dropped before a document is built.

Operator install bundles are mostly CRDs, and most of a CRD is its OpenAPI schema: kserve's
`install/` holds 128 MB of them. No rule and no report detector reads a schema (the operator
detector reads `spec.group` and `spec.names`), and no finding points inside one, yet building
Python data and a position table for every schema node was most of the time a whole-repository
check took. The composed node of a CRD loses its `spec.versions[*].schema` and the
`spec.validation` of `apiextensions.k8s.io/v1beta1`; the rest of the document is kept as it is.
"""

from __future__ import annotations

import yaml

_CRD = "CustomResourceDefinition"


def _entry(node: yaml.MappingNode, key: str) -> yaml.Node | None:
    for key_node, value_node in node.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
            found: yaml.Node = value_node
            return found
    return None


def _without(node: yaml.MappingNode, key: str) -> None:
    node.value = [
        (k, v) for k, v in node.value if not (isinstance(k, yaml.ScalarNode) and k.value == key)
    ]


def drop_crd_schemas(root: yaml.Node) -> None:
    """Drop the schemas of `root` when it is a CustomResourceDefinition; anything else is
    left alone (a schema is read only from the top-level `kind` and `spec`)."""
    if not isinstance(root, yaml.MappingNode):
        return
    kind = _entry(root, "kind")
    if not (isinstance(kind, yaml.ScalarNode) and kind.value == _CRD):
        return
    spec = _entry(root, "spec")
    if not isinstance(spec, yaml.MappingNode):
        return
    _without(spec, "validation")
    versions = _entry(spec, "versions")
    if isinstance(versions, yaml.SequenceNode):
        for version in versions.value:
            if isinstance(version, yaml.MappingNode):
                _without(version, "schema")
