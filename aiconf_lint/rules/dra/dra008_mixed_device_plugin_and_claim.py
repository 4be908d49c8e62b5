"""DRA008."""

from __future__ import annotations

import re
from collections.abc import Iterator

from aiconf_lint.k8s.bundle import Bundle
from aiconf_lint.k8s.claims import pod_claims
from aiconf_lint.k8s.dra import (
    DEVICE_CLASS_VENDORS,
    DRIVER_VENDORS,
    is_dra,
    requests_of,
    resolve,
)
from aiconf_lint.k8s.objects import K8sObject, as_list, as_map
from aiconf_lint.k8s.workloads import PodTemplate
from aiconf_lint.model import Severity, Violation
from aiconf_lint.rule import Context, Rule

_DRIVER_IN_CEL = re.compile(r"device\.driver\s*==\s*['\"]([^'\"]+)['\"]")


def class_vendor(bundle: Bundle, name: str) -> str | None:
    """The accelerator vendor of a device class: a known class, or a class in the bundle
    whose selector pins an accelerator driver."""
    if name in DEVICE_CLASS_VENDORS:
        return DEVICE_CLASS_VENDORS[name]
    for cls in bundle.get("DeviceClass", None, name):
        if not is_dra(cls):
            continue
        for selector in as_list(cls.spec.get("selectors")):
            expression = as_map(as_map(selector).get("cel")).get("expression")
            match = _DRIVER_IN_CEL.search(expression) if isinstance(expression, str) else None
            if match and match.group(1) in DRIVER_VENDORS:
                return DRIVER_VENDORS[match.group(1)]
    return None


def _source_vendors(bundle: Bundle, sources: list[K8sObject]) -> list[tuple[str, str]]:
    """(vendor, device class) of every request of the claim sources, in order.

    Kept per sources list (`resolve` returns one per claim name), so that copies of a chart
    naming the same claims do not read every copy's claims again.
    """
    memo: dict[int, list[tuple[str, str]]] = bundle.cached("DRA008:vendors", dict)
    found = memo.get(id(sources))
    if found is None:
        found = memo[id(sources)] = [
            (vendor, cls)
            for source in sources
            for request in requests_of(source)
            for cls in request.device_classes()
            if (vendor := class_vendor(bundle, cls))
        ]
    return found


class MixedDevicePluginAndClaim(Rule):
    """## What it does
    Flags a pod template that asks for one vendor's accelerators both through a device-plugin
    extended resource (`nvidia.com/gpu`, `nvidia.com/mig-1g.5gb`, `amd.com/gpu`, ...) and
    through a DRA claim whose device class belongs to the same vendor (`gpu.nvidia.com`,
    `mig.nvidia.com`, `gpu.amd.com`, or a DeviceClass in the files whose selector names that
    vendor's driver). The claim's class is known when the claim template or claim is in the
    files. Not reported when a DeviceClass in the files maps the extended resource
    (`extendedResourceName`), since DRA then serves both, nor for NVIDIA ComputeDomain
    channel claims, which are meant to be used together with `nvidia.com/gpu`.

    ## Why is this bad?
    A vendor's DRA driver and its device plugin cannot manage the same devices on one node
    (NVIDIA's chart refuses to install its GPU plugin next to the device plugin). The pod
    needs a node that serves both, which does not exist, so it stays Pending.

    ## Example
    ```yaml
    spec:
      resourceClaims:
        - name: mig
          resourceClaimTemplateName: mig-1g   # deviceClassName: mig.nvidia.com
      containers:
        - name: trainer
          resources:
            limits:
              nvidia.com/gpu: 1
            claims:
              - name: mig
    ```

    Use instead:
    ```yaml
    spec:
      resourceClaims:
        - name: gpus
          resourceClaimTemplateName: gpu-and-mig   # both requests in one claim
      containers:
        - name: trainer
          resources:
            claims:
              - name: gpus
    ```
    """

    code = "DRA008"
    name = "mixed-device-plugin-and-claim"
    summary = "Pod asking for one vendor's devices by extended resource and by DRA claim"
    severity = Severity.WARNING
    requirements = ("dra_support",)

    def check_pod_template(self, ctx: Context, template: PodTemplate) -> Iterator[Violation]:
        bundle = ctx.bundle
        by_vendor: dict[str, tuple[str, str]] = {}
        for claim in pod_claims(template):
            for vendor, cls in _source_vendors(bundle, resolve(bundle, template.obj, claim)):
                by_vendor.setdefault(vendor, (claim.name, cls))
        if not by_vendor:
            return
        reported: set[str] = set()
        for container in template.containers:
            for answer in bundle.facts(template.obj).requests(container):
                resource = answer.name
                vendor = answer.entry.vendor
                if vendor not in by_vendor or resource in reported or answer.served_by_dra:
                    continue
                reported.add(resource)
                claim_name, cls = by_vendor[vendor]
                yield Violation(
                    f"{container.label} asks for `{resource}` while pod claim "
                    f"`{claim_name}` asks for {vendor} devices of class `{cls}`; one "
                    f"node cannot serve both the device plugin and the DRA driver",
                    answer.request.path,
                    key_only=True,
                )
