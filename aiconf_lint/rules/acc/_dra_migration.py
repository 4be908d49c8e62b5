"""Build the edits that move one container's device-plugin request to a DRA claim.

For `limits: {nvidia.com/gpu: 2}` in container `c` the migration removes the extended
resource, adds a pod-level `resourceClaims` entry naming a new `ResourceClaimTemplate`, lets
`c` consume it through `resources.claims`, and emits the `resource.k8s.io/v1` template as a new
document. Each container gets its own claim: a device plugin never shares a device between
containers, and a claim shared by two containers would. Tolerations are left alone (the GPU
nodes keep their taint).

The builder declines (returns None) when there is no DRA device class to move to (TPU,
Neuron, HAMi, time-sliced `*.shared`), when the count is not a known positive whole number,
when the container already consumes a claim, when the pod already uses claims this migration
did not create, when the workload's name is a template leftover, and for kinds whose pod
spec is not a plain PodSpec or that are cluster-scoped.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal

from aiconf_lint.k8s.accelerators import AcceleratorResource, accelerator_resource
from aiconf_lint.k8s.objects import as_list, as_map, get_path
from aiconf_lint.k8s.quantity import is_unresolved, parse_quantity
from aiconf_lint.k8s.workloads import ContainerView, PodTemplate
from aiconf_lint.model import Applicability, Edit, Fix
from aiconf_lint.records import record

DRA_API_VERSION = "resource.k8s.io/v1"
REQUEST_NAME = "gpu"
DNS_LABEL_MAX = 63
_HASH_LEN = 8
_DNS_LABEL_RE = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
# Kinds whose templates are not a PodSpec (KServe components, TrainJob overrides) or that are
# cluster-scoped, so a namespaced ResourceClaimTemplate has no namespace to live in.
_NO_MIGRATION_KINDS = frozenset(
    {
        "InferenceService",
        # KServe builds the pods (via LeaderWorkerSet for workers): whether it passes pod-level
        # `resourceClaims` through is not documented, so the migration stays manual.
        "LLMInferenceService",
        "LLMInferenceServiceConfig",
        "ServingRuntime",
        "ClusterServingRuntime",
        "TrainJob",
        "ClusterTrainingRuntime",
        "Service",  # Knative: pod fields beyond its allow-list sit behind feature flags
    }
)


def is_dns_label(name: str) -> bool:
    return len(name) <= DNS_LABEL_MAX and _DNS_LABEL_RE.match(name) is not None


def dns_label(*parts: str) -> str:
    """A valid DNS label from `parts`, collision-free even when it must change them.

    Parts are joined with `-` and lowercased; any other character becomes `-`. When that
    changed the text or the result is too long, a short hash of the original parts is
    appended (after truncating), so two different inputs never map to the same name.
    """
    original = "-".join(parts)
    cleaned = re.sub(r"[^a-z0-9-]+", "-", original.lower())
    cleaned = re.sub(r"-{2,}", "-", cleaned).strip("-")
    if cleaned == original and is_dns_label(cleaned):
        return cleaned
    import hashlib  # OpenSSL's start-up is 3 ms, and most names need no hash

    digest = hashlib.sha256("\0".join(parts).encode()).hexdigest()[:_HASH_LEN]
    head = cleaned[: DNS_LABEL_MAX - _HASH_LEN - 1].rstrip("-")
    return f"{head}-{digest}" if head else digest


@record(frozen=True)
class Target:
    """Where a device-plugin resource goes in DRA: a device class and optional CEL selectors."""

    device_class: str
    device: str
    """A short word for names: `gpu`, or the MIG profile such as `mig-1g.5gb`."""
    selectors: tuple[str, ...] = ()


def dra_target(name: str, extra: tuple[AcceleratorResource, ...] = ()) -> Target | None:
    """The DRA device class (and selector) for an extended resource name, if one exists."""
    entry = accelerator_resource(name, extra)
    if entry is None or entry.device_class is None or entry.shared:
        return None
    if entry.mig:
        match = re.fullmatch(entry.pattern, name)
        if match is None or not match.groups():
            return None
        profile = match.group(1)
        expression = (
            f"device.attributes['gpu.nvidia.com'].profile == '{profile.removeprefix('mig-')}'"
        )
        return Target(entry.device_class, profile, (expression,))
    return Target(entry.device_class, "gpu")


def template_tag(template: PodTemplate) -> str:
    """A short name for a template within its workload (`master`, `workers`), or ''."""
    if template.role in ("pod", "runtime"):
        return ""
    last = template.role.rsplit(" ", 1)[-1]
    if last.isdigit():
        return template.item_name or last
    return last.lower()  # Kubeflow replica types are spelt `Master`, `Worker`


def claim_names(template: PodTemplate, container: ContainerView, target: Target) -> tuple[str, str]:
    """(pod claim name, ResourceClaimTemplate name) for one container's device."""
    device = target.device.replace(".", "-")  # `mig-1g.5gb` -> `mig-1g-5gb`
    claim = dns_label(container.name, device)
    parts = [template.obj.name]
    tag = template_tag(template)
    if tag:
        parts.append(tag)
    rct = dns_label(*parts, container.name, device)
    return claim, rct


def claim_template(
    name: str,
    namespace: str | None,
    target: Target,
    count: int,
    api_version: str = DRA_API_VERSION,
) -> dict[str, object]:
    """A ResourceClaimTemplate asking for `count` devices of the class, at `api_version`
    (`v1`, or `v1beta2`, its same-shaped predecessor, for clusters that serve no `v1`)."""
    exactly: dict[str, object] = {"deviceClassName": target.device_class, "count": count}
    if target.selectors:
        exactly["selectors"] = [{"cel": {"expression": e}} for e in target.selectors]
    metadata: dict[str, object] = {"name": name}
    if namespace:
        metadata["namespace"] = namespace
    return {
        "apiVersion": api_version,
        "kind": "ResourceClaimTemplate",
        "metadata": metadata,
        "spec": {"spec": {"devices": {"requests": [{"name": REQUEST_NAME, "exactly": exactly}]}}},
    }


def _count(value: object) -> int | None:
    quantity = parse_quantity(value)
    if quantity is None or quantity <= 0 or quantity != quantity.to_integral_value():
        return None
    return int(Decimal(quantity))


def _is_real_container(template: PodTemplate, container: ContainerView) -> bool:
    depth = len(template.path)
    return (
        container.path[:depth] == template.path
        and len(container.path) == depth + 2
        and container.path[depth] in ("containers", "initContainers")
        and container.resources_key == "resources"
    )


def _is_ours(template: PodTemplate, claim: str, rct: str) -> bool:
    """True when a pod claim has the names an earlier migration of this template gave it."""
    for container in template.containers:
        prefix = f"{container.name}-"
        if not claim.startswith(prefix):
            continue
        device = claim[len(prefix) :]
        if claim_names(template, container, Target("", device)) == (claim, rct):
            return True
    return False


def _stranded_vendor_requests(
    template: PodTemplate, name: str, extra: tuple[AcceleratorResource, ...]
) -> bool:
    """Whether the pod asks the same vendor for a device the migration cannot move.

    A node's devices are served by the device plugin or by the DRA driver, not both: moving
    one container to a claim while another keeps, say, `nvidia.com/gpu.shared` would leave the
    pod unschedulable (DRA008). Such a pod is migrated by hand, all at once.
    """
    vendor = accelerator_resource(name, extra)
    if vendor is None:
        return False
    for other in template.containers:
        for key, value in (*other.limits.items(), *other.requests.items()):
            entry = accelerator_resource(str(key), extra)
            if entry is None or entry.vendor != vendor.vendor or parse_quantity(value) == 0:
                continue
            if dra_target(str(key), extra) is None or _count(value) is None:
                return True
    return False


def _pod_claims_are_ours(template: PodTemplate) -> bool:
    """True when the pod has no claims, or only ones an earlier migration of this pod added."""
    for item in as_list(template.spec.get("resourceClaims")):
        entry = as_map(item)
        if not _is_ours(
            template, str(entry.get("name")), str(entry.get("resourceClaimTemplateName"))
        ):
            return False
    return True


def _removal_edits(container: ContainerView, name: str) -> tuple[list[Edit], bool]:
    """Edits removing `name` from limits and requests; True when `resources` ends up empty."""
    edits: list[Edit] = []
    remaining = dict(container.resources)
    for section in ("limits", "requests"):
        values = as_map(container.resources.get(section))
        if name not in values:
            continue
        if set(values) == {name}:
            edits.append(Edit("remove", (*container.resources_path, section)))
            remaining.pop(section, None)
        else:
            edits.append(Edit("remove", (*container.resources_path, section, name)))
    return edits, not remaining


def migration_fix(
    template: PodTemplate,
    container: ContainerView,
    name: str,
    extra: tuple[AcceleratorResource, ...] = (),
    api_version: str = DRA_API_VERSION,
) -> Fix | None:
    """The unsafe fix moving `container`'s `name` request to a new DRA claim, or None."""
    obj = template.obj
    if obj.kind in _NO_MIGRATION_KINDS or not _is_real_container(template, container):
        return None
    if is_unresolved(obj.name) or "{{" in obj.name or "${" in obj.name:
        return None  # a name a templating step has yet to fill cannot seed a stable name
    target = dra_target(name, extra)
    if target is None:
        return None
    value = container.limits.get(name, container.requests.get(name))
    count = _count(value)
    if count is None or as_list(container.resources.get("claims")):
        return None
    if not _pod_claims_are_ours(template) or _stranded_vendor_requests(template, name, extra):
        return None
    claim, rct = claim_names(template, container, target)
    edits, emptied = _removal_edits(container, name)
    resources_path = container.resources_path
    if emptied:
        # The container keeps a `resources` map: it now holds only the claim.
        edits = [Edit("set", resources_path, value={"claims": [{"name": claim}]})]
    else:
        edits.append(Edit("merge", resources_path, key="claims", value=[{"name": claim}]))
    pod_entry = {"name": claim, "resourceClaimTemplateName": rct}
    pod_path = template.path
    if isinstance(template.spec.get("resourceClaims"), list):
        edits.append(Edit("append", (*pod_path, "resourceClaims"), value=pod_entry))
    else:
        edits.append(Edit("merge", pod_path, key="resourceClaims", value=[pod_entry]))
    document = claim_template(rct, obj.namespace, target, count, api_version)
    edits.append(Edit("add_document", (), value=document))
    return Fix(
        f"Move `{name}: {value}` to ResourceClaimTemplate `{rct}` (`{target.device_class}`)",
        tuple(edits),
        Applicability.UNSAFE,
    )


def validate_claim_template(document: Mapping[str, object]) -> list[str]:
    """Problems with a generated ResourceClaimTemplate, for tests and as a self-check."""
    problems: list[str] = []
    if document.get("apiVersion") not in (DRA_API_VERSION, "resource.k8s.io/v1beta2"):
        problems.append("apiVersion is not resource.k8s.io/v1 (or v1beta2)")
    if document.get("kind") != "ResourceClaimTemplate":
        problems.append("kind is not ResourceClaimTemplate")
    name = get_path(document, ("metadata", "name"))
    if not isinstance(name, str) or not is_dns_label(name):
        problems.append(f"metadata.name {name!r} is not a DNS label")
    requests = as_list(get_path(document, ("spec", "spec", "devices", "requests")))
    if not 1 <= len(requests) <= 32:
        problems.append("spec.spec.devices.requests must have 1 to 32 items")
    for request in requests:
        item = as_map(request)
        if not isinstance(item.get("name"), str) or not is_dns_label(str(item.get("name"))):
            problems.append("request name is not a DNS label")
        exactly = as_map(item.get("exactly"))
        if set(item) - {"name", "exactly"} or not exactly:
            problems.append("request must hold only `name` and `exactly`")
        if not isinstance(exactly.get("deviceClassName"), str):
            problems.append("exactly.deviceClassName is missing")
        count = exactly.get("count")
        if not isinstance(count, int) or isinstance(count, bool) or count < 1:
            problems.append("exactly.count must be a positive integer")
    return problems
