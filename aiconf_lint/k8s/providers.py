"""Node label keys and annotations that exist on one cloud or add-on only, as data.

ACC003 reads this table to say "GKE only" and to name the portable alternative; the
accelerator-template test reads the `accelerator` flag to know that selecting on a key picks
accelerator nodes. A key is an exact name, or a prefix when it ends with `*`. The first match
wins, so specific entries come before their provider's catch-all prefix.

Each key has a class, and each class its own remedy: accelerator/topology keys (GPU model,
TPU slice shape) move to GPU Feature Discovery labels, DRA selectors or a Kueue
ResourceFlavor; capacity keys (spot, preemptible) to a ResourceFlavor per capacity type;
node-pool keys to a ResourceFlavor's `nodeLabels`; identity/feature keys (GKE Workload
Identity, OS image) to a per-platform overlay. Every entry's comment names its source.
"""

from __future__ import annotations

import re
from enum import StrEnum

from aiconf_lint.records import record

GFD_ALTERNATIVE = (
    "GPU Feature Discovery labels such as `nvidia.com/gpu.family` or `nvidia.com/gpu.memory`, "
    "or a DRA CEL selector"
)
TPU_ALTERNATIVE = "a Kueue ResourceFlavor that carries the TPU node labels"
TOPOLOGY_ALTERNATIVE = "a topology label every target cluster defines, such as a Kueue Topology"
POOL_ALTERNATIVE = "a Kueue ResourceFlavor (`spec.nodeLabels`) or the platform's node pools"
CAPACITY_ALTERNATIVE = (
    "a Kueue ResourceFlavor per capacity type, or the platform's spot taint tolerated in a "
    "per-platform overlay"
)
FEATURE_ALTERNATIVE = (
    "a per-platform overlay (the key asks for a platform feature such as workload identity, "
    "not for accelerator placement)"
)
INSTANCE_ALTERNATIVE = (
    "GPU Feature Discovery or NFD labels, a DRA CEL selector, or a Kueue ResourceFlavor"
)


class LabelClass(StrEnum):
    """What a provider node label selects, which decides the remedy ACC003 offers."""

    ACCELERATOR = "accelerator/topology"
    CAPACITY = "capacity"
    POOL = "node pool"
    FEATURE = "identity/feature"
    INSTANCE = "instance type"


@record(frozen=True)
class ProviderKey:
    pattern: str
    provider: str
    accelerator: bool
    """Selecting on this key picks accelerator nodes (makes a pod template an accelerator one)."""
    alternative: str
    annotation: bool = False
    """An object or pod annotation rather than a node label."""
    label_class: LabelClass = LabelClass.POOL

    def matches(self, key: str) -> bool:
        if self.pattern.endswith("*"):
            return key.startswith(self.pattern[:-1])
        return key == self.pattern


def _k(
    pattern: str, provider: str, accelerator: bool, alternative: str = GFD_ALTERNATIVE
) -> ProviderKey:
    """An accelerator key (the GFD or TPU remedy) or, without the flag, a node-pool key."""
    label_class = LabelClass.ACCELERATOR if accelerator else LabelClass.POOL
    if not accelerator and alternative == GFD_ALTERNATIVE:
        alternative = POOL_ALTERNATIVE
    return ProviderKey(pattern, provider, accelerator, alternative, label_class=label_class)


def _c(pattern: str, provider: str) -> ProviderKey:
    """A capacity key: spot, preemptible or on-demand."""
    return ProviderKey(
        pattern, provider, False, CAPACITY_ALTERNATIVE, label_class=LabelClass.CAPACITY
    )


def _f(pattern: str, provider: str) -> ProviderKey:
    """An identity or feature key: the pod needs a platform feature on its node."""
    return ProviderKey(
        pattern, provider, False, FEATURE_ALTERNATIVE, label_class=LabelClass.FEATURE
    )


def _t(pattern: str, provider: str, accelerator: bool = False) -> ProviderKey:
    """A topology key: the rack, block or slice shape a provider labels nodes with."""
    alternative = TPU_ALTERNATIVE if accelerator else TOPOLOGY_ALTERNATIVE
    return ProviderKey(
        pattern, provider, accelerator, alternative, label_class=LabelClass.ACCELERATOR
    )


PROVIDER_KEYS: tuple[ProviderKey, ...] = (
    # GKE: the cluster-autoscaler GPU label, TPU slices, GPU sharing and pool names
    # (cloud.google.com/kubernetes-engine/docs/concepts/plan-tpus, .../how-to/gpus,
    # kubernetes/autoscaler cluster-autoscaler/cloudprovider/gce/gce_cloud_provider.go).
    _k("cloud.google.com/gke-accelerator", "GKE", True),
    _k("cloud.google.com/gke-accelerator-count", "GKE", True),
    _t("cloud.google.com/gke-tpu-topology", "GKE", accelerator=True),
    _k("cloud.google.com/gke-tpu-*", "GKE", True, TPU_ALTERNATIVE),
    _k("cloud.google.com/gke-gpu-*", "GKE", True),
    _k("cloud.google.com/gke-max-shared-clients-per-gpu", "GKE", True),
    # Spot and preemptible VMs (cloud.google.com/kubernetes-engine/docs/concepts/spot-vms).
    _c("cloud.google.com/gke-spot", "GKE"),
    _c("cloud.google.com/gke-preemptible", "GKE"),
    _c("cloud.google.com/gke-provisioning", "GKE"),
    _k("cloud.google.com/gke-nodepool", "GKE", False, POOL_ALTERNATIVE),
    _k("cloud.google.com/compute-class", "GKE", False, POOL_ALTERNATIVE),
    _k("cloud.google.com/machine-family", "GKE", False, POOL_ALTERNATIVE),
    _t("cloud.google.com/gce-topology-*", "GKE"),
    _t("topology.gke.io/*", "GKE"),
    # Workload Identity and node features (cloud.google.com/kubernetes-engine/docs/how-to/
    # workload-identity): a CPU or GPU pod needs them for reasons other than placement.
    _f("iam.gke.io/*", "GKE"),
    _f("cloud.google.com/*", "GKE"),
    ProviderKey(
        "serving.kserve.io/gke-accelerator",
        "GKE",
        True,
        GFD_ALTERNATIVE,
        annotation=True,
        label_class=LabelClass.ACCELERATOR,
    ),
    # AWS: EKS managed node groups and Auto Mode, the CA GPU label, Karpenter's AWS provider
    # (docs.aws.amazon.com/eks/latest/userguide/managed-node-groups.html,
    # aws/karpenter-provider-aws pkg/apis/v1/labels.go).
    _k("eks.amazonaws.com/instance-gpu-*", "EKS", True),
    _k("eks.amazonaws.com/instance-accelerator-*", "EKS", True),
    _c("eks.amazonaws.com/capacityType", "EKS"),
    _k("eks.amazonaws.com/nodegroup", "EKS", False, POOL_ALTERNATIVE),
    _k("eks.amazonaws.com/*", "EKS", False, POOL_ALTERNATIVE),
    _k("k8s.amazonaws.com/accelerator", "AWS", True),
    _k("karpenter.k8s.aws/instance-gpu-*", "Karpenter AWS", True),
    _k("karpenter.k8s.aws/instance-accelerator-*", "Karpenter AWS", True),
    _k("karpenter.k8s.aws/*", "Karpenter AWS", False, POOL_ALTERNATIVE),
    # Azure: AKS agent pools and accelerator label, node auto-provisioning (Karpenter Azure)
    # (learn.microsoft.com/azure/aks/spot-node-pool for `scalesetpriority`).
    _k("kubernetes.azure.com/accelerator", "AKS", True),
    _c("kubernetes.azure.com/scalesetpriority", "AKS"),
    _k("kubernetes.azure.com/agentpool", "AKS", False, POOL_ALTERNATIVE),
    _k("kubernetes.azure.com/*", "AKS", False, POOL_ALTERNATIVE),
    _k("karpenter.azure.com/sku-gpu-*", "Karpenter Azure", True),
    _k("karpenter.azure.com/*", "Karpenter Azure", False, POOL_ALTERNATIVE),
    # Alibaba Cloud ACK: GPU scheduling policy and model labels (alibabacloud.com/help/en/ack/
    # ack-managed-and-ack-dedicated/user-guide/labels-used-by-ack-to-control-gpus; ACS
    # "schedule applications to GPU-HPN virtual nodes based on attribute labels").
    _k("aliyun.accelerator/*", "Alibaba Cloud ACK", True),
    _k("ack.node.gpu.*", "Alibaba Cloud ACK", True),
    _k("alibabacloud.com/gpu-model-series", "Alibaba Cloud ACK", True),
    _t("alibabacloud.com/hpn-zone", "Alibaba Cloud ACK"),
    _k("alibabacloud.com/*", "Alibaba Cloud ACK", False, POOL_ALTERNATIVE),
    # Huawei Cloud CCE: NPU nodes are labelled `accelerator/huawei-npu`
    # (support.huaweicloud.com/usermanual-cce/cce_10_0346.html).
    _k("accelerator/huawei-npu", "Huawei Cloud CCE", True),
    # Other clouds' cluster-autoscaler GPU labels
    # (kubernetes/autoscaler cluster-autoscaler/cloudprovider/*/..._cloud_provider.go).
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
    # Oracle Cloud shapes: `BM.GPU.H100.8`, `VM.GPU.A10.1`, `VM.Standard.E4.Flex`
    # (docs.oracle.com/iaas/Content/Compute/References/computeshapes.htm).
    (re.compile(r"^(?:BM|VM)\.[A-Za-z0-9]+(?:\.[A-Za-z0-9]+)+$"), "Oracle Cloud"),
    # Alibaba Cloud ECS: `ecs.gn7i-c8g1.2xlarge` (alibabacloud.com/help/en/ecs instance families).
    (re.compile(r"^ecs\.[a-z0-9-]+\.[a-z0-9]+$"), "Alibaba Cloud"),
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
