"""Evidence for the accelerator requirements: DRA, drivers, sharing, vGPU, mediated access.

What a repository can show is objects, not a running cluster: DRA claims and the workloads that
consume them, the GPU Operator's `ClusterPolicy`, shared or MIG resource requests, vGPU device
classes, and accelerator pods that ask through `resources` or claims (the only sanctioned
paths; SEC findings say where a pod goes around them).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import yaml

from aiconf_lint.k8s.accelerator_use import container_requests, describe
from aiconf_lint.k8s.claims import pod_claims
from aiconf_lint.k8s.dra import CLAIM_KINDS, DRA_GROUP, exact_views
from aiconf_lint.k8s.objects import K8sObject, as_list, as_map, get_path
from aiconf_lint.k8s.workloads import PodTemplate
from aiconf_lint.report.model import Evidence, Facet
from aiconf_lint.report.probe import KindSignal, Probe

GPU_OPERATOR = "nvidia.com"
DRIVER_MANAGERS = (
    KindSignal((GPU_OPERATOR,), ("ClusterPolicy",), "NVIDIA GPU Operator ClusterPolicy"),
    KindSignal((GPU_OPERATOR,), ("NVIDIADriver",), "NVIDIA GPU Operator NVIDIADriver"),
    KindSignal(("amd.com",), ("DeviceConfig",), "AMD GPU Operator DeviceConfig"),
)
# Images of DaemonSets that install accelerator drivers or configure the container runtime.
DRIVER_IMAGES = re.compile(
    r"(nvidia/driver|/k8s-driver-manager|/container-toolkit|/gpu-operator|rocm/gpu-operator"
    r"|amdgpu-driver|intel-gpu-driver|neuron-driver|nvidia-driver-installer)"
)
# Node labels and DRA attributes that carry driver or CUDA versions (GFD, the DRA driver).
DRIVER_VERSION_LABELS = ("nvidia.com/cuda.driver", "nvidia.com/cuda.runtime", "nvidia.com/vgpu.")
DRIVER_VERSION_ATTRIBUTES = re.compile(
    r"\b(driverVersion|cudaDriverVersion|cudaComputeCapability)\b"
)
MIG_CLASS = "mig.nvidia.com"
VFIO_CLASS = re.compile(r"^vfio\.")
VGPU_RESOURCE = re.compile(r"/(GRID_|.*vgpu)", re.IGNORECASE)
SHARING_KEYS = ("timeSlicing", "mps")


def dra_support(probe: Probe) -> list[Facet]:
    claims = Facet("DRA claims", "a `resource.k8s.io/v1` ResourceClaimTemplate or ResourceClaim")
    users = Facet(
        "workloads that consume claims",
        "a workload whose pod `spec.resourceClaims` feeds a container's `resources.claims`",
    )
    classes = Facet("DeviceClasses", "a DeviceClass (the DRA driver installs it)", required=False)
    for obj in probe.bundle.of_kind(*CLAIM_KINDS):
        if obj.group == DRA_GROUP:
            names = sorted({c for v in exact_views(obj) if (c := v.device_class)})
            shown = ", ".join(f"`{n}`" for n in names) or "no device class"
            note = f"{obj.kind} `{obj.name}` at {obj.version} ({shown})"
            claims.evidence.append(probe.evidence(obj, note))
    for obj in probe.bundle.of_kind("DeviceClass", "ResourceSlice"):
        if obj.group == DRA_GROUP:
            classes.evidence.append(probe.evidence(obj, f"{obj.kind} `{obj.name}`"))
    for template in probe.templates():
        used = [c for c in template.containers if as_list(c.resources.get("claims"))]
        if pod_claims(template) and used:
            note = f"{describe(template)}: container `{used[0].name}` uses a DRA claim"
            users.evidence.append(probe.evidence(template.obj, note, (*used[0].path, "resources")))
    return [claims, users, classes]


def driver_runtime_management(probe: Probe) -> list[Facet]:
    managers = Facet(
        "driver and runtime management",
        "a GPU Operator ClusterPolicy/NVIDIADriver, AMD DeviceConfig, or a driver and "
        "container-toolkit DaemonSet",
    )
    managers.evidence.extend(probe.kind_evidence(DRIVER_MANAGERS))
    for obj in probe.bundle.of_kind("DaemonSet"):
        for template in probe.bundle.templates(obj):
            for container in template.containers:
                if DRIVER_IMAGES.search(container.image):
                    note = f"DaemonSet `{obj.name}` runs `{container.image}`"
                    managers.evidence.append(probe.evidence(obj, note, (*container.path, "image")))
    versions = Facet(
        "version-aware scheduling",
        "node selection or a DRA selector on the driver version",
        required=False,
    )
    for template in probe.templates():
        for key in as_map(template.spec.get("nodeSelector")):
            if str(key).startswith(DRIVER_VERSION_LABELS):
                note = f"{describe(template)} selects nodes by `{key}`"
                path = (*template.path, "nodeSelector", str(key))
                versions.evidence.append(probe.evidence(template.obj, note, path))
    for obj in probe.bundle.of_kind("ResourceClaimTemplate", "ResourceClaim", "DeviceClass"):
        if obj.group == DRA_GROUP and DRIVER_VERSION_ATTRIBUTES.search(str(obj.spec)):
            versions.evidence.append(probe.evidence(obj, f"{obj.kind} selects by driver version"))
    return [managers, versions]


def gpu_sharing(probe: Probe) -> list[Facet]:
    sharing = Facet(
        "a GPU sharing strategy",
        "time-slicing or MPS in the device plugin config, MIG (`mig.nvidia.com` or "
        "`nvidia.com/mig-*`), or a DRA claim shared by several containers",
    )
    for template in probe.templates():
        for container in template.containers:
            for request in container_requests(container, probe.ctx.accelerators):
                if request.entry.shared or request.entry.mig or request.entry.provider == "HAMi":
                    kind = "MIG slice" if request.entry.mig else "shared GPU"
                    note = f"{describe(template)} requests `{request.name}` ({kind})"
                    sharing.evidence.append(probe.evidence(template.obj, note, request.path))
        sharing.evidence.extend(_shared_claims(probe, template))
    for obj in probe.bundle.of_kind("ConfigMap"):
        key = _sharing_config(obj)
        if key is not None:
            note = f"ConfigMap `{obj.name}` configures device-plugin {key}"
            sharing.evidence.append(probe.evidence(obj, note))
    for obj in probe.bundle.of_kind("ClusterPolicy"):
        if obj.group == GPU_OPERATOR and _mig_or_sharing(obj):
            sharing.evidence.append(probe.evidence(obj, f"ClusterPolicy {_mig_or_sharing(obj)}"))
    sharing.evidence.extend(_class_evidence(probe, lambda name: name == MIG_CLASS, "MIG"))
    return [sharing]


def virtualized_accelerator(probe: Probe) -> list[Facet]:
    vgpu = Facet(
        "virtualized accelerators",
        "a vGPU or VFIO device class (`vfio.gpu.nvidia.com`), vGPU resources, or a GPU "
        "Operator ClusterPolicy with the vGPU manager",
    )
    vgpu.evidence.extend(_class_evidence(probe, VFIO_CLASS.match, "passthrough/vGPU"))
    for template in probe.templates():
        for container in template.containers:
            found = [
                (section, str(name))
                for section in ("limits", "requests")
                for name in as_map(container.resources.get(section))
                if VGPU_RESOURCE.search(str(name))
            ]
            if found:  # one item per container: limits and requests name the same device
                section, name = found[0]
                note = f"{describe(template)} requests vGPU resource `{name}`"
                path = (*container.resources_path, section, name)
                vgpu.evidence.append(probe.evidence(template.obj, note, path))
    for obj in probe.bundle.of_kind("ClusterPolicy"):
        for field in ("vgpuManager", "vgpuDeviceManager", "sandboxWorkloads"):
            if obj.group == GPU_OPERATOR and as_map(obj.spec.get(field)).get("enabled") is True:
                note = f"ClusterPolicy enables `{field}`"
                vgpu.evidence.append(probe.evidence(obj, note, ("spec", field)))
    for obj in probe.bundle.of_kind("VirtualMachine", "VirtualMachineInstance"):
        domain = ("spec", "template", "spec") if obj.kind == "VirtualMachine" else ("spec",)
        devices = get_path(obj.data, (*domain, "domain", "devices"))
        for field in ("gpus", "hostDevices"):
            if as_list(as_map(devices).get(field)):
                note = f"{obj.kind} `{obj.name}` attaches `{field}`"
                path = (*domain, "domain", "devices", field)
                vgpu.evidence.append(probe.evidence(obj, note, path))
    return [vgpu]


def secure_accelerator_access(probe: Probe) -> list[Facet]:
    mediated = Facet(
        "accelerator workloads that ask through the resource framework",
        "a workload that requests accelerators through `resources.limits` or a DRA claim",
    )
    for template in probe.accelerator_templates():
        for container in template.containers:
            requests = container_requests(container, probe.ctx.accelerators)
            if requests:
                note = (
                    f"{describe(template)} requests `{requests[0].name}` through the device plugin"
                )
                path = requests[0].path
            elif as_list(container.resources.get("claims")):
                note = f"{describe(template)} gets its device through a DRA claim"
                path = (*container.resources_path, "claims")
            else:
                continue
            mediated.evidence.append(probe.evidence(template.obj, note, path))
            break
    return [mediated]


# ------------------------------------------------------------------ helpers


def _shared_claims(probe: Probe, template: PodTemplate) -> Iterator[Evidence]:
    """A pod claim that two containers consume: one device, several users."""
    users: dict[str, list[str]] = {}
    for container in template.containers:
        for claim in as_list(container.resources.get("claims")):
            name = as_map(claim).get("name")
            if isinstance(name, str):
                users.setdefault(name, []).append(container.name)
    for name, containers in users.items():
        if len(containers) > 1:
            note = (
                f"{describe(template)} shares claim `{name}` between {len(containers)} containers"
            )
            yield probe.evidence(template.obj, note, (*template.path, "resourceClaims"))


def _class_evidence(
    probe: Probe, matches: Callable[[str], object], what: str
) -> Iterator[Evidence]:
    """DeviceClasses and claim requests whose device class `matches` (a predicate)."""
    for obj in probe.bundle.of_kind("DeviceClass"):
        if obj.group == DRA_GROUP and matches(obj.name):
            yield probe.evidence(obj, f"DeviceClass `{obj.name}` ({what})")
    for obj in probe.bundle.of_kind(*CLAIM_KINDS):
        if obj.group != DRA_GROUP:
            continue
        for view in exact_views(obj):
            name = view.device_class
            if name is not None and matches(name):
                yield probe.evidence(obj, f"{obj.kind} requests `{name}` ({what})", view.path)


def _sharing_config(obj: K8sObject) -> str | None:
    """`time-slicing`/`mps` when a ConfigMap holds an NVIDIA device-plugin sharing config."""
    if obj.group != "":
        return None
    for text in as_map(obj.data.get("data")).values():
        if not isinstance(text, str) or "sharing" not in text:
            continue
        try:
            parsed = yaml.safe_load(text)
        except yaml.YAMLError:
            continue
        sharing = as_map(as_map(parsed).get("sharing"))
        for key in SHARING_KEYS:
            if as_list(as_map(sharing.get(key)).get("resources")):
                return "time-slicing" if key == "timeSlicing" else "MPS"
    return None


def _mig_or_sharing(obj: K8sObject) -> str | None:
    strategy = as_map(obj.spec.get("mig")).get("strategy")
    if isinstance(strategy, str) and strategy != "none":
        return f"sets MIG strategy `{strategy}`"
    if as_map(as_map(obj.spec.get("devicePlugin")).get("config")).get("name"):
        return "points the device plugin at a sharing config"
    return None
