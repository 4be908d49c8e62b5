"""SCL007."""

from __future__ import annotations

from collections.abc import Iterator

from aiconf_lint.k8s.autoscaling import autoscalers, related_target
from aiconf_lint.k8s.objects import K8sObject
from aiconf_lint.model import Severity, Violation
from aiconf_lint.rule import Context, Rule

PAUSED_ANNOTATIONS = ("autoscaling.keda.sh/paused-replicas", "autoscaling.keda.sh/paused")


class ReplicasSetWithAutoscaler(Rule):
    """## What it does
    Checks workloads that an HPA or KEDA ScaledObject in the bundle scales and that also set
    `spec.replicas`. A paused ScaledObject is not counted.

    ## Why is this bad?
    The autoscaler owns the replica count. Every `kubectl apply`, Helm upgrade or GitOps sync
    writes the manifest's `replicas` back, dropping a scaled-out inference service to that
    number until the autoscaler catches up, and GitOps tools show the workload as drifted.
    The Kubernetes documentation recommends removing `spec.replicas` when an HPA is enabled.

    ## Example
    ```yaml
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: vllm}
    spec:
      replicas: 2   # fought over with the HPA on every sync
      selector: {matchLabels: {app: vllm}}
      template:
        metadata: {labels: {app: vllm}}
        spec: {containers: [{name: vllm, image: vllm/vllm-openai:v0.6.3}]}
    ---
    apiVersion: autoscaling/v2
    kind: HorizontalPodAutoscaler
    metadata: {name: vllm}
    spec:
      scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: vllm}
      minReplicas: 2
      maxReplicas: 8
    ```

    Use instead:
    ```yaml
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: vllm}
    spec:   # no `replicas`: the HPA's minReplicas sets the floor
      selector: {matchLabels: {app: vllm}}
      template:
        metadata: {labels: {app: vllm}}
        spec: {containers: [{name: vllm, image: vllm/vllm-openai:v0.6.3}]}
    ---
    apiVersion: autoscaling/v2
    kind: HorizontalPodAutoscaler
    metadata: {name: vllm}
    spec:
      scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: vllm}
      minReplicas: 2
      maxReplicas: 8
    ```

    ## References
    - https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/#migrating-deployments-and-statefulsets-to-horizontal-autoscaling
    """

    code = "SCL007"
    name = "replicas-set-with-autoscaler"
    summary = "Autoscaled workload that also sets `spec.replicas`"
    severity = Severity.INFO
    requirements = ("pod_autoscaling",)

    def check_bundle(self, ctx: Context) -> Iterator[tuple[K8sObject, Violation]]:
        seen: set[int] = set()
        for scaler in autoscalers(ctx.bundle):
            if any(key in scaler.obj.annotations for key in PAUSED_ANNOTATIONS):
                continue
            for target in related_target(ctx.bundle, scaler):
                if id(target) in seen or "replicas" not in target.spec:
                    continue
                seen.add(id(target))
                yield (
                    target,
                    Violation(
                        f"{target.kind} `{target.name}` sets `spec.replicas: "
                        f"{target.spec['replicas']}` while {scaler.display()} scales it; each "
                        "apply resets the replica count",
                        ("spec", "replicas"),
                        related_objects=((scaler.obj.key, scaler.ref_path, "autoscaler"),),
                    ),
                )
