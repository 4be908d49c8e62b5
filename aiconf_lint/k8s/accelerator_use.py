"""How a pod template asks for accelerators: extended resources, DRA claims, node selection.

One place answers "is this an accelerator pod template?" for every rule: it requests an
accelerator extended resource (quantity above 0) or a DRA claim, or it selects accelerator
nodes by label. A toleration alone does not count: many CPU DaemonSets tolerate every taint.
Only parsed fields are read, so a manifest embedded in a string is never a request.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from aiconf_lint.k8s.accelerators import AcceleratorResource, accelerator_resource
from aiconf_lint.k8s.claims import claims_of, pod_claims
from aiconf_lint.k8s.objects import as_list, as_map, get_path
from aiconf_lint.k8s.providers import is_portable_accelerator_label, provider_key
from aiconf_lint.k8s.quantity import is_unresolved, parse_quantity
from aiconf_lint.k8s.workloads import ContainerView, PodTemplate
from aiconf_lint.model import YamlPath
from aiconf_lint.records import record

PREFERRED = "preferred node affinity"
POSITIVE_OPERATORS = frozenset({"In", "Exists", "Gt", "Lt"})
"""Operators that require a label to be present; `NotIn`/`DoesNotExist` pin nothing."""


@record(frozen=True)
class AcceleratorRequest:
    name: str
    value: object
    quantity: Decimal | None
    """None when a templating step has yet to fill the value (`${GPUS}`)."""
    section: str
    path: YamlPath
    entry: AcceleratorResource


def container_requests(
    container: ContainerView,
    extra: tuple[AcceleratorResource, ...] = (),
    *,
    interconnects: bool = False,
) -> list[AcceleratorRequest]:
    """Accelerator resources a container asks for, one per name; limits win over requests.

    A quantity of 0 is not a request; a value that is neither a quantity nor a template
    leftover is ACC002's concern and not counted here. Interconnects such as EFA are left out
    unless asked for: they do not make a pod an accelerator pod.
    """
    found: dict[str, AcceleratorRequest] = {}
    for section, values in (("limits", container.limits), ("requests", container.requests)):
        for raw_name, value in values.items():
            name = str(raw_name)
            if name in found:
                continue
            entry = accelerator_resource(name, extra)
            if entry is None or not (entry.accelerator or interconnects):
                continue
            quantity = parse_quantity(value)
            if quantity is None and not is_unresolved(value):
                continue
            if quantity is not None and quantity <= 0:
                continue
            path = (*container.resources_path, section, name)
            found[name] = AcceleratorRequest(name, value, quantity, section, path, entry)
    return list(found.values())


def container_uses_accelerator(
    container: ContainerView, extra: tuple[AcceleratorResource, ...] = ()
) -> bool:
    return bool(container_requests(container, extra) or claims_of(container))


def uses_claims(template: PodTemplate) -> bool:
    """True when the template or one of its containers claims devices through DRA."""
    return bool(pod_claims(template)) or any(claims_of(c) for c in template.containers)


def requests_accelerators(
    template: PodTemplate, extra: tuple[AcceleratorResource, ...] = ()
) -> bool:
    return bool(pod_claims(template)) or any(
        container_uses_accelerator(c, extra) for c in template.containers
    )


@record(frozen=True)
class NodeTerm:
    """One label requirement on nodes, with the path of its key for the finding."""

    key: str
    operator: str
    values: tuple[str, ...]
    path: YamlPath
    key_only: bool
    source: str
    """`nodeSelector`, `required node affinity` or `preferred node affinity`."""


def node_terms(template: PodTemplate) -> Iterator[NodeTerm]:
    """Every node label requirement of a template: nodeSelector and required/preferred affinity."""
    base = template.path
    for key, value in as_map(template.spec.get("nodeSelector")).items():
        yield NodeTerm(
            str(key), "In", (str(value),), (*base, "nodeSelector", str(key)), True, "nodeSelector"
        )
    affinity = as_map(get_path(template.spec, ("affinity", "nodeAffinity")))
    required_path = ("requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms")
    for i, term in enumerate(as_list(get_path(affinity, required_path))):
        term_path = (*base, "affinity", "nodeAffinity", *required_path, i)
        yield from _expressions(term, term_path, "required node affinity")
    preferred = "preferredDuringSchedulingIgnoredDuringExecution"
    for i, item in enumerate(as_list(affinity.get(preferred))):
        term = as_map(item).get("preference")
        term_path = (*base, "affinity", "nodeAffinity", preferred, i, "preference")
        yield from _expressions(term, term_path, PREFERRED)


def _expressions(term: object, path: YamlPath, source: str) -> Iterator[NodeTerm]:
    for j, expression in enumerate(as_list(as_map(term).get("matchExpressions"))):
        item = as_map(expression)
        key, operator = item.get("key"), item.get("operator")
        if not isinstance(key, str) or not isinstance(operator, str):
            continue
        values = tuple(str(v) for v in as_list(item.get("values")))
        yield NodeTerm(key, operator, values, (*path, "matchExpressions", j, "key"), False, source)


def selects_accelerator_nodes(template: PodTemplate) -> bool:
    """True when a required, positive node requirement names an accelerator label (GFD, NFD or
    a cloud's), or a provider annotation asks for accelerator nodes.

    `NotIn`/`DoesNotExist` and a value of `false` keep pods *off* accelerator nodes; a preferred
    affinity lets the pod run on any node when no accelerator node is free. Neither makes the
    template an accelerator one.
    """
    for term in node_terms(template):
        if term.source == PREFERRED or term.operator not in POSITIVE_OPERATORS:
            continue
        if term.values and all(v.lower() == "false" for v in term.values):
            continue
        entry = provider_key(term.key)
        if (entry is not None and entry.accelerator) or is_portable_accelerator_label(term.key):
            return True
    annotations = {**template.obj.annotations, **template.annotations}
    return any(
        (entry := provider_key(key, annotation=True)) is not None and entry.accelerator
        for key in annotations
    )


def is_accelerator_template(
    template: PodTemplate, extra: tuple[AcceleratorResource, ...] = ()
) -> bool:
    """The catalogue's *accelerator pod template*, the one answer for every rule family."""
    return requests_accelerators(template, extra) or selects_accelerator_nodes(template)


def describe(template: PodTemplate) -> str:
    """`Deployment `vllm``, or with the template's role when a workload has several."""
    if template.role in ("pod", "runtime"):
        return template.obj.display()
    return f"{template.obj.display()} ({template.title})"
