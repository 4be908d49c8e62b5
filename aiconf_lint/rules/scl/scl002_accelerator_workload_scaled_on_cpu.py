"""SCL002."""

from __future__ import annotations

from collections.abc import Iterator

from aiconf_lint.k8s.accelerator_use import uses_claims
from aiconf_lint.k8s.autoscaling import (
    Autoscaler,
    accelerator_requests,
    autoscalers,
    is_hpa,
    only_cpu_memory,
    related_target,
)
from aiconf_lint.k8s.objects import K8sObject
from aiconf_lint.model import Severity, Violation, YamlPath
from aiconf_lint.rule import Context, Rule


def _where(scaler: Autoscaler) -> tuple[YamlPath, str]:
    """The path to point at and how the autoscaler spells its cpu/memory-only choice."""
    obj = scaler.obj
    if not is_hpa(obj):
        return ("spec", "triggers"), "scales only on cpu/memory triggers"
    if obj.api_version == "autoscaling/v1":
        if "targetCPUUtilizationPercentage" in obj.spec:
            return ("spec", "targetCPUUtilizationPercentage"), "scales only on CPU"
        return ("spec",), "scales only on CPU (`autoscaling/v1`)"
    if not obj.spec.get("metrics"):
        return ("spec",), "sets no `metrics`, so it scales on 80% CPU utilization"
    return ("spec", "metrics"), "scales only on cpu/memory Resource metrics"


class AcceleratorWorkloadScaledOnCpu(Rule):
    """## What it does
    Checks HorizontalPodAutoscalers and KEDA ScaledObjects whose target, found in the bundle,
    has an accelerator pod template (one that requests accelerators through an extended
    resource such as `nvidia.com/gpu` or a DRA claim, or that requires accelerator nodes by
    label, such as `nvidia.com/gpu.present: "true"`), and that scale only on `cpu`/`memory`
    (`Resource` or `ContainerResource` metrics, KEDA `cpu`/`memory` triggers, `autoscaling/v1`,
    or an HPA with no `metrics`, which defaults to 80% CPU).

    ## Why is this bad?
    An inference or training pod spends its time on the accelerator: its CPU sits near idle
    while the GPU and the request queue are saturated, so a CPU-driven autoscaler never adds
    replicas when they are needed. The `pod_autoscaling` requirement asks that accelerator
    pods scale on custom AI/ML metrics (queue depth, KV-cache usage, GPU utilization).

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
              image: vllm/vllm-openai:v0.6.3
              resources: {limits: {nvidia.com/gpu: 1}}
    ---
    apiVersion: autoscaling/v2
    kind: HorizontalPodAutoscaler
    metadata: {name: vllm}
    spec:
      scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: vllm}
      maxReplicas: 4
      metrics:
        - type: Resource
          resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}
    ```

    Use instead (the same Deployment):
    ```yaml
    apiVersion: autoscaling/v2
    kind: HorizontalPodAutoscaler
    metadata: {name: vllm}
    spec:
      scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: vllm}
      maxReplicas: 4
      metrics:
        - type: Pods
          pods:
            metric: {name: vllm_num_requests_waiting}
            target: {type: AverageValue, averageValue: "5"}
    ```

    ## References
    - https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale-walkthrough/
    """

    code = "SCL002"
    name = "accelerator-workload-scaled-on-cpu"
    summary = "Autoscaler on an accelerator workload that only sees cpu/memory"
    severity = Severity.WARNING
    requirements = ("pod_autoscaling",)

    def check_bundle(self, ctx: Context) -> Iterator[tuple[K8sObject, Violation]]:
        for scaler in autoscalers(ctx.bundle):
            if not only_cpu_memory(scaler.obj):
                continue
            for target in related_target(ctx.bundle, scaler):
                templates = ctx.bundle.facts(target).accelerator_templates()
                if not templates:
                    continue
                names = sorted(accelerator_requests(ctx.bundle.facts(target), templates[0]))
                asks = "requests " + ", ".join(f"`{n}`" for n in names) if names else ""
                if uses_claims(templates[0]):
                    asks += (" and claims" if asks else "claims") + " devices through DRA"
                asks = asks or "selects accelerator nodes"
                path, how = _where(scaler)
                yield (
                    scaler.obj,
                    Violation(
                        f"{scaler.display()} {how}, but {scaler.target_display()} {asks}",
                        path,
                        key_only=path != ("spec", "targetCPUUtilizationPercentage"),
                        related_objects=(
                            (target.key, templates[0].path, "accelerator pod template"),
                        ),
                    ),
                )
                break
