"""NET010."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial

from aiconf_lint.k8s.bundle import Bundle
from aiconf_lint.k8s.objects import K8sObject, as_list, as_map
from aiconf_lint.model import Severity, Violation, YamlPath
from aiconf_lint.rule import Context, Rule
from aiconf_lint.rules.net._gateway import (
    POOL_GROUPS,
    PRE_GA_POOL_GROUP,
    Ref,
    as_pool,
    backend_rules,
    core_services,
    resolve,
    routes,
    sure_namespace,
)
from aiconf_lint.rules.net._pods import definite, select_workloads, service_workloads
from aiconf_lint.rules.net._served_models import served_names

MODEL_HEADERS = frozenset({"x-gateway-model-name", "x-gateway-base-model-name", "x-ai-eg-model"})
"""Headers gateways fill from the OpenAI request body's `model` (GAIE body-based routing,
Envoy AI Gateway), which routes then match to pick the backend for a model."""
_REWRITE_KINDS = ("InferenceModel", "InferenceModelRewrite")


def _model_matches(route: K8sObject, rule_path: YamlPath) -> Iterator[tuple[YamlPath, str]]:
    rule = as_map(as_list(route.spec.get("rules"))[int(rule_path[2])])
    for i, match in enumerate(as_list(rule.get("matches"))):
        for j, header in enumerate(as_list(as_map(match).get("headers"))):
            header_map = as_map(header)
            name, value = header_map.get("name"), header_map.get("value")
            if header_map.get("type", "Exact") != "Exact" or not isinstance(name, str):
                continue
            if name.lower() in MODEL_HEADERS and isinstance(value, str) and value:
                yield (*rule_path[:3], "matches", i, "headers", j, "value"), value


def _backend_names(bundle: Bundle, route: K8sObject, ref: Ref) -> frozenset[str] | None:
    """The names a backend surely serves; None when it is not in the run or may serve others.

    Services and pools are read once each (`_union`): in a stream of copies of one chart a
    route's backend name resolves to every copy, and each copy selects every copy's pods.
    """
    if ref.is_service:
        services = [
            s
            for s in core_services(bundle, route, ref.name, ref.namespace)
            if sure_namespace(route, s, ref.namespace)
        ]
        return _union(bundle, "net010:service-names", services, _service_names)
    if not ref.is_pool:
        return None
    pools = [
        p
        for p in resolve(bundle, route, "InferencePool", POOL_GROUPS, ref.name, ref.namespace)
        if sure_namespace(route, p, ref.namespace)
    ]
    rewriting = bundle.cached(
        "net:rewrite-namespaces",
        lambda: {
            o.namespace for o in bundle.of_kind(*_REWRITE_KINDS) if o.group == PRE_GA_POOL_GROUP
        },
    )
    if pools and (None in rewriting or pools[0].namespace in rewriting):
        return None  # a rewrite may map the requested name onto a served one
    return _union(bundle, "net010:pool-names", pools, _pool_names)


def _union(
    bundle: Bundle,
    key: str,
    backends: list[K8sObject],
    names_of: Callable[[Bundle, K8sObject], frozenset[str] | None],
) -> frozenset[str] | None:
    """Every name the backends serve, each backend read once per run; None unless all settle."""
    if not backends:
        return None
    names: set[str] = set()
    for backend in backends:
        served = bundle.per_object(key, backend, partial(names_of, bundle))
        if served is None:
            return None
        names.update(served)
    return frozenset(names)


def _service_names(bundle: Bundle, service: K8sObject) -> frozenset[str] | None:
    selected = service_workloads(bundle, service)
    own = frozenset({service.namespace}) if service.namespace else None
    if not selected or not any(definite(bundle, service, w, own) for w in selected):
        return None
    return _names(bundle, selected)


def _pool_names(bundle: Bundle, pool: K8sObject) -> frozenset[str] | None:
    view = as_pool(pool)
    if view is None or view.selector is None:
        return None
    namespaces = frozenset({pool.namespace}) if pool.namespace else None
    selected = [
        w
        for w in select_workloads(bundle, view.selector, namespaces)
        if definite(bundle, pool, w, namespaces)
    ]
    return _names(bundle, selected) if selected else None


def _names(bundle: Bundle, workloads: list[K8sObject]) -> frozenset[str] | None:
    """Every model name the workloads serve; None when any of them may serve others."""
    names: set[str] = set()
    for obj in workloads:
        served = _workload_names(bundle, obj)
        if served is None:
            return None
        names.update(served)
    return frozenset(names)


def _workload_names(bundle: Bundle, obj: K8sObject) -> frozenset[str] | None:
    """The names one workload serves, read once per run: every route rule that reaches the
    workload asks again (copies of a chart in one stream: each route reaches every copy)."""
    return bundle.per_object("net:served-names", obj, partial(_read_workload_names, bundle))


def _read_workload_names(bundle: Bundle, obj: K8sObject) -> frozenset[str] | None:
    templates = bundle.templates(obj)
    if not templates:
        return None
    names: set[str] = set()
    for template in templates:
        known = [served_names(c.data) for c in template.containers if not c.init]
        if not known:
            return None
        for served in known:
            if served is None:
                return None
            names.update(served)
    return frozenset(names)


class ModelHeaderNotServed(Rule):
    """## What it does
    Checks route rules that match on the model a client asked for (the `X-Gateway-Model-Name`
    and `X-Gateway-Base-Model-Name` headers the Inference Extension's body-based router sets,
    Envoy AI Gateway's `x-ai-eg-model`): reported when every backend of the rule is in the run
    and runs vLLM with a command line that settles its model names (`--served-model-name`,
    else the model it loads), and none of them serves the name matched. Backends with LoRA
    enabled, without a recognised server, or behind a model rewrite are never judged.

    ## Why is this bad?
    Header-based routing on the OpenAI `model` field is how the `ai_inference` requirement
    sends each model's traffic to its servers. When the rule's model name is not one the
    servers answer to, every request it matches reaches vLLM and fails with "model does not
    exist" (404), although routing, pods and probes all look healthy.

    ## Example
    ```yaml
    rules:
      - matches:
          - headers:
              - {name: X-Gateway-Model-Name, value: llama-3.1-8b}
        backendRefs: [{name: vllm-llama, port: 8000}]
    # vllm-llama runs: vllm serve meta-llama/Llama-3.1-8B-Instruct
    ```

    Use instead:
    ```yaml
              - {name: X-Gateway-Model-Name, value: meta-llama/Llama-3.1-8B-Instruct}
    # or start vLLM with --served-model-name llama-3.1-8b
    ```

    ## References
    - https://gateway-api-inference-extension.sigs.k8s.io/guides/serve-multiple-genai-models/
    - https://docs.vllm.ai/en/latest/cli/serve.html
    """

    code = "NET010"
    name = "model-header-not-served"
    summary = "A route matches a model name that none of its vLLM backends serves"
    severity = Severity.WARNING
    requirements = ("ai_inference",)

    def check_bundle(self, ctx: Context) -> Iterator[tuple[K8sObject, Violation]]:
        bundle = ctx.bundle
        for route in routes(bundle):
            for path, refs in backend_rules(route):
                matches = list(_model_matches(route, path))
                served = _served(bundle, route, refs) if matches and refs else None
                if served is None:
                    continue
                listing = ", ".join(f"`{n}`" for n in sorted(served))
                for value_path, model in matches:
                    if model not in served:
                        message = (
                            f"{route.kind} `{route.name}` routes requests for model `{model}` "
                            f"to backends that serve only {listing}; vLLM answers 404 for "
                            "any other name"
                        )
                        yield route, Violation(message, value_path)


def _served(bundle: Bundle, route: K8sObject, refs: list[Ref]) -> frozenset[str] | None:
    """Every name the rule's backends serve; None unless each backend settles its names."""
    served: set[str] = set()
    for ref in refs:
        names = _backend_names(bundle, route, ref)
        if names is None:
            return None
        served.update(names)
    return frozenset(served)
