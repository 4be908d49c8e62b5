"""How Prometheus finds its targets: monitors, the Services and pods they select, and ports.

Shared by the MET rules (and by anything else that asks "is this pod scraped?"). Everything
goes through the bundle's label index, so the cost is near linear in the number of objects.

Two sources of uncertainty are modelled rather than ignored, because a wrong "selects
nothing" is worse than a missed one:

- Controllers add labels and ports to the pods they create (`pod-template-hash`, `ray.io/*`,
  KServe's `component`, KubeRay's `metrics` port). A requirement on such a key may hold for the
  pod although the template does not say so; such pods *may* match.
- An object without `metadata.namespace` lands wherever it is applied, so it may be in any
  namespace a monitor watches; a monitor without namespace or `namespaceSelector` likewise.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TypeVar

from aiconf_lint.k8s.bundle import Bundle, Selector
from aiconf_lint.k8s.objects import JsonMap, K8sObject, as_list, as_map, as_str
from aiconf_lint.k8s.quantity import is_unresolved
from aiconf_lint.k8s.workloads import RAY_CLUSTER, WORKLOADS, WORKLOADS_BY_GROUP, PodTemplate
from aiconf_lint.model import YamlPath
from aiconf_lint.records import record

MONITOR_GROUPS = frozenset({"monitoring.coreos.com", "azmonitoring.coreos.com"})
"""Prometheus Operator's group and Azure Managed Prometheus's copy of it (same schema)."""
GMP_GROUP = "monitoring.googleapis.com"
GMP_POD_KINDS = ("PodMonitoring", "ClusterPodMonitoring")
SCRAPE_ANNOTATION = "prometheus.io/scrape"
PORT_ANNOTATION = "prometheus.io/port"

_NOT_POD_KINDS = frozenset(
    {
        "PodTemplate",
        "TrainJob",
        "ServingRuntime",
        "ClusterServingRuntime",
        "TrainingRuntime",
        "ClusterTrainingRuntime",
    }
)
POD_KINDS: tuple[str, ...] = tuple(
    sorted(({*WORKLOADS} | {kind for _, kind in WORKLOADS_BY_GROUP}) - _NOT_POD_KINDS)
)
"""Kinds whose pod templates become running pods (runtimes are templates for other objects)."""

_COMMON_PREFIXES = ("batch.kubernetes.io/", "statefulset.kubernetes.io/", "apps.kubernetes.io/")
_COMMON_KEYS = frozenset(
    {
        "pod-template-hash",
        "controller-revision-hash",
        "pod-template-generation",
        "job-name",
        "controller-uid",
    }
)
"""Labels the built-in controllers put on pods (hashes, Job and StatefulSet identities)."""
_RAY_KINDS = frozenset(RAY_CLUSTER)
_KUBEFLOW_KINDS = ("PyTorchJob", "TFJob", "PaddleJob", "XGBoostJob", "JAXJob", "MXJob", "MPIJob")
_KIND_PREFIXES: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(_RAY_KINDS, ("ray.io/",)),
    **dict.fromkeys(_KUBEFLOW_KINDS, ("training.kubeflow.org/",)),
    "InferenceService": ("serving.kserve.io/", "serving.knative.dev/"),
    "serving.knative.dev/Service": ("serving.knative.dev/",),
    "LeaderWorkerSet": ("leaderworkerset.sigs.k8s.io/",),
    "JobSet": ("jobset.sigs.k8s.io/",),
    "batch.volcano.sh/Job": ("volcano.sh/",),
}
_KIND_KEYS: dict[str, frozenset[str]] = {
    **dict.fromkeys(
        _RAY_KINDS, frozenset({"app.kubernetes.io/name", "app.kubernetes.io/created-by"})
    ),
    "InferenceService": frozenset({"app", "component"}),
    "serving.knative.dev/Service": frozenset({"app"}),
}
"""Labels an operator puts on the pods of its kind, by key prefix and by exact key."""

NAME_KEYS = ("app", "app.kubernetes.io/name", "app.kubernetes.io/instance", "k8s-app", "name")
"""Label keys that name a component: evidence that two objects are meant to meet."""


def _kind_key(obj: K8sObject) -> str:
    if obj.group in ("serving.knative.dev", "batch.volcano.sh"):
        return f"{obj.group}/{obj.kind}"
    return obj.kind


@functools.lru_cache(maxsize=4096)
def _injected_for(kind: str, key: str) -> bool:
    if key in _COMMON_KEYS or key.startswith(_COMMON_PREFIXES):
        return True
    return key.startswith(_KIND_PREFIXES.get(kind, ())) or key in _KIND_KEYS.get(kind, ())


def injected(obj: K8sObject, key: str) -> bool:
    """Whether the controller of `obj` may put label `key` on its pods."""
    return _injected_for(_kind_key(obj), key)


def is_pod_kind(obj: K8sObject) -> bool:
    """Whether `obj` runs pods of its own (a knative Service does, a core Service does not)."""
    if obj.kind == "Service":
        return _kind_key(obj) == "serving.knative.dev/Service"
    return obj.kind in POD_KINDS


def ports_reliable(obj: K8sObject) -> bool:
    """False where an operator adds containers or ports (KubeRay, KServe, Knative)."""
    return obj.kind not in _RAY_KINDS and _kind_key(obj) not in (
        "InferenceService",
        "serving.knative.dev/Service",
    )


def _has_unresolved(value: object) -> bool:
    if isinstance(value, Mapping):
        return any(_has_unresolved(k) or _has_unresolved(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_unresolved(v) for v in value)
    return is_unresolved(value)


def namespace_matches(obj: K8sObject, namespaces: frozenset[str] | None) -> bool:
    """An object with no namespace may be applied into any of them."""
    return namespaces is None or obj.namespace is None or obj.namespace in namespaces


K = TypeVar("K")
V = TypeVar("V")


def _memo(bundle: Bundle, table: str, key: K, compute: Callable[[], V]) -> V:
    """`compute()` once per run and key, in a table of the bundle's cache.

    Fleets of manifests repeat the same selectors, and every MET rule asks the same
    questions of every monitor and Service: answering each once keeps the rules linear in the
    number of distinct questions instead of multiplying them by rules and pairs.
    """
    memo: dict[K, V] = bundle.cached(f"monitoring:memo:{table}", dict)
    try:
        return memo[key]
    except KeyError:
        value = memo[key] = compute()
        return value


def definite(
    bundle: Bundle, anchor: K8sObject, obj: K8sObject, namespaces: frozenset[str] | None
) -> bool:
    """Whether `anchor` (a monitor, a Service) surely reaches `obj`, which it selects.

    Selection lets an object without a namespace match any namespace, so that nothing is
    reported as unselected by mistake; a finding *about* a selected object needs more: that
    both name the namespace, or that they are deployed together (`Bundle.are_related`).
    """
    explicit = obj.namespace is not None and namespaces is not None
    return (explicit and obj.namespace in (namespaces or ())) or bundle.are_related(anchor, obj)


# ---------------------------------------------------------------- labels and selection


def template_labels(obj: K8sObject, template: PodTemplate) -> dict[str, str]:
    """The labels a template's pods get; KServe copies the object's labels onto its pods."""
    if obj.kind == "InferenceService":
        own = {str(k): str(v) for k, v in as_map(template.spec.get("labels")).items()}
        return {**obj.labels, **own}
    return template.labels


def service_labels(obj: K8sObject) -> list[Mapping[str, str]]:
    return [obj.labels] if obj.group == "" else []


def core_services(bundle: Bundle) -> Iterator[K8sObject]:
    return (svc for svc in bundle.of_kind("Service") if svc.group == "")


def select_services(
    bundle: Bundle, selector: Selector, namespaces: frozenset[str] | None
) -> list[K8sObject]:
    """Core Services whose own labels the selector matches (what a ServiceMonitor selects)."""
    return _memo(
        bundle,
        "select-services",
        (selector, namespaces),
        lambda: _select_services(bundle, selector, namespaces),
    )


def _select_services(
    bundle: Bundle, selector: Selector, namespaces: frozenset[str] | None
) -> list[K8sObject]:
    hits = bundle.select(selector, ("Service",), None, service_labels, "monitoring:services")
    return [svc for svc in hits if namespace_matches(svc, namespaces)]


def may_match(selector: Selector, labels: Mapping[str, str], obj: K8sObject) -> bool:
    """Whether pods of `obj` may match once its controller has added its own labels."""
    for key, value in selector.match_labels:
        if labels.get(key) != value and not injected(obj, key):
            return False
    for key, operator, values in selector.expressions:
        if Selector((), ((key, operator, values),)).matches(labels):
            continue
        if operator in ("In", "Exists") and key not in labels and injected(obj, key):
            continue
        return False
    return True


def _relaxed(selector: Selector, kind: str) -> Selector:
    """The selector without the requirements the controller of `kind` may satisfy."""
    return Selector(
        tuple(p for p in selector.match_labels if not _injected_for(kind, p[0])),
        tuple(e for e in selector.expressions if not _injected_for(kind, e[0])),
    )


_OPERATOR_KINDS = frozenset(_KIND_PREFIXES) | frozenset(_KIND_KEYS)


def _kind_labels(obj: K8sObject) -> list[Mapping[str, str]]:
    return [{"kind": _kind_key(obj)}]


_ANY_KIND = "*"
_SEARCH_KINDS = (*sorted(_OPERATOR_KINDS), _ANY_KIND)


def select_workloads(
    bundle: Bundle, selector: Selector, namespaces: frozenset[str] | None
) -> list[K8sObject]:
    """Workloads with a pod template whose pods the selector matches or may match.

    The literal match uses the label index; each controller's relaxed selector (without the
    keys it adds) uses it again, restricted to that controller's kinds, so a selector on `app`
    only widens the search to the KServe and Knative objects, never to every workload. The
    answer is kept per distinct selector and namespaces: copies of a chart ask the same.
    """
    return _memo(
        bundle,
        "select-workloads",
        (selector, namespaces),
        lambda: _select_workloads(bundle, selector, namespaces),
    )


def _select_workloads(
    bundle: Bundle, selector: Selector, namespaces: frozenset[str] | None
) -> list[K8sObject]:
    def labels_of(obj: K8sObject) -> list[Mapping[str, str]]:
        return [template_labels(obj, t) for t in bundle.templates(obj)]

    hits = bundle.select(selector, POD_KINDS, None, labels_of, "monitoring:pods")
    seen = {id(obj) for obj in hits}
    keys = {key for key, _ in selector.match_labels} | {e[0] for e in selector.expressions}
    for kind in _SEARCH_KINDS:
        if not any(_injected_for(kind, key) for key in keys):
            continue  # nothing the controller adds: the literal match above is the answer
        relaxed = _relaxed(selector, kind)
        if relaxed == selector:
            continue
        if relaxed.match_labels or kind == _ANY_KIND:
            candidates = bundle.select(relaxed, POD_KINDS, None, labels_of, "monitoring:pods")
        else:  # every object of that kind, found through an index of kinds
            by_kind = Selector((("kind", kind),))
            candidates = bundle.select(by_kind, POD_KINDS, None, _kind_labels, "monitoring:kinds")
        for obj in candidates:
            own = _kind_key(obj)
            mine = own not in _OPERATOR_KINDS if kind == _ANY_KIND else own == kind
            if not mine or id(obj) in seen:
                continue
            if any(may_match(selector, lb, obj) for lb in labels_of(obj)):
                seen.add(id(obj))
                hits.append(obj)
    return [obj for obj in hits if namespace_matches(obj, namespaces)]


def service_workloads(bundle: Bundle, service: K8sObject) -> list[K8sObject] | None:
    """The workloads a Service's `spec.selector` sends traffic to; None when it cannot tell.

    Several MET rules ask this of every Service, so the answer is kept for the run.
    """
    return bundle.cached(
        f"monitoring:service-workloads:{id(service)}", lambda: _service_workloads(bundle, service)
    )


def _service_workloads(bundle: Bundle, service: K8sObject) -> list[K8sObject] | None:
    raw = service.spec.get("selector")
    if not isinstance(raw, Mapping) or not raw or _has_unresolved(raw):
        return None
    selector = Selector.parse(raw, plain_map=True)
    assert selector is not None
    namespaces = None if service.namespace is None else frozenset({service.namespace})
    return select_workloads(bundle, selector, namespaces)


# ---------------------------------------------------------------- monitors


@record(frozen=True)
class Endpoint:
    path: YamlPath
    data: JsonMap


@record(frozen=True)
class Monitor:
    obj: K8sObject
    selects_services: bool
    selector: Selector | None
    """None when malformed or not rendered: the monitor may select anything."""
    namespaces: frozenset[str] | None
    """None: any namespace (`any: true`, a cluster-scoped kind, or an unknown own namespace)."""
    endpoints: tuple[Endpoint, ...]

    @property
    def target(self) -> str:
        return "Service" if self.selects_services else "pod"

    @property
    def provider_specific(self) -> bool:
        return self.obj.group == GMP_GROUP


def _namespaces(obj: K8sObject) -> frozenset[str] | None:
    if obj.kind == "ClusterPodMonitoring":
        return None
    raw = as_map(obj.spec.get("namespaceSelector"))
    if raw.get("any") is True or _has_unresolved(raw):
        return None
    names = frozenset(str(n) for n in as_list(raw.get("matchNames")) if n)
    if names:
        return names
    return frozenset({obj.namespace}) if obj.namespace else None


def as_monitor(obj: K8sObject) -> Monitor | None:
    """A view of a ServiceMonitor, PodMonitor or GKE PodMonitoring; None for anything else."""
    if obj.group in MONITOR_GROUPS and obj.kind in ("ServiceMonitor", "PodMonitor"):
        services = obj.kind == "ServiceMonitor"
        key = "endpoints" if services else "podMetricsEndpoints"
    elif obj.group == GMP_GROUP and obj.kind in GMP_POD_KINDS:
        services, key = False, "endpoints"
    else:
        return None
    raw = obj.spec.get("selector", {})
    selector = None if _has_unresolved(raw) else Selector.parse(raw)
    endpoints = tuple(
        Endpoint(("spec", key, i), item)
        for i, item in enumerate(as_list(obj.spec.get(key)))
        if isinstance(item, Mapping)
    )
    return Monitor(obj, services, selector, _namespaces(obj), endpoints)


def monitors(bundle: Bundle, provider: bool = True) -> Iterator[Monitor]:
    """Every monitor of the run, parsed once and shared by the MET rules."""
    return iter(
        bundle.cached(f"monitoring:monitors:{provider}", lambda: _monitors(bundle, provider))
    )


def _monitors(bundle: Bundle, provider: bool) -> list[Monitor]:
    kinds = ("ServiceMonitor", "PodMonitor", *(GMP_POD_KINDS if provider else ()))
    found = (as_monitor(obj) for obj in bundle.of_kind(*kinds))
    return [monitor for monitor in found if monitor is not None]


def monitor_targets(bundle: Bundle, monitor: Monitor) -> list[K8sObject]:
    """Services (ServiceMonitor) or workloads (pod monitors) the monitor selects."""
    return _memo(
        bundle, "monitor-targets", id(monitor.obj), lambda: _monitor_targets(bundle, monitor)
    )


def _monitor_targets(bundle: Bundle, monitor: Monitor) -> list[K8sObject]:
    if monitor.selector is None:
        return []
    if monitor.selects_services:
        return select_services(bundle, monitor.selector, monitor.namespaces)
    return select_workloads(bundle, monitor.selector, monitor.namespaces)


def _namespace_set(obj: K8sObject) -> frozenset[str] | None:
    return frozenset({obj.namespace}) if obj.namespace else None


def sure_service_workloads(bundle: Bundle, service: K8sObject) -> list[K8sObject]:
    """The Service's workloads when at least one of them surely sits behind it, else none."""
    return _memo(
        bundle,
        "sure-service-workloads",
        id(service),
        lambda: _sure_service_workloads(bundle, service),
    )


def _sure_service_workloads(bundle: Bundle, service: K8sObject) -> list[K8sObject]:
    found = service_workloads(bundle, service) or []
    if any(definite(bundle, service, w, _namespace_set(service)) for w in found):
        return found
    return []


def sure_targets(bundle: Bundle, monitor: Monitor) -> list[K8sObject]:
    """`monitor_targets` when at least one of them is surely meant, else none."""
    return _memo(bundle, "sure-targets", id(monitor.obj), lambda: _sure_targets(bundle, monitor))


def _sure_targets(bundle: Bundle, monitor: Monitor) -> list[K8sObject]:
    found = monitor_targets(bundle, monitor)
    if any(definite(bundle, monitor.obj, t, monitor.namespaces) for t in found):
        return found
    return []


def reached_workloads(bundle: Bundle, monitor: Monitor) -> list[K8sObject]:
    """Workloads whose pods the monitor surely scrapes, through its Services if need be."""
    return bundle.cached(
        f"monitoring:reached:{id(monitor.obj)}", lambda: _reached_workloads(bundle, monitor)
    )


def _reached_workloads(bundle: Bundle, monitor: Monitor) -> list[K8sObject]:
    targets = sure_targets(bundle, monitor)
    if not monitor.selects_services:
        return targets
    # Monitors with the same selector share one target list (`select_services` is memoized
    # by value), and so do Services with the same selector: each distinct list is walked once.
    return _memo(bundle, "behind-services", id(targets), lambda: _behind(bundle, targets))


def _behind(bundle: Bundle, services: list[K8sObject]) -> list[K8sObject]:
    """The workloads surely behind the Services, each once, in order of first appearance."""
    found: list[K8sObject] = []
    seen_lists: set[int] = set()
    seen: set[int] = set()
    for service in services:
        workloads = sure_service_workloads(bundle, service)
        if id(workloads) in seen_lists:
            continue
        seen_lists.add(id(workloads))
        for workload in workloads:
            if id(workload) not in seen:
                seen.add(id(workload))
                found.append(workload)
    return found


def scraped_workloads(bundle: Bundle) -> set[int]:
    """`id()`s of workloads a monitor or a Service scrape annotation covers."""
    return bundle.cached("monitoring:scraped", lambda: _scraped_workloads(bundle))


def _scraped_workloads(bundle: Bundle) -> set[int]:
    covered: set[int] = set()
    added: set[int] = set()  # ids of the (memoized, run-long) lists already counted

    def cover(workloads: list[K8sObject] | None) -> None:
        if workloads is not None and id(workloads) not in added:
            added.add(id(workloads))
            covered.update(id(o) for o in workloads)

    for monitor in monitors(bundle):
        if monitor.selector is None:
            selector = Selector()  # unknown: assume it may select every pod it can see
            cover(select_workloads(bundle, selector, monitor.namespaces))
        elif monitor.selects_services:
            services = monitor_targets(bundle, monitor)
            if id(services) not in added:  # monitors with one selector share the list
                added.add(id(services))
                for service in services:
                    cover(service_workloads(bundle, service))
        else:
            cover(monitor_targets(bundle, monitor))
    for service in core_services(bundle):
        if service.annotations.get(SCRAPE_ANNOTATION, "").lower() == "true":
            cover(service_workloads(bundle, service))
    return covered


# ---------------------------------------------------------------- ports


@record(frozen=True)
class ContainerPort:
    container: str
    name: str | None
    number: int | None


def container_ports(template: PodTemplate) -> list[ContainerPort]:
    """Declared ports of every container, init containers included (sidecars serve too)."""
    found: list[ContainerPort] = []
    for container in template.containers:
        for port in as_list(container.data.get("ports")):
            port_map = as_map(port)
            number = port_map.get("containerPort")
            name = as_str(port_map.get("name"))
            found.append(
                ContainerPort(
                    container.name,
                    name or None,
                    number if isinstance(number, int) and not isinstance(number, bool) else None,
                )
            )
    return found


def workload_ports(bundle: Bundle, objs: Iterable[K8sObject]) -> list[ContainerPort] | None:
    """Ports of all pods of `objs`; None when an operator may add ports we cannot see."""
    found: list[ContainerPort] = []
    for obj in objs:
        if not ports_reliable(obj):
            return None
        for template in bundle.templates(obj):
            found.extend(container_ports(template))
    return found


def service_port_names(service: K8sObject) -> list[str]:
    return [
        str(as_map(p).get("name"))
        for p in as_list(service.spec.get("ports"))
        if as_map(p).get("name")
    ]
