"""DRA001."""

from __future__ import annotations

from collections.abc import Iterator

from aiconf_lint.k8s.dra import v1beta1_moves
from aiconf_lint.k8s.objects import K8sObject
from aiconf_lint.model import Applicability, Edit, Fix, FixAvailability, Severity, Violation
from aiconf_lint.profiles import dra_api_version
from aiconf_lint.rule import Context, Rule

GROUP = "resource.k8s.io"
TARGET = f"{GROUP}/v1"
_BETAS = ("v1beta1", "v1beta2")
_SUCCESSORS = {
    "ResourceClass": "a `resource.k8s.io/v1` DeviceClass",
    "ResourceClaimParameters": "`selectors` and `config` in the claim",
    "ResourceClassParameters": "`selectors` and `config` in a DeviceClass",
    "PodSchedulingContext": "nothing (the scheduler allocates claims itself); delete it",
}
"""Classic-DRA kinds that have no `v1` counterpart, and what replaced them."""
_NOT_GA_KINDS = frozenset({"DeviceTaintRule"})
"""Kinds still served only as alpha/beta in 1.34-1.36 (`v1alpha3`, then `v1beta2`): not stale."""


def _v1beta1_shape(obj: K8sObject, where: str) -> Iterator[Violation]:
    """A `v1`/`v1beta2` object written in the flat `v1beta1` shape: rejected as unknown fields."""
    for move in v1beta1_moves(obj):
        key = move.first_key[-1]
        target = "up one level" if key == "basic" else "under `exactly`"
        yield Violation(
            f"The {move.what} of {where} has `{key}` in the `v1beta1` shape, which "
            f"`{obj.api_version}` rejects; move its fields {target}",
            move.first_key,
            key_only=True,
            severity=Severity.ERROR,
            fix=Fix(
                f"Convert {move.what} to the `{obj.version}` shape", move.edits, Applicability.SAFE
            ),
        )


class DeprecatedDraApiVersion(Rule):
    """## What it does
    Flags `resource.k8s.io` objects (ResourceClaim, ResourceClaimTemplate, DeviceClass,
    ResourceSlice) written for an API version other than the GA `resource.k8s.io/v1`:
    `v1alpha2`/`v1alpha3` (classic and early structured DRA, removed) are errors,
    `v1beta1`/`v1beta2` are warnings. The version to use follows the profile: `v1` from 1.34;
    under `--profile 1.33`, whose Kubernetes release serves no `v1` yet, `v1beta2` is the
    target and `v1` is flagged instead. `DeviceTaintRule`, which has no `v1` before 1.37, is
    left alone. A `v1`/`v1beta2` object written in the flat `v1beta1` shape (`deviceClassName`
    directly on a request, ResourceSlice `basic` devices) is an error too.

    ## Why is this bad?
    DRA went GA in Kubernetes 1.34 and only `v1` is served by default there; the betas must be
    enabled by hand on the API server and the alphas no longer exist. A manifest at an old
    version fails with "no matches for kind" on a default 1.34+ cluster, so the workload that
    needs the claim never starts. Changing only the `apiVersion` of a `v1beta1` claim is not
    enough: `v1` rejects the flat request fields as unknown.

    ## Example
    ```yaml
    apiVersion: resource.k8s.io/v1beta1
    kind: ResourceClaimTemplate
    metadata:
      name: one-gpu
    spec:
      spec:
        devices:
          requests:
            - name: gpu
              deviceClassName: gpu.nvidia.com
              count: 1
    ```

    Use instead:
    ```yaml
    apiVersion: resource.k8s.io/v1
    kind: ResourceClaimTemplate
    metadata:
      name: one-gpu
    spec:
      spec:
        devices:
          requests:
            - name: gpu
              exactly:
                deviceClassName: gpu.nvidia.com
                count: 1
    ```

    ## Fix safety
    `v1beta2` and `v1` are field-for-field identical, so the fix only renames the version; it
    writes the newest version the profile's Kubernetes release serves (`v1beta2` for 1.33).
    From `v1beta1` the fix also moves each request's flat fields (`deviceClassName`,
    `selectors`, `allocationMode`, `count`, `adminAccess`, `tolerations`, `capacity`) under
    `exactly` and unwraps ResourceSlice `basic` devices, which is the documented conversion
    and what the API server itself does between the versions: the fix is safe. Alpha objects
    (parameter objects, `resourceClassName`) differ too much for a mechanical rewrite and get
    no fix.

    ## References
    - https://kubernetes.io/docs/concepts/scheduling-eviction/dynamic-resource-allocation/
    - https://github.com/kubernetes/enhancements/tree/master/keps/sig-node/4381-dra-structured-parameters
    """

    code = "DRA001"
    name = "deprecated-dra-api-version"
    summary = "DRA object at an API version not served by default"
    severity = Severity.ERROR
    requirements = ("dra_support",)
    fix_availability = FixAvailability.SOMETIMES

    def check_object(self, ctx: Context, obj: K8sObject) -> Iterator[Violation]:
        if obj.group != GROUP or obj.kind in _NOT_GA_KINDS:
            return
        where = f"{obj.kind} `{obj.name}`" if obj.name else obj.kind
        target = dra_api_version(ctx.profile)
        newest = target.rpartition("/")[2]
        if obj.version in ("v1", "v1beta2"):
            yield from _v1beta1_shape(obj, where)
        if obj.version == newest:
            return
        if obj.version == "v1":  # newer than the profile's release serves
            yield Violation(
                f"{where} uses `{obj.api_version}`, which Kubernetes {ctx.profile.version} does "
                f"not serve (GA in 1.34); use `{target}` for {ctx.profile.version} clusters",
                ("apiVersion",),
                severity=Severity.WARNING,
            )
            return
        if obj.version.startswith("v1alpha"):
            successor = _SUCCESSORS.get(obj.kind)
            advice = (
                f"the kind is gone, replaced by {successor}"
                if successor
                else f"rewrite it for `{target}`"
            )
            yield Violation(
                f"{where} uses removed `{obj.api_version}`; {advice}",
                ("apiVersion",),
                severity=Severity.ERROR,
            )
            return
        if obj.version not in _BETAS:
            return
        edits = [Edit("set", ("apiVersion",), value=target)]
        if obj.version == "v1beta1":
            edits.extend(edit for move in v1beta1_moves(obj) for edit in move.edits)
        served = (
            "Kubernetes 1.34+ does not serve by default"
            if newest == "v1"
            else f"is older than `{target}` (the same shape as `{TARGET}`)"
        )
        yield Violation(
            f"{where} uses `{obj.api_version}`, which {served}; use `{target}`",
            ("apiVersion",),
            severity=Severity.WARNING,
            fix=Fix(f"Convert to `{target}`", tuple(edits), Applicability.SAFE),
        )
