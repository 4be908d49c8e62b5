"""GNG003."""

from __future__ import annotations

from collections.abc import Iterator

from aiconf_lint.k8s.gang import (
    KUEUE_MIN_PARALLELISM,
    cannot_start_partially,
    kind_key,
)
from aiconf_lint.k8s.objects import K8sObject, get_path
from aiconf_lint.k8s.quantity import parse_int
from aiconf_lint.k8s.workloads import KUBEFLOW_REPLICAS, total_pods
from aiconf_lint.model import Severity, Violation
from aiconf_lint.rule import Context, Rule
from aiconf_lint.rules.gng._gang_groups import (
    counted_groups,
    related,
)


class GangMinimumBelowMembers(Rule):
    """## What it does
    Checks gang minima that are smaller than the member count of a workload that cannot do
    any work until every member runs: an `MPIJob`, a `PyTorchJob` without `elasticPolicy`, a
    `JAXJob`, a static `torchrun --nnodes=N`, or a multi-host TPU slice. The minima checked are
    a Kubeflow `runPolicy.schedulingPolicy.minAvailable`, a Volcano Job `minAvailable`, Kueue's
    `job-min-parallelism` (partial admission), and the `minMember`/`minCount` of a PodGroup or
    Workload whose members are such a workload. Elastic jobs (`elasticPolicy`, `torchrun
    --nnodes=2:8`) are left alone: they can start with fewer members.

    ## Why is this bad?
    The gang scheduler admits the group once the minimum can run. For a fixed-size job that
    means some ranks start, take their accelerators, and block in rendezvous or `MPI_Init`
    until the others arrive, which is the partial start the gang was meant to prevent.

    ## Example
    ```yaml
    apiVersion: kubeflow.org/v2beta1
    kind: MPIJob
    metadata: {name: allreduce}
    spec:
      runPolicy:
        schedulingPolicy: {minAvailable: 2}
      mpiReplicaSpecs:
        Launcher: {replicas: 1, template: {spec: {containers: [{name: l, image: mpi:1}]}}}
        Worker: {replicas: 4, template: {spec: {containers: [{name: w, image: mpi:1}]}}}
    ```

    Use instead: `schedulingPolicy: {minAvailable: 5}` (the workers and the launcher), or
    leave `minAvailable` out and let the operator compute it.
    """

    code = "GNG003"
    name = "gang-minimum-below-members"
    summary = "Gang minimum below the members of a workload that cannot start partially"
    severity = Severity.WARNING
    requirements = ("gang_scheduling",)

    def check_bundle(self, ctx: Context) -> Iterator[tuple[K8sObject, Violation]]:
        bundle = ctx.bundle
        for group, minimum, path, pods in counted_groups(bundle):
            if minimum >= pods:
                continue
            reasons = [cannot_start_partially(r.template.obj, [r.template]) for r in group.refs]
            reason = next((r for r in reasons if r), None)
            if reason and related(bundle, group.group, group.refs):
                yield (
                    group.group,
                    Violation(
                        f"{group.group.display()} sets `{path[-1]}: {minimum}` below its "
                        f"{pods} members ({group.describe()}), but {reason}",
                        path,
                    ),
                )
        for obj in bundle.objects:
            yield from ((obj, v) for v in self._own_minimum(ctx, obj))

    @staticmethod
    def _own_minimum(ctx: Context, obj: K8sObject) -> Iterator[Violation]:
        kind = kind_key(obj)
        if kind in KUBEFLOW_REPLICAS:
            path: tuple[str, ...] = ("spec", "runPolicy", "schedulingPolicy", "minAvailable")
        elif kind == "VolcanoJob":
            path = ("spec", "minAvailable")
        elif kind == "Job" and obj.group == "batch":
            path = ("metadata", "annotations", KUEUE_MIN_PARALLELISM)
        else:
            return
        low = parse_int(get_path(obj.data, path))
        templates = ctx.bundle.templates(obj)
        total = total_pods(templates) if templates else None
        if low is None or total is None or low >= total:
            return
        reason = cannot_start_partially(obj, templates)
        if reason:
            yield Violation(
                f"{obj.display()} sets `{path[-1]}: {low}` below its {total} pods, but {reason}",
                path,
            )
