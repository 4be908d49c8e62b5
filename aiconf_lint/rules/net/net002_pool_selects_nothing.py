"""NET002."""

from __future__ import annotations

from collections.abc import Iterator

from aiconf_lint.k8s.bundle import Bundle
from aiconf_lint.k8s.objects import K8sObject
from aiconf_lint.model import Severity, Violation
from aiconf_lint.rule import Context, Rule
from aiconf_lint.rules.net._gateway import Pool, pools
from aiconf_lint.rules.net._pods import (
    is_pod_kind,
    picker_pool,
    pod_label_sets,
    select_workloads,
    server_of,
)


def _namespaces(pool: Pool) -> frozenset[str] | None:
    return frozenset({pool.obj.namespace}) if pool.obj.namespace else None


def _in_reach(pool: Pool, obj: K8sObject) -> bool:
    return pool.obj.namespace is None or obj.namespace in (None, pool.obj.namespace)


def _difference(pool: Pool, labels: dict[str, str]) -> str:
    assert pool.selector is not None
    for key, value in pool.selector.match_labels:
        if key not in labels:
            return f"no label `{key}`"
        if labels[key] != value:
            return f"`{key}: {labels[key]}`, not `{value}`"
    return "other labels"


def _pooled(bundle: Bundle) -> set[int]:
    """`id()`s of workloads some pool of the run selects."""
    found: set[int] = set()
    for pool in pools(bundle):
        if pool.selector is not None:
            hits = select_workloads(bundle, pool.selector, _namespaces(pool))
            found.update(id(obj) for obj in hits)
    return found


def _model_servers(bundle: Bundle, pool: Pool) -> list[K8sObject]:
    """Model servers shipped with the pool that no pool selects: what it was meant for."""
    pooled = bundle.cached("net:pooled", lambda: _pooled(bundle))
    return [
        obj
        for obj in bundle.related_sources(pool.obj)
        if is_pod_kind(obj)
        and id(obj) not in pooled
        and _in_reach(pool, obj)
        and server_of(bundle, obj) is not None
    ]


def _closest(
    bundle: Bundle, pool: Pool, servers: list[K8sObject]
) -> tuple[K8sObject, dict[str, str]]:
    """The server whose pod labels share most of the selector's pairs."""
    assert pool.selector is not None
    wanted = set(pool.selector.match_labels)
    scored = [
        (len(wanted & set(labels.items())), -i, obj, labels)
        for i, obj in enumerate(servers)
        for labels in pod_label_sets(bundle, obj) or [{}]
    ]
    _, _, obj, labels = max(scored, key=lambda item: (item[0], item[1]))
    return obj, labels


def _pickers(bundle: Bundle, pool: Pool, selected: list[K8sObject]) -> list[K8sObject]:
    """Selected workloads that are endpoint pickers (for this pool or any other), one per kind
    and name: copies of a chart in one run would otherwise repeat the same finding per copy."""
    found: dict[tuple[str, str], K8sObject] = {}
    for obj in selected:
        if picker_pool(bundle, obj) is not None:
            found.setdefault((obj.kind, obj.name), obj)
    return list(found.values())


class PoolSelectsNothing(Rule):
    """## What it does
    Checks the `selector` of every Gateway API Inference Extension `InferencePool`: reported
    when it matches no pod template in the pool's namespace although the pool's file, chart or
    folder ships a model-server workload (vLLM, SGLang, Triton, ...) that no pool selects,
    which it was evidently meant for;
    and when it matches the endpoint picker's own pods (a workload started with
    `--pool-name`). A pool for model servers another chart installs is left alone.

    ## Why is this bad?
    The gateway sends a pool's traffic only to the pods its selector matches. A selector that
    matches nothing leaves the pool empty: every request gets a 503 and the endpoint picker
    logs that it has no candidates. A selector that also matches the picker (typically a
    shared `app` label) makes the picker schedule requests onto itself, which does not speak
    the OpenAI API. Both break the `advanced_inference_ingress` path end to end.

    ## Example
    ```yaml
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: vllm-llama}
    spec:
      selector: {matchLabels: {app: vllm-llama}}
      template:
        metadata: {labels: {app: vllm-llama}}
        spec:
          containers:
            - name: vllm
              image: vllm/vllm-openai:v0.8.5
              ports: [{containerPort: 8000}]
    ---
    apiVersion: inference.networking.k8s.io/v1
    kind: InferencePool
    metadata: {name: llama}
    spec:
      selector:
        matchLabels: {app: llama-vllm}     # the pods are labelled app: vllm-llama
      targetPorts: [{number: 8000}]
      endpointPickerRef: {name: llama-epp, port: {number: 9002}}
    ```

    Use instead:
    ```yaml
    spec:
      selector:
        matchLabels: {app: vllm-llama}
    ```

    ## References
    - https://gateway-api-inference-extension.sigs.k8s.io/api-types/inferencepool/
    """

    code = "NET002"
    name = "pool-selects-nothing"
    summary = "An InferencePool selector matches no model-server pod, or the endpoint picker"
    severity = Severity.ERROR
    requirements = ("advanced_inference_ingress",)

    def check_bundle(self, ctx: Context) -> Iterator[tuple[K8sObject, Violation]]:
        bundle = ctx.bundle
        for pool in pools(bundle):
            if pool.selector is None:
                continue
            selected = select_workloads(bundle, pool.selector, _namespaces(pool))
            obj = pool.obj
            if not selected:
                servers = _model_servers(bundle, pool)
                if not servers:
                    continue
                best, labels = _closest(bundle, pool, servers)
                yield (
                    obj,
                    Violation(
                        f"InferencePool `{obj.name}` selects no pod; the model server "
                        f"{best.kind} `{best.name}` next to it has {_difference(pool, labels)}",
                        pool.selector_path,
                        key_only=True,
                        related_objects=((best.key, ("metadata", "name"), "the model server"),),
                    ),
                )
                continue
            for picker in _pickers(bundle, pool, selected):
                yield (
                    obj,
                    Violation(
                        f"InferencePool `{obj.name}` also selects the pods of {picker.kind} "
                        f"`{picker.name}`, an endpoint picker: requests would be routed to it; "
                        "add a label only the model servers carry",
                        pool.selector_path,
                        key_only=True,
                        related_objects=(
                            (picker.key, ("metadata", "name"), "the endpoint picker"),
                        ),
                    ),
                )
