"""NET001."""

from __future__ import annotations

from collections.abc import Iterator

from aiconf_lint.k8s.bundle import Bundle
from aiconf_lint.k8s.objects import K8sObject
from aiconf_lint.k8s.quantity import is_unresolved, parse_int
from aiconf_lint.model import ObjectKey, Severity, Violation, YamlPath
from aiconf_lint.rule import Context, Rule
from aiconf_lint.rules.net._gateway import (
    GATEWAY_GROUP,
    POOL_GROUP,
    PRE_GA_POOL_GROUP,
    Ref,
    absent_with_evidence,
    backend_refs,
    core_services,
    parent_refs,
    resolve,
    routes,
    service_ports,
    sure_namespace,
)


def _where(route: K8sObject) -> str:
    return f"{route.kind} `{route.name}`"


def _listing(ports: list[int]) -> str:
    return ", ".join(str(p) for p in dict.fromkeys(ports)) or "none"


class RouteReferenceNotFound(Rule):
    """## What it does
    Checks the references of Gateway API routes (`HTTPRoute`, `GRPCRoute`, and Envoy AI
    Gateway's `AIGatewayRoute`): a `backendRefs` entry naming a `Service` or an
    `InferencePool`, or a `parentRefs` entry naming a `Gateway`, that is absent from the run
    while the route's file, chart or folder ships one of that kind with a near-identical name
    or the same name in another namespace; a `Service` backend without a `port`; a `port`
    the Service does not expose; an `InferencePool` backend whose API group does not match
    the pool's.
    Targets another chart installs, and objects an operator of the run creates (KServe's
    `LLMInferenceService` makes `<name>-inference-pool`), are not reported.

    ## Why is this bad?
    A route whose backend does not resolve gets `ResolvedRefs=False` and the gateway answers
    500 for every request it matches; a route whose parent does not exist is never attached
    and serves nothing. Neither shows up until traffic arrives. The `ai_inference`
    requirement is about exactly this path: a Gateway routing OpenAI-style requests to the
    model servers.

    ## Example
    ```yaml
    apiVersion: gateway.networking.k8s.io/v1
    kind: HTTPRoute
    metadata: {name: llm}
    spec:
      parentRefs: [{name: inference-gateway}]
      rules:
        - backendRefs:
            - {name: vllm, port: 8080}     # the Service listens on 8000
    ---
    apiVersion: v1
    kind: Service
    metadata: {name: vllm}
    spec:
      selector: {app: vllm}
      ports: [{name: http, port: 8000}]
    ```

    Use instead:
    ```yaml
          backendRefs:
            - {name: vllm, port: 8000}
    ```

    ## References
    - https://gateway-api.sigs.k8s.io/reference/spec/#httpbackendref
    - https://gateway-api-inference-extension.sigs.k8s.io/api-types/inferencepool/
    """

    code = "NET001"
    name = "route-reference-not-found"
    summary = "A route's backend or parent Gateway is missing from the run, or lacks the port"
    severity = Severity.ERROR
    requirements = ("ai_inference", "advanced_inference_ingress")

    def check_bundle(self, ctx: Context) -> Iterator[tuple[K8sObject, Violation]]:
        bundle = ctx.bundle
        for route in routes(bundle):
            for ref in backend_refs(route):
                if ref.is_service:
                    found = self._service(bundle, route, ref)
                elif ref.is_pool:
                    found = self._pool(bundle, route, ref)
                else:
                    continue
                if found is not None:
                    yield route, found
            for ref in parent_refs(route):
                if ref.group == GATEWAY_GROUP and ref.kind == "Gateway":
                    found = self._missing(bundle, route, ref, frozenset({GATEWAY_GROUP}), "parent")
                    if found is not None:
                        yield route, found

    @staticmethod
    def _missing(
        bundle: Bundle, route: K8sObject, ref: Ref, groups: frozenset[str], role: str
    ) -> Violation | None:
        if resolve(bundle, route, ref.kind, groups, ref.name, ref.namespace):
            return None
        evidence = absent_with_evidence(bundle, route, ref.kind, groups, ref.name)
        if evidence is None:
            return None
        related: tuple[tuple[ObjectKey, YamlPath, str], ...] = ()
        if evidence.near is not None:
            related = ((evidence.near.key, ("metadata", "name"), "a candidate"),)
        return Violation(
            f"{_where(route)} names {role} {ref.kind} `{ref.name}`, which is not in the run; "
            f"{evidence.reason}",
            (*ref.path, "name"),
            related_objects=related,
        )

    def _service(self, bundle: Bundle, route: K8sObject, ref: Ref) -> Violation | None:
        if ref.port is None:
            return Violation(
                f"A backend of {_where(route)} names Service `{ref.name}` without `port`; "
                "the Gateway API requires the Service port for a Service backend",
                ref.path,
            )
        missing = self._missing(bundle, route, ref, frozenset({""}), "backend")
        if missing is not None:
            return missing
        if is_unresolved(ref.port):
            return None
        port = parse_int(ref.port)
        sure = [
            s
            for s in core_services(bundle, route, ref.name, ref.namespace)
            if sure_namespace(route, s, ref.namespace)
        ]
        if port is None or not sure:
            return None
        ports = [p for s in sure for p in service_ports(s)]
        if port in ports:
            return None
        return Violation(
            f"{_where(route)} sends to port {port} of Service `{ref.name}`, which exposes "
            f"{_listing(ports)}",
            (*ref.path, "port"),
            related_objects=((sure[0].key, ("spec", "ports"), "the Service's ports"),),
        )

    def _pool(self, bundle: Bundle, route: K8sObject, ref: Ref) -> Violation | None:
        both = frozenset({POOL_GROUP, PRE_GA_POOL_GROUP})
        found = resolve(bundle, route, "InferencePool", both, ref.name, ref.namespace)
        if not found:
            return self._missing(bundle, route, ref, both, "backend")
        if ref.group == PRE_GA_POOL_GROUP or any(p.group == ref.group for p in found):
            return None  # a route still on the pre-GA group is NET007's
        other = found[0]
        return Violation(
            f"{_where(route)} names InferencePool `{ref.name}` in group `{ref.group}`, but the "
            f"pool of that name is `{other.api_version}`; the reference does not resolve until "
            "the pool is migrated (see NET007)",
            (*ref.path, "group") if "group" in ref.data else ref.path,
            related_objects=((other.key, ("apiVersion",), "the pool"),),
        )
