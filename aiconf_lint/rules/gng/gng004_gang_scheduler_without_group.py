"""GNG004."""

from __future__ import annotations

from collections.abc import Iterator

from aiconf_lint.k8s.gang import (
    COSCHEDULING_LABEL,
    GANG_KINDS,
    GANG_SCHEDULERS,
    VOLCANO_GROUP_KEYS,
    YUNIKORN_GROUPS,
    members,
    scheduler_name,
    scheduler_without_group,
    training_runtime,
)
from aiconf_lint.k8s.objects import K8sObject
from aiconf_lint.model import Severity, Violation
from aiconf_lint.rule import Context, Rule

_NEEDS = {
    "volcano": f"a `{VOLCANO_GROUP_KEYS[0]}` annotation naming a PodGroup",
    "yunikorn": f"`{YUNIKORN_GROUPS}` and `task-group-name` annotations",
    "scheduler-plugins-scheduler": f"a `{COSCHEDULING_LABEL}` label naming a PodGroup",
}


class GangSchedulerWithoutGroup(Rule):
    """## What it does
    Checks multi-pod, all-or-nothing workloads whose pod templates name a gang scheduler
    (`volcano`, `yunikorn`, `scheduler-plugins-scheduler`) but carry no group definition for it
    and no other gang mechanism: no PodGroup annotation or label, no YuniKorn task groups, no
    Kueue queue. A TrainJob is checked through its TrainingRuntime, which needs a
    `podGroupPolicy`. Kubeflow, Ray, LeaderWorkerSet and Volcano Job operators create the group
    themselves, so their templates are not reported.

    ## Why is this bad?
    These schedulers gang only pods that belong to a declared group. Volcano gives an
    ungrouped pod its own PodGroup with `minMember: 1`, coscheduling treats it as a group of
    one, and YuniKorn schedules it like any other pod. The manifest looks gang-scheduled, but
    pods still start one by one and can hold accelerators while the rest wait.

    ## Example
    ```yaml
    apiVersion: batch/v1
    kind: Job
    metadata: {name: train}
    spec:
      completionMode: Indexed
      parallelism: 4
      completions: 4
      template:
        spec: {schedulerName: volcano, containers: [{name: c, image: trainer:1}]}
    ```

    Use instead:
    ```yaml
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
    together with a `scheduling.volcano.sh/v1beta1` PodGroup `train` with `minMember: 4`.
    """

    code = "GNG004"
    name = "gang-scheduler-without-group"
    summary = "Gang scheduler named without a group definition"
    severity = Severity.WARNING
    kinds = GANG_KINDS
    requirements = ("gang_scheduling",)

    def check_object(self, ctx: Context, obj: K8sObject) -> Iterator[Violation]:
        found = members(obj, ctx.bundle)
        if found is None or found.count is None or found.count < 2:
            return
        for template in scheduler_without_group(obj, ctx.bundle):
            scheduler = str(scheduler_name(template))
            system = GANG_SCHEDULERS[scheduler]
            if template.obj is obj:
                yield Violation(
                    f"{obj.display()} runs {found.count} pods with `schedulerName: {scheduler}` "
                    f"but no {system} group ({_NEEDS[scheduler]}), so each pod is a group of one",
                    (*template.path, "schedulerName"),
                )
                continue
            runtime = training_runtime(obj, ctx.bundle)
            yield Violation(
                f"{obj.display()} runs {found.count} pods with `schedulerName: {scheduler}` from "
                f"runtime `{runtime.name if runtime else ''}`, which has no `podGroupPolicy`, so "
                "each pod is a group of one",
                ("spec", "runtimeRef", "name"),
                related_objects=(
                    (template.obj.key, (*template.path, "schedulerName"), "scheduler"),
                ),
            )
