"""The provider label table: which keys are one provider's, and which clouds' machine names."""

from __future__ import annotations

import pytest

from aiconf_lint.k8s.providers import (
    PROVIDER_KEYS,
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
