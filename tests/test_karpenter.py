"""Karpenter NodePool matching: taints, requirements, labels and limits."""

from __future__ import annotations

from aiconf_lint.engine import build_bundle
from aiconf_lint.input.load import load_bytes
from aiconf_lint.k8s.karpenter import Taint, mismatch, nodepool_of, tolerates
from aiconf_lint.k8s.workloads import PodTemplate
from aiconf_lint.model import Report
from aiconf_lint.settings import Settings

POOL = """
apiVersion: karpenter.sh/v1
kind: NodePool
metadata: {name: gpu}
spec:
  template:
    metadata:
      labels: {team: ml}
    spec:
      requirements:
        - {key: karpenter.k8s.aws/instance-gpu-count, operator: In, values: ["1", "4"]}
        - {key: karpenter.sh/capacity-type, operator: NotIn, values: [spot]}
        - {key: example.com/rack, operator: DoesNotExist}
      taints:
        - {key: dedicated, value: gpu, effect: NoSchedule}
        - {key: soft, effect: PreferNoSchedule}
  limits: {nvidia.com/gpu: 4}
"""


def _template(pod_spec: str) -> tuple[PodTemplate, object]:
    text = POOL + "---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n" + pod_spec
    bundle = build_bundle([load_bytes("t.yaml", text.encode())], Settings(), Report())
    pool = nodepool_of(bundle.objects[0])
    (template,) = bundle.templates(bundle.objects[1])
    return template, pool


GPU_COUNT = "karpenter.k8s.aws/instance-gpu-count"
TOLERATE = "  tolerations: [{key: dedicated, operator: Equal, value: gpu, effect: NoSchedule}]\n"


def _reason(pod_spec: str, requested: dict[str, int | None] | None = None) -> str | None:
    template, pool = _template(pod_spec)
    found = mismatch(pool, template, requested or {"nvidia.com/gpu": 1})  # type: ignore[arg-type]
    return None if found is None else found.reason


def test_taints_need_tolerations_except_soft_ones() -> None:
    assert "taint `dedicated=gpu:NoSchedule`" in (_reason("  containers: []\n") or "")
    assert _reason(TOLERATE) is None


def test_tolerates_follows_kubernetes_semantics() -> None:
    taint = Taint("dedicated", "gpu", "NoSchedule")
    assert tolerates({"operator": "Exists"}, taint)
    assert tolerates({"key": "dedicated", "operator": "Exists"}, taint)
    assert not tolerates({"key": "dedicated", "value": "cpu"}, taint)
    assert not tolerates({"key": "dedicated", "operator": "Exists", "effect": "NoExecute"}, taint)


def test_selectors_against_requirements_and_labels() -> None:
    assert _reason(TOLERATE + "  nodeSelector: {team: ml, karpenter.sh/nodepool: gpu}\n") is None
    assert "`team` only as `ml`" in (_reason(TOLERATE + "  nodeSelector: {team: infra}\n") or "")
    assert "does not define label `nvidia.com/gpu.present`" in (
        _reason(TOLERATE + "  nodeSelector: {nvidia.com/gpu.present: 'true'}\n") or ""
    )
    # Well-known keys without a requirement may take any value.
    assert _reason(TOLERATE + "  nodeSelector: {topology.kubernetes.io/zone: us-east-1a}\n") is None
    assert _reason(TOLERATE + "  nodeSelector: {karpenter.sh/capacity-type: spot}\n") is not None
    assert _reason(TOLERATE + "  nodeSelector: {example.com/rack: r1}\n") is not None


def test_affinity_terms_are_alternatives() -> None:
    affinity = f"""  affinity:
    nodeAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        nodeSelectorTerms:
          - matchExpressions: [{{key: {GPU_COUNT}, operator: In, values: ["8"]}}]
          - matchExpressions: [{{key: {GPU_COUNT}, operator: Gt, values: ["2"]}}]
"""
    assert _reason(TOLERATE + affinity) is None
    only_eight = affinity.split("          - matchExpressions", maxsplit=1)[0] + (
        f"          - matchExpressions: [{{key: {GPU_COUNT}, operator: In, values: ['8']}}]\n"
    )
    assert _reason(TOLERATE + only_eight) is not None
    not_in = only_eight.replace("operator: In", "operator: NotIn")
    assert _reason(TOLERATE + not_in) is None


def test_limits_and_extended_resource_toleration() -> None:
    assert "limits `nvidia.com/gpu` to 4" in (_reason(TOLERATE, {"nvidia.com/gpu": 8}) or "")
    assert _reason(TOLERATE, {"nvidia.com/gpu": None}) is None


def test_provider_label_domains_are_well_known() -> None:
    selector = "  nodeSelector: {eks.amazonaws.com/instance-gpu-name: l4}\n"
    assert _reason(TOLERATE + selector) is None
    selector = "  nodeSelector: {karpenter.azure.com/sku-gpu-name: A100}\n"
    assert _reason(TOLERATE + selector) is None


def _pool_reason(
    requirements: str, resource: str, node_class: str = "karpenter.k8s.aws"
) -> str | None:
    text = f"""apiVersion: karpenter.sh/v1
kind: NodePool
metadata: {{name: p}}
spec:
  template:
    spec:
      nodeClassRef: {{group: {node_class}, kind: EC2NodeClass, name: x}}
      requirements: {requirements}
---
apiVersion: v1
kind: Pod
metadata: {{name: pod}}
spec:
  containers: [{{name: c, resources: {{limits: {{{resource}: 1}}}}}}]
"""
    bundle = build_bundle([load_bytes("t.yaml", text.encode())], Settings(), Report())
    pool = nodepool_of(bundle.objects[0])
    (template,) = bundle.templates(bundle.objects[1])
    found = mismatch(pool, template, {resource: 1})
    return None if found is None else found.reason


def test_instance_hardware_must_carry_the_accelerator() -> None:
    cpu_only = "[{key: karpenter.k8s.aws/instance-category, operator: In, values: [c, m, r]}]"
    assert "none with `nvidia.com/gpu`" in (_pool_reason(cpu_only, "nvidia.com/gpu") or "")
    gpus = "[{key: karpenter.k8s.aws/instance-category, operator: In, values: [g, m]}]"
    assert _pool_reason(gpus, "nvidia.com/gpu") is None
    assert _pool_reason(gpus, "aws.amazon.com/neuron") is not None
    families = "[{key: karpenter.k8s.aws/instance-family, operator: In, values: [inf2, trn1]}]"
    assert _pool_reason(families, "aws.amazon.com/neuroncore") is None
    assert _pool_reason(families, "nvidia.com/gpu") is not None
    types = "[{key: node.kubernetes.io/instance-type, operator: In, values: [m5.large]}]"
    assert _pool_reason(types, "nvidia.com/gpu") is not None
    # Instance types mean AWS families only for an AWS node class.
    assert _pool_reason(types, "nvidia.com/gpu", node_class="example.com") is None
    # Excluding one GPU family leaves the others.
    not_g5 = "[{key: karpenter.k8s.aws/instance-family, operator: NotIn, values: [g5]}]"
    assert _pool_reason(not_g5, "nvidia.com/gpu") is None
    no_gpu_cat = "[{key: karpenter.k8s.aws/instance-category, operator: NotIn, values: [g, gr, p]}]"
    assert _pool_reason(no_gpu_cat, "nvidia.com/gpu") is not None
    amd_only = "[{key: karpenter.k8s.aws/instance-gpu-manufacturer, operator: In, values: [amd]}]"
    assert _pool_reason(amd_only, "nvidia.com/gpu") is not None
    assert _pool_reason(amd_only, "amd.com/gpu") is None
    zero = "[{key: karpenter.k8s.aws/instance-gpu-count, operator: DoesNotExist}]"
    assert "without GPUs" in (_pool_reason(zero, "nvidia.com/gpu") or "")
    assert _pool_reason(zero, "example.com/widget") is None
