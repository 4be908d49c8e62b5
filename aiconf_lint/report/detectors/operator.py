"""Evidence for `robust_controller`: custom resources of an AI operator, and the operator.

The requirement is that a complex AI operator installs and reconciles its custom resources, so
the report looks for both halves: CRs of a known operator (KubeRay, Kubeflow, KServe, JobSet,
LeaderWorkerSet, Dynamo, NIM, KAITO) and that operator's CRDs, controller or webhooks in the
same repository.
"""

from __future__ import annotations

import re

from aiconf_lint.k8s.objects import as_list, as_map, get_path
from aiconf_lint.report.model import Facet
from aiconf_lint.report.probe import Probe

# API group -> the operator that serves it.
OPERATORS: dict[str, str] = {
    "ray.io": "KubeRay",
    "kubeflow.org": "Kubeflow",
    "trainer.kubeflow.org": "Kubeflow Trainer",
    "serving.kserve.io": "KServe",
    "jobset.x-k8s.io": "JobSet",
    "leaderworkerset.x-k8s.io": "LeaderWorkerSet",
    "nvidia.com": "NVIDIA Dynamo",
    "apps.nvidia.com": "NVIDIA NIM Operator",
    "kaito.sh": "KAITO",
    "batch.volcano.sh": "Volcano",
}
# Kinds in shared groups that are not AI workloads (the GPU Operator lives in nvidia.com too).
NOT_WORKLOADS = frozenset({"ClusterPolicy", "NVIDIADriver", "ComputeDomain"})
CONTROLLER_IMAGES = re.compile(
    r"(kuberay/operator|kserve-controller|kserve/kserve-controller|training-operator|"
    r"trainer-controller-manager|jobset/jobset|lws/lws|leaderworkerset|nim-operator|"
    r"kaito/workspace|dynamo-operator|mpi-operator)",
    re.IGNORECASE,
)


def robust_controller(probe: Probe) -> list[Facet]:
    resources = Facet(
        "AI operator custom resources",
        "a custom resource of an AI operator (RayCluster/RayJob, TrainJob, PyTorchJob, "
        "InferenceService, ...)",
    )
    installed = Facet(
        "the operator's CRDs or controller",
        "the operator's CustomResourceDefinitions or controller Deployment",
    )
    webhooks = Facet("admission webhooks", "the operator's webhook configuration", required=False)
    for obj in probe.bundle.objects:
        operator = OPERATORS.get(obj.group)
        if operator and obj.kind not in NOT_WORKLOADS and not obj.kind.endswith("List"):
            what = obj.kind if operator == obj.kind else f"{operator} {obj.kind}"
            resources.evidence.append(probe.evidence(obj, f"{what} `{obj.name}`"))
    for crd in probe.bundle.of_kind("CustomResourceDefinition"):
        group = str(crd.spec.get("group", ""))
        kind = str(get_path(crd.spec, ("names", "kind")) or "")
        if group in OPERATORS and kind not in NOT_WORKLOADS:
            note = f"CRD `{crd.name}` ({OPERATORS[group]})"
            installed.evidence.append(probe.evidence(crd, note))
    for obj in probe.bundle.of_kind("Deployment"):
        for template in probe.bundle.templates(obj):
            for container in template.containers:
                if CONTROLLER_IMAGES.search(container.image):
                    note = f"Deployment `{obj.name}` runs `{container.image}`"
                    installed.evidence.append(probe.evidence(obj, note, (*container.path, "image")))
    for obj in probe.bundle.of_kind(
        "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration"
    ):
        groups = {
            str(g)
            for hook in as_list(obj.data.get("webhooks"))
            for rule in as_list(as_map(hook).get("rules"))
            for g in as_list(as_map(rule).get("apiGroups"))
        }
        served = sorted(OPERATORS[g] for g in groups if g in OPERATORS)
        if served:
            webhooks.evidence.append(probe.evidence(obj, f"{obj.kind} for {served[0]}"))
    return [resources, installed, webhooks]
