"""Evidence for the scheduling requirements: gang scheduling, cluster and pod autoscaling.

Gang coverage comes from the GNG family's own reading of a workload (`gang_signals`), so the
report and the rules never disagree on what "covered" means; autoscalers and their targets
from the SCL family's views; accelerator node groups from Karpenter NodePools, Cluster API
MachineDeployments with autoscaler bounds, GKE ComputeClasses and eksctl node groups.
"""

from __future__ import annotations

import re

from aiconf_lint.k8s.autoscaling import autoscalers, metrics_of, resolve_target
from aiconf_lint.k8s.gang import gang_signals
from aiconf_lint.k8s.karpenter import is_nodepool, nodepool_of
from aiconf_lint.k8s.objects import K8sObject, as_list, as_map
from aiconf_lint.k8s.prometheus_adapter import adapter_configs
from aiconf_lint.k8s.workloads import total_pods
from aiconf_lint.report.model import Facet
from aiconf_lint.report.probe import KindSignal, Probe

GANG_CONFIG = (
    KindSignal(("kueue.x-k8s.io",), ("ClusterQueue",), "Kueue ClusterQueue"),
    KindSignal(("kueue.x-k8s.io",), ("LocalQueue",), "Kueue LocalQueue"),
    KindSignal(("kueue.x-k8s.io",), ("ResourceFlavor",), "Kueue ResourceFlavor"),
    KindSignal(("scheduling.volcano.sh",), ("Queue", "PodGroup"), "Volcano"),
    KindSignal(("scheduling.x-k8s.io",), ("PodGroup",), "coscheduling PodGroup"),
    KindSignal(("scheduling.run.ai",), ("Queue",), "KAI Scheduler Queue"),
    KindSignal(("scheduling.k8s.io",), ("Workload", "PodGroup"), "native gang scheduling"),
)
GANG_SCHEDULER_IMAGES = re.compile(
    r"/(kueue|vc-scheduler|volcano|kai-scheduler|scheduler-plugins|yunikorn-scheduler)"
)
ADAPTERS = (
    KindSignal(("keda.sh",), ("ScaledObject", "ScaledJob"), "KEDA"),
    KindSignal(("apiregistration.k8s.io",), ("APIService",), "metrics APIService"),
)
# Karpenter (AWS, Azure, GCP) requirement keys that name accelerator hardware.
GPU_KEYS = re.compile(r"(gpu|accelerator|neuron|tpu)", re.IGNORECASE)
# Instance categories that carry accelerators on AWS (g/gr/p GPUs, inf/trn Neuron, dl Gaudi).
AWS_ACCELERATOR_FAMILY = re.compile(r"^(p\d|g\d|gr\d|inf\d|trn\d|dl\d)")
AWS_ACCELERATOR_CATEGORIES = frozenset({"g", "gr", "p", "inf", "trn", "dl"})
CAPI_BOUNDS = "cluster.x-k8s.io/cluster-api-autoscaler-node-group-max-size"
CAPI_GPU = "capacity.cluster-autoscaler.kubernetes.io/gpu-count"


def gang_scheduling(probe: Probe) -> list[Facet]:
    config = Facet(
        "gang scheduler configuration",
        "the queues or pod groups of a gang scheduler (Kueue ClusterQueue/LocalQueue, Volcano "
        "Queue/PodGroup, ...)",
    )
    covered = Facet(
        "workloads a gang mechanism covers",
        "a workload of several pods submitted through it (e.g. a Job labelled "
        "`kueue.x-k8s.io/queue-name` with `parallelism == completions` above 1)",
    )
    config.evidence.extend(probe.kind_evidence(GANG_CONFIG))
    for obj in probe.bundle.objects:
        templates = probe.bundle.templates(obj)
        if not templates:
            continue
        if obj.kind == "Deployment":
            for container in templates[0].containers:
                if GANG_SCHEDULER_IMAGES.search(container.image):
                    note = f"Deployment `{obj.name}` runs `{container.image}`"
                    config.evidence.append(probe.evidence(obj, note, (*container.path, "image")))
            continue
        pods = total_pods(templates)
        if pods == 1:
            continue  # one pod starts alone: it shows no all-or-nothing scheduling
        signals = gang_signals(obj, probe.bundle)
        if signals:
            size = f", {pods} pod{'s' * (pods != 1)}" if pods is not None else ""
            note = f"{obj.display()} is gang-scheduled by {signals[0].system}{size}"
            covered.evidence.append(probe.evidence(obj, note, signals[0].path))
    return [config, covered]


def cluster_autoscaling(probe: Probe) -> list[Facet]:
    groups = Facet(
        "accelerator node groups that scale",
        "a node group of accelerator nodes an autoscaler can grow and shrink (a Karpenter "
        "NodePool for GPU instances, a Cluster API MachineDeployment with autoscaler bounds, "
        "a GKE ComputeClass with GPUs)",
    )
    for obj in probe.bundle.of_kind("NodePool"):
        if is_nodepool(obj):
            why = _gpu_nodepool(obj)
            if why:
                groups.evidence.append(
                    probe.evidence(obj, f"Karpenter NodePool `{obj.name}` {why}")
                )
    for obj in probe.bundle.of_kind("MachineDeployment", "MachinePool"):
        if CAPI_BOUNDS in obj.annotations and (
            CAPI_GPU in obj.annotations or GPU_KEYS.search(str(obj.labels))
        ):
            note = f"Cluster API {obj.kind} `{obj.name}` with autoscaler bounds and GPUs"
            groups.evidence.append(probe.evidence(obj, note, ("metadata", "annotations")))
    for obj in probe.bundle.of_kind("ComputeClass"):
        priorities = [as_map(p) for p in as_list(obj.spec.get("priorities"))]
        if any("gpu" in p or "tpu" in p for p in priorities):
            note = f"GKE ComputeClass `{obj.name}` provisions accelerator nodes"
            groups.evidence.append(probe.evidence(obj, note, ("spec", "priorities")))
    for obj in probe.bundle.of_kind("ClusterConfig"):
        if obj.group == "eksctl.io":
            for field in ("nodeGroups", "managedNodeGroups"):
                for i, group in enumerate(as_list(obj.data.get(field))):
                    group_map = as_map(group)
                    types = [
                        group_map.get("instanceType"),
                        *as_list(group_map.get("instanceTypes")),
                    ]
                    scales = group_map.get("maxSize") != group_map.get("minSize")
                    if scales and any(AWS_ACCELERATOR_FAMILY.match(str(t)) for t in types if t):
                        note = f"eksctl node group `{group_map.get('name')}` of GPU instances"
                        groups.evidence.append(probe.evidence(obj, note, (field, i)))
    return [groups]


def pod_autoscaling(probe: Probe) -> list[Facet]:
    on_accelerators = Facet(
        "autoscalers on accelerator workloads",
        "an HPA or KEDA ScaledObject whose target requests accelerators",
    )
    custom = Facet(
        "custom or external metrics",
        "an autoscaler on an accelerator workload scaling on a `Pods`, `Object` or `External` "
        "metric (e.g. `vllm:num_requests_waiting`, `DCGM_FI_DEV_GPU_UTIL`)",
    )
    adapter = Facet(
        "metrics adapter",
        "prometheus-adapter rules or KEDA serving the metric",
        required=False,
    )
    accelerator_objs = {id(t.obj) for t in probe.accelerator_templates()}
    for scaler in autoscalers(probe.bundle):
        # The whole repository is the platform: an autoscaler in `autoscaling/` that names a
        # workload in `serving/` is evidence, although the rules would not pair the two files.
        targets = [t for t in resolve_target(probe.bundle, scaler) if id(t) in accelerator_objs]
        if not targets:
            continue
        note = f"{scaler.display()} scales accelerator workload {targets[0].display()}"
        on_accelerators.evidence.append(probe.evidence(scaler.obj, note, scaler.ref_path))
        for metric in metrics_of(scaler.obj):
            if not metric.is_resource:
                kind = metric.type.removeprefix("keda:")
                shown = f" `{metric.name}`" if metric.name else ""
                note = f"{scaler.display()} scales on {kind} metric{shown}"
                custom.evidence.append(probe.evidence(scaler.obj, note, metric.path))
    for config in adapter_configs(probe.bundle):
        if config.has_custom or config.has_external:
            note = f"ConfigMap `{config.source.name}` holds prometheus-adapter rules"
            adapter.evidence.append(probe.evidence(config.source, note))
    for obj, signal in probe.of_kinds(ADAPTERS):
        if obj.kind != "APIService" or "metrics" in str(obj.spec.get("group", "")):
            adapter.evidence.append(probe.evidence(obj, f"{signal.what} `{obj.name}`"))
    return [on_accelerators, custom, adapter]


def _gpu_nodepool(obj: K8sObject) -> str | None:
    pool = nodepool_of(obj)
    for key, operator, values in pool.requirements:
        if operator in ("NotIn", "DoesNotExist"):
            continue
        if GPU_KEYS.search(key) and not values <= {"0", "false"}:
            return f"requires `{key}`"
        if key.endswith("instance-category") and values & AWS_ACCELERATOR_CATEGORIES:
            return f"launches instance categories {', '.join(sorted(values))}"
        if key.endswith(("instance-family", "instance-type")) and any(
            AWS_ACCELERATOR_FAMILY.match(v) for v in values
        ):
            return f"launches {', '.join(sorted(values)[:3])}"
    for taint in pool.taints:
        if GPU_KEYS.search(taint.key):
            return f"taints its nodes {taint.display()}"
    if any(GPU_KEYS.search(str(k)) for k in pool.limits):
        return "limits accelerator capacity"
    return None
