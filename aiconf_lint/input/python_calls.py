"""Which Python calls may build Kubernetes objects: names only, so no parser is needed.

`python_source` asks this of the standard library's `ast` before it pays for libcst, and
`python_values`/`python_objects` ask it of libcst nodes.
"""

from __future__ import annotations

import re

# A KFP task's accelerator calls, recorded on the pod it becomes for ACC008 to judge: the limit
# call (its value placed at the method name the fix rewrites), whether a type was set, and
# the module's quote style for the text the fix adds.
KFP_CALL = "aiconf-lint.io/kfp-accelerator-call"
KFP_TYPE = "aiconf-lint.io/kfp-accelerator-type"
KFP_QUOTE = "aiconf-lint.io/kfp-quote"

# Kubernetes client model classes are `V1Container`, `V2HorizontalPodAutoscaler`, ...
_CLIENT_MODEL_RE = re.compile(r"^V\d+(?:alpha\d+|beta\d+)?([A-Z]\w*)$")


def model_kind(call_name: str) -> str | None:
    """`V1ResourceRequirements` -> `ResourceRequirements`; pulumi `ContainerArgs` -> `Container`."""
    match = _CLIENT_MODEL_RE.match(call_name)
    if match:
        return match.group(1)
    if call_name.endswith("Args") and len(call_name) > 4 and call_name[0].isupper():
        return call_name[:-4]
    return None


# cdk8s's generated `imports/k8s.py` props classes people construct by hand.
_CDK8S_PROPS = frozenset(
    {
        "Container",
        "ResourceRequirements",
        "PodSpec",
        "PodTemplateSpec",
        "ObjectMeta",
        "EnvVar",
        "SecurityContext",
        "Toleration",
        "Affinity",
        "NodeAffinity",
        "NodeSelector",
        "NodeSelectorTerm",
        "NodeSelectorRequirement",
        "JobSpec",
        "DeploymentSpec",
        "StatefulSetSpec",
        "LabelSelector",
        "ContainerPort",
        "Volume",
        "VolumeMount",
        "HostPathVolumeSource",
    }
)


# Calls that build or configure an object by themselves (see `python_objects`).
_BUILDER_CALLS = frozenset(
    {
        "KubernetesPodOperator",
        "GKEStartPodOperator",
        "EksPodOperator",
        "kubernetes",  # Airflow's `@task.kubernetes(...)`
        "CustomTrainer",
        "set_accelerator_type",
        "set_accelerator_limit",
        "set_gpu_limit",
        "add_node_selector",
        "add_toleration",
    }
)


def is_candidate_call(name: str) -> bool:
    """Whether a call named `name` (its last dotted part) may build or configure an object."""
    return (
        name in _BUILDER_CALLS
        or model_kind(name) is not None
        or name in _CDK8S_PROPS
        or (name.startswith("Kube") and name[4:5].isupper())
    )


def is_cdk8s_props(name: str) -> bool:
    """`k8s.Container(...)`: a cdk8s props class, named through the generated `k8s` module."""
    head, _, tail = name.rpartition(".")
    return head.endswith("k8s") and tail in _CDK8S_PROPS
