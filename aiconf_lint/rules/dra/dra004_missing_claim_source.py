"""DRA004."""

from __future__ import annotations

from collections.abc import Iterator

from aiconf_lint.k8s.bundle import Bundle
from aiconf_lint.k8s.dra import CLAIM_KINDS, is_dra, workload_claims
from aiconf_lint.k8s.inventory import Scope, declared, files_of
from aiconf_lint.k8s.objects import K8sObject, get_path
from aiconf_lint.k8s.quantity import is_unresolved
from aiconf_lint.model import Severity, Violation
from aiconf_lint.rule import Context, Rule

_GENERATED_BY = {
    # ComputeDomain (NVIDIA) creates the ResourceClaimTemplate it names for its IMEX channel.
    ("resource.nvidia.com", "ComputeDomain"): ("spec", "channel", "resourceClaimTemplate", "name"),
}


def _generated(bundle: Bundle, namespace: str, kind: str, name: str) -> bool:
    for (group, owner_kind), path in _GENERATED_BY.items():
        for owner in bundle.of_kind(owner_kind):
            if (
                owner.group == group
                and kind == "ResourceClaimTemplate"
                and bundle.namespace_of(owner) == namespace
                and get_path(owner.data, path) == name
            ):
                return True
    return False


def _evidence(scopes: dict[str, Scope], bundle: Bundle, obj: K8sObject) -> list[K8sObject]:
    """Claims and templates shipped with the workload (same file, chart, or a folder at or
    above it) in its namespace: proof that its claims are meant to live in this run."""
    namespace = bundle.namespace_of(obj)
    scope = scopes.get(namespace)
    if scope is None:
        claims = bundle.of_kind(*CLAIM_KINDS)
        scope = scopes[namespace] = Scope(
            bundle, (c for c in claims if is_dra(c) and bundle.namespace_of(c) == namespace)
        )
    return scope.of(obj)


_DECLARED_KEY = {"ResourceClaimTemplate": "claim-templates", "ResourceClaim": "resource-claims"}


class MissingClaimSource(Rule):
    """## What it does
    Flags a pod's (or PodGroup's) `resourceClaims[]` entry whose `resourceClaimTemplateName`
    or `resourceClaimName` names no ResourceClaimTemplate/ResourceClaim in the workload's
    namespace, when the files ship that workload's other DRA objects: another claim or
    template in the same namespace from the same file, Helm chart, or a folder at or above
    the workload's. Templates that a ComputeDomain in the files generates count as present.
    Without such evidence the claim may come from elsewhere (another chart, the cluster), and
    nothing is reported. The message says "in this run" and names the files the workload's
    other claims came from.

    Claims that exist in the cluster but not in the files are declared in the config:
    `[tool.aiconf-lint.inventory] claim-templates = ["training/h100-pairs"]` (and
    `resource-claims`), as `namespace/name` or a bare name for any namespace.

    ## Why is this bad?
    A pod whose claim template does not exist stays Pending ("waiting for resource claim
    template") and a pod whose named claim does not exist never schedules. With the
    workload's other claims defined next to it, a missing one is usually a typo or a template
    left out of the chart.

    ## Example
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
    ---
    apiVersion: v1
    kind: Pod
    metadata:
      name: trainer
    spec:
      resourceClaims:
        - name: gpu
          resourceClaimTemplateName: one-gpus   # no such template
      containers:
        - name: trainer
          image: pytorch/pytorch:2.4.0
          resources:
            claims:
              - name: gpu
    ```

    Use instead:
    ```yaml
    spec:
      resourceClaims:
        - name: gpu
          resourceClaimTemplateName: one-gpu
    ```
    """

    code = "DRA004"
    name = "missing-claim-source"
    summary = "Pod claim naming a claim template or claim the bundle lacks"
    severity = Severity.WARNING
    requirements = ("dra_support",)

    def check_bundle(self, ctx: Context) -> Iterator[tuple[K8sObject, Violation]]:
        bundle = ctx.bundle
        inventory = ctx.settings.section("inventory")
        scopes: dict[str, Scope] = {}  # claims of each namespace, scoped once per file
        for obj in bundle.objects:
            claims = workload_claims(bundle, obj)
            if not claims:
                continue
            namespace = bundle.namespace_of(obj)
            evidence: list[K8sObject] = []
            looked = False
            for claim in claims:
                kind, name = claim.source_kind, claim.source_name
                if kind is None or name is None or is_unresolved(name):
                    continue
                if any(is_dra(o) for o in bundle.get(kind, namespace, name)):
                    continue
                if _generated(bundle, namespace, kind, name):
                    continue
                if declared(inventory, _DECLARED_KEY.get(kind, ""), namespace, name):
                    continue
                if not looked:
                    evidence, looked = _evidence(scopes, bundle, obj), True
                if not evidence:
                    continue
                yield (
                    obj,
                    Violation(
                        f"Claim `{claim.name}` of {obj.display()} names {kind} `{name}`, which "
                        f"{_where(obj, namespace)} (the claims shipped with it are in "
                        f"{files_of(evidence)}){_hint(bundle, namespace, kind, name)}",
                        (*claim.path, claim.source_key),
                        related_objects=(
                            (evidence[0].key, ("metadata", "name"), "claims shipped with it"),
                        ),
                    ),
                )


def _where(obj: K8sObject, namespace: str) -> str:
    if obj.namespace:
        return f"is not in namespace `{namespace}` in this run"
    return f"is not in this run (looked in namespace `{namespace}`, as the workload sets none)"


def _hint(bundle: Bundle, namespace: str, kind: str, name: str) -> str:
    other = "ResourceClaim" if kind == "ResourceClaimTemplate" else "ResourceClaimTemplate"
    if any(is_dra(o) for o in bundle.get(other, namespace, name)):
        key = "resourceClaimName" if other == "ResourceClaim" else "resourceClaimTemplateName"
        return f"; a {other} of that name exists: use `{key}`"
    elsewhere = sorted(
        bundle.namespace_of(o) for o in bundle.of_kind(kind) if is_dra(o) and o.name == name
    )
    return f"; it exists in namespace `{elsewhere[0]}`" if elsewhere else ""
