"""NET006."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from aiconf_lint.k8s.bundle import Bundle
from aiconf_lint.k8s.objects import K8sObject, as_list, as_map
from aiconf_lint.model import Severity, Violation, YamlPath
from aiconf_lint.rule import Context, Rule
from aiconf_lint.rules.net._gateway import backend_refs, core_services, pools, routes
from aiconf_lint.rules.net._pods import select_workloads, server_of, service_workloads


def _routed(bundle: Bundle) -> set[int]:
    """`id()`s of workloads a Gateway route reaches, through a Service or an InferencePool."""
    reached: set[int] = set()
    for pool in pools(bundle):
        if pool.selector is not None:
            namespaces = frozenset({pool.obj.namespace}) if pool.obj.namespace else None
            reached.update(id(o) for o in select_workloads(bundle, pool.selector, namespaces))
    seen: set[int] = set()  # copies of a route all name the same Services
    for route in routes(bundle):
        for ref in backend_refs(route):
            if not ref.is_service:
                continue
            for service in core_services(bundle, route, ref.name, ref.namespace):
                if id(service) not in seen:
                    seen.add(id(service))
                    reached.update(id(o) for o in service_workloads(bundle, service) or ())
    return reached


def _ingress_services(ingress: K8sObject) -> Iterator[tuple[YamlPath, str]]:
    default = as_map(as_map(ingress.spec.get("defaultBackend")).get("service")).get("name")
    if isinstance(default, str) and default:
        yield ("spec", "defaultBackend", "service", "name"), default
    for i, rule in enumerate(as_list(ingress.spec.get("rules"))):
        paths = as_list(as_map(as_map(rule).get("http")).get("paths"))
        for j, item in enumerate(paths):
            name = as_map(as_map(as_map(item).get("backend")).get("service")).get("name")
            if isinstance(name, str) and name:
                yield ("spec", "rules", i, "http", "paths", j, "backend", "service", "name"), name


def _servers(bundle: Bundle, service: K8sObject, routed: set[int]) -> list[K8sObject]:
    """The unrouted model servers behind a Service, found once per Service and run (every
    Ingress path naming it asks again; `routed` is the run's, so one answer per Service)."""
    return bundle.per_object("net006:servers", service, partial(_unrouted, bundle, routed))


def _unrouted(bundle: Bundle, routed: set[int], service: K8sObject) -> list[K8sObject]:
    return [
        w
        for w in service_workloads(bundle, service) or ()
        if id(w) not in routed and server_of(bundle, w) is not None
    ]


def _describe(bundle: Bundle, workloads: list[K8sObject]) -> str:
    first = workloads[0]
    server = server_of(bundle, first)
    assert server is not None
    return f"{first.kind} `{first.name}` ({server.name})"


class InferenceServerWithoutRoute(Rule):
    """## What it does
    Reports, as information, a model server (vLLM, SGLang, Triton, TGI, NIM, ... recognised
    by entry point or image) reachable from outside only through an `Ingress` or a
    `type: LoadBalancer` Service, with no Gateway API route (`HTTPRoute`, `GRPCRoute`,
    `AIGatewayRoute`) or `InferencePool` in the run that reaches the same pods.

    ## Why is this bad?
    The `ai_inference` requirement is met with the Gateway API: weighted traffic splitting
    between model versions and routing on OpenAI headers (the model name) are route
    features. An Ingress or a bare load balancer can do neither portably, so a canary or a
    second model means a new endpoint. This is information: the server works, but it is not
    served the way the profile describes.

    ## Example
    ```yaml
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: vllm}
    spec:
      selector: {matchLabels: {app: vllm}}
      template:
        metadata: {labels: {app: vllm}}
        spec:
          containers:
            - name: vllm
              image: vllm/vllm-openai:v0.8.5
              ports: [{containerPort: 8000}]
    ---
    apiVersion: v1
    kind: Service
    metadata: {name: vllm}
    spec:
      type: LoadBalancer
      selector: {app: vllm}
      ports: [{port: 8000}]
    ```

    Use instead:
    ```yaml
    apiVersion: v1
    kind: Service
    metadata: {name: vllm}
    spec:
      selector: {app: vllm}
      ports: [{port: 8000}]
    ---
    apiVersion: gateway.networking.k8s.io/v1
    kind: HTTPRoute
    metadata: {name: vllm}
    spec:
      parentRefs: [{name: inference-gateway}]
      rules:
        - backendRefs: [{name: vllm, port: 8000}]
    ```

    ## References
    - https://gateway-api.sigs.k8s.io/guides/traffic-splitting/
    - https://gateway-api.sigs.k8s.io/guides/migrating-from-ingress/
    """

    code = "NET006"
    name = "inference-server-without-route"
    summary = "A model server is exposed only by an Ingress or LoadBalancer, with no route"
    severity = Severity.INFO
    requirements = ("ai_inference",)

    def check_bundle(self, ctx: Context) -> Iterator[tuple[K8sObject, Violation]]:
        bundle = ctx.bundle
        routed = _routed(bundle)
        for service in bundle.of_kind("Service"):
            if service.group != "" or service.spec.get("type") != "LoadBalancer":
                continue
            servers = _servers(bundle, service, routed)
            if servers:
                yield (
                    service,
                    Violation(
                        f"Service `{service.name}` exposes {_describe(bundle, servers)} through a "
                        "load balancer, and no Gateway route in the run reaches it; serve it "
                        "through a Gateway API route for traffic splitting and model routing",
                        ("spec", "type"),
                    ),
                )
        for ingress in bundle.of_kind("Ingress"):
            if ingress.group != "networking.k8s.io":
                continue
            for path, name in _ingress_services(ingress):
                # The first Service of that name with unrouted servers names the server; the
                # run may hold many (copies of a chart), so the rest are not listed.
                servers = next(
                    (
                        found
                        for s in core_services(bundle, ingress, name, None)
                        if (found := _servers(bundle, s, routed))
                    ),
                    [],
                )
                if servers:
                    yield (
                        ingress,
                        Violation(
                            f"Ingress `{ingress.name}` exposes {_describe(bundle, servers)} "
                            "through Service "
                            f"`{name}`, and no Gateway route in the run reaches it; serve it "
                            "through a Gateway API route for traffic splitting and model routing",
                            path,
                        ),
                    )
