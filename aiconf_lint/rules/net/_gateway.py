"""Gateway API routes and Inference Extension pools, read once per run for the NET rules.

Field names follow the published schemas, checked against the CRDs:

- Gateway API `HTTPRoute`/`GRPCRoute` (`gateway.networking.k8s.io`): `spec.parentRefs[]`
  (`group` default `gateway.networking.k8s.io`, `kind` default `Gateway`, `name`,
  `namespace`) and `spec.rules[].backendRefs[]` (`group` default "", `kind` default
  `Service`, `name`, `namespace`, `port`, `weight` default 1).
- Envoy AI Gateway `AIGatewayRoute` (`aigateway.envoyproxy.io`) has the same `parentRefs`; its
  `backendRefs` default to its own `AIServiceBackend` and may name an `InferencePool`.
- GAIE `InferencePool` `inference.networking.k8s.io/v1`: `spec.selector.matchLabels`,
  `spec.targetPorts[].number`, `spec.endpointPickerRef` {`name`, `kind` default `Service`,
  `group` default "", `port.number`, `failureMode`}; the pre-GA
  `inference.networking.x-k8s.io/v1alpha2`: `spec.selector` (a bare label map),
  `spec.targetPortNumber`, `spec.extensionRef` {`name`, `kind`, `group`, `portNumber`,
  `failureMode`}, whose port implementations infer as 9002 when unset.

A reference that resolves to nothing is reported only with evidence that its target was meant
to ship in the same run (see `absent_with_evidence`), because routes and pools routinely
point at objects another chart installs.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from pathlib import PurePosixPath

from aiconf_lint.k8s.bundle import Bundle, Selector
from aiconf_lint.k8s.objects import JsonMap, K8sObject, as_list, as_map
from aiconf_lint.k8s.quantity import is_unresolved, parse_int
from aiconf_lint.model import YamlPath
from aiconf_lint.records import record

GATEWAY_GROUP = "gateway.networking.k8s.io"
POOL_GROUP = "inference.networking.k8s.io"
"""The GA Inference Extension group (`v1`)."""
PRE_GA_POOL_GROUP = "inference.networking.x-k8s.io"
"""The experimental group: `v1alpha1`/`v1alpha2` pools and models, later objectives."""
POOL_GROUPS = frozenset({POOL_GROUP, PRE_GA_POOL_GROUP})
AI_GATEWAY_GROUP = "aigateway.envoyproxy.io"
ROUTE_KINDS = ("HTTPRoute", "GRPCRoute")
DEFAULT_PICKER_PORT = 9002
"""What v1alpha2 implementations infer for an `extensionRef` Service without `portNumber`."""
KSERVE_LLM_KIND = "LLMInferenceService"
NEAR_MISS = 0.8
"""Name similarity (difflib ratio) above which a neighbour is taken for the intended target."""


@record(frozen=True)
class Ref:
    """One `parentRefs`/`backendRefs` entry with the API defaults filled in."""

    path: YamlPath
    group: str
    kind: str
    name: str
    namespace: str | None
    """As written; None means the route's own namespace."""
    port: object
    weight: object
    data: JsonMap

    @property
    def is_service(self) -> bool:
        return self.group == "" and self.kind == "Service"

    @property
    def is_pool(self) -> bool:
        return self.kind == "InferencePool" and self.group in POOL_GROUPS

    def identity(self) -> tuple[str, str, str, str | None, int | str | None]:
        """What makes two entries the same backend (hashable whatever `port` holds)."""
        number = parse_int(self.port)
        port = number if number is not None else None if self.port is None else repr(self.port)
        return (self.group, self.kind, self.name, self.namespace, port)


def is_route(obj: K8sObject) -> bool:
    if obj.group == GATEWAY_GROUP:
        return obj.kind in ROUTE_KINDS
    return obj.group == AI_GATEWAY_GROUP and obj.kind == "AIGatewayRoute"


def routes(bundle: Bundle) -> list[K8sObject]:
    return bundle.cached(
        "net:routes",
        lambda: [o for o in bundle.of_kind(*ROUTE_KINDS, "AIGatewayRoute") if is_route(o)],
    )


def _ref(path: YamlPath, raw: JsonMap, group: str, kind: str) -> Ref | None:
    name = raw.get("name")
    if not isinstance(name, str) or not name or is_unresolved(name):
        return None
    raw_group, raw_kind, namespace = raw.get("group"), raw.get("kind"), raw.get("namespace")
    if any(is_unresolved(v) for v in (raw_group, raw_kind, namespace)):
        return None
    return Ref(
        path,
        group if raw_group is None else str(raw_group),
        kind if raw_kind is None else str(raw_kind),
        name,
        str(namespace) if namespace else None,
        raw.get("port"),
        raw.get("weight"),
        raw,
    )


def parent_refs(route: K8sObject) -> list[Ref]:
    found = []
    for i, item in enumerate(as_list(route.spec.get("parentRefs"))):
        ref = _ref(("spec", "parentRefs", i), as_map(item), GATEWAY_GROUP, "Gateway")
        if ref is not None:
            found.append(ref)
    return found


def backend_rules(route: K8sObject) -> Iterator[tuple[YamlPath, list[Ref]]]:
    """Each rule's `backendRefs`, with the defaults of the route's own API."""
    if route.group == AI_GATEWAY_GROUP:
        group, kind = AI_GATEWAY_GROUP, "AIServiceBackend"
    else:
        group, kind = "", "Service"
    for i, rule in enumerate(as_list(route.spec.get("rules"))):
        refs = []
        for j, item in enumerate(as_list(as_map(rule).get("backendRefs"))):
            ref = _ref(("spec", "rules", i, "backendRefs", j), as_map(item), group, kind)
            if ref is not None:
                refs.append(ref)
        yield ("spec", "rules", i, "backendRefs"), refs


def backend_refs(route: K8sObject) -> Iterator[Ref]:
    for _, refs in backend_rules(route):
        yield from refs


# ---------------------------------------------------------------- pools


@record(frozen=True)
class PickerRef:
    path: YamlPath
    name: str
    kind: str
    group: str
    port: int | None
    port_path: YamlPath | None
    """Where the port is written; None when it is left to the v1alpha2 default."""


@record(frozen=True)
class Pool:
    obj: K8sObject
    ga: bool
    """`inference.networking.k8s.io/v1` (True) or the pre-GA shape (False)."""
    selector: Selector | None
    """None when absent, malformed or not rendered."""
    selector_path: YamlPath
    target_ports: tuple[tuple[YamlPath, int], ...]
    picker: PickerRef | None


def _selector(obj: K8sObject, ga: bool) -> tuple[Selector | None, YamlPath]:
    raw = obj.spec.get("selector")
    labels = as_map(raw).get("matchLabels") if ga else raw
    path: YamlPath = ("spec", "selector", "matchLabels") if ga else ("spec", "selector")
    if not isinstance(labels, dict) or not labels:
        return None, ("spec", "selector")
    if any(is_unresolved(k) or is_unresolved(v) for k, v in labels.items()):
        return None, path
    return Selector.parse(labels, plain_map=True), path


def _ports(obj: K8sObject, ga: bool) -> tuple[tuple[YamlPath, int], ...]:
    if not ga:
        number = parse_int(obj.spec.get("targetPortNumber"))
        return ((("spec", "targetPortNumber"), number),) if number is not None else ()
    found = []
    for i, item in enumerate(as_list(obj.spec.get("targetPorts"))):
        number = parse_int(as_map(item).get("number"))
        if number is not None:
            found.append((("spec", "targetPorts", i, "number"), number))
    return tuple(found)


def _picker(obj: K8sObject, ga: bool) -> PickerRef | None:
    key = "endpointPickerRef" if ga else "extensionRef"
    raw = obj.spec.get(key)
    if not isinstance(raw, dict):
        return None
    name = raw.get("name")
    if not isinstance(name, str) or not name or is_unresolved(name):
        return None
    path: YamlPath = ("spec", key)
    port_path: YamlPath | None
    if ga:
        port = parse_int(as_map(raw.get("port")).get("number"))
        port_path = (*path, "port", "number") if "port" in raw else None
    elif "portNumber" in raw:
        port, port_path = parse_int(raw.get("portNumber")), (*path, "portNumber")
    else:
        port, port_path = DEFAULT_PICKER_PORT, None
    return PickerRef(
        path,
        name,
        str(raw.get("kind") or "Service"),
        str(raw.get("group") or ""),
        port,
        port_path,
    )


def as_pool(obj: K8sObject) -> Pool | None:
    if obj.kind != "InferencePool" or obj.group not in POOL_GROUPS:
        return None
    ga = obj.group == POOL_GROUP
    selector, selector_path = _selector(obj, ga)
    return Pool(obj, ga, selector, selector_path, _ports(obj, ga), _picker(obj, ga))


def pools(bundle: Bundle) -> list[Pool]:
    return bundle.cached(
        "net:pools",
        lambda: [p for p in (as_pool(o) for o in bundle.of_kind("InferencePool")) if p],
    )


# ---------------------------------------------------------------- references


def _namespace_fits(obj: K8sObject, wanted: str | None) -> bool:
    """An object or a reference without a namespace may end up in any namespace."""
    return wanted is None or obj.namespace is None or obj.namespace == wanted


def resolve(
    bundle: Bundle, source: K8sObject, kind: str, groups: frozenset[str], name: str, ns: str | None
) -> list[K8sObject]:
    """Objects a reference from `source` may resolve to (its namespace when `ns` is unset)."""
    wanted = ns or source.namespace
    return [
        obj
        for obj in bundle.named(kind, name)
        if obj.group in groups and _namespace_fits(obj, wanted)
    ]


def sure_namespace(source: K8sObject, target: K8sObject, ns: str | None) -> bool:
    """Whether `target` surely is what `source` references: both placed, or shipped together."""
    wanted = ns or source.namespace
    if wanted is not None and target.namespace is not None:
        return wanted == target.namespace
    return shipped_together(source, target) or same_folder(source, target)


def _chart(obj: K8sObject) -> str | None:
    return obj.doc.origin.split("/", 1)[0] if obj.doc.origin else None


def shipped_together(a: K8sObject, b: K8sObject) -> bool:
    """Same file or same Helm chart: the author wrote both as one unit."""
    if a.file == b.file:
        return True
    chart = _chart(a)
    return chart is not None and chart == _chart(b)


def same_folder(a: K8sObject, b: K8sObject) -> bool:
    return PurePosixPath(a.file).parent == PurePosixPath(b.file).parent


def generated(bundle: Bundle, source: K8sObject, name: str) -> bool:
    """Whether an operator object of the run creates an object called `name` at run time.

    KServe's `LLMInferenceService` `x` creates `x-inference-pool`, its endpoint-picker Service
    and workload Services, all named with the `x-` prefix.
    """
    return any(
        _namespace_fits(llm, source.namespace) and name.startswith(f"{llm.name}-")
        for llm in bundle.of_kind(KSERVE_LLM_KIND)
    )


@record(frozen=True)
class Evidence:
    reason: str
    near: K8sObject | None = None


def absent_with_evidence(
    bundle: Bundle, source: K8sObject, kind: str, groups: frozenset[str], name: str
) -> Evidence | None:
    """Why a missing `kind` `name` is a mistake rather than another chart's job, if it is.

    The evidence is an object of that kind, shipped in the source's file, chart or folder,
    whose name is a near miss of the reference (a typo, a rename half done). That the file
    merely ships other objects of the kind proves nothing: routes and pools often mix local
    backends with shared ones. Objects an operator of the run generates are never missing.
    """
    if generated(bundle, source, name):
        return None
    near: K8sObject | None = None
    best = 0.0
    matcher = difflib.SequenceMatcher(None, "", name)  # caches what it learns about `name`
    compared: set[str] = set()  # a name scores the same on every copy; the first copy wins
    for obj in _related_of_kind(bundle, source, kind):
        if obj.group not in groups:
            continue
        if obj.name == name:
            if not shipped_together(source, obj):
                continue  # a folder of examples may hold the same name for other namespaces
            where = obj.namespace or bundle.default_namespace
            return Evidence(f"{kind} `{name}` next to it is in namespace `{where}`", obj)
        if obj.name in compared:
            continue
        compared.add(obj.name)
        matcher.set_seq1(obj.name)
        if matcher.real_quick_ratio() < NEAR_MISS or matcher.quick_ratio() < NEAR_MISS:
            continue  # cheap upper bounds rule most names out before the full comparison
        ratio = matcher.ratio()
        if ratio > best:
            best, near = ratio, obj
    if near is None or best < NEAR_MISS:
        return None
    return Evidence(f"{kind} `{near.name}` is next to it", near)


def _places(obj: K8sObject) -> list[tuple[str, str]]:
    places = [("file", obj.file), ("folder", str(PurePosixPath(obj.file).parent))]
    chart = _chart(obj)
    if chart is not None:
        places.append(("chart", chart))
    return places


def _by_place(bundle: Bundle, kind: str) -> dict[tuple[str, str], list[K8sObject]]:
    index: dict[tuple[str, str], list[K8sObject]] = {}
    for obj in bundle.of_kind(kind):
        for place in _places(obj):
            index.setdefault(place, []).append(obj)
    return index


def _related_of_kind(bundle: Bundle, source: K8sObject, kind: str) -> Iterator[K8sObject]:
    """Objects of `kind` in the file, chart or folder of `source`, each once.

    `Bundle.related_sources` walks every neighbour; references ask for one kind, so this
    index by kind and place keeps a folder of many routes and pools linear.
    """
    index = bundle.cached(f"net:by-place:{kind}", lambda: _by_place(bundle, kind))
    seen = {id(source)}
    for place in _places(source):
        for obj in index.get(place, ()):
            if id(obj) not in seen:
                seen.add(id(obj))
                yield obj


def service_ports(service: K8sObject) -> list[int]:
    found = []
    for item in as_list(service.spec.get("ports")):
        number = parse_int(as_map(item).get("port"))
        if number is not None:
            found.append(number)
    return found


def core_services(bundle: Bundle, source: K8sObject, name: str, ns: str | None) -> list[K8sObject]:
    return resolve(bundle, source, "Service", frozenset({""}), name, ns)
