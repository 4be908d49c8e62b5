"""The CNCF Kubernetes AI Conformance checklists, as published, as data.

Levels are copied from `cncf/k8s-ai-conformance:docs/AIConformance-1.3x.yaml`; checklists are
frozen at each Kubernetes release freeze, so a new version is a new entry, never an edit.
A requirement absent from a version (as `dra_support` is from 1.36) is simply not listed.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Level(enum.StrEnum):
    MUST = "MUST"
    SHOULD = "SHOULD"


@dataclass(frozen=True, slots=True)
class Requirement:
    id: str
    category: str
    level: Level


@dataclass(frozen=True, slots=True)
class Profile:
    version: str
    requirements: tuple[Requirement, ...]

    def level(self, requirement_id: str) -> Level | None:
        for requirement in self.requirements:
            if requirement.id == requirement_id:
                return requirement.level
        return None


M, S = Level.MUST, Level.SHOULD
_CATEGORY = {
    "dra_support": "accelerators",
    "driver_runtime_management": "accelerators",
    "gpu_sharing": "accelerators",
    "virtualized_accelerator": "accelerators",
    "ai_inference": "networking",
    "advanced_inference_ingress": "networking",
    "high_performance_networking": "networking",
    "disaggregated_inference": "networking",
    "gang_scheduling": "schedulingOrchestration",
    "cluster_autoscaling": "schedulingOrchestration",
    "pod_autoscaling": "schedulingOrchestration",
    "accelerator_metrics": "observability",
    "ai_service_metrics": "observability",
    "secure_accelerator_access": "security",
    "robust_controller": "operator",
}
# Requirement id -> level in 1.33, 1.34, 1.35, 1.36 (None: not in that checklist).
_MATRIX: dict[str, tuple[Level | None, Level | None, Level | None, Level | None]] = {
    "dra_support": (S, M, M, None),
    "driver_runtime_management": (None, None, S, S),
    "gpu_sharing": (None, None, S, S),
    "virtualized_accelerator": (None, None, S, S),
    "ai_inference": (M, M, M, M),
    "advanced_inference_ingress": (None, None, None, S),
    "high_performance_networking": (None, None, None, S),
    "disaggregated_inference": (None, None, None, S),
    "gang_scheduling": (M, M, M, M),
    "cluster_autoscaling": (M, M, M, M),
    "pod_autoscaling": (M, M, M, M),
    "accelerator_metrics": (M, M, M, M),
    "ai_service_metrics": (M, M, M, M),
    "secure_accelerator_access": (M, M, M, M),
    "robust_controller": (M, M, M, M),
}
VERSIONS = ("1.33", "1.34", "1.35", "1.36")


def _build(column: int) -> Profile:
    return Profile(
        VERSIONS[column],
        tuple(
            Requirement(rid, _CATEGORY[rid], level)
            for rid, levels in _MATRIX.items()
            if (level := levels[column]) is not None
        ),
    )


PROFILES: dict[str, Profile] = {version: _build(i) for i, version in enumerate(VERSIONS)}
DEFAULT_PROFILE = VERSIONS[-1]
ALL_REQUIREMENT_IDS = frozenset(_MATRIX)

_DRA_VERSIONS = {"1.33": "v1beta2", "1.34": "v1", "1.35": "v1", "1.36": "v1"}
"""The newest `resource.k8s.io` version the Kubernetes release of each checklist serves:
`v1beta2` came in 1.33 with the shape `v1` kept, `v1` in 1.34 (KEP-4381). A fix must never
write a version the targeted cluster does not serve."""


def dra_api_version(profile: Profile) -> str:
    """`resource.k8s.io/<version>` to write for `profile` (the GA `v1` for unknown ones)."""
    return f"resource.k8s.io/{_DRA_VERSIONS.get(profile.version, 'v1')}"
