"""Node-level accelerator infrastructure: the DaemonSets that legitimately touch raw devices.

Device plugins, drivers, the container toolkit, DCGM exporters, the GPU operator and NCCL/RDMA
installers must see every device on the node, run privileged and pin themselves to one
platform's GPU nodes. Security and portability rules exempt them. Patterns are `fnmatch` globs
matched against the workload name and each container image (registry and tag included, so
patterns start with `*`). Users replace either list with `[tool.aiconf-lint.security]
exempt-images` / `exempt-names`; a configured list applies to workloads of every kind, the
defaults to DaemonSets only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from fnmatch import fnmatchcase
from typing import Any

from aiconf_lint.k8s.objects import K8sObject
from aiconf_lint.k8s.workloads import PodTemplate
from aiconf_lint.records import record

DEFAULT_EXEMPT_IMAGES: tuple[str, ...] = (
    "*/k8s-device-plugin*",
    "*nvidia/gpu-operator*",
    "*/gpu-operator-validator*",
    "*nvidia/driver*",
    "*/k8s-driver-manager*",
    "*/container-toolkit*",
    "*/dcgm-exporter*",
    "*/dcgm:*",
    "*/gpu-feature-discovery*",
    "*/k8s-mig-manager*",
    "*/k8s-kata-manager*",
    "*/nvidia-fs*",
    "*dra-driver-nvidia*",
    "*k8s-dra-driver*",
    "*rocm/k8s-device-plugin*",
    "*rocm/device-metrics-exporter*",
    "*intel/intel-gpu-plugin*",
    "*neuron-device-plugin*",
    "*neuron-monitor*",
    "*/nccl-plugin*",
    "*nccl-installer*",
    "*/rdma*",
    "*tpu-device-plugin*",
)
DEFAULT_EXEMPT_NAMES: tuple[str, ...] = (
    "*device-plugin*",
    "*nvidia-driver*",
    "*driver-installer*",
    "*container-toolkit*",
    "*dcgm*",
    "*gpu-operator*",
    "*gpu-feature-discovery*",
    "*mig-manager*",
    "*nccl*installer*",
    "*rdma*",
    "*dra-driver*",
    "*kubelet-plugin*",
    "*neuron-monitor*",
)


@record(frozen=True)
class Exemptions:
    images: tuple[str, ...]
    names: tuple[str, ...]
    configured: bool
    """True when the user set either list; configured lists apply to every workload kind."""

    @classmethod
    def from_section(cls, section: Mapping[str, Any]) -> Exemptions:
        images = section.get("exempt-images")
        names = section.get("exempt-names")
        return cls(
            tuple(str(i) for i in images) if images is not None else DEFAULT_EXEMPT_IMAGES,
            tuple(str(n) for n in names) if names is not None else DEFAULT_EXEMPT_NAMES,
            images is not None or names is not None,
        )

    def exempts(self, obj: K8sObject, images: Iterable[str]) -> bool:
        if obj.kind != "DaemonSet" and not self.configured:
            return False
        if any(fnmatchcase(obj.name, pattern) for pattern in self.names):
            return True
        return any(fnmatchcase(image, pattern) for image in images for pattern in self.images)


def is_device_infrastructure(template: PodTemplate, section: Mapping[str, Any]) -> bool:
    """True for a device plugin, driver, exporter or installer workload (see module docs)."""
    images = [c.image for c in template.containers if c.image]
    return Exemptions.from_section(section).exempts(template.obj, images)
