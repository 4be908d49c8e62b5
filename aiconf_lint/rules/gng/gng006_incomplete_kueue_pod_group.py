"""GNG006."""

from __future__ import annotations

from collections.abc import Iterator

from aiconf_lint.k8s.gang import (
    KUEUE_GROUP,
    KUEUE_QUEUE,
    KUEUE_TOTAL,
)
from aiconf_lint.k8s.objects import K8sObject
from aiconf_lint.k8s.quantity import is_unresolved, parse_int
from aiconf_lint.model import Severity, Violation
from aiconf_lint.rule import Context, Rule
from aiconf_lint.rules.gng._gang_groups import (
    KueueMember,
    kueue_groups,
    kueue_members,
)


class IncompleteKueuePodGroup(Rule):
    """## What it does
    Checks Kueue plain-pod groups: a pod (or pod template) with `kueue.x-k8s.io/pod-group-name`
    but no `kueue.x-k8s.io/pod-group-total-count` annotation, or the reverse; a total count
    that is not an integer of at least 1; and members of one group (same namespace and name)
    that disagree on the total count or on the `kueue.x-k8s.io/queue-name` label.

    ## Why is this bad?
    Kueue's pod webhook rejects a group name without a total count, and a count that is not a
    positive integer. Pods of one group with different counts or different queues are an
    unretryable error: the group's workload is never admitted.

    ## Example
    ```yaml
    apiVersion: v1
    kind: Pod
    metadata:
      name: worker-0
      labels:
        kueue.x-k8s.io/queue-name: team-a
        kueue.x-k8s.io/pod-group-name: train
    spec: {containers: [{name: c, image: trainer:1}]}
    ```

    Use instead:
    ```yaml
    apiVersion: v1
    kind: Pod
    metadata:
      name: worker-0
      labels:
        kueue.x-k8s.io/queue-name: team-a
        kueue.x-k8s.io/pod-group-name: train
      annotations:
        kueue.x-k8s.io/pod-group-total-count: "2"
    spec: {containers: [{name: c, image: trainer:1}]}
    ```
    """

    code = "GNG006"
    name = "incomplete-kueue-pod-group"
    summary = "Kueue pod group metadata that is incomplete or inconsistent"
    severity = Severity.ERROR
    requirements = ("gang_scheduling",)

    def check_bundle(self, ctx: Context) -> Iterator[tuple[K8sObject, Violation]]:
        for member in kueue_members(ctx.bundle):
            yield from ((member.obj, v) for v in _own(member))
        for name, items in kueue_groups(ctx.bundle):
            first = items[0]
            for member in items[1:]:
                for key, ours, theirs, where in (
                    (
                        KUEUE_TOTAL,
                        member.annotations.get(KUEUE_TOTAL),
                        first.annotations.get(KUEUE_TOTAL),
                        "annotations",
                    ),
                    (KUEUE_QUEUE, member.queue, first.queue, "labels"),
                ):
                    if ours is None or theirs is None or ours == theirs:
                        continue
                    if key == KUEUE_TOTAL and parse_int(ours) == parse_int(theirs):
                        continue
                    path = (*member.meta, where, key)
                    if key == KUEUE_QUEUE and KUEUE_QUEUE not in member.labels:
                        path = ("metadata", "labels", KUEUE_QUEUE)
                    yield (
                        member.obj,
                        Violation(
                            f"{member.obj.display()} sets `{key}: {ours}` but "
                            f"{first.obj.display()} in the same Kueue pod group `{name}` sets "
                            f"`{theirs}`",
                            path,
                            related_objects=((first.obj.key, first.group_path, "first member"),),
                        ),
                    )


def _own(member: KueueMember) -> Iterator[Violation]:
    total = member.annotations.get(KUEUE_TOTAL)
    who = member.obj.display()
    if member.group is None:
        yield Violation(
            f"{who} sets `{KUEUE_TOTAL}` without `{KUEUE_GROUP}`; Kueue rejects it",
            (*member.meta, "annotations", KUEUE_TOTAL),
        )
    elif total is None:
        yield Violation(
            f"{who} sets `{KUEUE_GROUP}: {member.group}` without the `{KUEUE_TOTAL}` "
            "annotation; Kueue rejects it",
            member.group_path,
        )
    if total is not None and not is_unresolved(total):
        count = parse_int(total)
        if count is None or count < 1:
            yield Violation(
                f"{who} sets `{KUEUE_TOTAL}: {total}`, which is not an integer of at least 1",
                (*member.meta, "annotations", KUEUE_TOTAL),
            )
