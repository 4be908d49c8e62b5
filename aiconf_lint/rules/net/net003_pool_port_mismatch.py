"""NET003."""

from __future__ import annotations

from collections.abc import Iterator

from aiconf_lint.k8s.objects import K8sObject
from aiconf_lint.model import Severity, Violation
from aiconf_lint.rule import Context, Rule
from aiconf_lint.rules.net._gateway import pools
from aiconf_lint.rules.net._pods import definite, picker_pool, select_workloads, workload_ports


class PoolPortMismatch(Rule):
    """## What it does
    Checks each `targetPorts[].number` of an `InferencePool` (`targetPortNumber` in
    `v1alpha2`) against the pods the pool surely selects: reported when a selected workload
    declares ports, or starts its model server with `--port`, and none of them is the target
    port. Workloads that declare no port at all, and those whose operator adds ports (KServe,
    KubeRay), are not judged.

    ## Why is this bad?
    The endpoint picker hands the gateway `podIP:targetPort`; if the model server listens
    elsewhere, every request the pool routes is refused at the pod. The llm-d layouts make
    this easy to get wrong: the routing sidecar listens on 8000 and vLLM behind it on 8200,
    and the pool must name the sidecar's port.

    ## Example
    ```yaml
    kind: InferencePool
    spec:
      selector: {matchLabels: {app: vllm-llama}}
      targetPorts: [{number: 8080}]
    ---
    kind: Deployment
    spec:
      template:
        metadata: {labels: {app: vllm-llama}}
        spec:
          containers:
            - name: vllm
              image: vllm/vllm-openai:v0.10.0
              ports: [{containerPort: 8000}]
    ```

    Use instead:
    ```yaml
      targetPorts: [{number: 8000}]
    ```

    ## References
    - https://gateway-api-inference-extension.sigs.k8s.io/api-types/inferencepool/
    """

    code = "NET003"
    name = "pool-port-mismatch"
    summary = "An InferencePool target port is not a port of the pods it selects"
    severity = Severity.ERROR
    requirements = ("advanced_inference_ingress",)

    def check_bundle(self, ctx: Context) -> Iterator[tuple[K8sObject, Violation]]:
        bundle = ctx.bundle
        for pool in pools(bundle):
            if pool.selector is None or not pool.target_ports:
                continue
            namespaces = frozenset({pool.obj.namespace}) if pool.obj.namespace else None
            selected = [
                obj
                for obj in select_workloads(bundle, pool.selector, namespaces)
                if definite(bundle, pool.obj, obj, namespaces) and picker_pool(bundle, obj) is None
            ]
            ports = workload_ports(bundle, selected)
            if not selected or ports is None:
                continue
            judged = [obj for obj in selected if ports[id(obj)]]
            for path, number in pool.target_ports:
                lacking = [obj for obj in judged if number not in ports[id(obj)]]
                if not lacking:
                    continue
                first = lacking[0]
                declared = ", ".join(str(p) for p in sorted(ports[id(first)]))
                others = f" (and {len(lacking) - 1} more)" if len(lacking) > 1 else ""
                yield (
                    pool.obj,
                    Violation(
                        f"InferencePool `{pool.obj.name}` targets port {number}, but the pods of "
                        f"{first.kind} `{first.name}`{others} serve on {declared}",
                        path,
                        related_objects=((first.key, ("metadata", "name"), "a selected workload"),),
                    ),
                )
