"""SCL008."""

from __future__ import annotations

from collections.abc import Iterator

from aiconf_lint.k8s.objects import K8sObject
from aiconf_lint.k8s.workloads import PodTemplate
from aiconf_lint.model import Severity, Violation
from aiconf_lint.rule import Context, Rule
from aiconf_lint.rules.scl._autoscaling import accelerator_requests
from aiconf_lint.rules.scl._karpenter import (
    distinct_pools,
    is_nodepool,
    mismatch,
    names_pools,
    nodepool_of,
)

# Pods of these never make Karpenter provision: they follow nodes rather than ask for them,
# or they are templates another object completes (a TrainJob's overrides, an
# InferenceService's tolerations) before any pod exists.
_NOT_PROVISIONING = frozenset(
    {
        "DaemonSet",
        "PodTemplate",
        "ServingRuntime",
        "ClusterServingRuntime",
        "TrainingRuntime",
        "ClusterTrainingRuntime",
    }
)
KUEUE_QUEUE_LABEL = "kueue.x-k8s.io/queue-name"


def _kueue_managed(obj: K8sObject, template: PodTemplate) -> bool:
    """Kueue adds its ResourceFlavor's tolerations and node labels at admission."""
    return KUEUE_QUEUE_LABEL in obj.labels or KUEUE_QUEUE_LABEL in template.labels


class AcceleratorNodeUnreachable(Rule):
    """## What it does
    When the bundle defines Karpenter NodePools (`karpenter.sh`), checks every pod template
    that requests accelerator extended resources against each pool: its `NoSchedule` and
    `NoExecute` taints must be tolerated, its `requirements` and template labels must satisfy
    the pod's `nodeSelector` and required node affinity (a label key the pool neither
    defines nor treats as well-known never appears on its nodes), its `limits` must allow
    the request, and its instance restrictions must admit hardware with the device (an AWS
    pool limited to `instance-category` `c`, `m`, `r`, or to GPU count 0, launches no GPU).
    A template no pool can host is reported with each pool's reason. Taints
    named after a requested resource with `NoSchedule` are treated as tolerated, because the
    ExtendedResourceToleration admission plugin adds that toleration where it runs.
    Workloads queued with Kueue (`kueue.x-k8s.io/queue-name`) are skipped, since their
    ResourceFlavor adds tolerations and node labels at admission, and so are templates that
    another object completes (TrainingRuntimes, KServe ServingRuntimes) and DaemonSets.

    ## Why is this bad?
    Karpenter only launches a node for a pending pod that some NodePool can host. Otherwise
    the GPU pods stay `Pending` forever with no scale-up, which is exactly what the
    `cluster_autoscaling` requirement exists to prevent.

    ## Example
    ```yaml
    apiVersion: karpenter.sh/v1
    kind: NodePool
    metadata: {name: gpu}
    spec:
      template:
        spec:
          taints: [{key: gpu, value: "true", effect: NoSchedule}]
    ---
    # pod template requesting nvidia.com/gpu, without a toleration for `gpu=true`
    ```

    Use instead:
    ```yaml
    tolerations:
      - {key: gpu, operator: Equal, value: "true", effect: NoSchedule}
    ```

    ## References
    - https://karpenter.sh/docs/concepts/scheduling/
    - https://karpenter.sh/docs/concepts/nodepools/
    """

    code = "SCL008"
    name = "accelerator-node-unreachable"
    summary = "Accelerator pods that no Karpenter NodePool in the bundle can host"
    severity = Severity.WARNING
    requirements = ("cluster_autoscaling",)

    def check_bundle(self, ctx: Context) -> Iterator[tuple[K8sObject, Violation]]:
        pools = [nodepool_of(obj) for obj in ctx.bundle.of_kind("NodePool") if is_nodepool(obj)]
        if not pools:
            return
        groups = distinct_pools(pools)
        for obj in ctx.bundle.objects:
            if obj.kind in _NOT_PROVISIONING:
                continue
            for template in ctx.bundle.templates(obj):
                if template.spec.get("nodeName") or _kueue_managed(obj, template):
                    continue
                requested = accelerator_requests(template, ctx.accelerators)
                if not requested:
                    continue
                candidates = pools if names_pools(template) else groups
                if any(mismatch(pool, template, requested) is None for pool in candidates):
                    continue
                # no pool fits: the first three pools' reasons, as found pool by pool
                reasons = [
                    reason
                    for pool in pools[:3]
                    if (reason := mismatch(pool, template, requested)) is not None
                ]
                first = reasons[0]
                asks = ", ".join(f"`{name}`" for name in sorted(requested))
                shown = "; ".join(r.reason for r in reasons)
                more = f"; and {len(pools) - 3} more" if len(pools) > 3 else ""
                who = obj.display()
                if template.role != "pod":
                    who = f"The `{template.role}` template of {who}"
                yield (
                    obj,
                    Violation(
                        f"{who} requests {asks} but no Karpenter NodePool can host its pods: "
                        f"{shown}{more}",
                        first.path,
                        key_only=first.key_only,
                        related_objects=tuple(
                            (r_pool.obj, ("spec", "template"), "NodePool") for r_pool in pools[:3]
                        ),
                    ),
                )
