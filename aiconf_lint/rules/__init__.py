"""The registry: a static table of every rule, and the classes loaded only when a run needs them.

`CATALOG` names each rule (code, kebab-case name, class) and what must be in a run for the rule
to find anything (`wakes`); the module follows from the code and name
(`rules/<family>/<code>_<name>.py`). Selecting rules reads only this table. A rule module is
imported when the rule is enabled *and* woken: a run of one Job file never imports the monitor,
route or autoscaler rules (nor the helpers they import), which is most of a small run's start-up.
`wakes` is a necessary condition, not a trigger: the rule can report only when the run holds an
object of one of those kinds (`group:<api group>` for any kind of a group, `POD_TEMPLATES` for any
object with a pod template); `None` means every run. Meta-tests keep the table and the rule
classes in step, and check that a gated run finds what an ungated one finds on every fixture.
`ALL_RULES` and `RULES_BY_CODE` still give every class, loading every rule.
"""

from __future__ import annotations

import importlib
from functools import cache
from typing import TYPE_CHECKING, Any

from aiconf_lint.records import record

if TYPE_CHECKING:
    from typing import TypeAlias

    from aiconf_lint.rule import Rule

    RuleSpec: TypeAlias = "type[Rule] | RuleEntry"
    """A rule to run: a class runs on every run; a table entry only when the run wakes it."""

    ALL_RULES: tuple[type[Rule], ...]
    RULES_BY_CODE: dict[str, type[Rule]]


POD_TEMPLATES = "<pod template>"
"""The `wakes` token for any object with a pod template (every workload kind, built in or not)."""

_AUTOSCALERS = ("HorizontalPodAutoscaler", "ScaledObject")
_MONITORS = ("ServiceMonitor", "PodMonitor")
_PROVIDER_MONITORS = (
    *_MONITORS,
    "PodMonitoring",
    "ClusterPodMonitoring",
    "ClusterNodeMonitoring",
)
_CLAIMS = ("ResourceClaim", "ResourceClaimTemplate")
_DRA_OBJECTS = (*_CLAIMS, "DeviceClass")
_ROUTES = ("HTTPRoute", "GRPCRoute", "AIGatewayRoute")
# The kinds gang rules read from the object itself (`k8s.gang.GANG_KINDS`; a meta-test compares).
_GANG = (
    "JAXJob",
    "Job",
    "JobSet",
    "LLMInferenceService",
    "LeaderWorkerSet",
    "MPIJob",
    "MXJob",
    "PaddleJob",
    "PyTorchJob",
    "RayCluster",
    "RayJob",
    "RayService",
    "TFJob",
    "TrainJob",
    "XGBoostJob",
)


@record(frozen=True)
class RuleEntry:
    code: str
    name: str
    class_name: str
    wakes: tuple[str, ...] | None = None
    """What a run must hold for the rule to report anything (see the module docstring)."""

    def woken_by(self, present: frozenset[str]) -> bool:
        return self.wakes is None or not present.isdisjoint(self.wakes)

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
    RuleEntry(
        "ACC001",
        "device-plugin-accelerator-request",
        "DevicePluginAcceleratorRequest",
        wakes=(POD_TEMPLATES,),
    ),
    RuleEntry(
        "ACC002",
        "invalid-accelerator-quantity",
        "InvalidAcceleratorQuantity",
        wakes=(POD_TEMPLATES,),
    ),
    RuleEntry(
        "ACC003",
        "provider-specific-accelerator-placement",
        "ProviderSpecificAcceleratorPlacement",
        wakes=(POD_TEMPLATES,),
    ),
    RuleEntry(
        "ACC004",
        "provider-specific-accelerator-resource",
        "ProviderSpecificAcceleratorResource",
        wakes=(POD_TEMPLATES, "Workspace"),
    ),
    RuleEntry(
        "ACC005", "exact-gpu-product-selector", "ExactGpuProductSelector", wakes=(POD_TEMPLATES,)
    ),
    RuleEntry(
        "ACC006", "shared-gpu-request-over-one", "SharedGpuRequestOverOne", wakes=(POD_TEMPLATES,)
    ),
    RuleEntry("ACC007", "mig-profile-resource", "MigProfileResource", wakes=(POD_TEMPLATES,)),
    RuleEntry("ACC008", "kfp-accelerator-limit", "KfpAcceleratorLimit", wakes=("Pod",)),
    RuleEntry(
        "DRA001",
        "deprecated-dra-api-version",
        "DeprecatedDraApiVersion",
        wakes=("group:resource.k8s.io",),
    ),
    RuleEntry(
        "DRA002", "undefined-claim-reference", "UndefinedClaimReference", wakes=(POD_TEMPLATES,)
    ),
    RuleEntry("DRA003", "unused-pod-claim", "UnusedPodClaim", wakes=(POD_TEMPLATES,)),
    RuleEntry(
        "DRA004",
        "missing-claim-source",
        "MissingClaimSource",
        wakes=(POD_TEMPLATES, "PodGroup", "Workload"),
    ),
    RuleEntry("DRA005", "invalid-cel-selector", "InvalidCelSelector", wakes=_DRA_OBJECTS),
    RuleEntry(
        "DRA006",
        "unqualified-constraint-attribute",
        "UnqualifiedConstraintAttribute",
        wakes=_CLAIMS,
    ),
    RuleEntry("DRA007", "dra-api-limits-exceeded", "DraApiLimitsExceeded", wakes=_DRA_OBJECTS),
    RuleEntry(
        "DRA008",
        "mixed-device-plugin-and-claim",
        "MixedDevicePluginAndClaim",
        wakes=(POD_TEMPLATES,),
    ),
    RuleEntry("GNG001", "distributed-job-without-gang", "DistributedJobWithoutGang", wakes=_GANG),
    RuleEntry(
        "GNG002",
        "gang-minimum-exceeds-members",
        "GangMinimumExceedsMembers",
        # A Volcano task's own `minAvailable` is judged even when the task has no template.
        wakes=(POD_TEMPLATES, "group:batch.volcano.sh"),
    ),
    RuleEntry(
        "GNG003", "gang-minimum-below-members", "GangMinimumBelowMembers", wakes=(POD_TEMPLATES,)
    ),
    RuleEntry("GNG004", "gang-scheduler-without-group", "GangSchedulerWithoutGroup", wakes=_GANG),
    RuleEntry(
        "GNG005", "dangling-pod-group", "DanglingPodGroup", wakes=(POD_TEMPLATES, "PodGroup")
    ),
    RuleEntry(
        "GNG006", "incomplete-kueue-pod-group", "IncompleteKueuePodGroup", wakes=(POD_TEMPLATES,)
    ),
    RuleEntry("GNG007", "removed-gang-api", "RemovedGangApi"),
    RuleEntry("MET001", "monitor-selects-nothing", "MonitorSelectsNothing", wakes=_MONITORS),
    RuleEntry("MET002", "monitor-port-not-found", "MonitorPortNotFound", wakes=_MONITORS),
    RuleEntry(
        "MET003",
        "inference-server-not-scraped",
        "InferenceServerNotScraped",
        wakes=(POD_TEMPLATES,),
    ),
    RuleEntry(
        "MET004", "dcgm-monitor-drops-pod-labels", "DcgmMonitorDropsPodLabels", wakes=_MONITORS
    ),
    RuleEntry(
        "MET005",
        "scrape-annotation-port-mismatch",
        "ScrapeAnnotationPortMismatch",
        wakes=(POD_TEMPLATES, "Service"),
    ),
    RuleEntry(
        "MET006",
        "provider-specific-monitoring-api",
        "ProviderSpecificMonitoringApi",
        wakes=_PROVIDER_MONITORS,
    ),
    RuleEntry(
        "MET007",
        "scrape-misses-metrics-endpoint",
        "ScrapeMissesMetricsEndpoint",
        wakes=(POD_TEMPLATES, "Service", *_MONITORS),
    ),
    RuleEntry("NET001", "route-reference-not-found", "RouteReferenceNotFound", wakes=_ROUTES),
    RuleEntry("NET002", "pool-selects-nothing", "PoolSelectsNothing", wakes=("InferencePool",)),
    RuleEntry("NET003", "pool-port-mismatch", "PoolPortMismatch", wakes=("InferencePool",)),
    RuleEntry(
        "NET004", "endpoint-picker-not-found", "EndpointPickerNotFound", wakes=("InferencePool",)
    ),
    RuleEntry(
        "NET005",
        "provider-specific-gateway-class",
        "ProviderSpecificGatewayClass",
        wakes=("Gateway",),
    ),
    RuleEntry(
        "NET006",
        "inference-server-without-route",
        "InferenceServerWithoutRoute",
        wakes=("Service", "Ingress"),
    ),
    RuleEntry(
        "NET007",
        "pre-ga-inference-api",
        "PreGaInferenceApi",
        wakes=("InferencePool", "InferenceModel", *_ROUTES),
    ),
    RuleEntry("NET008", "invalid-backend-weights", "InvalidBackendWeights", wakes=_ROUTES),
    RuleEntry(
        "NET009",
        "disaggregated-role-unreachable",
        "DisaggregatedRoleUnreachable",
        wakes=("InferencePool",),
    ),
    RuleEntry("NET010", "model-header-not-served", "ModelHeaderNotServed", wakes=_ROUTES),
    RuleEntry("OPR001", "deprecated-operator-api", "DeprecatedOperatorApi"),
    RuleEntry(
        "SCL001", "autoscaler-target-not-found", "AutoscalerTargetNotFound", wakes=_AUTOSCALERS
    ),
    RuleEntry(
        "SCL002",
        "accelerator-workload-scaled-on-cpu",
        "AcceleratorWorkloadScaledOnCpu",
        wakes=_AUTOSCALERS,
    ),
    RuleEntry(
        "SCL003",
        "autoscaler-metric-not-served",
        "AutoscalerMetricNotServed",
        wakes=("HorizontalPodAutoscaler",),
    ),
    RuleEntry("SCL004", "inverted-scaling-metric", "InvertedScalingMetric", wakes=_AUTOSCALERS),
    RuleEntry("SCL005", "duplicate-autoscalers", "DuplicateAutoscalers", wakes=_AUTOSCALERS),
    RuleEntry(
        "SCL006",
        "removed-autoscaling-api",
        "RemovedAutoscalingApi",
        wakes=("HorizontalPodAutoscaler",),
    ),
    RuleEntry(
        "SCL007", "replicas-set-with-autoscaler", "ReplicasSetWithAutoscaler", wakes=_AUTOSCALERS
    ),
    RuleEntry(
        "SCL008", "accelerator-node-unreachable", "AcceleratorNodeUnreachable", wakes=("NodePool",)
    ),
    RuleEntry("SCL009", "provider-specific-metric", "ProviderSpecificMetric", wakes=_AUTOSCALERS),
    RuleEntry("SCL010", "invalid-replica-bounds", "InvalidReplicaBounds", wakes=_AUTOSCALERS),
    RuleEntry("SCL011", "counter-scaling-metric", "CounterScalingMetric", wakes=_AUTOSCALERS),
    RuleEntry("SEC001", "manual-visible-devices", "ManualVisibleDevices", wakes=(POD_TEMPLATES,)),
    RuleEntry("SEC002", "raw-device-access", "RawDeviceAccess", wakes=(POD_TEMPLATES,)),
    RuleEntry("SEC003", "admin-access-claim", "AdminAccessClaim", wakes=_CLAIMS),
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
