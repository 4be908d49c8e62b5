"""The rule registry: a static table of every rule, and the classes loaded only when wanted.

`CATALOG` names each rule (code, kebab-case name, class); the module follows from the code and
name (`rules/<family>/<code>_<name>.py`). Selecting rules reads only this table, and a rule's
family is imported when one of its rules is enabled, so `--select SEC001` loads the SEC family
and nothing of ACC, DRA, GNG, MET, OPR or SCL. A meta-test keeps the table and the rule classes
in step. `ALL_RULES` and `RULES_BY_CODE` still give every class, loading every family.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from aiconf_lint.rule import Rule

    ALL_RULES: tuple[type[Rule], ...]
    RULES_BY_CODE: dict[str, type[Rule]]


@dataclass(frozen=True, slots=True)
class RuleEntry:
    code: str
    name: str
    class_name: str

    @property
    def family(self) -> str:
        return self.code[:3].lower()

    @property
    def module(self) -> str:
        return f"aiconf_lint.rules.{self.family}.{self.code.lower()}_{self.name.replace('-', '_')}"

    def load(self) -> type[Rule]:
        return load(self.code)


CATALOG: tuple[RuleEntry, ...] = (
    RuleEntry("SYN001", "invalid-yaml", "InvalidYaml"),
    RuleEntry("SYN002", "unrendered-template", "UnrenderedTemplate"),
    RuleEntry("SYN003", "input-too-complex", "InputTooComplex"),
    RuleEntry("SYN004", "unknown-suppression", "UnknownSuppression"),
    RuleEntry("ACC001", "device-plugin-accelerator-request", "DevicePluginAcceleratorRequest"),
    RuleEntry("ACC002", "invalid-accelerator-quantity", "InvalidAcceleratorQuantity"),
    RuleEntry(
        "ACC003", "provider-specific-accelerator-placement", "ProviderSpecificAcceleratorPlacement"
    ),
    RuleEntry(
        "ACC004", "provider-specific-accelerator-resource", "ProviderSpecificAcceleratorResource"
    ),
    RuleEntry("ACC005", "exact-gpu-product-selector", "ExactGpuProductSelector"),
    RuleEntry("ACC006", "shared-gpu-request-over-one", "SharedGpuRequestOverOne"),
    RuleEntry("ACC007", "mig-profile-resource", "MigProfileResource"),
    RuleEntry("ACC008", "kfp-accelerator-limit", "KfpAcceleratorLimit"),
    RuleEntry("DRA001", "deprecated-dra-api-version", "DeprecatedDraApiVersion"),
    RuleEntry("DRA002", "undefined-claim-reference", "UndefinedClaimReference"),
    RuleEntry("DRA003", "unused-pod-claim", "UnusedPodClaim"),
    RuleEntry("DRA004", "missing-claim-source", "MissingClaimSource"),
    RuleEntry("DRA005", "invalid-cel-selector", "InvalidCelSelector"),
    RuleEntry("DRA006", "unqualified-constraint-attribute", "UnqualifiedConstraintAttribute"),
    RuleEntry("DRA007", "dra-api-limits-exceeded", "DraApiLimitsExceeded"),
    RuleEntry("DRA008", "mixed-device-plugin-and-claim", "MixedDevicePluginAndClaim"),
    RuleEntry("GNG001", "distributed-job-without-gang", "DistributedJobWithoutGang"),
    RuleEntry("GNG002", "gang-minimum-exceeds-members", "GangMinimumExceedsMembers"),
    RuleEntry("GNG003", "gang-minimum-below-members", "GangMinimumBelowMembers"),
    RuleEntry("GNG004", "gang-scheduler-without-group", "GangSchedulerWithoutGroup"),
    RuleEntry("GNG005", "dangling-pod-group", "DanglingPodGroup"),
    RuleEntry("GNG006", "incomplete-kueue-pod-group", "IncompleteKueuePodGroup"),
    RuleEntry("GNG007", "removed-gang-api", "RemovedGangApi"),
    RuleEntry("MET001", "monitor-selects-nothing", "MonitorSelectsNothing"),
    RuleEntry("MET002", "monitor-port-not-found", "MonitorPortNotFound"),
    RuleEntry("MET003", "inference-server-not-scraped", "InferenceServerNotScraped"),
    RuleEntry("MET004", "dcgm-monitor-drops-pod-labels", "DcgmMonitorDropsPodLabels"),
    RuleEntry("MET005", "scrape-annotation-port-mismatch", "ScrapeAnnotationPortMismatch"),
    RuleEntry("MET006", "provider-specific-monitoring-api", "ProviderSpecificMonitoringApi"),
    RuleEntry("MET007", "scrape-misses-metrics-endpoint", "ScrapeMissesMetricsEndpoint"),
    RuleEntry("NET001", "route-reference-not-found", "RouteReferenceNotFound"),
    RuleEntry("NET002", "pool-selects-nothing", "PoolSelectsNothing"),
    RuleEntry("NET003", "pool-port-mismatch", "PoolPortMismatch"),
    RuleEntry("NET004", "endpoint-picker-not-found", "EndpointPickerNotFound"),
    RuleEntry("NET005", "provider-specific-gateway-class", "ProviderSpecificGatewayClass"),
    RuleEntry("NET006", "inference-server-without-route", "InferenceServerWithoutRoute"),
    RuleEntry("NET007", "pre-ga-inference-api", "PreGaInferenceApi"),
    RuleEntry("NET008", "invalid-backend-weights", "InvalidBackendWeights"),
    RuleEntry("NET009", "disaggregated-role-unreachable", "DisaggregatedRoleUnreachable"),
    RuleEntry("NET010", "model-header-not-served", "ModelHeaderNotServed"),
    RuleEntry("OPR001", "deprecated-operator-api", "DeprecatedOperatorApi"),
    RuleEntry("SCL001", "autoscaler-target-not-found", "AutoscalerTargetNotFound"),
    RuleEntry("SCL002", "accelerator-workload-scaled-on-cpu", "AcceleratorWorkloadScaledOnCpu"),
    RuleEntry("SCL003", "autoscaler-metric-not-served", "AutoscalerMetricNotServed"),
    RuleEntry("SCL004", "inverted-scaling-metric", "InvertedScalingMetric"),
    RuleEntry("SCL005", "duplicate-autoscalers", "DuplicateAutoscalers"),
    RuleEntry("SCL006", "removed-autoscaling-api", "RemovedAutoscalingApi"),
    RuleEntry("SCL007", "replicas-set-with-autoscaler", "ReplicasSetWithAutoscaler"),
    RuleEntry("SCL008", "accelerator-node-unreachable", "AcceleratorNodeUnreachable"),
    RuleEntry("SCL009", "provider-specific-metric", "ProviderSpecificMetric"),
    RuleEntry("SCL010", "invalid-replica-bounds", "InvalidReplicaBounds"),
    RuleEntry("SCL011", "counter-scaling-metric", "CounterScalingMetric"),
    RuleEntry("SEC001", "manual-visible-devices", "ManualVisibleDevices"),
    RuleEntry("SEC002", "raw-device-access", "RawDeviceAccess"),
    RuleEntry("SEC003", "admin-access-claim", "AdminAccessClaim"),
)
"""Sorted SYN first, then by code, so every listing (rules, docs, SARIF) agrees."""

ENTRIES_BY_CODE: dict[str, RuleEntry] = {entry.code: entry for entry in CATALOG}


@cache
def load(code: str) -> type[Rule]:
    """The class of rule `code`, importing its family on first use."""
    entry = ENTRIES_BY_CODE[code]
    rule: type[Rule] = getattr(importlib.import_module(entry.module), entry.class_name)
    return rule


def load_all() -> tuple[type[Rule], ...]:
    return tuple(load(entry.code) for entry in CATALOG)


def __getattr__(name: str) -> Any:
    if name == "ALL_RULES":
        return load_all()
    if name == "RULES_BY_CODE":
        return {rule.code: rule for rule in load_all()}
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
