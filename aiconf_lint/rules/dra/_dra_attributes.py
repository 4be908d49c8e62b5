"""What DRA drivers publish, per their own docs: data the CEL checks of DRA005 read.

Sources (see the domain notes): NVIDIA's resourceslice attribute reference, the
dra-example-driver's gpu profile, Intel's, AMD's and the Google TPU driver's attribute docs.
Only drivers documented there are listed; an unknown driver's attributes are never assumed.
"""

from __future__ import annotations

_NVIDIA_COMMON = frozenset(
    [
        "type",
        "uuid",
        "productName",
        "brand",
        "architecture",
        "cudaComputeCapability",
        "driverVersion",
        "cudaDriverVersion",
    ]
)
"""What every NVIDIA GPU and MIG device publishes."""

NON_BOOL_ATTRIBUTES: dict[str, frozenset[str]] = {
    "gpu.nvidia.com": _NVIDIA_COMMON
    | {
        "addressingMode",
        "profile",
        "parentUUID",
        "index",
        "pcieBusID",
        "deviceID",
        "vendorID",
        "numa",
        "gpuModuleID",
    },
    "gpu.example.com": frozenset({"index", "uuid", "model", "driverVersion"}),
    "resource.kubernetes.io": frozenset({"pciBusID", "pcieRoot", "numaNode"}),
    "gpu.amd.com": frozenset(
        [
            "type",
            "pciAddr",
            "cardIndex",
            "renderIndex",
            "deviceID",
            "family",
            "productName",
            "driverVersion",
            "driverSrcVersion",
            "partitionProfile",
        ]
    ),
    "tpu.google.com": frozenset(
        {"accelerator", "tpuGen", "chipCount", "topology", "index", "uuid", "brand"}
    ),
}
"""Documented string/int/version attributes: reading one bare is never a bool."""

_MIG_CAPACITY = frozenset(
    [
        "memory",
        "multiprocessors",
        "copyEngines",
        "decoders",
        "encoders",
        "jpegEngines",
        "ofaEngines",
    ]
)
CLASS_PUBLISHES: dict[str, tuple[str, frozenset[str], frozenset[str]]] = {
    "gpu.nvidia.com": ("gpu.nvidia.com", _NVIDIA_COMMON, frozenset({"memory"})),
    "mig.nvidia.com": ("gpu.nvidia.com", _NVIDIA_COMMON | {"profile", "parentUUID"}, _MIG_CAPACITY),
    "gpu.example.com": (
        "gpu.example.com",
        frozenset({"index", "uuid", "model", "driverVersion"}),
        frozenset({"memory"}),
    ),
    "gpu.intel.com": (
        "gpu.intel.com",
        frozenset({"driver", "family", "health", "model", "pciId", "sriov"}),
        frozenset({"memory", "millicores"}),
    ),
    "gaudi.intel.com": ("gaudi.intel.com", frozenset({"model", "healthy"}), frozenset()),
    "gpu.amd.com": (
        "gpu.amd.com",
        frozenset({"type", "productName", "family", "deviceID", "driverVersion"}),
        frozenset({"memory", "computeUnits", "simdUnits"}),
    ),
    "tpu.google.com": (
        "tpu.google.com",
        frozenset({"accelerator", "tpuGen", "chipCount", "topology", "index", "uuid", "brand"}),
        frozenset(),
    ),
}
"""`(domain, attributes, capacities)` that the driver publishes on *every* device of a class
(NVIDIA's resourceslice reference, dra-example-driver's gpu profile, Intel's, AMD's and the
TPU driver's attribute docs): reading them from a request of that class needs no guard."""
DRIVER_PUBLISHES: dict[str, frozenset[str]] = {
    "gpu.nvidia.com": frozenset({"type", "uuid"}),
    "compute-domain.nvidia.com": frozenset({"type"}),
}
"""Attributes on every device of a driver with several device types, for DeviceClass selectors
that pin the driver; other drivers use their `CLASS_PUBLISHES` entry."""

TYPE_CLASSES = {
    ("gpu.nvidia.com", "gpu"): "gpu.nvidia.com",
    ("gpu.nvidia.com", "mig"): "mig.nvidia.com",
}
"""`device.attributes['<driver>'].type == '<t>'` in a selector narrows to this known class."""
