"""Node label keys and annotations that exist on one cloud or add-on only, as data.

ACC003 reads this table to say "GKE only" and to name the portable alternative; the
accelerator-template test reads the `accelerator` flag to know that selecting on a key picks
accelerator nodes. A key is an exact name, or a prefix when it ends with `*`. The first match
wins, so specific entries come before their provider's catch-all prefix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

GFD_ALTERNATIVE = (
    "GPU Feature Discovery labels such as `nvidia.com/gpu.family` or `nvidia.com/gpu.memory`, "
    "or a DRA CEL selector"
)
TPU_ALTERNATIVE = "a Kueue ResourceFlavor that carries the TPU node labels"
POOL_ALTERNATIVE = "a Kueue ResourceFlavor (`spec.nodeLabels`) or the platform's node pools"
INSTANCE_ALTERNATIVE = (
    "GPU Feature Discovery or NFD labels, a DRA CEL selector, or a Kueue ResourceFlavor"
)


@dataclass(frozen=True, slots=True)
class ProviderKey:
    pattern: str
    provider: str
    accelerator: bool
    """Selecting on this key picks accelerator nodes (makes a pod template an accelerator one)."""
    alternative: str
    annotation: bool = False
    """An object or pod annotation rather than a node label."""

    def matches(self, key: str) -> bool:
        if self.pattern.endswith("*"):
            return key.startswith(self.pattern[:-1])
        return key == self.pattern


def _k(
    pattern: str, provider: str, accelerator: bool, alternative: str = GFD_ALTERNATIVE
) -> ProviderKey:
    return ProviderKey(pattern, provider, accelerator, alternative)


PROVIDER_KEYS: tuple[ProviderKey, ...] = (
    # GKE: the cluster-autoscaler GPU label, TPU slices, GPU sharing and pool names.
    _k("cloud.google.com/gke-accelerator", "GKE", True),
    _k("cloud.google.com/gke-accelerator-count", "GKE", True),
    _k("cloud.google.com/gke-tpu-*", "GKE", True, TPU_ALTERNATIVE),
    _k("cloud.google.com/gke-gpu-*", "GKE", True),
    _k("cloud.google.com/gke-max-shared-clients-per-gpu", "GKE", True),
    _k("cloud.google.com/gke-nodepool", "GKE", False, POOL_ALTERNATIVE),
    _k("cloud.google.com/compute-class", "GKE", False, POOL_ALTERNATIVE),
    _k("cloud.google.com/*", "GKE", False, POOL_ALTERNATIVE),
    _k("iam.gke.io/*", "GKE", False, POOL_ALTERNATIVE),
    _k("topology.gke.io/*", "GKE", False, POOL_ALTERNATIVE),
    ProviderKey("serving.kserve.io/gke-accelerator", "GKE", True, GFD_ALTERNATIVE, annotation=True),
    # AWS: EKS managed node groups and Auto Mode, the CA GPU label, Karpenter's AWS provider.
    _k("eks.amazonaws.com/instance-gpu-*", "EKS", True),
    _k("eks.amazonaws.com/instance-accelerator-*", "EKS", True),
    _k("eks.amazonaws.com/*", "EKS", False, POOL_ALTERNATIVE),
    _k("k8s.amazonaws.com/accelerator", "AWS", True),
    _k("karpenter.k8s.aws/instance-gpu-*", "Karpenter AWS", True),
    _k("karpenter.k8s.aws/instance-accelerator-*", "Karpenter AWS", True),
    _k("karpenter.k8s.aws/*", "Karpenter AWS", False, POOL_ALTERNATIVE),
    # Azure: AKS agent pools and accelerator label, node auto-provisioning (Karpenter Azure).
    _k("kubernetes.azure.com/accelerator", "AKS", True),
    _k("kubernetes.azure.com/*", "AKS", False, POOL_ALTERNATIVE),
    _k("karpenter.azure.com/sku-gpu-*", "Karpenter Azure", True),
    _k("karpenter.azure.com/*", "Karpenter Azure", False, POOL_ALTERNATIVE),
    # Other clouds' cluster-autoscaler GPU labels.
    _k("aliyun.accelerator/*", "Alibaba Cloud ACK", True),
    _k("cloud.tencent.com/tke-accelerator", "Tencent TKE", True),
    _k("baidu/nvidia_name", "Baidu CCE", True),
    _k("cloud.digitalocean.com/gpu-node", "DigitalOcean", True),
    _k("node.kubernetes.ovhcloud.com/gpu", "OVHcloud", True),
    _k("k8s.scw.cloud/gpu", "Scaleway", True),
    _k("magnum.openstack.org/gpu", "OpenStack Magnum", True),
    _k("gpu.nvidia.com/class", "CoreWeave", True),
    _k("gpu.nvidia.com/model", "CoreWeave", True),
)

INSTANCE_TYPE_KEYS = frozenset(
    {"node.kubernetes.io/instance-type", "beta.kubernetes.io/instance-type"}
)
"""Well-known keys whose *values* are one cloud's machine catalogue."""

# Vendor labels that are the same on every cloud: selecting on them picks accelerator nodes.
PORTABLE_ACCELERATOR_LABELS: tuple[str, ...] = (
    "nvidia.com/gpu*",
    "nvidia.com/mig*",
    "nvidia.com/cuda.*",
    "nvidia.com/vgpu.*",
    "amd.com/gpu*",
    "gpu.intel.com/*",
    "intel.feature.node.kubernetes.io/gpu",
    "feature.node.kubernetes.io/pci-10de.present",
    "feature.node.kubernetes.io/pci-1002.present",
    "habana.ai/*",
    "aws.amazon.com/neuron*",
)

_INSTANCE_FAMILIES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^Standard_[A-Za-z0-9_]+$", re.IGNORECASE), "Azure"),
    (
        re.compile(
            r"^[a-z][a-z0-9-]*\.(?:nano|micro|small|medium|large|\d*xlarge|metal(?:-\w+)?)$"
        ),
        "AWS",
    ),
    (re.compile(r"^[a-z]+\d+[a-z]*-[a-z]+(?:-\d+[a-z]*)?$"), "Google Cloud"),
)


def provider_key(key: str, annotation: bool = False) -> ProviderKey | None:
    """The table entry for a node label key (or, with `annotation`, an annotation key)."""
    for entry in PROVIDER_KEYS:
        if entry.annotation == annotation and entry.matches(key):
            return entry
    return None


def instance_type_provider(value: str) -> str | None:
    """The cloud whose machine catalogue a value such as `p4d.24xlarge` comes from."""
    for pattern, provider in _INSTANCE_FAMILIES:
        if pattern.match(value):
            return provider
    return None


def is_portable_accelerator_label(key: str) -> bool:
    return any(
        key.startswith(p[:-1]) if p.endswith("*") else key == p for p in PORTABLE_ACCELERATOR_LABELS
    )
