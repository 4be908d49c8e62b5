"""The compact position table answers exactly as the node tree it replaces."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import yaml

from aiconf_lint.input.construct import Builder
from aiconf_lint.input.load import _Loader, load_text
from aiconf_lint.input.source import span_of
from aiconf_lint.model import YamlPath

TEXTS = {
    "workload": """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, labels: {app: web}}
spec:
  template:
    spec:
      containers:
        - name: app
          image: nginx
          args: ["--port", "80"]
          resources:
            limits:
              nvidia.com/gpu: 1
        - {name: sidecar, image: envoy}
""",
    "anchors and merge keys": """\
base: &base {cpu: "1", memory: 1Gi}
limits:
  <<: *base
  cpu: "2"
again: *base
list: &items [a, b]
more: *items
""",
    "duplicate, complex and odd keys": """\
a: 1
a: 2
? explicit
: key
1: one
"": empty
nested:
  - - deep
    - {k: v}
""",
    "block scalars": """\
script: |
  line one
  line two
folded: >-
  folded
  text
after: end
""",
}


def _loaded_nodes(text: str) -> list[yaml.Node | None]:
    """The node trees as the loader leaves them (merge keys flattened by construction)."""
    loader = _Loader(text)
    nodes: list[yaml.Node | None] = []
    while loader.check_node():
        node = loader.get_node()
        nodes.append(node)
        if node is not None:
            Builder(loader, 200, 100_000).build(node, True)
    return nodes


def _paths(data: object, prefix: YamlPath = ()) -> Iterator[YamlPath]:
    yield prefix
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(key, (str, int)):
                yield from _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _paths(value, (*prefix, i))


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_positions_match_the_node_tree(name: str) -> None:
    text = TEXTS[name] + "---\n" + TEXTS[name]
    source = load_text("x.yaml", text)
    nodes = _loaded_nodes(text)
    assert len(source.documents) == 2
    for doc in source.documents:
        node = nodes[doc.index]
        assert node is not None
        assert doc.start_line == node.start_mark.line + 1
        for path in _paths(doc.data):
            for probe in (path, (*path, "missing"), (*path, 7), (*path, 0)):
                for key_only in (False, True):
                    assert doc.span(probe, key_only) == span_of(node, probe, key_only), probe


def test_node_is_composed_again_on_demand() -> None:
    source = load_text("x.yaml", TEXTS["workload"])
    node = source.documents[0].node
    assert span_of(node, ("metadata", "name")) == source.documents[0].span(("metadata", "name"))
