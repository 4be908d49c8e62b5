"""GNG002."""

from __future__ import annotations

from collections.abc import Iterator

from aiconf_lint.k8s.gang import (
    KUEUE_TOTAL,
    VOLCANO_MIN_MEMBER,
    kind_key,
)
from aiconf_lint.k8s.objects import K8sObject, as_list, as_map, get_path
from aiconf_lint.k8s.quantity import parse_int
from aiconf_lint.k8s.workloads import KUBEFLOW_REPLICAS, total_pods
from aiconf_lint.model import Severity, Violation
from aiconf_lint.rule import Context, Rule
from aiconf_lint.rules.gng._gang_groups import (
    counted_groups,
    kueue_groups,
    related,
    total_known,
)


class GangMinimumExceedsMembers(Rule):
    """## What it does
    Compares every gang minimum with the pods that will exist: a Volcano or coscheduling
    PodGroup's `minMember` against the pods whose templates point at it, a Volcano Job's
    `minAvailable` against its tasks' replicas (and each task's), a Kubeflow
    `runPolicy.schedulingPolicy.minAvailable` against its replicas, a native `gang.minCount`
    against the pods referencing that group, a Volcano `group-min-member` annotation against
    its owner's replicas, and Kueue's `pod-group-total-count` against the pods of that group.
    Group members are counted only when they sit with the group (same file, chart or folder)
    and every count is known.

    ## Why is this bad?
    A gang scheduler waits until `minMember` pods can be placed together. When fewer pods
    than that will ever exist, the group is never admitted: nothing starts, nothing fails, and
    the job is Pending forever ("Not enough valid tasks for gang-scheduling").

    ## Example
    ```yaml
    apiVersion: scheduling.volcano.sh/v1beta1
    kind: PodGroup
    metadata: {name: train}
    spec: {minMember: 8}
    ---
    apiVersion: batch/v1
    kind: Job
    metadata: {name: train}
    spec:
      completionMode: Indexed
      parallelism: 4
      completions: 4
      template:
        metadata: {annotations: {scheduling.k8s.io/group-name: train}}
        spec: {schedulerName: volcano, containers: [{name: c, image: trainer:1}]}
    ```

    Use instead: `spec: {minMember: 4}`, the number of pods that reference the group.
    """

    code = "GNG002"
    name = "gang-minimum-exceeds-members"
    summary = "Gang minimum larger than the pods that will exist"
    severity = Severity.ERROR
    requirements = ("gang_scheduling",)

    def check_bundle(self, ctx: Context) -> Iterator[tuple[K8sObject, Violation]]:
        bundle = ctx.bundle
        for group, minimum, path, pods in counted_groups(bundle):
            if minimum > pods and related(bundle, group.group, group.refs):
                yield (
                    group.group,
                    Violation(
                        f"{group.group.display()} requires `{path[-1]}: {minimum}` but only "
                        f"{pods} pods reference it ({group.describe()}); it is never scheduled",
                        path,
                        related_objects=tuple(
                            (r.template.obj.key, r.path, "member") for r in group.refs
                        ),
                    ),
                )
        for obj in bundle.objects:
            yield from ((obj, v) for v in self._own_minimum(ctx, obj))
        for name, items in kueue_groups(bundle):
            first = items[0]
            total = parse_int(first.annotations.get(KUEUE_TOTAL))
            count = total_known(m.pods for m in items)
            if total is not None and count is not None and total > count:
                yield (
                    first.obj,
                    Violation(
                        f"Kueue pod group `{name}` expects `{KUEUE_TOTAL}: {total}` but the bundle "
                        f"has {count} pods in it; the group waits forever",
                        (*first.meta, "annotations", KUEUE_TOTAL),
                    ),
                )

    def _own_minimum(self, ctx: Context, obj: K8sObject) -> Iterator[Violation]:
        """Minima that live on the workload itself."""
        kind = kind_key(obj)
        templates = ctx.bundle.templates(obj)
        total = total_pods(templates) if templates else None
        if kind == "VolcanoJob":
            for i, task in enumerate(as_list(obj.spec.get("tasks"))):
                low, replicas = (
                    parse_int(as_map(task).get("minAvailable")),
                    as_map(task).get("replicas"),
                )
                count = parse_int(1 if replicas is None else replicas)
                if low is not None and count is not None and low > count:
                    yield Violation(
                        f"Task `{as_map(task).get('name')}` of {obj.display()} sets "
                        f"`minAvailable: {low}` above its {count} replicas; the job is rejected",
                        ("spec", "tasks", i, "minAvailable"),
                    )
            path: tuple[str, ...] = ("spec", "minAvailable")
        elif kind in KUBEFLOW_REPLICAS:
            path = ("spec", "runPolicy", "schedulingPolicy", "minAvailable")
        else:
            path = ("metadata", "annotations", VOLCANO_MIN_MEMBER)
        low = parse_int(get_path(obj.data, path))
        if low is not None and total is not None and low > total:
            yield Violation(
                f"{obj.display()} sets `{path[-1]}: {low}` but runs only {total} pods; the gang "
                "is never scheduled",
                path,
            )
