"""SCL005."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from pathlib import PurePosixPath

from aiconf_lint.k8s.autoscaling import Autoscaler, autoscalers, resolve_target
from aiconf_lint.k8s.bundle import Bundle
from aiconf_lint.k8s.objects import K8sObject
from aiconf_lint.model import Severity, Violation
from aiconf_lint.rule import Context, Rule


def _partner(bundle: Bundle, scaler: Autoscaler, candidates: list[Autoscaler]) -> Autoscaler | None:
    for other in candidates:
        if (
            other is not scaler
            and bundle.are_related(other.obj, scaler.obj)
            and not _separate_copies(bundle, scaler, other)
        ):
            return other
    return None


def _own_targets(bundle: Bundle, scaler: Autoscaler) -> set[int]:
    folder = PurePosixPath(scaler.obj.file).parent
    return {
        id(obj)
        for obj in resolve_target(bundle, scaler)
        if PurePosixPath(obj.file).parent == folder
    }


def _separate_copies(bundle: Bundle, a: Autoscaler, b: Autoscaler) -> bool:
    """Each autoscaler sits beside its own copy of the target: two alternative samples in
    sibling folders that both define `vllm` scale two different objects, not one twice."""
    mine, theirs = _own_targets(bundle, a), _own_targets(bundle, b)
    return bool(mine) and bool(theirs) and not mine & theirs


class DuplicateAutoscalers(Rule):
    """## What it does
    Checks that no two autoscalers scale the same object: two HorizontalPodAutoscalers, two
    KEDA ScaledObjects, or an HPA and a ScaledObject with the same target (API group, kind,
    name and namespace). KEDA creates its own HPA (`keda-hpa-<name>`) for every ScaledObject,
    so an HPA beside a ScaledObject is a second HPA. HPAs that a controller owns (a KEDA or
    KServe HPA in a cluster dump) are not counted, nor is one autoscaler written twice (the
    same kind, namespace and name in two files).

    ## Why is this bad?
    The HPA controller refuses to act when several HPAs select the same pods
    (`AmbiguousSelector`), and KEDA's admission webhook rejects a ScaledObject whose target an
    HPA already manages. Without the webhook both controllers write `replicas` in turn and the
    workload flaps.

    ## Example
    ```yaml
    apiVersion: autoscaling/v2
    kind: HorizontalPodAutoscaler
    metadata: {name: vllm}
    spec:
      scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: vllm}
    ---
    apiVersion: keda.sh/v1alpha1
    kind: ScaledObject
    metadata: {name: vllm}
    spec:
      scaleTargetRef: {name: vllm}
    ```

    Use instead:
    ```yaml
    # one autoscaler; a ScaledObject can carry a cpu trigger beside its others
    apiVersion: keda.sh/v1alpha1
    kind: ScaledObject
    metadata: {name: vllm}
    spec:
      scaleTargetRef: {name: vllm}
      triggers:
        - type: prometheus
          metadata: {serverAddress: "http://prometheus:9090", query: "sum(q)", threshold: "5"}
    ```

    ## References
    - https://keda.sh/docs/latest/concepts/scaling-deployments/
    - https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/
    """

    code = "SCL005"
    name = "duplicate-autoscalers"
    summary = "Two autoscalers on one target"
    severity = Severity.ERROR
    requirements = ("pod_autoscaling",)

    def check_bundle(self, ctx: Context) -> Iterator[tuple[K8sObject, Violation]]:
        groups: dict[tuple[str, str, str, str], list[Autoscaler]] = defaultdict(list)
        seen: set[tuple[str, str, str, str]] = set()
        for scaler in autoscalers(ctx.bundle):
            # One object written twice (variants of a sample, dumps of several API versions)
            # is one autoscaler: the API server keeps a single object per kind and name.
            identity = (scaler.namespace, scaler.obj.group, scaler.obj.kind, scaler.obj.name)
            if identity in seen:
                continue
            seen.add(identity)
            groups[scaler.key].append(scaler)
        for members in groups.values():
            if len(members) < 2:
                continue
            keda = [m for m in members if not m.is_hpa]
            # Blame every HPA when KEDA is involved (KEDA makes its own), else all but the first.
            first = keda[0] if keda else members[0]
            for scaler in members:
                if scaler is first:
                    continue
                # Unrelated samples that both scale `default/web` are not one app's autoscalers.
                partner = _partner(ctx.bundle, scaler, [first, *members])
                if partner is None:
                    continue
                yield (
                    scaler.obj,
                    Violation(
                        f"{scaler.display()} and {partner.display()} both scale "
                        f"{scaler.target_display()}",
                        (*scaler.ref_path, "name"),
                        related_objects=(
                            (partner.obj.key, (*partner.ref_path, "name"), "also scales it"),
                        ),
                    ),
                )
