"""Evidence for the networking requirements: Gateway API routing, the Inference Extension,
secondary networks, and disaggregated (prefill/decode) serving.

Detected from the objects themselves, not from NET rules: a `Gateway`, an `HTTPRoute` attached
to it whose rules split traffic by weight or match on headers, an `InferencePool` and the route
that sends traffic to it, NetworkAttachmentDefinitions and RDMA/SR-IOV resources, and workloads
labelled or started as prefill and decode instances.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from aiconf_lint.k8s.accelerator_use import describe
from aiconf_lint.k8s.bundle import Selector
from aiconf_lint.k8s.dra import CLAIM_KINDS, DRA_GROUP, exact_views
from aiconf_lint.k8s.inference_servers import command_line
from aiconf_lint.k8s.monitoring import select_workloads
from aiconf_lint.k8s.objects import K8sObject, as_list, as_map
from aiconf_lint.k8s.workloads import PodTemplate
from aiconf_lint.report.model import Evidence, Facet
from aiconf_lint.report.probe import KindSignal, Probe

GATEWAY_GROUP = "gateway.networking.k8s.io"
ROUTE_KINDS = ("HTTPRoute", "GRPCRoute")
POOL_GROUPS = ("inference.networking.k8s.io", "inference.networking.x-k8s.io")
POOL_COMPANIONS = (
    KindSignal(POOL_GROUPS, ("InferenceObjective",), "InferenceObjective"),
    KindSignal(POOL_GROUPS, ("InferenceModel",), "InferenceModel"),
)
SECONDARY_NETWORKS = (
    KindSignal(("k8s.cni.cncf.io",), ("NetworkAttachmentDefinition",), "Multus network"),
    KindSignal(("mellanox.com",), ("NicClusterPolicy",), "NVIDIA Network Operator policy"),
    KindSignal(
        ("sriovnetwork.openshift.io",),
        ("SriovNetwork", "SriovNetworkNodePolicy", "SriovIBNetwork"),
        "SR-IOV network",
    ),
    KindSignal(("networking.gke.io",), ("Network", "GKENetworkParamSet"), "GKE multi-network"),
)
NETWORK_ANNOTATIONS = ("k8s.v1.cni.cncf.io/networks", "networking.gke.io/interfaces")
# Extended resources of high-performance NICs: RDMA shared devices, SR-IOV VFs, EFA, GKE NICs.
NETWORK_RESOURCES = re.compile(
    r"^(rdma/|nvidia\.com/(rdma|hostdev|sriov)|intel\.com/sriov|openshift\.io/|"
    r"vpc\.amazonaws\.com/efa|networking\.gke\.io\.networks/)"
)
NETWORK_CLASSES = re.compile(r"(^|\.)(dra\.net|dranet)|rdma|sriov|(^|[.-])nic([.-]|$)")
ROLE_LABELS = ("llm-d.ai/role", "app.kubernetes.io/component", "role", "component")
PREFILL_ARGS = re.compile(
    r"--disaggregation-mode[= ]prefill|kv_producer|--is-prefill-worker|--prefill\b"
)
DECODE_ARGS = re.compile(r"--disaggregation-mode[= ]decode|kv_consumer|--is-decode-worker")


def ai_inference(probe: Probe) -> list[Facet]:
    gateways = Facet("Gateway", "a Gateway API `Gateway` (with its GatewayClass' implementation)")
    routes = Facet("routes", "an `HTTPRoute` whose `parentRefs` names the Gateway")
    advanced = Facet(
        "weighted or header-based routing",
        "an `HTTPRoute` rule with weighted `backendRefs` or `matches[].headers`",
    )
    names = set()
    for obj in probe.bundle.of_kind("Gateway"):
        if obj.group == GATEWAY_GROUP:
            names.add((probe.bundle.namespace_of(obj), obj.name))
            cls = obj.spec.get("gatewayClassName")
            gateways.evidence.append(probe.evidence(obj, f"Gateway `{obj.name}` (class `{cls}`)"))
    for route in _routes(probe):
        parents = [as_map(p) for p in as_list(route.spec.get("parentRefs"))]
        attached = [
            str(p.get("name"))
            for p in parents
            if p.get("kind", "Gateway") == "Gateway"
            and (str(p.get("namespace") or probe.bundle.namespace_of(route)), str(p.get("name")))
            in names
        ]
        if attached:
            note = f"{route.kind} `{route.name}` attaches to Gateway `{attached[0]}`"
            routes.evidence.append(probe.evidence(route, note, ("spec", "parentRefs")))
        advanced.evidence.extend(_advanced_rules(probe, route))
    return [gateways, routes, advanced]


def advanced_inference_ingress(probe: Probe) -> list[Facet]:
    pools = Facet(
        "InferencePool",
        "an `InferencePool` (`inference.networking.k8s.io/v1`) selecting the model server pods",
    )
    routed = Facet("route to the pool", "an `HTTPRoute` with a `backendRefs[].kind: InferencePool`")
    extras = Facet(
        "endpoint picker and objectives",
        "an endpoint picker (`endpointPickerRef`) and InferenceObjectives",
        required=False,
    )
    for obj in probe.bundle.of_kind("InferencePool"):
        if obj.group in POOL_GROUPS:
            pools.evidence.append(probe.evidence(obj, _pool_note(probe, obj)))
            for field in ("endpointPickerRef", "extensionRef"):
                if isinstance(obj.spec.get(field), dict):
                    note = f"InferencePool `{obj.name}` names an endpoint picker"
                    extras.evidence.append(probe.evidence(obj, note, ("spec", field)))
    for obj in probe.bundle.of_kind("LLMInferenceService"):
        router = as_map(obj.spec.get("router"))
        if "scheduler" in router:
            note = f"LLMInferenceService `{obj.name}` has KServe create its InferencePool"
            pools.evidence.append(probe.evidence(obj, note, ("spec", "router", "scheduler")))
        if "route" in router and "gateway" in router:
            note = f"LLMInferenceService `{obj.name}` has KServe create its HTTPRoute"
            routed.evidence.append(probe.evidence(obj, note, ("spec", "router", "route")))
    extras.evidence.extend(probe.kind_evidence(POOL_COMPANIONS))
    for route in _routes(probe):
        for path, ref in _backend_refs(route):
            if ref.get("kind") != "InferencePool":
                continue
            pool = str(ref.get("name"))
            namespace = str(ref.get("namespace") or probe.bundle.namespace_of(route))
            if any(
                p.group in POOL_GROUPS for p in probe.bundle.get("InferencePool", namespace, pool)
            ):
                note = f"{route.kind} `{route.name}` sends traffic to InferencePool `{pool}`"
                routed.evidence.append(probe.evidence(route, note, path))
    return [pools, routed, extras]


def high_performance_networking(probe: Probe) -> list[Facet]:
    nics = Facet(
        "specialized network resources",
        "a DRA claim for NICs (e.g. DRANET), a Multus NetworkAttachmentDefinition with pods "
        "attached, or RDMA/SR-IOV resources",
    )
    nics.evidence.extend(probe.kind_evidence(SECONDARY_NETWORKS))
    for template in probe.templates():
        annotations = {**template.obj.annotations, **template.annotations}
        for key in NETWORK_ANNOTATIONS:
            if key in annotations:
                note = f"{describe(template)} attaches secondary networks (`{key}`)"
                path = (*template.metadata_path, "annotations", key)
                nics.evidence.append(probe.evidence(template.obj, note, path))
        for container in template.containers:
            found = _nic_resource("limits", container.limits) or _nic_resource(
                "requests", container.requests
            )
            if found is not None:
                section, name = found
                note = f"{describe(template)} requests NIC resource `{name}`"
                path = (*container.resources_path, section, name)
                nics.evidence.append(probe.evidence(template.obj, note, path))
    for obj in probe.bundle.of_kind("DeviceClass", *CLAIM_KINDS):
        if obj.group != DRA_GROUP:
            continue
        classes = [obj.name] if obj.kind == "DeviceClass" else []
        classes += [c for v in exact_views(obj) if (c := v.device_class)]
        if any(NETWORK_CLASSES.search(c) for c in classes):
            nics.evidence.append(probe.evidence(obj, f"{obj.kind} for network devices"))
    return [nics]


def disaggregated_inference(probe: Probe) -> list[Facet]:
    prefill = Facet("prefill instances", "a workload serving the prefill phase")
    decode = Facet("decode instances", "a separate workload serving the decode phase")
    for template in probe.templates():
        role = _phase(template)
        if role == "prefill":
            prefill.evidence.append(_phase_evidence(probe, template, role))
        elif role == "decode":
            decode.evidence.append(_phase_evidence(probe, template, role))
    for obj in probe.bundle.of_kind("DynamoGraphDeployment"):
        for name in as_map(obj.spec.get("services")):
            lowered = str(name).lower()
            for phase, facet in (("prefill", prefill), ("decode", decode)):
                if phase in lowered:
                    note = f"DynamoGraphDeployment `{obj.name}` service `{name}` ({phase})"
                    facet.evidence.append(
                        probe.evidence(obj, note, ("spec", "services", str(name)))
                    )
    return [prefill, decode]


# ------------------------------------------------------------------ helpers


def _nic_resource(section: str, values: Mapping[str, object]) -> tuple[str, str] | None:
    """The first NIC extended resource among `values` (one section of `resources`)."""
    for name in values:
        if NETWORK_RESOURCES.match(str(name)):
            return section, str(name)
    return None


def _routes(probe: Probe) -> Iterator[K8sObject]:
    for obj in probe.bundle.of_kind(*ROUTE_KINDS):
        if obj.group == GATEWAY_GROUP:
            yield obj


def _backend_refs(route: K8sObject) -> Iterator[tuple[tuple[str | int, ...], dict[str, object]]]:
    for i, rule in enumerate(as_list(route.spec.get("rules"))):
        for j, ref in enumerate(as_list(as_map(rule).get("backendRefs"))):
            if isinstance(ref, dict):
                yield ("spec", "rules", i, "backendRefs", j), ref


def _advanced_rules(probe: Probe, route: K8sObject) -> Iterator[Evidence]:
    for i, raw in enumerate(as_list(route.spec.get("rules"))):
        rule = as_map(raw)
        refs = [as_map(r) for r in as_list(rule.get("backendRefs"))]
        if len(refs) > 1 and any("weight" in r for r in refs):
            weights = "/".join(str(r.get("weight", 1)) for r in refs)
            note = f"{route.kind} `{route.name}` splits traffic by weight ({weights})"
            yield probe.evidence(route, note, ("spec", "rules", i, "backendRefs"))
        for j, match in enumerate(as_list(rule.get("matches"))):
            headers = [str(as_map(h).get("name")) for h in as_list(as_map(match).get("headers"))]
            if headers:
                shown = ", ".join(f"`{h}`" for h in headers)
                note = f"{route.kind} `{route.name}` routes on header {shown}"
                yield probe.evidence(route, note, ("spec", "rules", i, "matches", j, "headers"))


def _pool_note(probe: Probe, pool: K8sObject) -> str:
    raw = pool.spec.get("selector")
    structured = isinstance(raw, dict) and ("matchLabels" in raw or "matchExpressions" in raw)
    selector = Selector.parse(raw, plain_map=not structured)
    if selector is None or selector.empty:
        return f"InferencePool `{pool.name}`"
    namespaces = frozenset({pool.namespace}) if pool.namespace else None
    found = select_workloads(probe.bundle, selector, namespaces)
    if not found:
        return f"InferencePool `{pool.name}` (its selector matches no workload here)"
    return f"InferencePool `{pool.name}` selects {found[0].display()}"


def _phase(template: PodTemplate) -> str | None:
    for key in ROLE_LABELS:
        value = {**template.obj.labels, **template.labels}.get(key, "").lower()
        if value in ("prefill", "decode"):
            return value
    if template.role.startswith("prefill"):
        return "prefill"
    if template.obj.kind == "LLMInferenceService" and "prefill" in template.obj.spec:
        return "decode"  # the main template serves decode once a prefill section exists
    for container in template.containers:
        line = command_line(container.data)
        if PREFILL_ARGS.search(line):
            return "prefill"
        if DECODE_ARGS.search(line):
            return "decode"
    return None


def _phase_evidence(probe: Probe, template: PodTemplate, phase: str) -> Evidence:
    return probe.evidence(template.obj, f"{describe(template)} serves the {phase} phase")
