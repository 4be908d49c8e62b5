"""One evidence detector per requirement id of every profile version: the registry.

A detector reads the bundle through a `Probe` and returns the facets of its requirement, each
with the evidence it found. A test checks that every id in `profiles.ALL_REQUIREMENT_IDS` has
one, so a new checklist version cannot ship with a requirement the report ignores.
"""

from __future__ import annotations

from collections.abc import Callable

from aiconf_lint.report.detectors import (
    accelerators,
    networking,
    observability,
    operator,
    scheduling,
)
from aiconf_lint.report.model import Facet
from aiconf_lint.report.probe import Probe

Detector = Callable[[Probe], list[Facet]]

DETECTORS: dict[str, Detector] = {
    "dra_support": accelerators.dra_support,
    "driver_runtime_management": accelerators.driver_runtime_management,
    "gpu_sharing": accelerators.gpu_sharing,
    "virtualized_accelerator": accelerators.virtualized_accelerator,
    "secure_accelerator_access": accelerators.secure_accelerator_access,
    "ai_inference": networking.ai_inference,
    "advanced_inference_ingress": networking.advanced_inference_ingress,
    "high_performance_networking": networking.high_performance_networking,
    "disaggregated_inference": networking.disaggregated_inference,
    "gang_scheduling": scheduling.gang_scheduling,
    "cluster_autoscaling": scheduling.cluster_autoscaling,
    "pod_autoscaling": scheduling.pod_autoscaling,
    "accelerator_metrics": observability.accelerator_metrics,
    "ai_service_metrics": observability.ai_service_metrics,
    "robust_controller": operator.robust_controller,
}
