"""SEC003."""

from __future__ import annotations

from collections.abc import Iterator

from aiconf_lint.k8s.objects import K8sObject, as_list, as_map, get_path
from aiconf_lint.model import Severity, Violation, YamlPath
from aiconf_lint.rule import Context, Rule

ADMIN_LABEL = "resource.kubernetes.io/admin-access"
# Where each kind keeps its DeviceClaim.
_DEVICES_PATH: dict[str, YamlPath] = {
    "ResourceClaim": ("spec", "devices"),
    "ResourceClaimTemplate": ("spec", "spec", "devices"),
}


def admin_requests(obj: K8sObject) -> Iterator[tuple[str, YamlPath]]:
    """(request name, path of `adminAccess`) for each request asking for admin access.

    `v1`/`v1beta2` keep it under `exactly`; `v1beta1` keeps it flat on the request.
    """
    devices = _DEVICES_PATH[obj.kind]
    for i, request in enumerate(as_list(get_path(obj.data, (*devices, "requests")))):
        item = as_map(request)
        name = str(item.get("name") or f"#{i}")
        if as_map(item.get("exactly")).get("adminAccess") is True:
            yield name, (*devices, "requests", i, "exactly", "adminAccess")
        elif item.get("adminAccess") is True:
            yield name, (*devices, "requests", i, "adminAccess")


def _label_place(ns: K8sObject) -> tuple[YamlPath, bool]:
    """Where to point for a missing or wrong label: its value, the labels key, or the name."""
    if ADMIN_LABEL in ns.labels:
        return ("metadata", "labels", ADMIN_LABEL), False
    if ns.labels:
        return ("metadata", "labels"), True
    return ("metadata", "name"), False


class AdminAccessClaim(Rule):
    """## What it does
    Reports DRA `ResourceClaim` and `ResourceClaimTemplate` requests with `adminAccess: true`
    (`exactly.adminAccess` in `resource.k8s.io/v1`, flat `adminAccess` in `v1beta1`). When
    the claim's `Namespace` is part of the same run and lacks the label
    `resource.kubernetes.io/admin-access: "true"`, the finding says so and points at the
    Namespace as well.

    ## Why is this bad?
    Admin access grants a device that is already in use by other pods, for monitoring or
    maintenance; it bypasses the isolation that `secure_accelerator_access` asks for. The API
    server only accepts such claims in namespaces labelled
    `resource.kubernetes.io/admin-access: "true"`, so the claim is either rejected or runs
    with privileged device access: both deserve a look. Keep admin claims in a dedicated
    monitoring namespace.

    ## Example
    ```yaml
    apiVersion: resource.k8s.io/v1
    kind: ResourceClaimTemplate
    metadata: {name: gpu-monitor, namespace: ml}
    spec:
      spec:
        devices:
          requests:
            - name: all-gpus
              exactly:
                deviceClassName: gpu.nvidia.com
                allocationMode: All
                adminAccess: true
    ```

    Use instead:
    ```yaml
    apiVersion: v1
    kind: Namespace
    metadata:
      name: gpu-monitoring
      labels:
        resource.kubernetes.io/admin-access: "true"
    ---
    apiVersion: resource.k8s.io/v1
    kind: ResourceClaimTemplate
    metadata: {name: gpu-monitor, namespace: gpu-monitoring}
    spec:
      spec:
        devices:
          requests:
            - name: all-gpus
              exactly:
                deviceClassName: gpu.nvidia.com
                allocationMode: All
                adminAccess: true   # aiconf-lint: ignore[SEC003] monitoring agent
    ```

    ## References
    - https://kubernetes.io/docs/concepts/scheduling-eviction/dynamic-resource-allocation/#admin-access
    """

    code = "SEC003"
    name = "admin-access-claim"
    summary = "DRA claim with `adminAccess: true`"
    severity = Severity.INFO
    requirements = ("secure_accelerator_access",)

    def check_bundle(self, ctx: Context) -> Iterator[tuple[K8sObject, Violation]]:
        reported: set[int] = set()
        for obj in ctx.bundle.objects:  # document order, so messages name the first claim
            if obj.kind not in _DEVICES_PATH or obj.group != "resource.k8s.io":
                continue
            namespace = ctx.bundle.namespace_of(obj)
            unlabelled = [
                ns
                for ns in ctx.bundle.get("Namespace", None, namespace)
                if ns.labels.get(ADMIN_LABEL) != "true"
            ]
            for request, path in admin_requests(obj):
                base = f"{obj.display()} asks for admin access in request `{request}`"
                if unlabelled:
                    ns = unlabelled[0]
                    yield (
                        obj,
                        Violation(
                            f"{base}, but Namespace `{namespace}` lacks the label "
                            f'`{ADMIN_LABEL}: "true"`, so the API server rejects it',
                            path,
                            related_objects=(
                                (ns.key, ("metadata", "name"), "namespace lacks the label"),
                            ),
                        ),
                    )
                    if id(ns) in reported:
                        continue
                    reported.add(id(ns))
                    yield (
                        ns,
                        Violation(
                            f'Namespace `{namespace}` lacks the label `{ADMIN_LABEL}: "true"` '
                            f"that {obj.display()} needs for its `adminAccess` request",
                            *_label_place(ns),
                        ),
                    )
                else:
                    yield (
                        obj,
                        Violation(
                            f"{base}, which reaches devices other pods use; keep it in a namespace "
                            f'labelled `{ADMIN_LABEL}: "true"` for monitoring or maintenance only',
                            path,
                        ),
                    )
