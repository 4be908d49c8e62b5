"""One answer per accelerator request: who serves it, what it is, what replaces it.

Every extended-resource rule (ACC001, ACC004-007, DRA008, SEC001) asks this module, so one
request never gets two remedies that contradict each other:

* **served by DRA** when the name is KEP-5004's implicit `deviceclass.resource.kubernetes.io/
  <class>`, or when a `resource.k8s.io` DeviceClass in the run maps it through
  `spec.extendedResourceName` (the scheduler then allocates it from DRA devices);
* otherwise **served by a device plugin**, with the vendor, the device kind and the portable
  form's maturity from the table in `k8s/accelerators.py`.

ACC001 owns requests whose portable form is a GA DRA driver; ACC004 owns requests that exist
on one provider or add-on only (and names what DRA offers there). `request_answers` computes
the answers of one container; rules never call it directly but read them from the per-object
facts cache, `bundle.facts(obj).requests(container)` (`k8s/facts.py`), which calls it once
per container with the run's DeviceClass index (`device_class_index`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from aiconf_lint.k8s.accelerator_use import AcceleratorRequest, container_requests
from aiconf_lint.k8s.accelerators import (
    DRA_EXTENDED_PREFIX,
    AcceleratorResource,
    Maturity,
)
from aiconf_lint.k8s.objects import K8sObject
from aiconf_lint.k8s.workloads import ContainerView
from aiconf_lint.records import record

DRA_GROUP = "resource.k8s.io"


@record(frozen=True)
class RequestAnswer:
    """What one container request is and which rule may advise on it."""

    request: AcceleratorRequest
    dra_class: str | None
    """The DeviceClass that serves the name through DRA in this run (KEP-5004), or None."""

    @property
    def entry(self) -> AcceleratorResource:
        return self.request.entry

    @property
    def name(self) -> str:
        return self.request.name

    @property
    def served_by_dra(self) -> bool:
        return self.dra_class is not None

    @property
    def maturity(self) -> Maturity:
        return self.entry.maturity

    @property
    def provider(self) -> str | None:
        """The one platform whose nodes have this device, or None for any cluster."""
        return self.entry.provider

    @property
    def migrate_to_dra(self) -> bool:
        """ACC001's question: a device-plugin request with a GA DRA driver to move to."""
        return not self.served_by_dra and self.maturity is Maturity.GA

    @property
    def platform_bound(self) -> bool:
        """ACC004's question: only one provider or add-on can serve this request."""
        return self.provider is not None


def device_class_index(device_classes: Iterable[K8sObject]) -> dict[str, str]:
    """Extended resource name -> the `resource.k8s.io` DeviceClass that maps it (KEP-5004).

    When several classes map one name KEP-5004 picks the newest; a static run cannot tell
    which is newest, and any of them means "served by DRA", so the first is named.
    """
    index: dict[str, str] = {}
    for device_class in device_classes:
        if device_class.group != DRA_GROUP:
            continue
        name = device_class.spec.get("extendedResourceName")
        if isinstance(name, str):
            index.setdefault(name, device_class.name)
    return index


def mapping_device_class(device_classes: Mapping[str, str], name: str) -> str | None:
    """The DeviceClass serving `name` through DRA: implicit, or mapped in the run (KEP-5004)."""
    if name.startswith(DRA_EXTENDED_PREFIX):
        return name.removeprefix(DRA_EXTENDED_PREFIX)
    return device_classes.get(name)


def request_answers(
    container: ContainerView,
    device_classes: Mapping[str, str],
    extra: tuple[AcceleratorResource, ...] = (),
) -> list[RequestAnswer]:
    """One answer per accelerator (and interconnect) name the container asks for.

    `device_classes` is the run's `device_class_index`. Limits win over requests, a quantity
    of 0 is no request, and a value a template has yet to fill still counts (see
    `container_requests`). Interconnects (EFA) are answered too, for ACC004; whether the
    request makes the pod an accelerator pod is `answer.entry.accelerator`.
    """
    return [
        RequestAnswer(request, mapping_device_class(device_classes, request.name))
        for request in container_requests(container, extra, interconnects=True)
    ]
