"""Accelerator extended-resource names: who serves each one and what replaces it, as data.

Each entry says who serves the name today (a device plugin), which vendor and device kind it
is, and what its portable form is with that form's maturity: a DRA driver serving the GA
`resource.k8s.io/v1` API, a DRA driver behind beta APIs only, a DRA driver on one provider's
hardware only, or nothing. `k8s/accelerator_requests.py` turns a container's requests into
one answer per request from this table; the rules read that answer, never this table.
Users extend it in `[tool.aiconf-lint.accelerators]`.
"""

from __future__ import annotations

import re
from enum import StrEnum

from aiconf_lint.records import record


class Maturity(StrEnum):
    """How far the DRA replacement for a device-plugin name has come."""

    GA = "GA resource.k8s.io/v1 driver"
    """A DRA driver serves the device through the GA API on any conformant cluster."""
    BETA_ONLY = "beta-only"
    """DRA exists only behind `resource.k8s.io` beta APIs, which are off by default."""
    PROVIDER_ONLY = "provider-only"
    """A DRA driver exists, but the devices exist on one provider's machines only."""
    NONE = "none"
    """No DRA driver to move to."""


@record(frozen=True)
class AcceleratorResource:
    pattern: str
    """A resource name, or a regex when it contains a `(`."""
    vendor: str
    served_by: str
    """The noun phrase for what serves the name today: "NVIDIA device plugin"."""
    device_class: str | None = None
    """The DRA DeviceClass the migration uses; None where no migration target exists."""
    provider: str | None = None
    """The one cloud or add-on that serves this name, for ACC004 (None: any cluster)."""
    shared: bool = False
    mig: bool = False
    kind: str = "GPU"
    """The device kind, for messages: `GPU`, `MIG slice`, `TPU`, `Neuron device`."""
    maturity: Maturity = Maturity.GA
    dra: str = ""
    """What DRA offers or would need for this name, quoted by the rule that owns it."""
    accelerator: bool = True
    """False for interconnects (EFA): a request does not make a pod an accelerator pod."""

    def matches(self, name: str) -> bool:
        if "(" in self.pattern:
            return re.fullmatch(self.pattern, name) is not None
        return self.pattern == name


_TPU_DRA = (
    "the TPU DRA driver (`tpu.google.com`) runs on GKE only, behind `resource.k8s.io` beta "
    "APIs that are off by default, so there is no portable request yet; keep TPU manifests "
    "per platform"
)
_NEURON_DRA = (
    "AWS's Neuron DRA driver (`neuron.aws.com`, Kubernetes 1.34+, not on EKS Auto Mode) "
    "serves it as a `resource.k8s.io/v1` claim, but the devices exist on AWS only; keep "
    "Neuron manifests per platform"
)
_HAMI_DRA = (
    "HAMi has no DRA driver; request whole devices, or a DRA claim with `capacity.requests` "
    "where the driver supports consumable capacity"
)
_EFA_DRA = (
    "EFA interfaces exist on AWS only; keep the request in an AWS overlay (EKS can also "
    "serve EFA through DRA)"
)

DRA_EXTENDED_PREFIX = "deviceclass.resource.kubernetes.io/"
"""KEP-5004's implicit extended resource name for every DeviceClass."""

ACCELERATOR_RESOURCES: tuple[AcceleratorResource, ...] = (
    # KEP-5004 (kubernetes/enhancements keps/sig-scheduling/5004-dra-extended-resource): every
    # DeviceClass is also requestable as `deviceclass.resource.kubernetes.io/<class>`.
    AcceleratorResource(
        r"deviceclass\.resource\.kubernetes\.io/(.+)",
        "DRA",
        "DRA extended-resource mapping",
        kind="DRA device",
    ),
    # NVIDIA: kubernetes-sigs/dra-driver-nvidia-gpu serves `gpu.nvidia.com` and
    # `mig.nvidia.com` through resource.k8s.io/v1, sharing through GpuConfig
    # (deployments/helm/dra-driver-nvidia-gpu/templates/deviceclass*.yaml).
    AcceleratorResource("nvidia.com/gpu", "NVIDIA", "NVIDIA device plugin", "gpu.nvidia.com"),
    AcceleratorResource(
        "nvidia.com/gpu.shared",
        "NVIDIA",
        "NVIDIA device plugin (time-slicing/MPS)",
        shared=True,
        kind="shared GPU",
        dra="a shared `gpu.nvidia.com` claim with a `GpuConfig` sharing strategy",
    ),
    AcceleratorResource(
        r"nvidia\.com/(mig-\d+g\.\d+gb(?:\+me)?)\.shared",
        "NVIDIA",
        "NVIDIA device plugin (MIG, shared)",
        shared=True,
        mig=True,
        kind="shared MIG slice",
        dra="a shared `mig.nvidia.com` claim with a `MigDeviceConfig` sharing strategy",
    ),
    AcceleratorResource(
        r"nvidia\.com/(mig-\d+g\.\d+gb(?:\+me)?)",
        "NVIDIA",
        "NVIDIA device plugin (MIG mixed strategy)",
        "mig.nvidia.com",
        mig=True,
        kind="MIG slice",
    ),
    # HAMi (github.com/Project-HAMi/HAMi): its own scheduler extender and device plugin.
    AcceleratorResource(
        r"nvidia\.com/(gpucores|gpumem|gpumem-percentage)",
        "NVIDIA",
        "HAMi device plugin",
        provider="HAMi",
        kind="GPU fraction",
        maturity=Maturity.NONE,
        dra=_HAMI_DRA,
    ),
    # AMD: ROCm/k8s-gpu-dra-driver, DeviceClass `gpu.amd.com` rendered for resource.k8s.io/v1
    # (helm-charts-k8s/templates/deviceclass.yaml); partitions are devices of the same class.
    AcceleratorResource("amd.com/gpu", "AMD", "AMD GPU device plugin", "gpu.amd.com"),
    AcceleratorResource(
        r"amd\.com/((?:spx|dpx|qpx|cpx)_nps\d)",
        "AMD",
        "AMD GPU device plugin (partitions)",
        kind="GPU partition",
        dra="a `gpu.amd.com` claim with a CEL selector on the partition profile",
    ),
    # Intel: intel/intel-resource-drivers-for-kubernetes, resource.k8s.io/v1 DeviceClasses
    # `gpu.intel.com` and `gaudi.intel.com` (deployments/{gpu,gaudi}/base/device-class.yaml).
    AcceleratorResource(
        r"gpu\.intel\.com/(i915|xe)", "Intel", "Intel GPU device plugin", "gpu.intel.com"
    ),
    AcceleratorResource(
        "habana.ai/gaudi",
        "Intel Gaudi",
        "Habana device plugin",
        kind="Gaudi accelerator",
        dra="a `gaudi.intel.com` claim from Intel's Gaudi DRA driver",
    ),
    # AWS Neuron: docs.aws.amazon.com/eks/latest/userguide/device-management-neuron.html.
    AcceleratorResource(
        r"aws\.amazon\.com/(neuron|neuroncore|neurondevice)",
        "AWS",
        "AWS Neuron device plugin",
        provider="AWS",
        kind="Neuron device",
        maturity=Maturity.PROVIDER_ONLY,
        dra=_NEURON_DRA,
    ),
    # Google TPU: kubernetes-sigs/dra-driver-google-tpu (README: GKE only, beta APIs).
    AcceleratorResource(
        "google.com/tpu",
        "Google",
        "GKE TPU device plugin",
        provider="GKE",
        kind="TPU",
        maturity=Maturity.BETA_ONLY,
        dra=_TPU_DRA,
    ),
    # Alibaba Cloud ACK GPU sharing: `aliyun.com/gpu-mem` (GiB of one GPU) is read by ACK's
    # shared-GPU scheduler (alibabacloud.com/help/doc-detail/2523313.html).
    AcceleratorResource(
        "aliyun.com/gpu-mem",
        "NVIDIA",
        "ACK GPU sharing scheduler",
        provider="Alibaba Cloud ACK",
        kind="GPU memory share",
        maturity=Maturity.NONE,
        dra=(
            "ACK's GPU sharing has no DRA form; request whole GPUs, or a DRA claim with "
            "`capacity.requests` where the driver supports consumable capacity"
        ),
    ),
    # Huawei Ascend NPUs: `huawei.com/ascend-310` on Huawei Cloud CCE
    # (support.huaweicloud.com/usermanual-cce/cce_10_0346.html) and the MindCluster Ascend
    # device plugin's `huawei.com/Ascend910`, `Ascend310P`, ... on any cluster with the
    # hardware. No Ascend DRA driver is known, so neither ACC001 nor ACC004 owns them; they
    # still make a pod an accelerator pod for the gang, autoscaling and security rules.
    AcceleratorResource(
        r"huawei\.com/([Aa]scend[-\w]*)",
        "Huawei",
        "Ascend device plugin",
        kind="NPU",
        maturity=Maturity.NONE,
        dra="no Ascend DRA driver is known",
    ),
    # AWS Elastic Fabric Adapter: aws-efa-k8s-device-plugin; an interconnect, not a device a
    # workload computes on (docs.aws.amazon.com/eks/latest/userguide/node-efa.html).
    AcceleratorResource(
        "vpc.amazonaws.com/efa",
        "AWS",
        "AWS EFA device plugin",
        provider="AWS",
        kind="EFA interface",
        maturity=Maturity.PROVIDER_ONLY,
        dra=_EFA_DRA,
        accelerator=False,
    ),
)


def custom_resource(name: str, device_class: str | None) -> AcceleratorResource:
    """An entry from `[tool.aiconf-lint.accelerators.resources]`: GA DRA when it names a class."""
    return AcceleratorResource(
        name,
        "custom",
        "custom device plugin",
        device_class,
        kind="device",
        maturity=Maturity.GA if device_class else Maturity.NONE,
        dra="" if device_class else "no DRA device class is configured for it",
    )


def accelerator_resource(
    name: str, extra: tuple[AcceleratorResource, ...] = ()
) -> AcceleratorResource | None:
    """The table entry for a resource name, or None for cpu, memory and other non-accelerators."""
    if "/" not in name:
        return None
    for entry in (*extra, *ACCELERATOR_RESOURCES):
        if entry.matches(name):
            return entry
    return None
