"""Karpenter NodePools (`karpenter.sh`) and whether a pod template can land on their nodes.

Karpenter launches a node for a pending pod only when some NodePool's template satisfies the
pod: every `NoSchedule`/`NoExecute` taint tolerated, every node selector and required
node-affinity term compatible with the pool's `requirements` and `labels`, and the pool's
`limits` not smaller than the request. A label key the pool neither defines nor treats as
well-known (zone, instance type, `karpenter.k8s.aws/*`, ...) is one its nodes never carry, so
a pod that requires it is never provisioned for. Labels that other agents add after boot (GPU
feature discovery, NFD) are unknown to Karpenter for the same reason.

A pool must also be able to launch hardware with the device: on AWS the instance category (the
family's leading letters, `g5` -> `g`) of GPU instances is `g`, `gr` or `p`, of Neuron ones
`inf` or `trn`, of Gaudi ones `dl`; a pool restricted elsewhere, or to GPU count 0, cannot.

Where we cannot tell (numeric `Gt`/`Lt`, a well-known key without a requirement), we assume the
pool fits: the rule built on this module must only speak when the mismatch is certain.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from aiconf_lint.k8s.objects import K8sObject, as_list, as_map, get_path
from aiconf_lint.k8s.quantity import is_unresolved, parse_quantity
from aiconf_lint.k8s.workloads import PodTemplate
from aiconf_lint.model import YamlPath
from aiconf_lint.records import field, record

KARPENTER_GROUP = "karpenter.sh"
NODEPOOL_LABEL = "karpenter.sh/nodepool"
WELL_KNOWN = frozenset(
    {
        "topology.kubernetes.io/zone",
        "topology.kubernetes.io/region",
        "node.kubernetes.io/instance-type",
        "node.kubernetes.io/windows-build",
        "kubernetes.io/arch",
        "kubernetes.io/os",
        "kubernetes.io/hostname",
        "beta.kubernetes.io/arch",
        "beta.kubernetes.io/os",
        "beta.kubernetes.io/instance-type",
        "failure-domain.beta.kubernetes.io/zone",
        "failure-domain.beta.kubernetes.io/region",
    }
)
# Label domains the cloud providers' Karpenter builds (and EKS Auto Mode) register as
# well-known.
WELL_KNOWN_PREFIXES = (
    "karpenter.sh/",
    "karpenter.k8s.aws/",
    "eks.amazonaws.com/",
    "topology.k8s.aws/",
    "karpenter.azure.com/",
    "kubernetes.azure.com/",
    "karpenter.k8s.gcp/",
)
_BLOCKING = frozenset({"NoSchedule", "NoExecute"})


def is_well_known(key: str) -> bool:
    return key in WELL_KNOWN or key.startswith(WELL_KNOWN_PREFIXES)


@record(frozen=True)
class Taint:
    key: str
    value: str
    effect: str

    def display(self) -> str:
        value = f"={self.value}" if self.value else ""
        return f"`{self.key}{value}:{self.effect}`"


@record
class Domain:
    """What a pool's nodes may carry under one label key."""

    present: bool = True
    absent: bool = True
    allowed: frozenset[str] | None = None
    excluded: frozenset[str] = frozenset()

    def values(self) -> frozenset[str] | None:
        return None if self.allowed is None else self.allowed - self.excluded


@record
class NodePool:
    obj: K8sObject
    name: str
    labels: dict[str, str] = field(default_factory=dict)
    requirements: list[tuple[str, str, frozenset[str]]] = field(default_factory=list)
    taints: list[Taint] = field(default_factory=list)
    limits: Mapping[str, object] = field(default_factory=dict)
    node_class_group: str = ""

    def domain(self, key: str) -> Domain:
        if key in self.labels:
            return Domain(present=True, absent=False, allowed=frozenset({self.labels[key]}))
        reqs = [r for r in self.requirements if r[0] == key]
        if not reqs:
            if is_well_known(key):
                return Domain()
            return Domain(present=False, absent=True)
        domain = Domain()
        for _key, operator, values in reqs:
            if operator == "In":
                domain.absent = False
                domain.allowed = values if domain.allowed is None else domain.allowed & values
            elif operator == "NotIn":
                domain.excluded = domain.excluded | values
            elif operator in ("Exists", "Gt", "Lt"):
                domain.absent = False
            elif operator == "DoesNotExist":
                domain.present = False
        return domain


def is_nodepool(obj: K8sObject) -> bool:
    return obj.kind == "NodePool" and obj.group == KARPENTER_GROUP


def nodepool_of(obj: K8sObject) -> NodePool:
    template = as_map(obj.spec.get("template"))
    spec = as_map(template.get("spec"))
    labels = {
        str(k): str(v) for k, v in as_map(as_map(template.get("metadata")).get("labels")).items()
    }
    labels.setdefault(NODEPOOL_LABEL, obj.name)
    requirements = []
    for item in as_list(spec.get("requirements")):
        req = as_map(item)
        key, operator = req.get("key"), req.get("operator")
        if isinstance(key, str) and isinstance(operator, str):
            values = frozenset(str(v) for v in as_list(req.get("values")))
            requirements.append((key, operator, values))
    taints = []
    for item in as_list(spec.get("taints")):
        taint = as_map(item)
        if isinstance(taint.get("key"), str):
            value = "" if taint.get("value") is None else str(taint.get("value"))
            taints.append(Taint(str(taint["key"]), value, str(taint.get("effect", ""))))
    node_class = as_map(spec.get("nodeClassRef"))
    return NodePool(
        obj,
        obj.name,
        labels,
        requirements,
        taints,
        as_map(obj.spec.get("limits")),
        str(node_class.get("group") or ""),
    )


def tolerates(toleration: Mapping[str, object], taint: Taint) -> bool:
    """Kubernetes' toleration matching (`Equal` by default, empty key with `Exists` = all)."""
    effect = toleration.get("effect")
    if effect and effect != taint.effect:
        return False
    operator = toleration.get("operator") or "Equal"
    key = toleration.get("key")
    if not key:
        return operator == "Exists"
    if key != taint.key:
        return False
    if operator == "Exists":
        return True
    value = toleration.get("value")
    return ("" if value is None else str(value)) == taint.value


def _compatible(domain: Domain, operator: str, values: frozenset[str]) -> bool:
    allowed = domain.values()
    if operator == "In":
        if not domain.present:
            return False
        return bool(values - domain.excluded) if allowed is None else bool(allowed & values)
    if operator == "NotIn":
        return domain.absent or allowed is None or bool(allowed - values)
    if operator == "Exists":
        return domain.present
    if operator == "DoesNotExist":
        return domain.absent
    if operator in ("Gt", "Lt"):
        if not domain.present:
            return False
        if allowed is None or len(values) != 1:
            return True
        bound = parse_quantity(next(iter(values)))
        numbers = [parse_quantity(v) for v in allowed]
        if bound is None or any(n is None for n in numbers):
            return True
        if operator == "Gt":
            return any(n is not None and n > bound for n in numbers)
        return any(n is not None and n < bound for n in numbers)
    return True


@record(frozen=True)
class Mismatch:
    """Why one pool cannot host the pod, and the pod-template path to point at."""

    reason: str
    path: YamlPath
    key_only: bool = False


def _describe(key: str, operator: str, values: frozenset[str]) -> str:
    if operator == "In" and len(values) == 1:
        return f"`{key}={next(iter(values))}`"
    if operator in ("Exists", "DoesNotExist"):
        return f"`{key}` {operator}"
    listed = ", ".join(f"`{v}`" for v in sorted(values))
    return f"`{key}` {operator} {listed}"


def _requirement_mismatch(pool: NodePool, key: str, operator: str, values: frozenset[str]) -> str:
    domain = pool.domain(key)
    if (
        not domain.present
        and key not in pool.labels
        and not any(r[0] == key for r in pool.requirements)
    ):
        return f"`{pool.name}` does not define label `{key}`"
    offered = domain.values()
    if key == NODEPOOL_LABEL and operator == "In":
        wanted = ", ".join(f"`{v}`" for v in sorted(values))
        return f"`{pool.name}` is not NodePool {wanted}"
    if offered is not None:
        wanted = _describe(key, operator, values)
        listed = ", ".join(f"`{v}`" for v in sorted(offered))
        return f"`{pool.name}` offers `{key}` only as {listed}, not {wanted}"
    return f"`{pool.name}` cannot satisfy {_describe(key, operator, values)}"


def mismatch(
    pool: NodePool, template: PodTemplate, requested: Mapping[str, int | None]
) -> Mismatch | None:
    """The first reason `pool` cannot host pods of `template`, or None when it may."""
    spec = template.spec
    base = template.path
    tolerations = [as_map(t) for t in as_list(spec.get("tolerations"))]
    for taint in pool.taints:
        if taint.effect not in _BLOCKING or any(tolerates(t, taint) for t in tolerations):
            continue
        # The ExtendedResourceToleration admission plugin tolerates a NoSchedule taint named
        # after a requested extended resource; where it runs, this taint is no obstacle.
        if taint.effect == "NoSchedule" and taint.key in requested:
            continue
        path = (*base, "tolerations") if "tolerations" in spec else base
        reason = f"`{pool.name}` has taint {taint.display()} the pod does not tolerate"
        return Mismatch(reason, path, True)
    for key, value in as_map(spec.get("nodeSelector")).items():
        if is_unresolved(key) or is_unresolved(value):
            continue
        values = frozenset({str(value)})
        if not _compatible(pool.domain(str(key)), "In", values):
            reason = _requirement_mismatch(pool, str(key), "In", values)
            return Mismatch(reason, (*base, "nodeSelector", str(key)))
    terms_path = (
        "affinity",
        "nodeAffinity",
        "requiredDuringSchedulingIgnoredDuringExecution",
        "nodeSelectorTerms",
    )
    terms = as_list(get_path(spec, terms_path))
    if terms:
        first: Mismatch | None = None
        for index, term in enumerate(terms):
            found = _term_mismatch(pool, as_map(term), (*base, *terms_path, index))
            if found is None:
                break
            first = first or found
        else:
            return first
    for name, count in requested.items():
        limit = parse_quantity(pool.limits.get(name)) if name in pool.limits else None
        if limit is not None and count is not None and count > limit:
            path = _request_path(template, name)
            reason = f"`{pool.name}` limits `{name}` to {limit}, below the pod's {count}"
            return Mismatch(reason, path)
        lacking = _hardware_mismatch(pool, name)
        if lacking is not None:
            return Mismatch(f"`{pool.name}` {lacking}", _request_path(template, name))
    return None


# What each accelerator needs from the instance, in the labels AWS and Azure Karpenter define:
# instance categories (the family's leading letters: `g5` -> `g`) that carry the device, and
# the GPU manufacturer. Instance categories per AWS's naming: g/gr/p carry NVIDIA or AMD GPUs,
# inf/trn carry Neuron devices, dl carries Gaudi.
_GPU_CATEGORIES = frozenset({"g", "gr", "p"})
_NEEDS: tuple[tuple[str, frozenset[str], str | None], ...] = (
    ("nvidia.com/", _GPU_CATEGORIES, "nvidia"),
    ("amd.com/", _GPU_CATEGORIES, "amd"),
    ("aws.amazon.com/neuron", frozenset({"inf", "trn"}), None),
    ("habana.ai/", frozenset({"dl"}), None),
)
_AWS_PREFIXES = ("karpenter.k8s.aws/", "eks.amazonaws.com/")
_AWS_NODE_CLASSES = frozenset({"karpenter.k8s.aws", "eks.amazonaws.com"})
_CATEGORY_RE = re.compile(r"^([a-z]+)")


def _category(family_or_type: str) -> str | None:
    found = _CATEGORY_RE.match(family_or_type)
    return found.group(1) if found else None


def _only(
    pool: NodePool,
    key: str,
    allowed: frozenset[str],
    mapper: Callable[[str], str | None] | None = None,
) -> bool:
    """True when the pool restricts `key` to values none of which maps into `allowed`.

    `NotIn` counts only for plain values (`mapper` None): excluding the family `g5` does not
    exclude the category `g`.
    """
    domain = pool.domain(key)
    offered = domain.values()
    if offered is not None:
        return not any((mapper(v) if mapper else v) in allowed for v in offered)
    return mapper is None and bool(domain.excluded) and allowed <= domain.excluded


def _restriction(pool: NodePool, key: str) -> str:
    """`key` `c`, `m`, `r`: what the pool allows, for messages."""
    offered = pool.domain(key).values()
    if offered is not None:
        return f"`{key}` " + ", ".join(f"`{v}`" for v in sorted(offered))
    return f"`{key}` not " + ", ".join(f"`{v}`" for v in sorted(pool.domain(key).excluded))


def _hardware_mismatch(pool: NodePool, resource: str) -> str | None:
    """Why the instances `pool` may launch can carry no `resource`, or None when they may."""
    need = next((n for n in _NEEDS if resource.startswith(n[0])), None)
    if need is None:
        return None
    _prefix, categories, maker = need
    checks: list[tuple[str, Callable[[str], str | None] | None]] = []
    for domain_prefix in _AWS_PREFIXES:
        checks.append((f"{domain_prefix}instance-category", None))
        checks.append((f"{domain_prefix}instance-family", _category))
    if pool.node_class_group in _AWS_NODE_CLASSES:
        checks.append(("node.kubernetes.io/instance-type", _category))
    for key, mapper in checks:
        if _only(pool, key, categories, mapper):
            return f"allows only {_restriction(pool, key)}, none with `{resource}`"
    if maker is None:
        return None
    for key in (
        "karpenter.k8s.aws/instance-gpu-manufacturer",
        "eks.amazonaws.com/instance-gpu-manufacturer",
        "karpenter.azure.com/sku-gpu-manufacturer",
    ):
        if _only(pool, key, frozenset({maker})):
            return f"allows only {_restriction(pool, key)}, none with `{resource}`"
    for key in (
        "karpenter.k8s.aws/instance-gpu-count",
        "eks.amazonaws.com/instance-gpu-count",
        "karpenter.azure.com/sku-gpu-count",
    ):
        domain = pool.domain(key)
        if key in pool.labels or any(r[0] == key for r in pool.requirements):
            offered = domain.values()
            if not domain.present or (offered is not None and offered <= {"0"}):
                return f"allows only instances without GPUs (`{key}`)"
    return None


def _term_mismatch(pool: NodePool, term: Mapping[str, object], path: YamlPath) -> Mismatch | None:
    for index, item in enumerate(as_list(term.get("matchExpressions"))):
        expr = as_map(item)
        key, operator = expr.get("key"), expr.get("operator")
        if not isinstance(key, str) or not isinstance(operator, str):
            continue
        raw_values = as_list(expr.get("values"))
        if is_unresolved(key) or any(is_unresolved(v) for v in raw_values):
            continue
        values = frozenset(str(v) for v in raw_values)
        if not _compatible(pool.domain(key), operator, values):
            reason = _requirement_mismatch(pool, key, operator, values)
            return Mismatch(reason, (*path, "matchExpressions", index, "key"))
    return None


def _request_path(template: PodTemplate, name: str) -> YamlPath:
    for container in template.containers:
        for section in ("limits", "requests"):
            if name in as_map(container.resources.get(section)):
                return (*container.resources_path, section, name)
    return template.path


def _signature(pool: NodePool) -> tuple[object, ...]:
    """What `mismatch` reads of a pool besides its name (the default `karpenter.sh/nodepool`
    label carries the name too, and is left out: see `distinct_pools`)."""
    labels = {k: v for k, v in pool.labels.items() if not (k == NODEPOOL_LABEL and v == pool.name)}
    return (
        tuple(sorted(labels.items())),
        tuple(pool.requirements),
        tuple(pool.taints),
        tuple((str(k), repr(v)) for k, v in pool.limits.items()),
        pool.node_class_group,
    )


def distinct_pools(pools: list[NodePool]) -> list[NodePool]:
    """One pool per group that differs only by name, in order of first appearance.

    Copies of a chart define the same pools under their own names; whether some pool can
    host a template is the same for every member of a group, unless the template names a
    pool through the `karpenter.sh/nodepool` label (`names_pools`), so a template is matched
    against each group once instead of against every pool.
    """
    found: dict[tuple[object, ...], NodePool] = {}
    for pool in pools:
        found.setdefault(_signature(pool), pool)
    return list(found.values())


def names_pools(template: PodTemplate) -> bool:
    """Whether the template's node selection may read the `karpenter.sh/nodepool` label."""
    spec = template.spec
    return NODEPOOL_LABEL in repr(spec.get("nodeSelector")) or NODEPOOL_LABEL in repr(
        spec.get("affinity")
    )
