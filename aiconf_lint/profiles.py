"""The CNCF Kubernetes AI Conformance checklists, as published, as data.

Ids, categories, levels and descriptions are copied from
`cncf/k8s-ai-conformance:docs/AIConformance-1.3x.yaml` (commit b2c8969, Apache-2.0); checklists
are frozen at each Kubernetes release freeze, so a new version is a new entry, never an edit.
A requirement absent from a version (as `dra_support` is from 1.36) is simply not listed.
Descriptions are kept verbatim because a submitted `PRODUCT.yaml` must not change them; the text
of an id is byte-identical in every version that lists it.
"""

from __future__ import annotations

import enum

from aiconf_lint.records import record


class Level(enum.StrEnum):
    MUST = "MUST"
    SHOULD = "SHOULD"


@record(frozen=True)
class Requirement:
    id: str
    category: str
    level: Level
    description: str = ""
    """The checklist's text, verbatim (the `description` of the CNCF YAML)."""


@record(frozen=True)
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
# Requirement id -> the checklist's description (identical in every version that lists the id).
_DESCRIPTION: dict[str, str] = {
    "dra_support": (
        "Support Dynamic Resource Allocation (DRA) APIs to enable more flexible and fine-grained "
        "resource requests beyond simple counts."
    ),
    "driver_runtime_management": (
        "Provide a verifiable mechanism for ensuring that compatible accelerator drivers and "
        "corresponding container runtime configurations are correctly installed and maintained on"
        " nodes with accelerators. Once the accelerator supports exposing driver and runtime "
        "version information as part of DRA, then the platform should use the DRA mechanism for "
        "verification."
    ),
    "gpu_sharing": (
        "For accelerators that support static GPU sharing, provide well-defined mechanisms for at"
        " least one GPU sharing strategy to improve utilization for workloads that do not require"
        " a full dedicated GPU. If hardware-level partitioning is supported, then these "
        "fractional GPU resources should be exposed as schedulable resources. If software-based "
        "sharing (e.g. time-slicing) is supported, then oversubscription of GPUs should be "
        "allowed. Forward-looking: Once the accelerator supports static GPU sharing as part of "
        "DRA, the platform should expose the DRA mechanism to allow users to leverage static GPU "
        "sharing. Once the accelerator supports dynamic GPU sharing as part of DRA and the "
        "partitionable devices feature is GA, the platform should expose the DRA mechanism to "
        "allow users to leverage dynamic GPU sharing."
    ),
    "virtualized_accelerator": (
        "For accelerators that support virtualized accelerator technologies (e.g. vGPU), provide "
        "well-defined mechanisms for these to be exposed and managed, maintaining consistency "
        "with physical fractional GPUs. Forward-looking: Once the accelerator supports "
        "virtualized accelerator technologies as part of DRA, then the platform should use the "
        "DRA mechanism."
    ),
    "ai_inference": (
        "Support the Kubernetes Gateway API with an implementation for advanced traffic "
        "management for inference services, which enables capabilities like weighted traffic "
        "splitting, header-based routing (for OpenAI protocol headers), and optional integration "
        "with service meshes."
    ),
    "advanced_inference_ingress": (
        "Support an implementation of the Gateway API Inference Extension (GAIE), which can route"
        " requests to models hosted on Kubernetes. The implementation supports serving LLMs and "
        "making advanced routing decisions (e.g., K/V cache-aware routing) based on metrics and "
        "capabilities advertised by the underlying model serving platform."
    ),
    "high_performance_networking": (
        "If high performance pod-to-pod communication is needed, then provide well-defined "
        "mechanisms for these specialized network resources to be managed and exposed such that "
        "their characteristics should be discoverable to enable informed scheduling or workload "
        "configuration and to enable pods to attach to multiple network interfaces. Platforms "
        "should use DRA as the mechanism to manage and expose these specialized network resources"
        " (e.g., DRANET)."
    ),
    "disaggregated_inference": (
        "Support the deployment and operation of disaggregated inference architectures. To be "
        "conformant, the platform should demonstrate that it can successfully install and run a "
        "disaggregated inference solution (e.g., vLLM, SGLang, llm-d, or Dynamo, with separate "
        "instances for distinct phases like prefill and decode). Disaggregated serving splits "
        "phases such as prefill and decode into separately scalable components so each phase can "
        "match different compute/memory/network needs, improving GPU utilization and tail latency"
        " while enabling higher throughput under mixed and bursty LLM workloads."
    ),
    "gang_scheduling": (
        "The platform must allow for the installation and successful operation of at least one "
        "gang scheduling solution that ensures all-or-nothing scheduling for distributed AI "
        "workloads (e.g. Kueue, Volcano, etc.) To be conformant, the vendor must demonstrate that"
        " their platform can successfully run at least one such solution."
    ),
    "cluster_autoscaling": (
        "If the platform provides a cluster autoscaler or an equivalent mechanism, it must be "
        "able to scale up/down node groups containing specific accelerator types based on pending"
        " pods requesting those accelerators."
    ),
    "pod_autoscaling": (
        "If the platform supports the HorizontalPodAutoscaler, it must function correctly for "
        "pods utilizing accelerators. This includes the ability to scale these Pods based on "
        "custom metrics relevant to AI/ML workloads."
    ),
    "accelerator_metrics": (
        "For supported accelerator types, the platform must allow for the installation and "
        "successful operation of at least one accelerator metrics solution that exposes "
        "fine-grained performance metrics via a standardized, machine-readable metrics endpoint. "
        "This must include a core set of metrics for per-accelerator utilization and memory "
        "usage. Additionally, other relevant metrics such as temperature, power draw, and "
        "interconnect bandwidth should be exposed if the underlying hardware or virtualization "
        "layer makes them available. The list of metrics should align with emerging standards, "
        "such as OpenTelemetry metrics, to ensure interoperability. The platform may provide a "
        "managed solution, but this is not required for conformance."
    ),
    "ai_service_metrics": (
        "Provide a monitoring system capable of discovering and collecting metrics from workloads"
        " that expose them in a standard format (e.g. Prometheus exposition format). This ensures"
        " easy integration for collecting key metrics from common AI frameworks and servers."
    ),
    "secure_accelerator_access": (
        "Ensure that access to accelerators from within containers is properly isolated and "
        "mediated by the Kubernetes resource management framework (device plugin or DRA) and "
        "container runtime, preventing unauthorized access or interference between workloads."
    ),
    "robust_controller": (
        "The platform must prove that at least one complex AI operator with a CRD (e.g., Ray, "
        "Kubeflow) can be installed and functions reliably. This includes verifying that the "
        "operator's pods run correctly, its webhooks are operational, and its custom resources "
        "can be reconciled."
    ),
}
VERSIONS = ("1.33", "1.34", "1.35", "1.36")


def _build(column: int) -> Profile:
    return Profile(
        VERSIONS[column],
        tuple(
            Requirement(rid, _CATEGORY[rid], level, _DESCRIPTION[rid])
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
