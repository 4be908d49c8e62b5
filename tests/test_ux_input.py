"""What a new user feeds the tool: odd but valid YAML, broken documents, pipes, encodings."""

from __future__ import annotations

from aiconf_lint.input.load import load_text

GPU_POD = """\
apiVersion: v1
kind: Pod
metadata: {name: after}
spec:
  containers:
    - name: c
      image: x
      resources: {limits: {nvidia.com/gpu: 1}}
"""


def test_equals_scalar_is_the_string_equals() -> None:
    # YAML 1.1's `value` tag: kube-prometheus CRDs list `=` among label-matcher operators.
    source = load_text("crd.yaml", "spec:\n  enum:\n    - =\n    - '!='\n  op: =\n")
    assert source.problems == []
    assert source.documents[0].data == {"spec": {"enum": ["=", "!="], "op": "="}}


def test_document_that_fails_to_construct_does_not_end_the_stream() -> None:
    text = "when: 2001-13-45\n---\n" + GPU_POD
    source = load_text("stream.yaml", text)
    assert [(p.code, p.line) for p in source.problems] == [("SYN001", 1)]
    assert [d.data["metadata"]["name"] for d in source.documents] == ["after"]  # type: ignore[index]


def test_unknown_tag_costs_one_document_only() -> None:
    text = "x: !!python/name:os.system x\n---\n" + GPU_POD
    source = load_text("stream.yaml", text)
    assert [p.code for p in source.problems] == ["SYN001"]
    assert len(source.documents) == 1


def test_unrecoverable_syntax_error_says_how_many_documents_were_lost() -> None:
    text = "a: [\n---\nb: 1\n---\nc: 2\n"
    source = load_text("stream.yaml", text)
    (problem,) = source.problems
    assert "the 2 later documents in this file could not be checked" in problem.message
    single = load_text("one.yaml", "a: b: c\n")
    assert "later" not in single.problems[0].message
