"""Evidence that a monitor which selects nothing was meant to select something (MET001).

"Not found" is reported only with evidence that the bundle should hold the target, found
among the objects that share the monitor's file, chart or folder: the same labels in a
namespace the monitor does not watch, a Service confused with its pods (or the reverse), or
the monitored component under its name with other labels. Candidates come from the label and
name indexes, so an unmatched monitor costs a few lookups and at most one pass.
"""

from __future__ import annotations

from collections.abc import Mapping

from aiconf_lint.k8s.bundle import Bundle, Selector
from aiconf_lint.k8s.monitoring import (
    NAME_KEYS,
    POD_KINDS,
    Monitor,
    injected,
    is_pod_kind,
    namespace_matches,
    select_services,
    select_workloads,
    service_labels,
    service_workloads,
    template_labels,
)
from aiconf_lint.k8s.objects import K8sObject, as_map
from aiconf_lint.records import record


@record(frozen=True)
class NearMiss:
    """An object the monitor was evidently meant to select, and why it does not."""

    obj: K8sObject
    reason: str
    wrong_namespace: bool = False


def explain(selector: Selector, labels: Mapping[str, str], obj: K8sObject | None) -> str | None:
    """The first requirement `labels` fail, in words; None when they may match.

    `obj` is the workload whose pods carry `labels` (its controller may add some), or None
    for labels that are final, such as a Service's.
    """

    def added(key: str) -> bool:
        return obj is not None and injected(obj, key)

    for key, value in selector.match_labels:
        if labels.get(key) != value and not added(key):
            if key not in labels:
                return f"has no label `{key}` (the selector wants `{value}`)"
            return f"has `{key}: {labels[key]}`, not `{value}`"
    for key, operator, values in selector.expressions:
        if Selector((), ((key, operator, values),)).matches(labels) or added(key):
            continue
        if operator in ("In", "Exists") and key not in labels:
            return f"has no label `{key}`"
        if operator == "In":
            wanted = ", ".join(f"`{v}`" for v in sorted(values))
            return f"has `{key}: {labels[key]}`, not one of {wanted}"
        return f"has label `{key}: {labels[key]}`, which the selector excludes ({operator})"
    return None


def _name_values(selector: Selector) -> set[tuple[str, str]]:
    pairs = {(k, v) for k, v in selector.match_labels if k in NAME_KEYS}
    for key, operator, values in selector.expressions:
        if key in NAME_KEYS and operator == "In":
            pairs.update((key, v) for v in values)
    return pairs


def _label_sets(
    bundle: Bundle, monitor: Monitor, obj: K8sObject
) -> list[tuple[Mapping[str, str], K8sObject | None]]:
    if monitor.selects_services:
        return [(lb, None) for lb in service_labels(obj)]
    return [(template_labels(obj, t), obj) for t in bundle.templates(obj)]


def _is_target_kind(monitor: Monitor, obj: K8sObject) -> bool:
    if monitor.selects_services:
        return obj.kind == "Service" and obj.group == ""
    return is_pod_kind(obj)


def _service_pod_selector(obj: K8sObject) -> list[Mapping[str, str]]:
    if obj.group != "":
        return []
    raw = as_map(obj.spec.get("selector"))
    return [{str(k): str(v) for k, v in raw.items()}] if raw else []


def _name_label(obj: K8sObject) -> list[Mapping[str, str]]:
    return [{"name": obj.name}]


def _targets(bundle: Bundle, monitor: Monitor, selector: Selector) -> list[K8sObject]:
    if monitor.selects_services:
        return select_services(bundle, selector, None)
    return select_workloads(bundle, selector, None)


def _candidates(bundle: Bundle, monitor: Monitor, selector: Selector) -> list[list[K8sObject]]:
    """Index lookups for the three kinds of evidence, in the order they are weighed."""
    same_labels = _targets(bundle, monitor, selector) if monitor.namespaces is not None else []
    confused: list[K8sObject] = []
    if not selector.empty and monitor.selects_services:
        confused = bundle.select(
            selector, ("Service",), None, _service_pod_selector, "monitoring:service-selectors"
        )
    elif not selector.empty:
        confused = select_services(bundle, selector, None)
    named: list[K8sObject] = []
    for pair in _name_values(selector):
        named.extend(_targets(bundle, monitor, Selector((pair,))))
    kinds = ("Service",) if monitor.selects_services else POD_KINDS
    index = "monitoring:service-names" if monitor.selects_services else "monitoring:pod-names"
    for name in {monitor.obj.name} | {v for _, v in _name_values(selector)}:
        found = bundle.select(Selector((("name", name),)), kinds, None, _name_label, index)
        named.extend(o for o in found if _is_target_kind(monitor, o))
    return [same_labels, confused, named]


def near_miss(bundle: Bundle, monitor: Monitor) -> NearMiss | None:
    """Evidence, among the objects that share the monitor's file, chart or folder, that it
    was meant to select one of them: the same labels in a namespace it does not watch, a
    Service or pod confused with the other, or the component's name with other labels.

    Candidates come from the label and name indexes and each is asked whether it ships with
    the monitor: listing what ships with it instead cost a pass over the monitor's file per
    monitor, quadratic in a file of hundreds of monitors."""
    selector = monitor.selector
    if selector is None or selector.empty:
        return None  # an empty selector says nothing about what was meant
    same_labels, confused, named = _candidates(bundle, monitor, selector)
    if not (same_labels or confused or named):
        return None

    def unrelated(obj: K8sObject) -> bool:
        return obj is monitor.obj or not bundle.are_related(monitor.obj, obj)

    for obj in same_labels:
        if unrelated(obj) or monitor.namespaces is None:
            continue
        if obj.namespace and obj.namespace not in monitor.namespaces:
            return NearMiss(
                obj,
                f"{obj.kind} `{obj.name}` has matching labels but is in namespace "
                f"`{obj.namespace}`",
                wrong_namespace=True,
            )
    for obj in confused:
        if unrelated(obj) or not namespace_matches(obj, monitor.namespaces):
            continue
        if monitor.selects_services:
            return NearMiss(
                obj,
                f"Service `{obj.name}` selects pods with these labels, but a "
                "ServiceMonitor matches the labels of the Service itself",
            )
        if service_workloads(bundle, obj):  # its pods are in view and carry other labels
            return NearMiss(
                obj,
                f"Service `{obj.name}` has these labels, but a PodMonitor matches the labels "
                "of pods",
            )
    for obj in {id(o): o for o in named}.values():
        if unrelated(obj) or not namespace_matches(obj, monitor.namespaces):
            continue
        for labels, owner in _label_sets(bundle, monitor, obj):
            reason = explain(selector, labels, owner)
            if reason is not None:
                return NearMiss(obj, f"{_noun(monitor, obj)} {reason}")
    return None


def _noun(monitor: Monitor, obj: K8sObject) -> str:
    if monitor.selects_services:
        return f"Service `{obj.name}`"
    return f"the pod template of {obj.kind} `{obj.name}`"
