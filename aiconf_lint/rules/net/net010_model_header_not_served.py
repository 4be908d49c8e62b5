"""NET010."""

from __future__ import annotations

from collections.abc import Iterator

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


def _workloads(bundle: Bundle, route: K8sObject, ref: Ref) -> list[K8sObject] | None:
    """The workloads a backend surely sends to; None when the backend is not in the run."""
    if ref.is_service:
        services = [
            s
            for s in core_services(bundle, route, ref.name, ref.namespace)
            if sure_namespace(route, s, ref.namespace)
        ]
        if not services:
            return None
        found: list[K8sObject] = []
        for service in services:
            selected = service_workloads(bundle, service)
            own = frozenset({service.namespace}) if service.namespace else None
            if not selected or not any(definite(bundle, service, w, own) for w in selected):
                return None
            found.extend(selected)
        return found
    if not ref.is_pool:
        return None
    pools = [
        p
        for p in resolve(bundle, route, "InferencePool", POOL_GROUPS, ref.name, ref.namespace)
        if sure_namespace(route, p, ref.namespace)
    ]
    views = [as_pool(p) for p in pools]
    if not views or any(v is None or v.selector is None for v in views):
        return None
    rewrites = any(
        o.group == PRE_GA_POOL_GROUP and o.namespace in (None, pools[0].namespace)
        for o in bundle.of_kind(*_REWRITE_KINDS)
    )
    if rewrites:
        return None  # a rewrite may map the requested name onto a served one
    found = []
    for view in views:
        assert view is not None
        assert view.selector is not None
        namespaces = frozenset({view.obj.namespace}) if view.obj.namespace else None
        selected = [
            w
            for w in select_workloads(bundle, view.selector, namespaces)
            if definite(bundle, view.obj, w, namespaces)
        ]
        if not selected:
            return None
        found.extend(selected)
    return found


def _names(bundle: Bundle, workloads: list[K8sObject]) -> frozenset[str] | None:
    """Every model name the workloads serve; None when any of them may serve others."""
    names: set[str] = set()
    for obj in workloads:
        templates = bundle.templates(obj)
        if not templates:
            return None
        for template in templates:
            serving = [c for c in template.containers if not c.init]
            known = [served_names(c.data) for c in serving]
            if not known or any(k is None for k in known):
                return None
            for k in known:
                assert k is not None
                names.update(k)
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
        workloads = _workloads(bundle, route, ref)
        names = _names(bundle, workloads) if workloads else None
        if names is None:
            return None
        served.update(names)
    return frozenset(served)
