"""SCL010."""

from __future__ import annotations

from collections.abc import Iterator

from aiconf_lint.k8s.autoscaling import (
    HPA,
    SCALED_OBJECT,
    hpa_metrics,
    int_value,
    is_hpa,
    is_scaled_object,
    keda_metrics,
)
from aiconf_lint.k8s.objects import K8sObject, as_map
from aiconf_lint.model import Severity, Violation
from aiconf_lint.profiles import Profile
from aiconf_lint.rule import Context, Rule

# HPAScaleToZero: alpha (off) since 1.16, beta and on by default from Kubernetes 1.37.
SCALE_TO_ZERO_DEFAULT = (1, 37)
KEDA_DEFAULT_MAX = 100


def _version(profile: Profile) -> tuple[int, ...]:
    try:
        return tuple(int(part) for part in profile.version.split("."))
    except ValueError:
        return (0,)


class InvalidReplicaBounds(Rule):
    """## What it does
    Checks the replica bounds of HorizontalPodAutoscalers and KEDA ScaledObjects:
    `minReplicas` above `maxReplicas` (`minReplicas` defaults to 1), `maxReplicas` below 1,
    and `minReplicas: 0`, which the API server accepts only with the `HPAScaleToZero` feature
    gate (alpha and off before Kubernetes 1.37; from 1.37 it also needs an `Object` or
    `External` metric). For ScaledObjects it applies KEDA's own validation:
    `minReplicaCount` above `maxReplicaCount` (default 100), `idleReplicaCount` not below the
    minimum, and a minimum of 0 (the default) with only `cpu`/`memory` triggers on a
    Deployment or StatefulSet, which cannot scale to zero. `minReplicaCount: 0` with other
    triggers is KEDA's normal scale to zero and is fine.

    ## Why is this bad?
    The API server or KEDA's admission webhook rejects these objects, so the workload is
    deployed without its autoscaler, or, where the webhook is not installed, KEDA reports
    the ScaledObject as not ready and never scales.

    ## Example
    ```yaml
    apiVersion: autoscaling/v2
    kind: HorizontalPodAutoscaler
    spec:
      minReplicas: 0
      maxReplicas: 4
    ```

    Use instead:
    ```yaml
    apiVersion: autoscaling/v2
    kind: HorizontalPodAutoscaler
    spec:
      minReplicas: 1   # to reach zero, use KEDA's minReplicaCount: 0 with a queue trigger
      maxReplicas: 4
    ```

    ## References
    - https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/horizontal-pod-autoscaler-v2/
    - https://keda.sh/docs/latest/reference/scaledobject-spec/
    """

    code = "SCL010"
    name = "invalid-replica-bounds"
    summary = "Autoscaler replica bounds the API server or KEDA rejects"
    severity = Severity.ERROR
    kinds = frozenset({HPA, SCALED_OBJECT})
    requirements = ("pod_autoscaling",)

    def check_object(self, ctx: Context, obj: K8sObject) -> Iterator[Violation]:
        if is_hpa(obj):
            yield from self._hpa(ctx, obj)
        elif is_scaled_object(obj):
            yield from self._keda(obj)

    def _hpa(self, ctx: Context, obj: K8sObject) -> Iterator[Violation]:
        spec = obj.spec
        low, high = int_value(spec.get("minReplicas")), int_value(spec.get("maxReplicas"))
        who = f"HPA `{obj.name}`"
        if high is not None and high < 1:
            yield Violation(
                f"{who} sets `maxReplicas: {high}`; it must be at least 1", ("spec", "maxReplicas")
            )
            return
        if low == 0:
            zero_ok = _version(ctx.profile) >= SCALE_TO_ZERO_DEFAULT
            if not zero_ok:
                yield Violation(
                    f"{who} sets `minReplicas: 0`, which needs the `HPAScaleToZero` feature "
                    "gate (alpha, off by default before Kubernetes 1.37)",
                    ("spec", "minReplicas"),
                )
            elif not any(m.type in ("Object", "External") for m in hpa_metrics(obj)):
                yield Violation(
                    f"{who} sets `minReplicas: 0` without an Object or External metric, "
                    "which scale to zero requires",
                    ("spec", "minReplicas"),
                )
            return
        if low is not None and low < 0:
            yield Violation(f"{who} sets a negative `minReplicas: {low}`", ("spec", "minReplicas"))
            return
        effective = 1 if low is None and "minReplicas" not in spec else low
        if effective is not None and high is not None and effective > high:
            path = ("spec", "minReplicas") if low is not None else ("spec", "maxReplicas")
            yield Violation(
                f"{who} has `minReplicas: {effective}` above `maxReplicas: {high}`", path
            )

    def _keda(self, obj: K8sObject) -> Iterator[Violation]:
        spec = obj.spec
        who = f"ScaledObject `{obj.name}`"
        raw_min = spec.get("minReplicaCount")
        low = int_value(raw_min)
        if raw_min is not None and low is None:
            return
        high = int_value(spec.get("maxReplicaCount", KEDA_DEFAULT_MAX))
        # KEDA's check: an explicit minReplicaCount of 0 still gives its HPA a minimum of 1.
        effective = (low if low > 0 else 1) if low is not None else 0
        min_path = ("spec", "minReplicaCount")
        if low is not None and high is not None and low > high:
            upper = (
                f"`maxReplicaCount: {high}`"
                if "maxReplicaCount" in spec
                else f"the default `maxReplicaCount` of {high}"
            )
            yield Violation(f"{who} has `minReplicaCount: {low}` above {upper}", min_path)
            return
        idle = int_value(spec.get("idleReplicaCount"))
        if idle is not None and idle >= effective:
            yield Violation(
                f"{who} sets `idleReplicaCount: {idle}`, which KEDA requires to be below "
                f"the minimum replica count ({effective})",
                ("spec", "idleReplicaCount"),
            )
            return
        triggers = keda_metrics(obj)
        ref = as_map(spec.get("scaleTargetRef"))
        kind = ref.get("kind") or "Deployment"
        group = str(ref.get("apiVersion") or "apps/v1").rpartition("/")[0]
        if (
            triggers
            and all(t.is_resource for t in triggers)
            and not low
            and kind in ("Deployment", "StatefulSet")
            and group == "apps"
        ):
            yield Violation(
                f"{who} has only cpu/memory triggers and a minimum of 0 replicas, which KEDA "
                "rejects (cpu and memory cannot scale to zero)",
                min_path if raw_min is not None else ("spec", "triggers"),
                key_only=raw_min is None,
            )
