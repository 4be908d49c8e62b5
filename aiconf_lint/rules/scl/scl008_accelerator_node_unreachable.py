"""SCL008."""

from __future__ import annotations

from collections.abc import Iterator

from aiconf_lint.k8s.autoscaling import accelerator_requests
from aiconf_lint.k8s.inventory import Scope, declares_any, files_of
from aiconf_lint.k8s.karpenter import (
    NodePool,
    distinct_pools,
    is_nodepool,
    mismatch,
    names_pools,
    nodepool_of,
)
from aiconf_lint.k8s.objects import K8sObject
from aiconf_lint.k8s.workloads import PodTemplate
from aiconf_lint.model import Severity, Violation
from aiconf_lint.rule import Context, Rule

# Pods of these never make Karpenter provision: they follow nodes rather than ask for them,
# or they are templates another object completes (a TrainJob's overrides, an
# InferenceService's tolerations) before any pod exists.
_NOT_PROVISIONING = frozenset(
    {
        "DaemonSet",
        "PodTemplate",
        "ServingRuntime",
        "ClusterServingRuntime",
        "LLMInferenceServiceConfig",
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

    Only the pools shipped with the workload count: the same file, the same Helm chart, or a
    folder at or above the workload's. Pools from a sibling example folder say nothing about
    this workload's cluster, so it is not checked against them. The message names the files
    the pools came from and says "in this run". When the cluster has pools the files do not
    hold, declare them (`[tool.aiconf-lint.inventory] node-pools = ["gpu-a100"]`) and the
    rule stays silent, since it cannot see their requirements.

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
          nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: gpu}
          requirements:
            - {key: karpenter.k8s.aws/instance-gpu-manufacturer, operator: In, values: [nvidia]}
          taints: [{key: gpu, value: "true", effect: NoSchedule}]
    ---
    apiVersion: batch/v1
    kind: Job
    metadata: {name: train}
    spec:
      template:
        spec:   # no toleration for `gpu=true`: no node of the pool admits the pod
          restartPolicy: Never
          containers:
            - name: train
              image: trainer:1
              resources: {limits: {nvidia.com/gpu: 1}}
    ```

    Use instead (the same NodePool):
    ```yaml
    apiVersion: batch/v1
    kind: Job
    metadata: {name: train}
    spec:
      template:
        spec:
          restartPolicy: Never
          tolerations:
            - {key: gpu, operator: Equal, value: "true", effect: NoSchedule}
          containers:
            - name: train
              image: trainer:1
              resources: {limits: {nvidia.com/gpu: 1}}
    ```

    ## References
    - https://karpenter.sh/docs/concepts/scheduling/
    - https://karpenter.sh/docs/concepts/nodepools/
    """

    code = "SCL008"
    name = "accelerator-node-unreachable"
    summary = "Accelerator pods that no Karpenter NodePool shipped with them can host"
    severity = Severity.WARNING
    requirements = ("cluster_autoscaling",)

    def check_bundle(self, ctx: Context) -> Iterator[tuple[K8sObject, Violation]]:
        if declares_any(ctx.settings.section("inventory"), "node-pools"):
            return  # pools outside the run may host anything: nothing can be concluded
        all_pools = [obj for obj in ctx.bundle.of_kind("NodePool") if is_nodepool(obj)]
        if not all_pools:
            return
        scope = Scope(ctx.bundle, all_pools)
        # Workloads of one file share one scoped pool list: its pools are read once.
        read: dict[int, tuple[list[NodePool], list[NodePool], str]] = {}
        for obj in ctx.bundle.objects:
            if obj.kind in _NOT_PROVISIONING:
                continue
            pool_objects: list[K8sObject] | None = None
            for template in ctx.bundle.templates(obj):
                if template.spec.get("nodeName") or _kueue_managed(obj, template):
                    continue
                requested = accelerator_requests(ctx.bundle.facts(obj), template)
                if not requested:
                    continue
                if pool_objects is None:  # scoped once per object, and only for GPU workloads
                    pool_objects = scope.of(obj)
                    if id(pool_objects) not in read:
                        listed = [nodepool_of(pool) for pool in pool_objects]
                        read[id(pool_objects)] = (
                            listed,
                            distinct_pools(listed),
                            files_of(pool_objects),
                        )
                    pools, groups, files = read[id(pool_objects)]
                if not pool_objects:
                    break  # pools from an unrelated folder say nothing about this workload
                # Pools that differ only by name answer alike, unless the template names pools.
                candidates = pools if names_pools(template) else groups
                if any(mismatch(pool, template, requested) is None for pool in candidates):
                    continue
                # No candidate can host it, so no pool can (a group's pools answer alike): the
                # message needs the reasons of the first three and the count of the rest.
                reasons = [
                    found for pool in pools[:3] if (found := mismatch(pool, template, requested))
                ]
                if reasons:
                    asks = ", ".join(f"`{name}`" for name in sorted(requested))
                    shown = "; ".join(r.reason for r in reasons)
                    more = f"; and {len(pools) - 3} more" if len(pools) > 3 else ""
                    who = obj.display()
                    if template.role != "pod":
                        who = f"The {_quoted(template.title)} template of {who}"
                    yield (
                        obj,
                        Violation(
                            f"{who} requests {asks} but no Karpenter NodePool in this run "
                            f"({files}) can host its pods: {shown}{more}",
                            reasons[0].path,
                            key_only=reasons[0].key_only,
                            related_objects=tuple(
                                (r_pool.obj.key, ("spec", "template"), "NodePool")
                                for r_pool in pools[:3]
                            ),
                        ),
                    )


def _quoted(title: str) -> str:
    """`replica Master` in backticks; a title that already quotes its name stays as it is."""
    return title if "`" in title else f"`{title}`"
