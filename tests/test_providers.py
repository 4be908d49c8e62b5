"""The provider label table: which keys are one provider's, and which clouds' machine names."""

from __future__ import annotations

import pytest

from aiconf_lint.k8s.providers import (
    PROVIDER_KEYS,
    LabelClass,
    instance_type_provider,
    is_portable_accelerator_label,
    provider_key,
)


@pytest.mark.parametrize(
    ("key", "provider", "accelerator"),
    [
        ("cloud.google.com/gke-accelerator", "GKE", True),
        ("cloud.google.com/gke-tpu-topology", "GKE", True),
        ("cloud.google.com/gke-nodepool", "GKE", False),
        ("cloud.google.com/machine-family", "GKE", False),
        ("karpenter.k8s.aws/instance-gpu-count", "Karpenter AWS", True),
        ("karpenter.k8s.aws/instance-family", "Karpenter AWS", False),
        ("k8s.amazonaws.com/accelerator", "AWS", True),
        ("kubernetes.azure.com/agentpool", "AKS", False),
        ("gpu.nvidia.com/class", "CoreWeave", True),
    ],
)
def test_provider_keys(key: str, provider: str, accelerator: bool) -> None:
    entry = provider_key(key)
    assert entry is not None
    assert (entry.provider, entry.accelerator) == (provider, accelerator)


@pytest.mark.parametrize(
    "key",
    [
        "kubernetes.io/os",
        "nvidia.com/gpu.family",
        "karpenter.sh/nodepool",
        "topology.kubernetes.io/zone",
        "serving.kserve.io/gke-accelerator",  # an annotation, not a node label
    ],
)
def test_portable_or_other_keys(key: str) -> None:
    assert provider_key(key) is None


def test_kserve_annotation() -> None:
    entry = provider_key("serving.kserve.io/gke-accelerator", annotation=True)
    assert entry is not None
    assert entry.provider == "GKE"


def test_specific_entries_precede_their_catch_all() -> None:
    """The first match wins, so no prefix entry may hide a later, more specific one."""
    for i, entry in enumerate(PROVIDER_KEYS):
        if not entry.pattern.endswith("*"):
            continue
        for later in PROVIDER_KEYS[i + 1 :]:
            shadowed = later.annotation == entry.annotation and entry.matches(
                later.pattern.rstrip("*")
            )
            assert not shadowed, f"{later.pattern} is shadowed by {entry.pattern}"


@pytest.mark.parametrize(
    ("value", "cloud"),
    [
        ("p4d.24xlarge", "AWS"),
        ("g5.xlarge", "AWS"),
        ("Standard_ND96asr_v4", "Azure"),
        ("a3-highgpu-8g", "Google Cloud"),
        ("ct5lp-hightpu-4t", "Google Cloud"),
        ("g2-standard-8", "Google Cloud"),
        ("trn1-32xl", None),
        ("gpu-large", None),
    ],
)
def test_instance_type_provider(value: str, cloud: str | None) -> None:
    assert instance_type_provider(value) == cloud


def test_portable_accelerator_labels() -> None:
    assert is_portable_accelerator_label("nvidia.com/gpu.product")
    assert is_portable_accelerator_label("feature.node.kubernetes.io/pci-10de.present")
    assert not is_portable_accelerator_label("kubernetes.io/hostname")


@pytest.mark.parametrize(
    ("key", "label_class", "provider"),
    [
        ("cloud.google.com/gke-accelerator", LabelClass.ACCELERATOR, "GKE"),
        ("cloud.google.com/gke-tpu-topology", LabelClass.ACCELERATOR, "GKE"),
        ("cloud.google.com/gke-spot", LabelClass.CAPACITY, "GKE"),
        ("eks.amazonaws.com/capacityType", LabelClass.CAPACITY, "EKS"),
        ("kubernetes.azure.com/scalesetpriority", LabelClass.CAPACITY, "AKS"),
        ("cloud.google.com/gke-nodepool", LabelClass.POOL, "GKE"),
        ("eks.amazonaws.com/nodegroup", LabelClass.POOL, "EKS"),
        ("iam.gke.io/gke-metadata-server-enabled", LabelClass.FEATURE, "GKE"),
        ("cloud.google.com/gke-os-distribution", LabelClass.FEATURE, "GKE"),
        ("ack.node.gpu.schedule", LabelClass.ACCELERATOR, "Alibaba Cloud ACK"),
        ("alibabacloud.com/gpu-model-series", LabelClass.ACCELERATOR, "Alibaba Cloud ACK"),
        ("accelerator/huawei-npu", LabelClass.ACCELERATOR, "Huawei Cloud CCE"),
    ],
)
def test_label_classes(key: str, label_class: LabelClass, provider: str) -> None:
    entry = provider_key(key)
    assert entry is not None
    assert (entry.label_class, entry.provider) == (label_class, provider)


def test_each_class_has_its_own_remedy() -> None:
    remedies = {
        entry.label_class: entry.alternative
        for entry in PROVIDER_KEYS
        if entry.label_class is not LabelClass.ACCELERATOR
    }
    assert len(set(remedies.values())) == len(remedies) == 3


@pytest.mark.parametrize(
    ("value", "cloud"),
    [
        ("BM.GPU.H100.8", "Oracle Cloud"),
        ("VM.GPU.A10.1", "Oracle Cloud"),
        ("ecs.gn7i-c8g1.2xlarge", "Alibaba Cloud"),
        ("p4d.24xlarge", "AWS"),
    ],
)
def test_more_instance_catalogues(value: str, cloud: str) -> None:
    assert instance_type_provider(value) == cloud
