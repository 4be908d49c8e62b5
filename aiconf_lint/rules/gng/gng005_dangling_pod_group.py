"""GNG005."""

from __future__ import annotations

from collections.abc import Iterator

from aiconf_lint.k8s.gang import (
    NATIVE_API,
    OPERATOR_GROUPED,
    YUNIKORN_GROUP,
    kind_key,
    template_annotations,
)
from aiconf_lint.k8s.objects import K8sObject, as_list, as_map, get_path
from aiconf_lint.k8s.workloads import PodTemplate
from aiconf_lint.model import Severity, Violation
from aiconf_lint.rule import Context, Rule
from aiconf_lint.rules.gng._gang_groups import (
    find_group,
    group_refs,
    yunikorn_groups,
)


class DanglingPodGroup(Rule):
    """## What it does
    Checks references from pod templates to pod groups: a Volcano
    `scheduling.k8s.io/group-name` annotation, a coscheduling `scheduling.x-k8s.io/pod-group`
    label, a native `schedulingGroup.podGroupName` or `workloadRef` (and its `podGroup`), and a
    native PodGroup's `podGroupTemplateRef`. A reference is reported when its target is not
    in the bundle while the bundle does carry the workload's other objects (same file, chart
    or folder), so linting one file of a larger set stays quiet. A YuniKorn
    `task-group-name` missing from the same template's `task-groups` is always reported.
    Templates of Kubeflow, Ray, LeaderWorkerSet and Volcano Job objects are skipped: their
    operators create and name the group.

    ## Why is this bad?
    Pods that point at a group that does not exist are held back: Volcano's admission webhook
    rejects them ("failed to get PodGroup for pod"), the native scheduler keeps them Pending
    until the group appears, and YuniKorn fails the application ("taskGroup is not defined").

    ## Example
    ```yaml
    apiVersion: batch/v1
    kind: Job
    metadata: {name: train}
    spec:
      template:
        metadata: {labels: {scheduling.x-k8s.io/pod-group: trian}}   # typo
        spec: {containers: [{name: c, image: trainer:1}]}
    ---
    apiVersion: scheduling.x-k8s.io/v1alpha1
    kind: PodGroup
    metadata: {name: train}
    spec: {minMember: 1}
    ```

    Use instead: `scheduling.x-k8s.io/pod-group: train`, the PodGroup's name.
    """

    code = "GNG005"
    name = "dangling-pod-group"
    summary = "Pod group reference to a group not in the bundle"
    severity = Severity.WARNING
    requirements = ("gang_scheduling",)

    def check_bundle(self, ctx: Context) -> Iterator[tuple[K8sObject, Violation]]:
        bundle = ctx.bundle
        for obj in bundle.objects:
            if obj.kind == "PodGroup" and obj.group == NATIVE_API:
                yield from ((obj, v) for v in self._workload_ref(ctx, obj))
            if kind_key(obj) in OPERATOR_GROUPED:
                continue
            evidence: bool | None = None
            for template in bundle.templates(obj):
                yield from ((obj, v) for v in self._yunikorn(template))
                for ref in group_refs(template):
                    target = find_group(bundle, ref)
                    if target is not None:
                        names = [
                            as_map(g).get("name") for g in as_list(target.spec.get("podGroups"))
                        ]
                        if ref.kind == "Workload" and ref.sub_group not in names:
                            path = (*ref.path[:-1], "podGroup")
                            yield (
                                obj,
                                Violation(
                                    f"{obj.display()} refers to pod group `{ref.sub_group}` of "
                                    f"Workload `{ref.name}`, which defines no such group",
                                    path,
                                ),
                            )
                        continue
                    if evidence is None:
                        evidence = next(bundle.related_sources(obj), None) is not None
                    if evidence:
                        yield (
                            obj,
                            Violation(
                                f"{obj.display()} refers to {ref.kind} `{ref.name}` "
                                f"(`{ref.api_group}`), which is not in the bundle",
                                ref.path,
                            ),
                        )

    @staticmethod
    def _yunikorn(template: PodTemplate) -> Iterator[Violation]:
        name = template_annotations(template).get(YUNIKORN_GROUP)
        declared = yunikorn_groups(template)
        if name is None or declared is None or name in declared:
            return
        yield Violation(
            f"{template.obj.display()} puts its pods in YuniKorn task group `{name}`, which its "
            f"task groups ({', '.join(f'`{d}`' for d in declared) or 'none'}) do not define",
            (*template.metadata_path, "annotations", YUNIKORN_GROUP),
        )

    @staticmethod
    def _workload_ref(ctx: Context, group: K8sObject) -> Iterator[Violation]:
        """A native PodGroup's `podGroupTemplateRef` to its Workload and template."""
        base = ("spec", "podGroupTemplateRef", "workload")
        ref = as_map(get_path(group.data, base))
        name, template = ref.get("workloadName"), ref.get("podGroupTemplateName")
        if not isinstance(name, str):
            return
        workloads = [
            w for w in ctx.bundle.get("Workload", group.namespace, name) if w.group == NATIVE_API
        ]
        if not workloads:
            if next(ctx.bundle.related_sources(group), None) is not None:
                yield Violation(
                    f"{group.display()} refers to Workload `{name}`, which is not in the bundle",
                    (*base, "workloadName"),
                )
            return
        names = [as_map(t).get("name") for t in as_list(workloads[0].spec.get("podGroupTemplates"))]
        if isinstance(template, str) and template not in names:
            yield Violation(
                f"{group.display()} refers to pod group template `{template}` of Workload "
                f"`{name}`, which defines no such template",
                (*base, "podGroupTemplateName"),
            )
