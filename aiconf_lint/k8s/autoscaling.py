"""Autoscalers in a bundle: HPAs and KEDA ScaledObjects, their targets and their metrics.

One view over both kinds, because KEDA creates an HPA from each ScaledObject and the SCL rules
ask the same questions of both: what does it scale, is that object here, which metrics drive
it. Metric extraction reads every HPA version the API ever served (`autoscaling/v2beta1` spells
`metricName`/`targetAverageValue` where v2 has `metric.name`/`target.averageValue`), so a rule
written against v2 also understands an old manifest.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from aiconf_lint.k8s.bundle import Bundle
from aiconf_lint.k8s.facts import ObjectFacts
from aiconf_lint.k8s.objects import JsonMap, K8sObject, as_list, as_map, as_str
from aiconf_lint.k8s.quantity import is_unresolved
from aiconf_lint.k8s.workloads import PodTemplate
from aiconf_lint.model import YamlPath
from aiconf_lint.records import field, record

HPA = "HorizontalPodAutoscaler"
SCALED_OBJECT = "ScaledObject"
KEDA_GROUP = "keda.sh"

# Kinds whose API serves a `/scale` subresource, by (group, kind). Only these (and custom
# resources, which may declare one) can be an HPA or ScaledObject target.
SCALABLE: frozenset[tuple[str, str]] = frozenset(
    {
        ("apps", "Deployment"),
        ("apps", "StatefulSet"),
        ("apps", "ReplicaSet"),
        ("", "ReplicationController"),
        ("argoproj.io", "Rollout"),
        ("leaderworkerset.x-k8s.io", "LeaderWorkerSet"),
    }
)
# API groups Kubernetes itself serves: a kind in one of these that is not in SCALABLE has no
# scale subresource (a DaemonSet, a Job, a Service, a ConfigMap).
BUILTIN_GROUPS = frozenset(
    {
        "",
        "apps",
        "batch",
        "autoscaling",
        "policy",
        "networking.k8s.io",
        "rbac.authorization.k8s.io",
        "storage.k8s.io",
        "scheduling.k8s.io",
        "resource.k8s.io",
        "coordination.k8s.io",
        "discovery.k8s.io",
        "node.k8s.io",
        "certificates.k8s.io",
        "admissionregistration.k8s.io",
        "apiextensions.k8s.io",
    }
)
# The group a bare kind lives in, to normalise references that omit or misspell the version.
DEFAULT_GROUP = {kind: group for group, kind in SCALABLE}

_CPU_MEMORY = frozenset({"cpu", "memory"})


@record(frozen=True)
class Metric:
    """One metric an autoscaler scales on, with the paths a finding points at.

    `type` is the HPA metric source type (`Resource`, `ContainerResource`, `Pods`, `Object`,
    `External`) or, for a KEDA trigger, `keda:<trigger type>`. `target_type` is the HPA target
    type (`Utilization`, `AverageValue`, `Value`) or None when unknown.
    """

    index: int
    type: str
    name: str
    path: YamlPath
    name_path: YamlPath
    target_type: str | None = None
    target_path: YamlPath | None = None
    metadata: JsonMap = field(default_factory=dict)

    @property
    def is_keda(self) -> bool:
        return self.type.startswith("keda:")

    @property
    def is_resource(self) -> bool:
        """A cpu/memory metric served by metrics-server (or a KEDA cpu/memory trigger)."""
        if self.is_keda:
            return self.type in ("keda:cpu", "keda:memory")
        return self.type in ("Resource", "ContainerResource")


@record(frozen=True)
class Autoscaler:
    """An HPA or a ScaledObject and the object it scales, normalised.

    `group` is the target's API group with defaults applied (KEDA: `apps`/`Deployment`);
    `ref_path` points at `spec.scaleTargetRef`.
    """

    obj: K8sObject
    group: str
    kind: str
    name: str
    namespace: str
    ref_path: YamlPath
    api_version_given: bool

    @property
    def is_hpa(self) -> bool:
        return self.obj.kind == HPA

    @property
    def key(self) -> tuple[str, str, str, str]:
        """What two autoscalers must share to fight over one object."""
        group = self.group
        if not self.api_version_given or group == "extensions":
            group = DEFAULT_GROUP.get(self.kind, group)
        return (self.namespace, group, self.kind, self.name)

    def target_display(self) -> str:
        return f"{self.kind} `{self.name}`"

    def display(self) -> str:
        return f"{'HPA' if self.is_hpa else 'ScaledObject'} `{self.obj.name}`"


def is_hpa(obj: K8sObject) -> bool:
    return obj.kind == HPA and obj.group == "autoscaling"


def is_scaled_object(obj: K8sObject) -> bool:
    return obj.kind == SCALED_OBJECT and obj.group == KEDA_GROUP


def _group_of(api_version: str) -> str:
    return api_version.rpartition("/")[0] if "/" in api_version else ""


def autoscaler_of(bundle: Bundle, obj: K8sObject) -> Autoscaler | None:
    """`_autoscaler_of`, computed once per object."""
    return bundle.facts(obj).family("scl.autoscaler", lambda: _autoscaler_of(bundle, obj))


def _autoscaler_of(bundle: Bundle, obj: K8sObject) -> Autoscaler | None:
    """The normalised view of an HPA or ScaledObject, or None for anything else or a bad ref."""
    if not (is_hpa(obj) or is_scaled_object(obj)):
        return None
    ref = as_map(obj.spec.get("scaleTargetRef"))
    name = ref.get("name")
    if not isinstance(name, str) or not name or is_unresolved(name):
        return None
    raw_version = ref.get("apiVersion")
    kind = ref.get("kind")
    if is_scaled_object(obj):
        raw_version = raw_version or "apps/v1"
        kind = kind or "Deployment"
    if not isinstance(kind, str) or not kind or is_unresolved(kind):
        return None
    given = isinstance(raw_version, str) and bool(raw_version)
    version = raw_version if isinstance(raw_version, str) else ""
    if is_unresolved(version):
        return None
    return Autoscaler(
        obj=obj,
        group=_group_of(version),
        kind=kind,
        name=name,
        namespace=bundle.namespace_of(obj),
        ref_path=("spec", "scaleTargetRef"),
        api_version_given=given,
    )


def autoscalers(bundle: Bundle) -> Iterator[Autoscaler]:
    """Every HPA and ScaledObject in the bundle whose target reference can be read."""
    for obj in bundle.of_kind(HPA, SCALED_OBJECT):
        if owned_by_controller(obj):
            continue
        view = autoscaler_of(bundle, obj)
        if view is not None:
            yield view


def owned_by_controller(obj: K8sObject) -> bool:
    """An HPA some controller made (KEDA's `keda-hpa-*`, KServe's): a dump, not a manifest."""
    meta = as_map(obj.data.get("metadata"))
    return bool(as_list(meta.get("ownerReferences")))


def resolve_target(bundle: Bundle, scaler: Autoscaler) -> list[K8sObject]:
    """Objects in the bundle the reference names: same namespace, kind, name and API group."""
    found = bundle.get(scaler.kind, scaler.namespace, scaler.name)
    group = scaler.key[1]
    return [obj for obj in found if obj.group == group]


def related_target(bundle: Bundle, scaler: Autoscaler) -> list[K8sObject]:
    """`resolve_target`, keeping only targets deployed with the autoscaler.

    A directory of unrelated samples often reuses `default/web`; pairing an HPA from one
    sample with a Deployment from another would report problems neither has.
    """
    return [obj for obj in resolve_target(bundle, scaler) if bundle.are_related(scaler.obj, obj)]


def cannot_scale(scaler: Autoscaler) -> bool:
    """True when the referenced kind is a built-in one without a scale subresource."""
    if not scaler.api_version_given:
        return False
    if scaler.group == "extensions":
        return True
    return scaler.group in BUILTIN_GROUPS and (scaler.group, scaler.kind) not in SCALABLE


# ---------------------------------------------------------------------------------------------
# Metrics


def _hpa_v2_metric(index: int, item: JsonMap) -> Metric | None:
    kind = as_str(item.get("type"))
    if not kind:
        return None
    base: YamlPath = ("spec", "metrics", index)
    field_name = kind[0].lower() + kind[1:]
    source = as_map(item.get(field_name))
    if kind in ("Resource", "ContainerResource"):
        name = source.get("name")
        name_path: YamlPath = (*base, field_name, "name")
    else:
        name = as_map(source.get("metric")).get("name")
        name_path = (*base, field_name, "metric", "name")
    target = as_map(source.get("target"))
    target_type = target.get("type")
    return Metric(
        index=index,
        type=kind,
        name=as_str(name) or "",
        path=base,
        name_path=name_path,
        target_type=str(target_type) if isinstance(target_type, str) else None,
        target_path=(*base, field_name, "target", "type") if target_type else None,
    )


_V2BETA1_TARGETS = (
    ("targetAverageUtilization", "Utilization"),
    ("targetAverageValue", "AverageValue"),
    ("averageValue", "AverageValue"),
    ("targetValue", "Value"),
)


def _hpa_v2beta1_metric(index: int, item: JsonMap) -> Metric | None:
    kind = as_str(item.get("type"))
    if not kind:
        return None
    base: YamlPath = ("spec", "metrics", index)
    field_name = kind[0].lower() + kind[1:]
    source = as_map(item.get(field_name))
    key = "name" if kind in ("Resource", "ContainerResource") else "metricName"
    name = source.get(key)
    target_type = None
    target_path: YamlPath | None = None
    for target_key, target_kind in _V2BETA1_TARGETS:
        if target_key in source:
            target_type, target_path = target_kind, (*base, field_name, target_key)
            break
    return Metric(
        index=index,
        type=kind,
        name=as_str(name) or "",
        path=base,
        name_path=(*base, field_name, key),
        target_type=target_type,
        target_path=target_path,
    )


def hpa_metrics(obj: K8sObject) -> list[Metric]:
    """The metrics of an HPA in any served or removed `autoscaling` version."""
    if obj.api_version == "autoscaling/v1":
        # v1 scales on CPU only: the target field, or 80% when it is absent.
        key = "targetCPUUtilizationPercentage"
        path: YamlPath = ("spec", key) if key in obj.spec else ("spec",)
        return [Metric(0, "Resource", "cpu", path, path, "Utilization")]
    read = _hpa_v2beta1_metric if obj.api_version == "autoscaling/v2beta1" else _hpa_v2_metric
    metrics: list[Metric] = []
    for index, item in enumerate(as_list(obj.spec.get("metrics"))):
        metric = read(index, as_map(item))
        if metric is not None:
            metrics.append(metric)
    return metrics


def keda_metrics(obj: K8sObject) -> list[Metric]:
    """KEDA triggers as metrics; `name` is the trigger's query or metric name, if any."""
    metrics: list[Metric] = []
    for index, item in enumerate(as_list(obj.spec.get("triggers"))):
        trigger = as_map(item)
        kind = trigger.get("type")
        if not isinstance(kind, str):
            continue
        metadata = as_map(trigger.get("metadata"))
        query = metadata.get("query") or metadata.get("metricName") or ""
        metric_type = trigger.get("metricType")
        base: YamlPath = ("spec", "triggers", index)
        metrics.append(
            Metric(
                index=index,
                type=f"keda:{kind}",
                name=str(query),
                path=base,
                name_path=(*base, "type"),
                target_type=str(metric_type) if isinstance(metric_type, str) else "AverageValue",
                target_path=(*base, "metricType") if metric_type else None,
                metadata=metadata,
            )
        )
    return metrics


def metrics_of(obj: K8sObject) -> list[Metric]:
    if is_hpa(obj):
        return hpa_metrics(obj)
    if is_scaled_object(obj):
        return keda_metrics(obj)
    return []


def only_cpu_memory(obj: K8sObject) -> bool:
    """True when every metric is cpu/memory; an HPA with no metrics defaults to 80% CPU."""
    metrics = metrics_of(obj)
    if not metrics:
        raw = obj.spec.get("metrics")
        return is_hpa(obj) and (raw is None or raw == [])
    for metric in metrics:
        if not metric.is_resource:
            return False
        if not metric.is_keda and metric.name not in _CPU_MEMORY:
            return False
    return True


# ---------------------------------------------------------------------------------------------
# Accelerator requests of a pod template


def accelerator_requests(facts: ObjectFacts, template: PodTemplate) -> dict[str, int | None]:
    """Accelerator extended resources the template's containers ask for, summed per name.

    Each container's requests come from the object's facts (`k8s/facts.py`); a value a
    templating step has yet to fill counts as a request of unknown size (None).
    """
    found: dict[str, int | None] = {}
    for container in template.containers:
        for answer in facts.accelerator_requests(container):  # EFA is an interconnect
            request = answer.request
            count = None if request.quantity is None else int(request.quantity)
            previous = found.get(request.name, 0)
            found[request.name] = None if previous is None or count is None else previous + count
    return found


# ---------------------------------------------------------------------------------------------
# Metric-name heuristics shared by SCL004 and SCL009

_TOKEN_SPLIT = re.compile(r"[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])")
INVERTED_TOKENS = frozenset({"free", "idle", "unused", "available", "avail"})


def name_tokens(name: str) -> list[str]:
    """`DCGM_FI_DEV_FB_FREE` -> [dcgm, fi, dev, fb, free]; `MemAvailable` -> [mem, available]."""
    return [token.lower() for token in _TOKEN_SPLIT.split(name) if token]


def inverted_token(name: str) -> str | None:
    """The "free"/"idle" word in a metric name whose value falls as load rises, if any."""
    for token in name_tokens(name):
        if token in INVERTED_TOKENS:
            return token
    return None


def int_value(value: object) -> int | None:
    """An integer field as written; None for strings, templating leftovers and booleans."""
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value
