"""Unit tests of the edit ops' preconditions and of the loop's convergence guard."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from aiconf_lint.fix.loop import MAX_PASSES, run_fixes
from aiconf_lint.fix.merge import replay
from aiconf_lint.fix.ops import FixConflict, PlainNodes, apply_edit, overlaps, owned_path
from aiconf_lint.fix.splice import render_scalar
from aiconf_lint.fix.yamlio import Style, load_document, to_node
from aiconf_lint.k8s.objects import K8sObject
from aiconf_lint.model import Applicability, Edit, Fix, Severity, Violation
from aiconf_lint.rule import Context, Rule
from aiconf_lint.settings import Settings

PLAIN = PlainNodes()


def _doc() -> dict[str, Any]:
    return {"metadata": {"name": "x", "labels": {"a": "1"}}, "spec": {"items": [1, 2]}}


@pytest.mark.parametrize(
    ("edit", "reason"),
    [
        (Edit("set", ("spec", "missing"), value=1), "`spec.missing` does not exist"),
        (Edit("add", ("metadata", "labels"), key="a", value="2"), "already exists"),
        (Edit("add", ("metadata", "annotations"), key="k", value="v"), "does not exist"),
        (Edit("remove", ("spec", "items", 5)), "`spec.items.[5]` does not exist"),
        (Edit("append", ("metadata",), value=1), "is not a list"),
        (Edit("merge", ("metadata", "name"), key="k", value="v"), "is not a mapping"),
    ],
)
def test_failed_preconditions_leave_the_data_alone(edit: Edit, reason: str) -> None:
    data = _doc()
    with pytest.raises(FixConflict, match=reason.replace("[", r"\[").replace("]", r"\]")):
        apply_edit(data, edit, PLAIN)
    assert data == _doc()


def test_ops_do_what_they_say() -> None:
    data = _doc()
    apply_edit(data, Edit("merge", ("metadata", "annotations"), key="k", value="v"), PLAIN)
    apply_edit(data, Edit("append", ("spec", "items"), value=3), PLAIN)
    apply_edit(data, Edit("append", ("spec", "items"), value=3), PLAIN)  # already there
    apply_edit(data, Edit("append", ("spec", "new"), value={"n": 1}), PLAIN)
    apply_edit(data, Edit("remove", ("metadata", "labels", "a")), PLAIN)
    apply_edit(data, Edit("set", ("metadata", "name"), value="y"), PLAIN)
    assert data == {
        "metadata": {"name": "y", "labels": {}, "annotations": {"k": "v"}},
        "spec": {"items": [1, 2, 3], "new": [{"n": 1}]},
    }


def test_nested_edits_of_two_fixes_overlap_but_appends_commute() -> None:
    merge = owned_path(Edit("merge", ("spec",), key="resources", value={}))
    inner = owned_path(Edit("remove", ("spec", "resources", "limits")))
    append = owned_path(Edit("append", ("spec", "claims"), value={}))
    assert overlaps(merge, inner)
    assert not overlaps(append, append)
    assert not overlaps(merge, append)


@pytest.mark.parametrize("text", ["yes", "on", "0777", "1", "true", "null", "1e3", "12:30"])
def test_new_strings_are_quoted_when_yaml_1_1_would_misread_them(text: str) -> None:
    loaded = load_document("a: 1\n", Style(2, 2, 0))
    assert loaded is not None
    loaded.tree["b"] = to_node(text)
    dumped = loaded.dump()
    assert dumped != f"a: 1\nb: {text}\n"


def test_set_keeps_the_old_quotes() -> None:
    loaded = load_document("a: 'x'\nb: \"y\"\n", Style(2, 2, 0))
    assert loaded is not None
    loaded.tree["a"] = to_node("p", loaded.tree["a"])
    loaded.tree["b"] = to_node("q", loaded.tree["b"])
    assert loaded.dump() == "a: 'p'\nb: \"q\"\n"


class _Flip(Rule):
    """## What it does
    Test double: wants `data.mode` to be `a` when it is `b`.
    """

    code = "XOS001"
    name = "flip"
    summary = "Flip"
    severity = Severity.WARNING
    want, other = "a", "b"

    def check_object(self, ctx: Context, obj: K8sObject) -> Iterator[Violation]:
        if obj.data.get("data", {}).get("mode") == self.other:
            fix = Fix("flip", (Edit("set", ("data", "mode"), value=self.want),), Applicability.SAFE)
            yield Violation("flip", ("data", "mode"), fix=fix)


class _Flop(_Flip):
    """## What it does
    Test double: wants `data.mode` to be `b` when it is `a`.
    """

    code = "XOS002"
    name = "flop"
    want, other = "b", "a"

    def check_object(self, ctx: Context, obj: K8sObject) -> Iterator[Violation]:
        yield from super().check_object(ctx, obj)


def test_fighting_rules_stop_with_failed_to_converge() -> None:
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: m\ndata:\n  mode: b\n"
    run = run_fixes({"m.yaml": text}, Settings(), [_Flip, _Flop], unsafe=False)
    assert run.passes <= MAX_PASSES
    assert any("failed to converge" in error for error in run.errors)


@pytest.mark.parametrize(
    ("value", "quote", "text"),
    [
        ("resource.k8s.io/v1", None, "resource.k8s.io/v1"),
        ("resource.k8s.io/v1", '"', '"resource.k8s.io/v1"'),
        ("it's", "'", "'it''s'"),
        ("yes", None, '"yes"'),
        ("a: b", None, '"a: b"'),
        (2, None, "2"),
        (True, None, "true"),
    ],
)
def test_spliced_scalars_keep_their_style_and_meaning(
    value: object, quote: str | None, text: str
) -> None:
    assert render_scalar(value, quote) == text


def test_replay_carries_an_edit_onto_differently_formatted_text() -> None:
    original = "a:\n    - 1\nb:   \n  c: 1\n"
    baseline = "a:\n- 1\nb:\n  c: 1\n"
    edited = "a:\n- 1\nb:\n  c: 1\n  d: 2\n"
    assert replay(original, baseline, edited) == "a:\n    - 1\nb:   \n  c: 1\n  d: 2\n"


def test_replay_gives_up_next_to_lines_that_differ() -> None:
    original = "a:\n  b:   1\n"
    baseline = "a:\n  b: 1\n"
    edited = "a:\n  b: 1\n  c: 2\n"
    assert replay(original, baseline, edited) is None


def test_replay_matches_lines_that_differ_only_in_spacing() -> None:
    original = "a:\n  b: 1   \n"
    baseline = "a:\n  b: 1\n"
    edited = "a:\n  b: 1\n  c: 2\n"
    assert replay(original, baseline, edited) == "a:\n  b: 1   \n  c: 2\n"


def test_replay_follows_the_indentation_of_each_list() -> None:
    # `containers:` items indented, `volumes:` items at their parent's column (hand-written).
    original = "spec:\n  containers:\n    - name: c\n  volumes:\n  - name: v\n"
    baseline = "spec:\n  containers:\n    - name: c\n  volumes:\n    - name: v\n"
    edited = baseline + "    - name: w\n  claims:\n    - name: g\n"
    assert replay(original, baseline, edited) == (
        "spec:\n  containers:\n    - name: c\n  volumes:\n  - name: v\n"
        "  - name: w\n  claims:\n    - name: g\n"
    )
