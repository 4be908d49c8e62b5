"""Pod group objects and their members, for the cross-object GNG rules.

A pod template points at its group by annotation (Volcano), label (coscheduling, Kueue plain
pods) or field (native `schedulingGroup`, `workloadRef`). The rules compare a group's minimum
with the pods of the templates that point at it, so this module builds that index once per
bundle and counts members with the workload table's `PodTemplate.pods`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from aiconf_lint.k8s.bundle import Bundle
from aiconf_lint.k8s.gang import (
    COSCHEDULING_API,
    COSCHEDULING_LABEL,
    KUEUE_GROUP,
    KUEUE_QUEUE,
    KUEUE_TOTAL,
    NATIVE_API,
    VOLCANO_API,
    VOLCANO_GROUP_KEYS,
    YUNIKORN_GROUPS,
    template_annotations,
)
from aiconf_lint.k8s.objects import K8sObject, as_list, as_map, get_path
from aiconf_lint.k8s.quantity import is_unresolved, parse_int
from aiconf_lint.k8s.workloads import PodTemplate, total_pods
from aiconf_lint.model import YamlPath
from aiconf_lint.records import record


@record(frozen=True)
class GroupRef:
    """A pod template's pointer to a pod group object."""

    template: PodTemplate
    api_group: str
    kind: str
    name: str
    path: YamlPath
    sub_group: str | None = None
    """The Workload's pod group (native v1alpha1 `workloadRef.podGroup`)."""
    replica_key: str = ""


def group_refs(template: PodTemplate) -> Iterator[GroupRef]:
    """Every reference from a pod template to a PodGroup or Workload object."""
    annotations, meta = template_annotations(template), template.metadata_path
    for key in VOLCANO_GROUP_KEYS:
        if key in annotations:
            path = (*meta, "annotations", key)
            yield GroupRef(template, VOLCANO_API, "PodGroup", annotations[key], path)
    if COSCHEDULING_LABEL in template.labels:
        name = template.labels[COSCHEDULING_LABEL]
        path = (*meta, "labels", COSCHEDULING_LABEL)
        yield GroupRef(template, COSCHEDULING_API, "PodGroup", name, path)
    group = as_map(template.spec.get("schedulingGroup")).get("podGroupName")
    if isinstance(group, str):
        path = (*template.path, "schedulingGroup", "podGroupName")
        yield GroupRef(template, NATIVE_API, "PodGroup", group, path)
    ref = as_map(template.spec.get("workloadRef"))
    if isinstance(ref.get("name"), str):
        sub = ref.get("podGroup")
        path = (*template.path, "workloadRef", "name")
        key = str(ref.get("podGroupReplicaKey") or "")
        yield GroupRef(
            template, NATIVE_API, "Workload", ref["name"], path, sub_group=str(sub), replica_key=key
        )


def find_group(bundle: Bundle, ref: GroupRef) -> K8sObject | None:
    namespace = bundle.namespace_of(ref.template.obj)
    for candidate in bundle.get(ref.kind, namespace, ref.name):
        if candidate.group == ref.api_group:
            return candidate
    return None


def yunikorn_groups(template: PodTemplate) -> list[str] | None:
    """Task group names declared in the template's `task-groups` JSON; None if unreadable."""
    raw = template_annotations(template).get(YUNIKORN_GROUPS)
    if raw is None or is_unresolved(raw):
        return None
    try:
        data = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(data, list):
        return None
    return [str(group.get("name")) for group in data if isinstance(group, dict)]


def native_minimum(group: K8sObject, sub_group: str | None) -> tuple[int | None, YamlPath] | None:
    """`gang.minCount` of a native PodGroup, or of one pod group of a v1alpha1 Workload."""
    if group.kind == "PodGroup":
        path: YamlPath = ("spec", "schedulingPolicy", "gang", "minCount")
        value = get_path(group.data, path)
        return (parse_int(value), path) if value is not None else None
    for i, item in enumerate(as_list(group.spec.get("podGroups"))):
        if as_map(item).get("name") == sub_group:
            path = ("spec", "podGroups", i, "policy", "gang", "minCount")
            value = get_path(group.data, path)
            return (parse_int(value), path) if value is not None else None
    return None


def group_minimum(group: K8sObject) -> tuple[int | None, YamlPath] | None:
    """`minMember` of a Volcano or coscheduling PodGroup, with its path."""
    if group.group in (VOLCANO_API, COSCHEDULING_API) and group.kind == "PodGroup":
        value = group.spec.get("minMember")
        if value is None:
            return None
        return parse_int(value), ("spec", "minMember")
    if group.group == NATIVE_API and group.kind == "PodGroup":
        return native_minimum(group, None)
    return None


@record(frozen=True)
class GroupMembers:
    """A pod group object and the pod templates in the bundle that point at it."""

    group: K8sObject
    sub_group: str | None
    refs: tuple[GroupRef, ...]

    @property
    def pods(self) -> int | None:
        return total_pods([ref.template for ref in self.refs])

    def describe(self) -> str:
        return ", ".join(f"{r.template.obj.display()}: {r.template.pods}" for r in self.refs)


def groups_with_members(bundle: Bundle) -> list[GroupMembers]:
    """Each PodGroup/Workload (and v1alpha1 pod group and replica key) with its member templates."""
    return bundle.cached("gang.groups_with_members", lambda: _groups_with_members(bundle))


def _groups_with_members(bundle: Bundle) -> list[GroupMembers]:
    index: dict[tuple[int, str | None, str], list[GroupRef]] = {}
    groups: dict[int, K8sObject] = {}
    seen: set[tuple[int, YamlPath, int]] = set()
    for obj in bundle.objects:
        for template in bundle.templates(obj):
            for ref in group_refs(template):
                group = find_group(bundle, ref)
                if group is None or (id(obj), template.path, id(group)) in seen:
                    continue
                seen.add((id(obj), template.path, id(group)))
                groups[id(group)] = group
                index.setdefault((id(group), ref.sub_group, ref.replica_key), []).append(ref)
    return [GroupMembers(groups[gid], sub, tuple(refs)) for (gid, sub, _key), refs in index.items()]


def related(bundle: Bundle, group: K8sObject, refs: tuple[GroupRef, ...]) -> bool:
    """Whether a member lives with the group (same file, chart or folder): counts are complete."""
    return any(
        ref.template.obj is not group and bundle.are_related(group, ref.template.obj)
        for ref in refs
    )


def minimum_of(members_: GroupMembers) -> tuple[int | None, YamlPath] | None:
    group = members_.group
    if group.kind == "Workload":
        return native_minimum(group, members_.sub_group)
    return group_minimum(group)


def counted_groups(bundle: Bundle) -> Iterator[tuple[GroupMembers, int, YamlPath, int]]:
    """(group, its minimum, the field that sets it, pods referencing it), where all are known.

    GNG002 and GNG003 compare the same two numbers from opposite sides.
    """
    for members_ in groups_with_members(bundle):
        found = minimum_of(members_)
        pods = members_.pods
        if found is not None and found[0] is not None and pods is not None:
            yield members_, found[0], found[1], pods


@record(frozen=True)
class KueueMember:
    """A Pod, or a pod template, carrying Kueue plain-pod group metadata."""

    obj: K8sObject
    meta: YamlPath
    labels: dict[str, str]
    annotations: dict[str, str]
    pods: int | None

    @property
    def group(self) -> str | None:
        return self.labels.get(KUEUE_GROUP) or self.annotations.get(KUEUE_GROUP)

    @property
    def group_path(self) -> YamlPath:
        where = "labels" if KUEUE_GROUP in self.labels else "annotations"
        return (*self.meta, where, KUEUE_GROUP)

    @property
    def queue(self) -> str | None:
        return self.labels.get(KUEUE_QUEUE) or self.obj.labels.get(KUEUE_QUEUE)


def kueue_members(bundle: Bundle) -> list[KueueMember]:
    return bundle.cached("gang.kueue_members", lambda: _kueue_members(bundle))


def _kueue_members(bundle: Bundle) -> list[KueueMember]:
    found: list[KueueMember] = []
    for obj in bundle.objects:
        for template in bundle.templates(obj):
            meta = template.metadata_path
            if not meta:
                continue
            labels, annotations = template.labels, template_annotations(template)
            if KUEUE_GROUP not in labels and not {KUEUE_GROUP, KUEUE_TOTAL} & set(annotations):
                continue
            pods = template.pods
            if obj.kind == "Pod" and not as_map(obj.data.get("metadata")).get("name"):
                pods = None  # a generateName Pod is a pattern created any number of times
            found.append(KueueMember(obj, meta, labels, annotations, pods))
    return found


def kueue_groups(bundle: Bundle) -> list[tuple[str, list[KueueMember]]]:
    """Kueue plain-pod groups by namespace and name, members in bundle order."""
    groups: dict[tuple[str, str], list[KueueMember]] = {}
    for member in kueue_members(bundle):
        if member.group:
            key = (bundle.namespace_of(member.obj), member.group)
            groups.setdefault(key, []).append(member)
    return [(name, items) for (_ns, name), items in groups.items()]


def total_known(counts: Iterable[int | None]) -> int | None:
    total = 0
    for count in counts:
        if count is None:
            return None
        total += count
    return total
