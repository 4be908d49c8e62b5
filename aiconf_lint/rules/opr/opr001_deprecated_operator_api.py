"""OPR001."""

from __future__ import annotations

from collections.abc import Iterator

from aiconf_lint.k8s.objects import K8sObject
from aiconf_lint.model import Severity, Violation
from aiconf_lint.rule import Context, Rule
from aiconf_lint.rules.opr._operator_apis import (
    TRAINER_V2_RUNTIMES,
    DeprecatedApi,
    deprecated_api,
    trainer_v2_gap,
)


class DeprecatedOperatorApi(Rule):
    """## What it does
    Flags AI-operator objects written against an API version the operator has deprecated or
    removed: KubeRay `ray.io/v1alpha1`, Kueue `v1beta1` (now `v1beta2`), Kubeflow Training
    Operator v1 jobs (`PyTorchJob`, `TFJob`, ... superseded by Trainer v2 `TrainJob`), and
    MPIJob before `v2beta1`. Pre-GA Gateway API Inference Extension objects are NET007's.

    ## Why is this bad?
    The `robust_controller` requirement is about operators that install, reconcile and keep
    working across upgrades. An object on a deprecated version works only until the operator
    stops serving it, and then fails to apply on exactly the certified platforms that keep
    their operators current.

    ## Example
    ```yaml
    apiVersion: ray.io/v1alpha1
    kind: RayCluster
    metadata:
      name: serving
    ```

    Use instead:
    ```yaml
    apiVersion: ray.io/v1
    kind: RayCluster
    metadata:
      name: serving
    ```

    Moving a Kubeflow v1 job to Trainer v2 changes its shape (a `TrainJob` referencing a
    training runtime), so there is no mechanical fix. The Training Operator as a whole is
    legacy, and the message recommends a `TrainJob` only where Trainer v2 can express the job
    (PyTorchJob, JAXJob and XGBoostJob have runtimes). A TFJob, PaddleJob or MXJob (no
    runtime) or an elastic PyTorchJob (`spec.elasticPolicy`, which TrainJob has no field for)
    gets an info note saying what is missing instead.

    ## References
    - https://docs.ray.io/en/latest/cluster/kubernetes/
    - https://kueue.sigs.k8s.io/docs/reference/kueue.v1beta2/
    - https://www.kubeflow.org/docs/components/trainer/
    """

    code = "OPR001"
    name = "deprecated-operator-api"
    summary = "AI operator object uses a deprecated or removed API version"
    severity = Severity.WARNING
    requirements = ("robust_controller",)

    def check_object(self, ctx: Context, obj: K8sObject) -> Iterator[Violation]:
        entry = deprecated_api(obj.group, obj.version, obj.kind)
        if entry is None:
            return
        if entry.legacy:
            yield _legacy(obj, entry)
            return
        state = "removed" if entry.removed else "deprecated"
        yield Violation(
            f"{obj.display()} uses `{obj.api_version}`, which {entry.operator} has {state}; "
            f"use {entry.replacement}",
            ("apiVersion",),
        )


def _legacy(obj: K8sObject, entry: DeprecatedApi) -> Violation:
    """A job of a legacy operator: the replacement where it can express the job, else info."""
    head = f"{obj.display()} uses `{obj.api_version}` of the legacy {entry.operator}"
    gap = trainer_v2_gap(obj.kind, obj.spec)
    if gap is not None:
        return Violation(
            f"{head}; Kubeflow Trainer v2 `TrainJob` {gap}, so there is no replacement to move "
            "to yet",
            ("apiVersion",),
            severity=Severity.INFO,
        )
    runtime = TRAINER_V2_RUNTIMES.get(obj.kind)
    with_runtime = f" with the `{runtime}` runtime" if runtime else ""
    return Violation(f"{head}; use {entry.replacement}{with_runtime}", ("apiVersion",))
