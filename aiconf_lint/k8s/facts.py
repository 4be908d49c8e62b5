"""Per-object facts, computed at most once per run and shared by every rule that asks.

Several families ask the same questions of one workload: which accelerators each container
requests (ACC001, ACC004, ACC006, ACC007, DRA008, SEC001), whether a template is an accelerator pod
template (ACC003, GNG001, SCL002), which DRA claims it makes. `Bundle.facts(obj)` returns the
object's record; each answer is filled on first use and kept for the run.

The record only *caches*: the decisions live in `accelerator_requests` (one answer per
request: who serves it, which rule owns it), `accelerator_use` (the accelerator template
predicate) and `claims`, so a change to how a request is recognised is made there and every
rule sees it. Facts private to one family (gang members and signals, an object's
autoscaler view) are kept here too, under the family's own key (`family`), so they are
computed once per object instead of once per rule, while their logic stays with the family.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from aiconf_lint.k8s.accelerator_requests import (
    RequestAnswer,
    device_class_index,
    request_answers,
)
from aiconf_lint.k8s.accelerator_use import is_accelerator_template
from aiconf_lint.k8s.accelerators import AcceleratorResource
from aiconf_lint.k8s.claims import PodClaim, claims_of, pod_claims
from aiconf_lint.k8s.objects import K8sObject
from aiconf_lint.k8s.workloads import ContainerView, PodTemplate
from aiconf_lint.records import field, record

T = TypeVar("T")


@record
class RunFacts:
    """Facts of the whole run that every object's record reads.

    It holds the bundle's own list of DeviceClasses, never the bundle: the records must not
    make a reference cycle with it, because the run's trees are freed by reference counting
    while the cyclic collector is paused (`input/gcpause.py`).
    """

    extra: tuple[AcceleratorResource, ...]
    device_classes: list[K8sObject]
    _index: dict[str, str] | None = None

    def device_class_index(self) -> dict[str, str]:
        """Extended resource name -> the DeviceClass that maps it (KEP-5004), built once."""
        if self._index is None:
            self._index = device_class_index(self.device_classes)
        return self._index


@record
class ObjectFacts:
    """What the rules know about one object; see the module docstring."""

    obj: K8sObject
    templates: list[PodTemplate]
    """The object's pod templates (its own; a TrainJob's runtime is the gang family's fact)."""
    run: RunFacts
    """What every object's record shares: the run's extra accelerator names, DeviceClasses."""
    _requests: dict[int, list[RequestAnswer]] = field(default_factory=dict)
    _accelerator: dict[int, bool] = field(default_factory=dict)
    _claims: dict[int, list[PodClaim]] = field(default_factory=dict)
    _family: dict[str, Any] = field(default_factory=dict)

    def requests(self, container: ContainerView) -> list[RequestAnswer]:
        """One answer per accelerator or interconnect resource `container` (of one of
        `templates`) asks for: who serves it and which rule owns it (`request_answers`)."""
        key = id(container)
        found = self._requests.get(key)
        if found is None:
            found = self._requests[key] = request_answers(
                container, self.run.device_class_index(), self.run.extra
            )
        return found

    def accelerator_requests(self, container: ContainerView) -> list[RequestAnswer]:
        """The answers for accelerators proper: an interconnect (EFA) is not one."""
        return [answer for answer in self.requests(container) if answer.entry.accelerator]

    def uses_accelerator(self, container: ContainerView) -> bool:
        """Whether `container` requests an accelerator or claims a device through DRA."""
        return bool(self.accelerator_requests(container) or claims_of(container))

    def is_accelerator(self, template: PodTemplate) -> bool:
        """Whether `template` is an accelerator pod template (`is_accelerator_template`)."""
        key = id(template)
        found = self._accelerator.get(key)
        if found is None:
            found = self._accelerator[key] = is_accelerator_template(template, self.run.extra)
        return found

    def accelerator_templates(self) -> list[PodTemplate]:
        return [t for t in self.templates if self.is_accelerator(t)]

    def claims(self, template: PodTemplate) -> list[PodClaim]:
        """The template's `spec.resourceClaims[]`."""
        key = id(template)
        found = self._claims.get(key)
        if found is None:
            found = self._claims[key] = pod_claims(template)
        return found

    def family(self, key: str, compute: Callable[[], T]) -> T:
        """A fact one rule family defines (`"gng.members"`), computed once for this object."""
        if key not in self._family:
            self._family[key] = compute()
        return self._family[key]  # type: ignore[no-any-return]
