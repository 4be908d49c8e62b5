"""Engine contracts that fixtures cannot express: fix paths, severities by profile."""

from __future__ import annotations

from aiconf_lint.engine import lint
from aiconf_lint.input.load import load_text
from aiconf_lint.model import Severity
from aiconf_lint.runner import enabled_rules
from aiconf_lint.settings import Settings, with_overrides

LISTED = """\
apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: Pod
    metadata: {name: p}
    spec:
      containers:
        - name: c
          resources:
            requests: {nvidia.com/gpu: 1}
"""


def _lint(text: str, **overrides: object) -> list:  # type: ignore[type-arg]
    settings = with_overrides(Settings(), **overrides)
    return lint([load_text("f.yaml", text)], settings, enabled_rules(settings)).findings


def test_fix_edit_paths_are_document_relative() -> None:
    (finding,) = _lint(LISTED, select=("ACC002",))
    assert finding.location.path[:2] == ("items", 0)
    assert finding.fix is not None
    assert finding.fix.edits[0].path == (
        "items",
        0,
        "spec",
        "containers",
        0,
        "resources",
        "limits",
    )


def test_acc001_level_follows_profile() -> None:
    by_profile = {
        version: [f.severity for f in _lint(LISTED, select=("ACC001",), profile=version)]
        for version in ("1.33", "1.34", "1.35", "1.36")
    }
    assert by_profile == {
        "1.33": [Severity.INFO],
        "1.34": [Severity.WARNING],
        "1.35": [Severity.WARNING],
        "1.36": [Severity.INFO],
    }


def test_object_rules_see_only_the_kinds_they_declare() -> None:
    from collections.abc import Iterator
    from typing import ClassVar

    from aiconf_lint.k8s.objects import K8sObject
    from aiconf_lint.model import Violation
    from aiconf_lint.rule import Context, Rule

    class OnlyServices(Rule):
        """## What it does
        Reports every Service, and is asked about nothing else."""

        code = "TST901"
        name = "only-services"
        summary = "Test rule"
        severity = Severity.INFO
        kinds: ClassVar[frozenset[str] | None] = frozenset({"Service"})
        seen: ClassVar[list[str]] = []

        def check_object(self, ctx: Context, obj: K8sObject) -> Iterator[Violation]:
            OnlyServices.seen.append(obj.kind)
            yield Violation("seen", ("kind",))

    text = "kind: Service\napiVersion: v1\n---\nkind: Pod\napiVersion: v1\n"
    report = lint([load_text("f.yaml", text)], Settings(), [OnlyServices])
    assert OnlyServices.seen == ["Service"]
    assert [f.location.span.line for f in report.findings] == [1]


def test_rules_write_object_relative_edits_and_the_engine_rebases_them() -> None:
    """Every fixing rule writes edit paths like violation paths; List items get `items.<i>`."""
    text = """\
apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: ConfigMap
    metadata: {name: first}
  - apiVersion: autoscaling/v2beta2
    kind: HorizontalPodAutoscaler
    metadata: {name: web}
    spec:
      scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
      maxReplicas: 2
"""
    (finding,) = _lint(text, select=("SCL006",))
    assert finding.location.path == ("items", 1, "apiVersion")
    assert finding.fix is not None
    assert [edit.path for edit in finding.fix.edits] == [("items", 1, "apiVersion")]


def test_a_run_leaves_no_reference_cycles() -> None:
    """The loader pauses the cyclic collector: a run's trees must be freed by refcounting."""
    import gc

    text = (
        "apiVersion: resource.k8s.io/v1\nkind: DeviceClass\nmetadata: {name: gpu}\n"
        "spec: {extendedResourceName: nvidia.com/gpu}\n---\n" + LISTED
    )
    settings = Settings()
    rules = enabled_rules(settings)
    lint([load_text("f.yaml", text)], settings, rules)  # first imports make garbage of their own
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        report = lint([load_text("f.yaml", text)], settings, rules)
        del report
        assert gc.collect() == 0
    finally:
        if was_enabled:
            gc.enable()
