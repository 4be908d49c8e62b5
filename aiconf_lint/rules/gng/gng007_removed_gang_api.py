"""GNG007."""

from __future__ import annotations

from collections.abc import Iterator

from aiconf_lint.k8s.objects import K8sObject
from aiconf_lint.model import Severity, Violation
from aiconf_lint.rule import Context, Rule

# Removed API groups (and versions) of gang objects, with what replaced them.
_REMOVED_GROUPS = {
    "scheduling.incubator.k8s.io": "`scheduling.volcano.sh/v1beta1` (kube-batch became Volcano)",
    "scheduling.sigs.dev": "`scheduling.volcano.sh/v1beta1` (kube-batch became Volcano)",
    "scheduling.sigs.k8s.io": "`scheduling.x-k8s.io/v1alpha1` (scheduler-plugins v0.25)",
}
_REMOVED_VERSIONS = {
    "scheduling.volcano.sh/v1alpha1": "`scheduling.volcano.sh/v1beta1`",
    "scheduling.volcano.sh/v1alpha2": "`scheduling.volcano.sh/v1beta1`",
}
_OLD_LABELS = {
    "pod-group.scheduling.sigs.k8s.io": "scheduling.x-k8s.io/pod-group",
    "pod-group.scheduling.sigs.k8s.io/name": "scheduling.x-k8s.io/pod-group",
}


class RemovedGangApi(Rule):
    """## What it does
    Checks for gang scheduling objects at API groups that no scheduler serves any more:
    kube-batch's `scheduling.incubator.k8s.io` and `scheduling.sigs.dev` (now Volcano's
    `scheduling.volcano.sh/v1beta1`), Volcano's own `v1alpha1`/`v1alpha2`, and the
    scheduler-plugins group `scheduling.sigs.k8s.io` (now `scheduling.x-k8s.io`), together
    with the old coscheduling pod label `pod-group.scheduling.sigs.k8s.io`.

    ## Why is this bad?
    The API server has no such resource, so the PodGroup or Queue is rejected at apply time;
    pods labelled with the old key are simply not grouped, and the job loses its gang.

    ## Example
    ```yaml
    apiVersion: scheduling.incubator.k8s.io/v1alpha1
    kind: PodGroup
    metadata: {name: train}
    spec: {minMember: 4}
    ```

    Use instead:
    ```yaml
    apiVersion: scheduling.volcano.sh/v1beta1
    kind: PodGroup
    metadata: {name: train}
    spec: {minMember: 4}
    ```
    """

    code = "GNG007"
    name = "removed-gang-api"
    summary = "Gang scheduling object at a removed API group"
    severity = Severity.ERROR
    requirements = ("gang_scheduling",)

    def check_object(self, ctx: Context, obj: K8sObject) -> Iterator[Violation]:
        replacement = _REMOVED_GROUPS.get(obj.group) or _REMOVED_VERSIONS.get(obj.api_version)
        if replacement:
            yield Violation(
                f"{obj.display()} uses `{obj.api_version}`, which is no longer served; use "
                f"{replacement}",
                ("apiVersion",),
            )
        for template in ctx.bundle.templates(obj):
            for old, new in _OLD_LABELS.items():
                if old in template.labels:
                    yield Violation(
                        f"{obj.display()} labels its pods `{old}`, which scheduler-plugins no "
                        f"longer reads; use `{new}`",
                        (*template.metadata_path, "labels", old),
                    )
