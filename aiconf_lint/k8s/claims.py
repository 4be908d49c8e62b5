"""DRA claims as pod templates write them: `spec.resourceClaims[]` and `resources.claims[]`.

The one reading of claims for every family: DRA checks the references, ACC and SCL ask whether
a template claims devices at all, the facts record keeps them per template.
"""

from __future__ import annotations

from collections.abc import Iterator

from aiconf_lint.k8s.objects import as_list, as_map, as_str
from aiconf_lint.k8s.workloads import ContainerView, PodTemplate
from aiconf_lint.model import YamlPath
from aiconf_lint.records import record


@record(frozen=True)
class PodClaim:
    """One `spec.resourceClaims[]` entry of a pod template (or PodGroup)."""

    name: str
    path: YamlPath
    source_kind: str | None
    source_name: str | None

    @property
    def source_key(self) -> str:
        return (
            "resourceClaimTemplateName"
            if self.source_kind == "ResourceClaimTemplate"
            else "resourceClaimName"
        )


def parse_pod_claims(items: object, base: YamlPath) -> list[PodClaim]:
    claims: list[PodClaim] = []
    for i, item in enumerate(as_list(items)):
        entry = as_map(item)
        name = entry.get("name")
        if not isinstance(name, str):
            continue
        kind: str | None = None
        source: str | None = None
        for key, candidate in (
            ("resourceClaimTemplateName", "ResourceClaimTemplate"),
            ("resourceClaimName", "ResourceClaim"),
        ):
            value = entry.get(key)
            if isinstance(value, str) and value:
                kind, source = candidate, value
                break
        claims.append(PodClaim(name, (*base, i), kind, source))
    return claims


def pod_claims(template: PodTemplate) -> list[PodClaim]:
    return parse_pod_claims(template.spec.get("resourceClaims"), (*template.path, "resourceClaims"))


@record(frozen=True)
class ContainerClaim:
    container: str
    init: bool
    index: int
    path: YamlPath
    name: str | None
    """None when absent or not a string (a list where a name belongs must not reach a set)."""
    request: str | None


def claims_of(container: ContainerView) -> list[ContainerClaim]:
    """The container's `resources.claims[]` entries."""
    claims: list[ContainerClaim] = []
    for i, item in enumerate(as_list(container.resources.get("claims"))):
        entry = as_map(item)
        claims.append(
            ContainerClaim(
                container.name,
                container.init,
                i,
                (*container.resources_path, "claims", i),
                as_str(entry.get("name")),
                as_str(entry.get("request")),
            )
        )
    return claims


def container_claims(template: PodTemplate) -> Iterator[ContainerClaim]:
    """Every `resources.claims[]` entry of the template's containers and init containers."""
    for container in template.containers:
        yield from claims_of(container)
