"""Accelerator extended-resource names: who serves each one and its DRA device class.

Data, not logic: messages say "NVIDIA device plugin" or "GKE only" from here, and the DRA
migration reads the device class from here. Users extend it in `[tool.aiconf-lint.accelerators]`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class AcceleratorResource:
    pattern: str
    """A resource name, or a regex when it contains a `(`."""
    vendor: str
    served_by: str
    device_class: str | None = None
    """The DRA DeviceClass the migration uses; None where no DRA driver exists to move to."""
    provider: str | None = None
    """The one cloud or add-on that serves this name, for ACC004 (None: any cluster)."""
    shared: bool = False
    mig: bool = False

    def matches(self, name: str) -> bool:
        if "(" in self.pattern:
            return re.fullmatch(self.pattern, name) is not None
        return self.pattern == name


ACCELERATOR_RESOURCES: tuple[AcceleratorResource, ...] = (
    AcceleratorResource("nvidia.com/gpu", "NVIDIA", "NVIDIA device plugin", "gpu.nvidia.com"),
    AcceleratorResource(
        "nvidia.com/gpu.shared", "NVIDIA", "NVIDIA device plugin (time-slicing/MPS)", shared=True
    ),
    AcceleratorResource(
        r"nvidia\.com/(mig-\d+g\.\d+gb(?:\+me)?)\.shared",
        "NVIDIA",
        "NVIDIA device plugin (MIG, shared)",
        shared=True,
        mig=True,
    ),
    AcceleratorResource(
        r"nvidia\.com/(mig-\d+g\.\d+gb(?:\+me)?)",
        "NVIDIA",
        "NVIDIA device plugin (MIG mixed strategy)",
        "mig.nvidia.com",
        mig=True,
    ),
    AcceleratorResource(
        r"nvidia\.com/(gpucores|gpumem|gpumem-percentage)", "NVIDIA", "HAMi", provider="HAMi"
    ),
    AcceleratorResource("amd.com/gpu", "AMD", "AMD GPU device plugin", "gpu.amd.com"),
    AcceleratorResource(
        r"amd\.com/((?:spx|dpx|qpx|cpx)_nps\d)", "AMD", "AMD GPU device plugin (partitions)"
    ),
    AcceleratorResource(
        r"gpu\.intel\.com/(i915|xe)", "Intel", "Intel GPU device plugin", "gpu.intel.com"
    ),
    AcceleratorResource("habana.ai/gaudi", "Intel Gaudi", "Habana device plugin"),
    AcceleratorResource(
        r"aws\.amazon\.com/(neuron|neuroncore|neurondevice)",
        "AWS",
        "AWS Neuron device plugin",
        provider="AWS",
    ),
    AcceleratorResource("google.com/tpu", "Google", "GKE TPU device plugin", provider="GKE"),
)

DRA_EXTENDED_PREFIX = "deviceclass.resource.kubernetes.io/"


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
