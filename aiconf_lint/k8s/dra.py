"""Views over Dynamic Resource Allocation objects (`resource.k8s.io`) shared by the DRA rules.

One place knows where a claim's requests live (`spec.devices` in a ResourceClaim,
`spec.spec.devices` in a ResourceClaimTemplate), how `v1beta1` differs from `v1`/`v1beta2`
(flat request fields instead of `exactly`), and how a pod's `spec.resourceClaims[]` entry
resolves to an object in the bundle. Rules then only decide what is wrong.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from aiconf_lint.k8s.bundle import Bundle
from aiconf_lint.k8s.claims import PodClaim, parse_pod_claims, pod_claims
from aiconf_lint.k8s.objects import JsonMap, K8sObject, as_list, as_map
from aiconf_lint.model import Edit, YamlPath
from aiconf_lint.records import field, record

DRA_GROUP = "resource.k8s.io"
CLAIM_KINDS = ("ResourceClaim", "ResourceClaimTemplate")

EXACT_FIELDS = (
    "deviceClassName",
    "selectors",
    "allocationMode",
    "count",
    "adminAccess",
    "tolerations",
    "capacity",
)
"""The fields `v1beta1` keeps flat on a request and `v1beta2`/`v1` keep under `exactly`."""

DEVICE_CLASS_VENDORS: dict[str, str] = {
    "gpu.nvidia.com": "NVIDIA",
    "mig.nvidia.com": "NVIDIA",
    "vfio.gpu.nvidia.com": "NVIDIA",
    "gpu.amd.com": "AMD",
    "gpu.intel.com": "Intel",
    "gpu-vfio.intel.com": "Intel",
    "gaudi.intel.com": "Intel Gaudi",
    "tpu.google.com": "Google",
    "neuron.aws.com": "AWS",
}
"""Device classes (named after their drivers) that hand out accelerators, by vendor.

Deliberately not listed: `compute-domain-*.nvidia.com` (IMEX channels, used *together with*
`nvidia.com/gpu` on GB200 systems) and network classes, which serve no accelerator.
"""

DRIVER_VENDORS: dict[str, str] = {
    "gpu.nvidia.com": "NVIDIA",
    "gpu.amd.com": "AMD",
    "gpu.intel.com": "Intel",
    "gaudi.intel.com": "Intel Gaudi",
    "tpu.google.com": "Google",
    "neuron.aws.com": "AWS",
}
"""Accelerator DRA drivers, for DeviceClasses in the bundle whose selector names the driver."""


def is_dra(obj: K8sObject) -> bool:
    return obj.group == DRA_GROUP


def devices_path(obj: K8sObject) -> YamlPath | None:
    """Path of the `DeviceClaim` (`requests`, `constraints`, `config`) of a claim or template."""
    if not is_dra(obj):
        return None
    if obj.kind == "ResourceClaim":
        return ("spec", "devices")
    if obj.kind == "ResourceClaimTemplate":
        return ("spec", "spec", "devices")
    return None


def _at(data: object, path: YamlPath) -> object:
    node = data
    for step in path:
        if isinstance(step, int):
            items = as_list(node)
            node = items[step] if 0 <= step < len(items) else None
        else:
            node = as_map(node).get(step)
    return node


@record
class ExactView:
    """One set of request fields: `exactly`, a `v1beta1` flat request, or a subrequest."""

    path: YamlPath
    data: JsonMap

    @property
    def device_class(self) -> str | None:
        value = self.data.get("deviceClassName")
        return value if isinstance(value, str) and value else None


@record
class RequestView:
    name: str
    path: YamlPath
    data: JsonMap
    exact: ExactView | None = None
    subrequests: list[tuple[str, ExactView]] = field(default_factory=list)

    def device_classes(self) -> list[str]:
        views = [self.exact] if self.exact else [sub for _, sub in self.subrequests]
        return [cls for view in views if view and (cls := view.device_class)]


def requests_of(obj: K8sObject) -> list[RequestView]:
    """Every `devices.requests[]` entry of a claim or template, whatever its API version."""
    base = devices_path(obj)
    if base is None:
        return []
    views: list[RequestView] = []
    for i, item in enumerate(as_list(_at(obj.data, (*base, "requests")))):
        if not isinstance(item, Mapping):
            continue
        path: YamlPath = (*base, "requests", i)
        view = RequestView(str(item.get("name") or ""), path, item)
        if isinstance(item.get("exactly"), Mapping):
            view.exact = ExactView((*path, "exactly"), item["exactly"])
        elif any(key in item for key in EXACT_FIELDS):
            view.exact = ExactView(path, item)
        for j, sub in enumerate(as_list(item.get("firstAvailable"))):
            if isinstance(sub, Mapping):
                sub_view = ExactView((*path, "firstAvailable", j), sub)
                view.subrequests.append((str(sub.get("name") or ""), sub_view))
        views.append(view)
    return views


def has_request_list(obj: K8sObject) -> bool:
    """True when the claim spells its requests as a list (not classic DRA or a template hole)."""
    base = devices_path(obj)
    return base is not None and isinstance(_at(obj.data, (*base, "requests")), list)


def exact_views(obj: K8sObject) -> Iterator[ExactView]:
    for request in requests_of(obj):
        if request.exact:
            yield request.exact
        for _, sub in request.subrequests:
            yield sub


def selector_expressions(obj: K8sObject) -> Iterator[tuple[YamlPath, object, str | None]]:
    """`(path of expression, value, device class)` for every CEL selector of a claim,
    template or class; the class is None for a DeviceClass's own selectors."""
    groups: list[tuple[YamlPath, object, str | None]] = [
        ((*view.path, "selectors"), view.data.get("selectors"), view.device_class)
        for view in exact_views(obj)
    ]
    if is_dra(obj) and obj.kind == "DeviceClass":
        groups.append((("spec", "selectors"), obj.spec.get("selectors"), None))
    for base, selectors, device_class in groups:
        for i, selector in enumerate(as_list(selectors)):
            cel = as_map(as_map(selector).get("cel"))
            if "expression" in cel:
                yield (*base, i, "cel", "expression"), cel["expression"], device_class


_NO_SOURCES: list[K8sObject] = []
"""Shared, like every list `resolve` returns, so that its identity is stable for the run."""


def resolve(bundle: Bundle, workload: K8sObject, claim: PodClaim) -> list[K8sObject]:
    """The ResourceClaim(Template)s of the bundle a pod claim names, in the workload's namespace.

    One list per distinct name for the run (do not modify it): copies of a chart name the same
    claims, and rules key what they derive from the sources on the list's identity.
    """
    if claim.source_kind is None or claim.source_name is None:
        return _NO_SOURCES
    key = (claim.source_kind, bundle.namespace_of(workload), claim.source_name)
    memo: dict[tuple[str, str, str], list[K8sObject]] = bundle.cached("dra:resolve", dict)
    found = memo.get(key)
    if found is None:
        found = memo[key] = [obj for obj in bundle.get(*key) if is_dra(obj)]
    return found


@record(frozen=True)
class V1beta1Move:
    """One request or slice device in the flat `v1beta1` shape, and the edits to convert it."""

    what: str
    first_key: YamlPath
    edits: tuple[Edit, ...]


def v1beta1_moves(obj: K8sObject) -> list[V1beta1Move]:
    """Move each flat `v1beta1` request's fields under `exactly`; unwrap slice `basic` devices."""
    moves: list[V1beta1Move] = []
    for request in requests_of(obj):
        if request.exact is None or request.exact.path != request.path:
            continue
        # In the order the user wrote them: the fix promises to keep key order.
        moved = {key: value for key, value in request.data.items() if key in EXACT_FIELDS}
        edits = [Edit("remove", (*request.path, key)) for key in moved]
        edits.append(Edit("add", request.path, key="exactly", value=moved))
        first = (*request.path, next(iter(moved)))
        moves.append(V1beta1Move(f"request `{request.name}`", first, tuple(edits)))
    if obj.kind == "ResourceSlice":
        for i, device in enumerate(as_list(obj.spec.get("devices"))):
            basic = as_map(device).get("basic")
            if not isinstance(basic, Mapping):
                continue
            path: YamlPath = ("spec", "devices", i)
            edits = [Edit("remove", (*path, "basic"))]
            edits.extend(Edit("add", path, key=str(k), value=v) for k, v in basic.items())
            name = as_map(device).get("name")
            moves.append(
                V1beta1Move(f"device `{name}`", ("spec", "devices", i, "basic"), tuple(edits))
            )
    return moves


def workload_claims(bundle: Bundle, obj: K8sObject) -> list[PodClaim]:
    """Pod claims of every pod template, plus PodGroup/Workload claims (same shape)."""
    claims = [claim for template in bundle.templates(obj) for claim in pod_claims(template)]
    if obj.group == "scheduling.k8s.io":
        if obj.kind == "PodGroup":
            claims += parse_pod_claims(obj.spec.get("resourceClaims"), ("spec", "resourceClaims"))
        elif obj.kind == "Workload":
            for i, group in enumerate(as_list(obj.spec.get("podGroupTemplates"))):
                base = ("spec", "podGroupTemplates", i, "resourceClaims")
                claims += parse_pod_claims(as_map(group).get("resourceClaims"), base)
    return claims
