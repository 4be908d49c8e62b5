"""SCL rules: autoscaling wiring (`pod_autoscaling`, `cluster_autoscaling`)."""

from __future__ import annotations

from aiconf_lint.rule import Rule
from aiconf_lint.rules.scl.scl001_autoscaler_target_not_found import AutoscalerTargetNotFound
from aiconf_lint.rules.scl.scl002_accelerator_workload_scaled_on_cpu import (
    AcceleratorWorkloadScaledOnCpu,
)
from aiconf_lint.rules.scl.scl003_autoscaler_metric_not_served import AutoscalerMetricNotServed
from aiconf_lint.rules.scl.scl004_inverted_scaling_metric import InvertedScalingMetric
from aiconf_lint.rules.scl.scl005_duplicate_autoscalers import DuplicateAutoscalers
from aiconf_lint.rules.scl.scl006_removed_autoscaling_api import RemovedAutoscalingApi
from aiconf_lint.rules.scl.scl007_replicas_set_with_autoscaler import ReplicasSetWithAutoscaler
from aiconf_lint.rules.scl.scl008_accelerator_node_unreachable import AcceleratorNodeUnreachable
from aiconf_lint.rules.scl.scl009_provider_specific_metric import ProviderSpecificMetric
from aiconf_lint.rules.scl.scl010_invalid_replica_bounds import InvalidReplicaBounds
from aiconf_lint.rules.scl.scl011_counter_scaling_metric import CounterScalingMetric

SCL_RULES: tuple[type[Rule], ...] = (
    AutoscalerTargetNotFound,
    AcceleratorWorkloadScaledOnCpu,
    AutoscalerMetricNotServed,
    InvertedScalingMetric,
    DuplicateAutoscalers,
    RemovedAutoscalingApi,
    ReplicasSetWithAutoscaler,
    AcceleratorNodeUnreachable,
    ProviderSpecificMetric,
    InvalidReplicaBounds,
    CounterScalingMetric,
)
