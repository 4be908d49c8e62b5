"""Precision on real manifests (issue #13): one answer per accelerator request, and wording
that says what the user can find and act on. Each test pins one message or decision."""

from __future__ import annotations

from typing import Any

import pytest

from aiconf_lint.engine import lint
from aiconf_lint.input.load import load_bytes
from aiconf_lint.k8s.accelerators import ACCELERATOR_RESOURCES, Maturity
from aiconf_lint.k8s.bundle import Bundle
from aiconf_lint.k8s.objects import objects_of
from aiconf_lint.model import Finding, Severity
from aiconf_lint.runner import enabled_rules
from aiconf_lint.settings import Settings, with_overrides


def _run(text: str, select: str, **sections: Any) -> list[Finding]:
    settings = with_overrides(Settings(sections=sections), select=tuple(select.split(",")))
    return lint([load_bytes("t.yaml", text.encode())], settings, enabled_rules(settings)).findings


def _bundle(text: str) -> Bundle:
    bundle = Bundle()
    for doc in load_bytes("t.yaml", text.encode()).documents:
        for obj in objects_of(doc):
            bundle.add(obj)
    return bundle


POD = """\
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
    - name: c
      image: busybox
      resources:
        limits: {REQUEST}
"""
MAPPING_CLASS = """\
---
apiVersion: resource.k8s.io/v1
kind: DeviceClass
metadata: {name: gpu.nvidia.com}
spec:
  extendedResourceName: nvidia.com/gpu
"""


def test_no_table_entry_gets_two_owners() -> None:
    """ACC001 owns GA-DRA names, ACC004 owns platform-bound ones; never both."""
    for entry in ACCELERATOR_RESOURCES:
        assert not (entry.maturity is Maturity.GA and entry.provider is not None), entry.pattern
        if entry.maturity is not Maturity.GA:
            assert entry.dra, f"{entry.pattern} must say what DRA offers or lacks"


@pytest.mark.parametrize(
    ("request_line", "extra", "served_by_dra", "migrate", "bound"),
    [
        ("{nvidia.com/gpu: 1}", "", False, True, False),
        ("{nvidia.com/gpu: 1}", MAPPING_CLASS, True, False, False),
        ("{deviceclass.resource.kubernetes.io/gpu.nvidia.com: 1}", "", True, False, False),
        ("{google.com/tpu: 4}", "", False, False, True),
        ("{aws.amazon.com/neuron: 1}", "", False, False, True),
    ],
)
def test_request_answers(
    request_line: str, extra: str, served_by_dra: bool, migrate: bool, bound: bool
) -> None:
    bundle = _bundle(POD.replace("{REQUEST}", request_line) + extra)
    pod = next(o for o in bundle.objects if o.kind == "Pod")
    (container,) = bundle.templates(pod)[0].containers
    (answer,) = bundle.facts(pod).requests(container)
    assert (answer.served_by_dra, answer.migrate_to_dra, answer.platform_bound) == (
        served_by_dra,
        migrate,
        bound,
    )


def test_acc001_and_acc007_both_honour_the_in_run_mapping() -> None:
    text = POD.replace("{REQUEST}", "{nvidia.com/mig-1g.10gb: 1}") + MAPPING_CLASS.replace(
        "nvidia.com/gpu", "nvidia.com/mig-1g.10gb"
    )
    assert _run(text, "ACC001,ACC007") == []
    unmapped = POD.replace("{REQUEST}", "{nvidia.com/mig-1g.10gb: 1}")
    assert sorted(f.code for f in _run(unmapped, "ACC001,ACC007")) == ["ACC001", "ACC007"]


def test_hami_fraction_is_acc004s_with_a_noun() -> None:
    text = POD.replace("{REQUEST}", "{nvidia.com/gpumem: 4000}")
    assert _run(text, "ACC001") == []
    (finding,) = _run(text, "ACC004")
    assert "through the HAMi instead" not in finding.message
    assert finding.message.startswith(
        "Container `c` of Pod `p` requests `nvidia.com/gpumem` (GPU fraction, HAMi only); "
        "HAMi has no DRA driver"
    )


KSERVE = """\
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata: {name: llama}
spec:
  predictor:
    model:
      modelFormat: {name: huggingface}
      resources:
        limits: {nvidia.com/gpu: 1}
"""


def test_kserve_predictor_is_named_by_its_field_not_a_container_name() -> None:
    (finding,) = _run(KSERVE, "ACC001")
    assert finding.message.startswith(
        "`spec.predictor.model` of InferenceService `llama` (predictor) requests"
    )


RAY = """\
apiVersion: ray.io/v1
kind: RayCluster
metadata: {name: train}
spec:
  headGroupSpec:
    template:
      spec:
        containers:
          - {name: head, image: rayproject/ray:2.9.0}
  workerGroupSpecs:
    - groupName: gpu-workers
      replicas: 2
      template:
        spec:
          containers:
            - name: worker
              image: rayproject/ray:2.9.0
              resources:
                limits: {nvidia.com/gpu: 1}
"""


def test_list_items_are_named_and_cpu_heads_are_not_accelerator_pods() -> None:
    (acc001,) = _run(RAY, "ACC001")
    assert "RayCluster `train` (workerGroup `gpu-workers`)" in acc001.message
    (gng001,) = _run(RAY, "GNG001")
    assert gng001.message.startswith(
        "RayCluster `train` runs 3 pods (workerGroup `gpu-workers` with accelerators) that "
        "must start together"
    )


@pytest.mark.parametrize(
    ("kind", "spec", "severity", "words"),
    [
        ("PyTorchJob", "{}", Severity.WARNING, "with the `torch-distributed` runtime"),
        ("TFJob", "{}", Severity.INFO, "has no TensorFlow runtime"),
        ("PaddleJob", "{}", Severity.INFO, "has no PaddlePaddle runtime"),
        (
            "PyTorchJob",
            "{elasticPolicy: {minReplicas: 1, maxReplicas: 3}}",
            Severity.INFO,
            "has no elastic policy",
        ),
    ],
)
def test_opr001_recommends_trainjob_only_where_it_fits(
    kind: str, spec: str, severity: Severity, words: str
) -> None:
    text = f"apiVersion: kubeflow.org/v1\nkind: {kind}\nmetadata: {{name: j}}\nspec: {spec}\n"
    (finding,) = _run(text, "OPR001")
    assert finding.severity is severity
    assert "of the legacy Kubeflow Training Operator v1" in finding.message
    assert "deprecated" not in finding.message
    assert words in finding.message


EFA_ONLY_LWS = """\
apiVersion: leaderworkerset.x-k8s.io/v1
kind: LeaderWorkerSet
metadata: {name: net}
spec:
  leaderWorkerTemplate:
    size: 2
    workerTemplate:
      spec:
        containers:
          - name: c
            image: busybox
            resources:
              limits: {vpc.amazonaws.com/efa: 1}
"""


def test_efa_is_reported_but_is_no_accelerator() -> None:
    (acc004,) = _run(EFA_ONLY_LWS, "ACC004")
    assert "(EFA interface, AWS only)" in acc004.message
    (gng001,) = _run(EFA_ONLY_LWS, "GNG001")
    assert gng001.severity is Severity.INFO
    assert "runs 2 pods per group" in gng001.message
