"""One meaning of *accelerator pod template* for every rule family.

ACC003 (provider placement), GNG001 (gang level and wording) and SCL002 (CPU-scaled accelerator
workload) once each had their own predicate and disagreed on a `nvidia.com/gpu.present` node
selector, a `DoesNotExist` on a GPU label and a preferred GPU affinity. Each row below is one pod
spec; the predicate and all three rules must give the row's answer.
"""

from __future__ import annotations

import textwrap

import pytest

from aiconf_lint.engine import lint
from aiconf_lint.input.load import load_text
from aiconf_lint.k8s.accelerator_use import is_accelerator_template
from aiconf_lint.k8s.bundle import Bundle
from aiconf_lint.k8s.objects import objects_of
from aiconf_lint.runner import enabled_rules
from aiconf_lint.settings import Settings

CONTAINER = "containers: [{name: c, image: app:1}]"

# (case, pod spec lines, is it an accelerator pod template?)
TABLE: list[tuple[str, str, bool]] = [
    ("plain CPU pod", CONTAINER, False),
    (
        "device-plugin request",
        "containers: [{name: c, image: a, resources: {limits: {nvidia.com/gpu: 1}}}]",
        True,
    ),
    (
        "request of zero",
        "containers: [{name: c, image: a, resources: {limits: {nvidia.com/gpu: 0}}}]",
        False,
    ),
    (
        "request left for a template engine",
        'containers: [{name: c, image: a, resources: {limits: {nvidia.com/gpu: "${GPUS}"}}}]',
        True,
    ),
    (
        "pod-level DRA claim",
        f"{CONTAINER}\nresourceClaims: [{{name: gpu, resourceClaimTemplateName: one-gpu}}]",
        True,
    ),
    (
        "container DRA claim",
        "containers: [{name: c, image: a, resources: {claims: [{name: gpu}]}}]",
        True,
    ),
    (
        "GFD presence label in nodeSelector",
        f"{CONTAINER}\nnodeSelector: {{nvidia.com/gpu.present: 'true'}}",
        True,
    ),
    (
        "GFD presence label set to false",
        f"{CONTAINER}\nnodeSelector: {{nvidia.com/gpu.present: 'false'}}",
        False,
    ),
    (
        "GKE accelerator nodeSelector",
        f"{CONTAINER}\nnodeSelector: {{cloud.google.com/gke-accelerator: nvidia-l4}}",
        True,
    ),
    (
        "required GPU affinity",
        f"""{CONTAINER}
affinity:
  nodeAffinity:
    requiredDuringSchedulingIgnoredDuringExecution:
      nodeSelectorTerms:
        - matchExpressions: [{{key: nvidia.com/gpu.product, operator: In, values: [A100]}}]""",
        True,
    ),
    (
        "DoesNotExist on a GPU label keeps pods off GPU nodes",
        f"""{CONTAINER}
affinity:
  nodeAffinity:
    requiredDuringSchedulingIgnoredDuringExecution:
      nodeSelectorTerms:
        - matchExpressions: [{{key: nvidia.com/gpu.present, operator: DoesNotExist}}]""",
        False,
    ),
    (
        "preferred GPU affinity still runs on any node",
        f"""{CONTAINER}
affinity:
  nodeAffinity:
    preferredDuringSchedulingIgnoredDuringExecution:
      - weight: 1
        preference:
          matchExpressions: [{{key: nvidia.com/gpu.present, operator: Exists}}]""",
        False,
    ),
    (
        "EFA interconnect alone",
        "containers: [{name: c, image: a, resources: {limits: {vpc.amazonaws.com/efa: 1}}}]",
        False,
    ),
    (
        "GPU with EFA",
        "containers: [{name: c, image: a, resources: {limits: "
        "{nvidia.com/gpu: 8, vpc.amazonaws.com/efa: 4}}}]",
        True,
    ),
    (
        "GPU toleration alone",
        f"{CONTAINER}\ntolerations: [{{key: nvidia.com/gpu, operator: Exists}}]",
        False,
    ),
]


def _spec(lines: str, indent: int) -> str:
    return textwrap.indent(lines, " " * indent)


def _deployment(pod: str, extra_selector: str = "") -> str:
    return f"""\
apiVersion: apps/v1
kind: Deployment
metadata: {{name: web}}
spec:
  selector: {{matchLabels: {{app: web}}}}
  template:
    metadata: {{labels: {{app: web}}}}
    spec:
{_spec(pod + extra_selector, 6)}
"""


HPA = """\
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 1
  maxReplicas: 4
  metrics:
    - type: Resource
      resource: {name: cpu, target: {type: Utilization, averageUtilization: 60}}
"""


def _indexed_job(pod: str) -> str:
    return f"""\
apiVersion: batch/v1
kind: Job
metadata: {{name: train}}
spec:
  completionMode: Indexed
  parallelism: 2
  completions: 2
  template:
    spec:
      subdomain: train
{_spec(pod, 6)}
"""


def _codes(text: str, code: str) -> list[str]:
    settings = Settings(select=(code,))
    report = lint([load_text("w.yaml", text)], settings, enabled_rules(settings))
    return [f.message for f in report.findings if f.code == code]


def _with_nodepool(pod: str) -> str:
    """Add a provider-only, non-accelerator node label that ACC003 reports on accelerator pods."""
    if "nodeSelector: {" in pod:
        return pod.replace("nodeSelector: {", "nodeSelector: {cloud.google.com/gke-nodepool: p, ")
    return f"{pod}\nnodeSelector: {{cloud.google.com/gke-nodepool: p}}"


@pytest.mark.parametrize(("case", "pod", "expected"), TABLE, ids=[row[0] for row in TABLE])
def test_predicate_and_the_three_former_callers_agree(case: str, pod: str, expected: bool) -> None:
    source = load_text("w.yaml", _deployment(pod))
    bundle = Bundle()
    for doc in source.documents:
        for obj in objects_of(doc):
            bundle.add(obj)
    (template,) = bundle.templates(bundle.objects[0])
    assert is_accelerator_template(template) is expected

    scaled_on_cpu = _codes(_deployment(pod) + HPA, "SCL002")
    assert bool(scaled_on_cpu) is expected, scaled_on_cpu

    placement = _codes(_deployment(_with_nodepool(pod)), "ACC003")
    assert any("gke-nodepool" in m for m in placement) is expected, placement

    (gang,) = _codes(_indexed_job(pod), "GNG001")
    assert ("accelerator pods" in gang) is expected, gang
