"""The loader: positions, origins, and every kind of bad input, which must never raise."""

from __future__ import annotations

import itertools
import time

from aiconf_lint.input.load import Limits, load_bytes, load_text
from aiconf_lint.input.source import span_of


def codes(raw: bytes, limits: Limits | None = None) -> list[tuple[str, int]]:
    source = load_bytes("f.yaml", raw, limits)
    return [(p.code, p.line) for p in source.problems]


def test_multi_document_positions_and_helm_origin() -> None:
    text = (
        "---\n# Source: chart/templates/empty.yaml\n"
        "---\n# Source: chart/templates/job.yaml\n"
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\n"
        "---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"
    )
    source = load_text("rendered.yaml", text)
    assert [d.origin for d in source.documents] == ["chart/templates/job.yaml", None]
    span, exists = span_of(source.documents[0].node, ("metadata", "name"))
    assert exists
    assert (span.line, span.column, span.end_column) == (8, 9, 10)
    span, _ = span_of(source.documents[1].node, ("metadata", "name"))
    assert (span.line, span.column) == (12, 18)


def test_span_of_missing_path_points_at_deepest_existing_key() -> None:
    source = load_text("f.yaml", "spec:\n  containers:\n    - name: a\n")
    span, exists = span_of(source.documents[0].node, ("spec", "containers", 0, "resources"))
    assert not exists
    assert span.line == 3


def test_crlf_and_bom() -> None:
    raw = "\ufeffapiVersion: v1\r\nkind: Pod\r\nmetadata:\r\n  name: p\r\n".encode()
    source = load_bytes("f.yaml", raw)
    assert not source.problems
    span, _ = span_of(source.documents[0].node, ("metadata", "name"))
    assert (span.line, span.column) == (4, 9)


def test_comment_only_documents_are_skipped() -> None:
    source = load_text("f.yaml", "---\n# just a comment\n---\n# another\n")
    assert source.documents == []
    assert source.problems == []


def test_invalid_yaml_keeps_earlier_documents() -> None:
    source = load_text("f.yaml", "kind: A\n---\nkey: [unclosed\nother: x\n")
    assert len(source.documents) == 1
    assert [p.code for p in source.problems] == ["SYN001"]


def test_binary_file() -> None:
    assert codes(b"apiVersion: v1\n\x00\x01\x02") == [("SYN001", 2)]


def test_invalid_utf8_names_line() -> None:
    source = load_bytes("f.yaml", b"a: 1\nb: caf\xe9\n")
    assert [(p.code, p.line, p.column) for p in source.problems] == [("SYN001", 2, 7)]


def test_tabs() -> None:
    source = load_text("f.yaml", "a:\n\tb: 1\n")
    assert [(p.code, p.line) for p in source.problems] == [("SYN001", 2)]
    assert "tab" in source.problems[0].message


def test_alias_bomb_is_rejected_fast() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    names = "abcdefghij"
    for prev, name in itertools.pairwise(names):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    start = time.process_time()
    result = codes("\n".join(lines).encode())
    assert time.process_time() - start < 0.5
    assert result == [("SYN003", 1)]


def test_deep_nesting_is_bounded_not_recursion_error() -> None:
    deep = "a: " + "[" * 5000 + "]" * 5000 + "\n"
    assert codes(deep.encode()) == [("SYN003", 1)]
    block = "".join("  " * i + f"k{i}:\n" for i in range(5000)) + "  " * 5000 + "v\n"
    assert [c for c, _ in codes(block.encode())] == ["SYN003"]


def test_huge_file_is_rejected_without_parsing() -> None:
    raw = b"# padding\n" * (5 * 1024 * 1024)  # 50 MiB
    start = time.process_time()
    result = codes(raw)
    assert time.process_time() - start < 1.0
    assert result == [("SYN003", 1)]
    assert codes(b"a: 1\n" * 10, Limits(max_bytes=10)) == [("SYN003", 1)]


def test_unhashable_key_is_a_finding() -> None:
    assert [c for c, _ in codes(b"? [a, b]\n: value\n")] == ["SYN001"]


def test_template_leftover_is_syn002() -> None:
    assert codes(b"metadata:\n  name: {{ .Release.Name }}\n") == [("SYN002", 2)]


def test_short_values_and_keys_are_shared_across_documents() -> None:
    """Copies of a chart repeat their labels: one string each, not one per occurrence."""
    doc = "kind: Deployment\nmetadata:\n  labels: {app: %s}\n  annotations: {note: %s}\n"
    long_value = "x" * 200
    text = "---\n".join(doc % ("vllm-server", long_value) for _ in range(2))
    datas = [d.data for d in load_bytes("two.yaml", text.encode()).documents]
    first, second = (data["metadata"] for data in datas if isinstance(data, dict))
    assert first["labels"]["app"] is second["labels"]["app"]
    assert next(iter(first["labels"])) is next(iter(second["labels"]))
    assert first["annotations"]["note"] == second["annotations"]["note"] == long_value
    assert first["annotations"]["note"] is not second["annotations"]["note"]


def test_depth_bound_counts_the_scalars_inside_a_collection() -> None:
    """A string taken inside its mapping or list (the fast path) still counts one level."""
    for text, levels in [
        ("a: {b: {c: x}}", 4),
        ("a: {b: {c: 1}}", 4),
        ("- [[x]]", 4),
        ("a: [{b: [x]}]", 5),
        ("a: {b: {c: {}}}", 4),
    ]:
        assert codes(text.encode(), Limits(max_depth=levels - 1)) == [("SYN003", 1)], text
        assert codes(text.encode(), Limits(max_depth=levels)) == [], text


CRD = """\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: rayclusters.ray.io}
spec:
  group: ray.io
  names: {kind: RayCluster, plural: rayclusters}
  validation: {openAPIV3Schema: {type: object}}
  versions:
    - name: v1
      served: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            when: {type: string, default: 2001-13-45}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: schema}
data: {schema: kept}
spec: {versions: [{name: v1, schema: {kept: true}}]}
"""


def test_crd_schemas_are_not_built_and_the_rest_is() -> None:
    """A CRD keeps what the operator detector reads; its schema (here holding a timestamp no
    date can be built from, which would fail the whole document) is never built."""
    source = load_bytes("crd.yaml", CRD.encode())
    assert source.problems == []
    crd, other = (d.data for d in source.documents)
    assert isinstance(crd, dict)
    assert crd["spec"]["group"] == "ray.io"
    assert crd["spec"]["names"]["kind"] == "RayCluster"
    assert "validation" not in crd["spec"]
    assert crd["spec"]["versions"] == [{"name": "v1", "served": True}]
    assert other == {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": "schema"},
        "data": {"schema": "kept"},
        "spec": {"versions": [{"name": "v1", "schema": {"kept": True}}]},
    }
    span, exists = span_of(source.documents[0].node, ("spec", "names", "kind"))
    assert exists
    assert (span.line, span.column) == (6, 17)
