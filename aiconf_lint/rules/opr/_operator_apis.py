"""API versions of AI operators that are deprecated or removed, and what replaces each.

Data for OPR001. An entry matches an API group and version, optionally only some kinds; the
replacement is what the operator's current release serves, so the message can say what to
write instead.
"""

from __future__ import annotations

from collections.abc import Mapping

from aiconf_lint.records import record


@record(frozen=True)
class DeprecatedApi:
    group: str
    versions: frozenset[str]
    kinds: frozenset[str] | None
    """None: every kind of the group at that version."""
    operator: str
    replacement: str
    removed: bool = False
    legacy: bool = False
    """The whole operator is legacy (superseded by another project), not just this version."""


_KUBEFLOW_V1_JOBS = frozenset({"PyTorchJob", "TFJob", "XGBoostJob", "PaddleJob", "JAXJob", "MXJob"})

DEPRECATED_APIS: tuple[DeprecatedApi, ...] = (
    DeprecatedApi("ray.io", frozenset({"v1alpha1"}), None, "KubeRay", "`ray.io/v1`", removed=True),
    DeprecatedApi(
        "kueue.x-k8s.io",
        frozenset({"v1beta1"}),
        None,
        "Kueue",
        "`kueue.x-k8s.io/v1beta2`",
    ),
    DeprecatedApi(
        "kubeflow.org",
        frozenset({"v1"}),
        _KUBEFLOW_V1_JOBS,
        "Kubeflow Training Operator v1",
        "a Kubeflow Trainer v2 `TrainJob` (`trainer.kubeflow.org/v1alpha1`)",
        legacy=True,
    ),
    DeprecatedApi(
        "kubeflow.org",
        frozenset({"v1alpha1", "v1alpha2", "v1"}),
        frozenset({"MPIJob"}),
        "MPI Operator",
        "`kubeflow.org/v2beta1` MPIJob",
    ),
)


def deprecated_api(group: str, version: str, kind: str) -> DeprecatedApi | None:
    for entry in DEPRECATED_APIS:
        same_api = entry.group == group and version in entry.versions
        if same_api and (entry.kinds is None or kind in entry.kinds):
            return entry
    return None


# What Kubeflow Trainer v2 ships a ClusterTrainingRuntime for, per Training Operator v1 kind
# (kubeflow/trainer manifests/base/runtimes/*.yaml: torch, deepspeed, jax, mlx, xgboost). Its
# TrainJob and runtime API (pkg/apis/trainer/v1alpha1/trainingruntime_types.go) has no
# elastic policy, so a PyTorchJob with `spec.elasticPolicy` has no TrainJob equivalent.
TRAINER_V2_RUNTIMES: dict[str, str] = {
    "PyTorchJob": "torch-distributed",
    "JAXJob": "jax-distributed",
    "XGBoostJob": "xgboost-distributed",
}
_NO_TRAINER_V2_RUNTIME = {
    "TFJob": "TensorFlow",
    "PaddleJob": "PaddlePaddle",
    "MXJob": "MXNet",
}


def trainer_v2_gap(kind: str, spec: Mapping[str, object]) -> str | None:
    """What Trainer v2 lacks to express a Training Operator v1 job, or None if it can."""
    if kind in _NO_TRAINER_V2_RUNTIME:
        return f"has no {_NO_TRAINER_V2_RUNTIME[kind]} runtime"
    if kind == "PyTorchJob" and spec.get("elasticPolicy") is not None:
        return "has no elastic policy (`elasticPolicy` min/max replicas, rendezvous)"
    return None
