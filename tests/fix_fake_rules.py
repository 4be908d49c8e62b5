"""Test-only rules that attach fixes shaped like the real ones (ACC001, DRA001, GNG001).

They let the fix engine be tested over every edit op before those rules exist; they are
passed to the engine explicitly and never registered.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from aiconf_lint.k8s.objects import K8sObject, as_list, as_map
from aiconf_lint.k8s.workloads import ContainerView, PodTemplate
from aiconf_lint.model import Applicability, Edit, Fix, Severity, Violation
from aiconf_lint.rule import Context, Rule

GPU = "nvidia.com/gpu"
FLAT = ("deviceClassName", "selectors", "allocationMode", "count", "adminAccess", "tolerations")


def _drop_gpu(container: ContainerView, section: str) -> list[Edit]:
    values = container.limits if section == "limits" else container.requests
    if GPU not in values:
        return []
    if len(values) == 1:  # the edits, not the engine, remove a map they empty
        return [Edit("remove", (*container.resources_path, section))]
    return [Edit("remove", (*container.resources_path, section, GPU))]


class FakeDraMigration(Rule):
    """## What it does
    Test double of ACC001: moves `nvidia.com/gpu` limits to a ResourceClaimTemplate.
    """

    code = "XFX001"
    name = "fake-dra-migration"
    summary = "Device-plugin GPU that could be a DRA claim"
    severity = Severity.WARNING

    def check_pod_template(self, ctx: Context, template: PodTemplate) -> Iterator[Violation]:
        obj = template.obj
        for container in template.containers:
            raw = container.limits.get(GPU)
            if isinstance(raw, str) and raw.isdigit():
                raw = int(raw)
            if not isinstance(raw, int) or isinstance(raw, bool):
                continue
            count = raw
            claim = f"{container.name}-gpu"
            name = f"{obj.name}-{claim}"
            metadata: dict[str, Any] = {"name": name}
            if obj.namespace:
                metadata["namespace"] = obj.namespace
            rct = {
                "apiVersion": "resource.k8s.io/v1",
                "kind": "ResourceClaimTemplate",
                "metadata": metadata,
                "spec": {
                    "spec": {
                        "devices": {
                            "requests": [
                                {
                                    "name": "gpu",
                                    "exactly": {
                                        "deviceClassName": "gpu.nvidia.com",
                                        "allocationMode": "ExactCount",
                                        "count": count,
                                    },
                                }
                            ]
                        }
                    }
                },
            }
            edits = [
                *_drop_gpu(container, "limits"),
                *_drop_gpu(container, "requests"),
                Edit(
                    "append",
                    (*template.path, "resourceClaims"),
                    value={"name": claim, "resourceClaimTemplateName": name},
                ),
                Edit("append", (*container.resources_path, "claims"), value={"name": claim}),
                Edit("add_document", (), value=rct),
            ]
            yield Violation(
                f"Container `{container.name}` uses `{GPU}`",
                (*container.resources_path, "limits", GPU),
                key_only=True,
                fix=Fix(f"Claim the GPUs with `{name}`", tuple(edits), Applicability.UNSAFE),
            )


class FakeDraApiVersion(Rule):
    """## What it does
    Test double of DRA001: rewrites a v1beta1 ResourceClaimTemplate to v1.
    """

    code = "XFX002"
    name = "fake-dra-api-version"
    summary = "DRA object in a beta API"
    severity = Severity.ERROR

    def check_object(self, ctx: Context, obj: K8sObject) -> Iterator[Violation]:
        betas = ("resource.k8s.io/v1beta1", "resource.k8s.io/v1beta2")
        if obj.kind != "ResourceClaimTemplate" or obj.api_version not in betas:
            return
        edits = [Edit("set", ("apiVersion",), value="resource.k8s.io/v1")]
        base = ("spec", "spec", "devices", "requests")
        requests = as_list(as_map(as_map(obj.spec.get("spec")).get("devices")).get("requests"))
        for index, request in enumerate(requests if obj.version == "v1beta1" else []):
            flat = {k: v for k, v in as_map(request).items() if k in FLAT}
            if not flat:
                continue
            edits.extend(Edit("remove", (*base, index, key)) for key in flat)
            edits.append(Edit("merge", (*base, index), key="exactly", value=flat))
        yield Violation(
            f"ResourceClaimTemplate `{obj.name}` uses `{obj.api_version}`",
            ("apiVersion",),
            fix=Fix("Move to `resource.k8s.io/v1`", tuple(edits), Applicability.SAFE),
        )


class FakeQueueLabel(Rule):
    """## What it does
    Test double of GNG001: adds a Kueue queue label to a Job.
    """

    code = "XFX003"
    name = "fake-queue-label"
    summary = "Job without a queue"
    severity = Severity.WARNING

    def check_object(self, ctx: Context, obj: K8sObject) -> Iterator[Violation]:
        if obj.kind != "Job" or "kueue.x-k8s.io/queue-name" in obj.labels:
            return
        yield Violation(
            f"Job `{obj.name}` has no queue label",
            ("metadata",),
            key_only=True,
            fix=Fix(
                "Add the queue label",
                (
                    Edit(
                        "merge",
                        ("metadata", "labels"),
                        key="kueue.x-k8s.io/queue-name",
                        value="default",
                    ),
                ),
                Applicability.UNSAFE,
            ),
        )


class FakeAnnotation(Rule):
    """## What it does
    Test double for `add` and `set`: marks a Service as reviewed, pins its type.
    """

    code = "XFX004"
    name = "fake-annotation"
    summary = "Service not reviewed"
    severity = Severity.WARNING

    def check_object(self, ctx: Context, obj: K8sObject) -> Iterator[Violation]:
        if obj.kind != "Service" or obj.annotations.get("example.com/reviewed") == "yes":
            return
        edits = [Edit("add", ("metadata", "annotations"), key="example.com/reviewed", value="yes")]
        if obj.spec.get("type") not in (None, "ClusterIP"):
            edits.append(Edit("set", ("spec", "type"), value="ClusterIP"))
        yield Violation(
            f"Service `{obj.name}` is not reviewed",
            ("metadata",),
            key_only=True,
            fix=Fix("Mark as reviewed", tuple(edits), Applicability.SAFE),
        )


FAKE_RULES: tuple[type[Rule], ...] = (
    FakeDraMigration,
    FakeDraApiVersion,
    FakeQueueLabel,
    FakeAnnotation,
)
