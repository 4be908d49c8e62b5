"""Unit tests of the autoscaler view, the v2beta1 metric rewrite and SCL scaling behaviour."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from aiconf_lint.engine import build_bundle, lint
from aiconf_lint.input.load import load_bytes
from aiconf_lint.k8s.autoscaling import (
    accelerator_requests,
    autoscalers,
    cannot_scale,
    hpa_metrics,
    inverted_token,
    only_cpu_memory,
    resolve_target,
)
from aiconf_lint.k8s.bundle import Bundle
from aiconf_lint.k8s.objects import K8sObject
from aiconf_lint.model import Applicability, Report
from aiconf_lint.rules.scl.scl006_removed_autoscaling_api import convert_v2beta1_metric
from aiconf_lint.selection import select_rules
from aiconf_lint.settings import Settings, with_overrides
from tests.scaling import LINEAR_ENOUGH, growth


def _bundle(text: str) -> Bundle:
    source = load_bytes("t.yaml", text.encode())
    return build_bundle([source], Settings(), Report())


def _lint(text: str, select: str) -> Report:
    settings = with_overrides(Settings(), select=(select,))
    rules = [r for r in select_rules(["SCL"]) if r.code == select]
    return lint([load_bytes("t.yaml", text.encode())], settings, rules)


DEPLOYMENT = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: vllm, namespace: ml}
spec:
  template:
    spec:
      containers:
        - name: a
          resources: {limits: {nvidia.com/gpu: 2}, requests: {cpu: 1}}
        - name: b
          resources: {requests: {nvidia.com/gpu: 1}, limits: {nvidia.com/gpu: 1}}
        - name: c
          resources: {limits: {amd.com/gpu: 0}}
"""


def test_keda_target_defaults_to_apps_deployment() -> None:
    bundle = _bundle(
        DEPLOYMENT
        + """---
apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata: {name: so, namespace: ml}
spec:
  scaleTargetRef: {name: vllm}
"""
    )
    (scaler,) = autoscalers(bundle)
    assert (scaler.group, scaler.kind, scaler.name, scaler.namespace) == (
        "apps",
        "Deployment",
        "vllm",
        "ml",
    )
    assert [o.name for o in resolve_target(bundle, scaler)] == ["vllm"]


def test_hpa_target_is_looked_up_in_its_own_namespace() -> None:
    bundle = _bundle(
        DEPLOYMENT
        + """---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: h}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: vllm}
"""
    )
    (scaler,) = autoscalers(bundle)
    assert scaler.namespace == "default"
    assert resolve_target(bundle, scaler) == []


def test_cannot_scale_only_for_builtin_kinds_without_scale() -> None:
    text = """
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: h}
spec:
  scaleTargetRef: {apiVersion: %s, kind: %s, name: x}
"""
    cases = {
        ("apps/v1", "DaemonSet"): True,
        ("batch/v1", "Job"): True,
        ("v1", "ConfigMap"): True,
        ("extensions/v1beta1", "Deployment"): True,
        ("apps/v1", "StatefulSet"): False,
        ("v1", "ReplicationController"): False,
        ("argoproj.io/v1alpha1", "Rollout"): False,
        ("example.com/v1", "Anything"): False,
    }
    for (version, kind), expected in cases.items():
        (scaler,) = autoscalers(_bundle(text % (version, kind)))
        assert cannot_scale(scaler) is expected, (version, kind)


def test_accelerator_requests_sum_and_skip_zero() -> None:
    bundle = _bundle(DEPLOYMENT)
    (template,) = bundle.templates(bundle.objects[0])
    assert accelerator_requests(bundle.facts(bundle.objects[0]), template) == {"nvidia.com/gpu": 3}


def test_v2beta1_metrics_are_read_like_v2() -> None:
    bundle = _bundle(
        """
apiVersion: autoscaling/v2beta1
kind: HorizontalPodAutoscaler
metadata: {name: h}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: x}
  metrics:
    - type: Pods
      pods: {metricName: DCGM_FI_DEV_FB_FREE, targetAverageValue: "5"}
    - type: Resource
      resource: {name: cpu, targetAverageUtilization: 80}
"""
    )
    pods, cpu = hpa_metrics(bundle.objects[0])
    assert (pods.type, pods.name, pods.target_type) == (
        "Pods",
        "DCGM_FI_DEV_FB_FREE",
        "AverageValue",
    )
    assert pods.name_path == ("spec", "metrics", 0, "pods", "metricName")
    assert (cpu.name, cpu.target_type) == ("cpu", "Utilization")
    assert not only_cpu_memory(bundle.objects[0])


def test_hpa_without_metrics_counts_as_cpu_only() -> None:
    bundle = _bundle(
        """
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: h}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: x}
"""
    )
    assert only_cpu_memory(bundle.objects[0])


def test_inverted_tokens() -> None:
    assert inverted_token("DCGM_FI_DEV_FB_FREE") == "free"
    assert inverted_token("node_memory_MemAvailable_bytes") == "available"
    assert inverted_token("vllm:num_requests_waiting") is None
    assert inverted_token("sm_clock_frequency") is None


def test_v2beta1_conversion_matches_the_api_server() -> None:
    assert convert_v2beta1_metric(
        {"type": "Resource", "resource": {"name": "cpu", "targetAverageUtilization": 80}}
    ) == {
        "type": "Resource",
        "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 80}},
    }
    assert convert_v2beta1_metric(
        {
            "type": "ContainerResource",
            "containerResource": {"name": "memory", "container": "c", "targetAverageValue": "1Gi"},
        }
    ) == {
        "type": "ContainerResource",
        "containerResource": {
            "name": "memory",
            "container": "c",
            "target": {"type": "AverageValue", "averageValue": "1Gi"},
        },
    }
    assert convert_v2beta1_metric(
        {"type": "Pods", "pods": {"metricName": "q", "targetAverageValue": "5", "selector": {}}}
    ) == {
        "type": "Pods",
        "pods": {
            "metric": {"name": "q", "selector": {}},
            "target": {"type": "AverageValue", "averageValue": "5"},
        },
    }
    assert convert_v2beta1_metric(
        {"type": "External", "external": {"metricName": "q", "targetAverageValue": "5"}}
    ) == {
        "type": "External",
        "external": {
            "metric": {"name": "q"},
            "target": {"type": "AverageValue", "averageValue": "5"},
        },
    }
    ref = {"apiVersion": "v1", "kind": "Service", "name": "s"}
    assert convert_v2beta1_metric(
        {"type": "Object", "object": {"target": ref, "metricName": "rps", "targetValue": "9"}}
    ) == {
        "type": "Object",
        "object": {
            "describedObject": ref,
            "metric": {"name": "rps"},
            "target": {"type": "Value", "value": "9"},
        },
    }
    # Two target fields, or an unknown key: not a plain rename.
    assert (
        convert_v2beta1_metric(
            {
                "type": "External",
                "external": {"metricName": "q", "targetValue": 1, "targetAverageValue": 2},
            }
        )
        is None
    )
    assert (
        convert_v2beta1_metric(
            {"type": "Resource", "resource": {"name": "cpu", "targetAverageUtilization": 1, "x": 1}}
        )
        is None
    )


def test_scl006_fixes() -> None:
    v2beta2 = _lint(
        """
apiVersion: autoscaling/v2beta2
kind: HorizontalPodAutoscaler
metadata: {name: h}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: x}
  maxReplicas: 2
""",
        "SCL006",
    )
    (finding,) = v2beta2.findings
    assert finding.fix is not None
    assert finding.fix.applicability is Applicability.SAFE
    assert [(e.op, e.path, e.value) for e in finding.fix.edits] == [
        ("set", ("apiVersion",), "autoscaling/v2")
    ]
    v2beta1 = _lint(
        """
apiVersion: v1
kind: List
items:
  - apiVersion: autoscaling/v2beta1
    kind: HorizontalPodAutoscaler
    metadata: {name: h}
    spec:
      scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: x}
      maxReplicas: 2
      metrics:
        - type: Pods
          pods: {metricName: q, targetAverageValue: "5"}
""",
        "SCL006",
    )
    (finding,) = v2beta1.findings
    assert finding.fix is not None
    edits = [(e.op, e.path) for e in finding.fix.edits]
    assert edits == [("set", ("items", 0, "apiVersion")), ("set", ("items", 0, "spec", "metrics"))]
    assert finding.fix.edits[1].value == [
        {
            "type": "Pods",
            "pods": {
                "metric": {"name": "q"},
                "target": {"type": "AverageValue", "averageValue": "5"},
            },
        }
    ]


def test_scl010_scale_to_zero_depends_on_profile() -> None:
    from aiconf_lint.records import replace
    from aiconf_lint.rules.scl.scl010_invalid_replica_bounds import InvalidReplicaBounds

    text = """
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: h}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: x}
  minReplicas: 0
  maxReplicas: 2
  metrics:
    - type: %s
      %s: {metric: {name: q}, target: {type: Value, value: "1"}}
"""
    bundle = _bundle(text % ("External", "external"))
    rule = InvalidReplicaBounds()
    settings = Settings()
    from aiconf_lint.rule import Context

    assert list(rule.check_object(Context(settings, bundle), bundle.objects[0]))
    future = replace(settings, profile=replace(settings.profile, version="1.37"))
    assert not list(rule.check_object(Context(future, bundle), bundle.objects[0]))
    pods = _bundle(text % ("Pods", "pods"))
    (violation,) = rule.check_object(Context(future, pods), pods.objects[0])
    assert "Object or External" in violation.message


def _scalers(count: int) -> str:
    docs = [
        f"""apiVersion: apps/v1
kind: Deployment
metadata: {{name: app{i}, namespace: ns{i % 7}}}
spec:
  replicas: 1
  template:
    spec:
      containers: [{{name: c, resources: {{limits: {{nvidia.com/gpu: 1}}}}}}]
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {{name: app{i}, namespace: ns{i % 7}}}
spec:
  scaleTargetRef: {{apiVersion: apps/v1, kind: Deployment, name: missing{i}}}
  maxReplicas: 3
"""
        for i in range(count)
    ]
    return "---\n".join(docs)


def test_cross_document_rules_scale_linearly() -> None:
    """Four times the autoscalers and targets cost about four times as much (no all-pairs)."""
    settings = with_overrides(Settings(), select=("SCL",))

    def prepare(count: int) -> Callable[[], object]:
        source = load_bytes("big.yaml", _scalers(count).encode())
        return lambda: lint([source], settings, select_rules(["SCL"]))

    report = lint([load_bytes("big.yaml", _scalers(100).encode())], settings, select_rules(["SCL"]))
    assert sum(f.code == "SCL001" for f in report.findings) == 100
    assert growth(prepare, 100) < LINEAR_ENOUGH


def _bundle_of(files: dict[str, str]) -> tuple[Bundle, dict[str, K8sObject]]:
    sources = [load_bytes(path, text.encode()) for path, text in files.items()]
    bundle = build_bundle(sources, Settings(), Report())
    return bundle, {obj.file: obj for obj in bundle.objects}


def test_deployed_together_needs_one_file_chart_kustomization_or_folder() -> None:
    """The autoscaling rules pair objects by the bundle's one relatedness rule."""
    doc = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x%s}\n"
    kustomization = (
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
        "resources: [base/deploy.yaml, ./hpa]\n"
    )
    hpa_kustomization = (
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [hpa.yaml]\n"
    )
    bundle, objs = _bundle_of(
        {
            "samples/t5/serving.yaml": doc % "",
            "samples/t5/extra.yaml": doc % "2",
            "samples/t5/hpa/hpa.yaml": doc % "",
            "apps/web/kustomization.yaml": kustomization,
            "apps/web/base/deploy.yaml": doc % "",
            "apps/web/hpa/hpa.yaml": doc % "",
            "apps/web/hpa/kustomization.yaml": hpa_kustomization,
            "apps/web/samples/demo.yaml": doc % "",
            "apps/db.yaml": doc % ", namespace: shop",
            "infra/db.yaml": doc % ", namespace: shop",
        }
    )
    serving = objs["samples/t5/serving.yaml"]
    assert bundle.are_related(serving, objs["samples/t5/extra.yaml"])  # one folder
    assert not bundle.are_related(serving, objs["samples/t5/hpa/hpa.yaml"])  # a subfolder
    deploy, hpa = objs["apps/web/base/deploy.yaml"], objs["apps/web/hpa/hpa.yaml"]
    assert bundle.are_related(deploy, hpa)  # one kustomization
    assert {o.file for o in bundle.related_sources(deploy)} == {
        "apps/web/hpa/hpa.yaml",
        "apps/web/hpa/kustomization.yaml",
    }
    # Below the Kustomization but not listed by it: not deployed with it.
    assert not bundle.are_related(deploy, objs["apps/web/samples/demo.yaml"])
    # A shared namespace is no evidence: many apps live in one.
    assert not bundle.are_related(objs["apps/db.yaml"], objs["infra/db.yaml"])


def test_unrelated_samples_are_not_paired() -> None:
    deployment = """apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  template:
    spec:
      containers: [{name: c, resources: {limits: {nvidia.com/gpu: 1}}}]
"""
    hpa = """apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  maxReplicas: 3
"""
    sources = [
        load_bytes("samples/a/deploy.yaml", deployment.encode()),
        load_bytes("samples/b/hpa.yaml", hpa.encode()),
    ]
    settings = with_overrides(Settings(), select=("SCL",))
    assert lint(sources, settings, select_rules(["SCL"])).findings == []
    sources[1] = load_bytes("samples/a/hpa.yaml", hpa.encode())
    codes = sorted(f.code for f in lint(sources, settings, select_rules(["SCL"])).findings)
    assert codes == ["SCL002", "SCL007"]


def test_near_misses_must_sit_beside_the_autoscaler() -> None:
    deployment = """apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  template:
    spec:
      containers: [{name: c}]
"""
    hpa = """apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  maxReplicas: 3
"""
    settings = with_overrides(Settings(), select=("SCL001",))
    far = [
        load_bytes("samples/a/x/y/sts.yaml", deployment.encode()),
        load_bytes("samples/b/hpa.yaml", hpa.encode()),
    ]
    assert lint(far, settings, select_rules(["SCL"])).findings == []
    near = [
        load_bytes("samples/b/sts.yaml", deployment.encode()),
        load_bytes("samples/b/hpa.yaml", hpa.encode()),
    ]
    (finding,) = lint(near, settings, select_rules(["SCL"])).findings
    assert "in namespace `shop`" in finding.message


def test_missing_targets_are_explained_without_scanning_the_file_per_autoscaler(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Counted, not timed: namespace lookups grow with the objects, not with their square.

    A file of n autoscalers whose targets are all missing once filtered the file's n
    workloads per autoscaler (n^2 lookups); a timing test caught it only on a busy machine.
    """
    calls = 0
    original = Bundle.namespace_of

    def counting(self: Bundle, obj: K8sObject) -> str:
        nonlocal calls
        calls += 1
        return original(self, obj)

    monkeypatch.setattr(Bundle, "namespace_of", counting)
    settings = with_overrides(Settings(), select=("SCL001",))

    def lookups(count: int) -> int:
        nonlocal calls
        source = load_bytes("big.yaml", _scalers(count).encode())
        calls = 0
        report = lint([source], settings, select_rules(["SCL001"]))
        assert sum(f.code == "SCL001" for f in report.findings) == count
        return calls

    assert lookups(400) <= 4.5 * lookups(100)
