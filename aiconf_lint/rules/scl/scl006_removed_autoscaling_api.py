"""SCL006."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from aiconf_lint.k8s.autoscaling import HPA, is_hpa
from aiconf_lint.k8s.objects import K8sObject, as_list, as_map
from aiconf_lint.model import Applicability, Edit, Fix, FixAvailability, Severity, Violation
from aiconf_lint.rule import Context, Rule

_REMOVED = {"autoscaling/v2beta1": "1.25", "autoscaling/v2beta2": "1.26"}


def _one_target(
    source: Mapping[str, object], choices: tuple[tuple[str, str, str], ...]
) -> dict[str, object] | None:
    """The v2 `target` for a v2beta1 source that sets exactly one of the target fields."""
    present = [(key, kind, field) for key, kind, field in choices if key in source]
    if len(present) != 1:
        return None
    key, kind, field = present[0]
    return {"type": kind, field: source[key]}


def _identifier(source: Mapping[str, object], selector_key: str) -> dict[str, object]:
    metric: dict[str, object] = {"name": source["metricName"]}
    if selector_key in source:
        metric["selector"] = source[selector_key]
    return metric


def convert_v2beta1_metric(item: object) -> dict[str, object] | None:
    """One `autoscaling/v2beta1` metric in `autoscaling/v2` shape, or None when not exact.

    Mirrors the API server's conversion for the shapes where it is a plain rename: a single
    target field, no field we do not know.
    """
    metric = as_map(item)
    kind = metric.get("type")
    if not isinstance(kind, str) or set(metric) - {"type", kind[:1].lower() + kind[1:]}:
        return None
    key = kind[:1].lower() + kind[1:]
    source = as_map(metric.get(key))
    util = ("targetAverageUtilization", "Utilization", "averageUtilization")
    avg = ("targetAverageValue", "AverageValue", "averageValue")
    converted: dict[str, object]
    if kind in ("Resource", "ContainerResource"):
        allowed = {"name", util[0], avg[0]} | (
            {"container"} if kind == "ContainerResource" else set()
        )
        target = _one_target(source, (util, avg))
        if target is None or set(source) - allowed or "name" not in source:
            return None
        converted = {k: v for k, v in source.items() if k in ("name", "container")}
        converted["target"] = target
    elif kind == "Pods":
        if set(source) - {"metricName", "targetAverageValue", "selector"} or avg[0] not in source:
            return None
        converted = {
            "metric": _identifier(source, "selector"),
            "target": _one_target(source, (avg,)),
        }
    elif kind == "External":
        value = ("targetValue", "Value", "value")
        target = _one_target(source, (value, avg))
        if target is None or set(source) - {"metricName", "metricSelector", value[0], avg[0]}:
            return None
        converted = {"metric": _identifier(source, "metricSelector"), "target": target}
    elif kind == "Object":
        if set(source) - {"target", "metricName", "targetValue", "selector"}:
            return None
        if "targetValue" not in source or "target" not in source:
            return None
        converted = {
            "describedObject": source["target"],
            "metric": _identifier(source, "selector"),
            "target": {"type": "Value", "value": source["targetValue"]},
        }
    else:
        return None
    if "metricName" in source and not isinstance(source["metricName"], str):
        return None
    return {"type": kind, key: converted}


def _fix(obj: K8sObject) -> Fix | None:
    edits = [Edit("set", ("apiVersion",), value="autoscaling/v2")]
    if obj.api_version == "autoscaling/v2beta1":
        raw = obj.spec.get("metrics")
        if raw is not None:
            converted = [convert_v2beta1_metric(item) for item in as_list(raw)]
            if not isinstance(raw, list) or any(c is None for c in converted):
                return None
            if converted:
                edits.append(Edit("set", ("spec", "metrics"), value=converted))
    title = "Replace with `autoscaling/v2`"
    if len(edits) > 1:
        title += " and rewrite `metrics` in its shape"
    return Fix(title, tuple(edits), Applicability.SAFE)


class RemovedAutoscalingApi(Rule):
    """## What it does
    Checks for HorizontalPodAutoscalers at `autoscaling/v2beta1` (removed in Kubernetes 1.25)
    or `autoscaling/v2beta2` (removed in 1.26).

    ## Why is this bad?
    No supported cluster serves these versions: `kubectl apply` fails with "no matches for
    kind", and a Helm chart that still renders one cannot install, so the workload runs
    without an autoscaler.

    ## Example
    ```yaml
    apiVersion: autoscaling/v2beta1
    kind: HorizontalPodAutoscaler
    spec:
      metrics:
        - type: Pods
          pods: {metricName: vllm_num_requests_waiting, targetAverageValue: "5"}
    ```

    Use instead:
    ```yaml
    apiVersion: autoscaling/v2
    kind: HorizontalPodAutoscaler
    spec:
      metrics:
        - type: Pods
          pods:
            metric: {name: vllm_num_requests_waiting}
            target: {type: AverageValue, averageValue: "5"}
    ```

    ## Fix safety
    `autoscaling/v2` is `v2beta2` made GA with the same fields, so for `v2beta2` the fix only
    changes `apiVersion`. For `v2beta1` it also rewrites each metric into the v2 shape the
    API server's own conversion produces (`targetAverageValue` becomes
    `target: {type: AverageValue, averageValue}`, and so on); it is offered only when every
    metric sets exactly one target field and nothing unknown, so the meaning is unchanged.
    The fix is safe.

    ## References
    - https://kubernetes.io/docs/reference/using-api/deprecation-guide/#horizontalpodautoscaler-v126
    """

    code = "SCL006"
    name = "removed-autoscaling-api"
    summary = "HorizontalPodAutoscaler at a removed `autoscaling` version"
    severity = Severity.ERROR
    kinds = frozenset({HPA})
    requirements = ("pod_autoscaling",)
    fix_availability = FixAvailability.SOMETIMES

    def check_object(self, ctx: Context, obj: K8sObject) -> Iterator[Violation]:
        removed_in = _REMOVED.get(obj.api_version)
        if removed_in is None or not is_hpa(obj):
            return
        yield Violation(
            f"HPA `{obj.name}` uses `{obj.api_version}`, removed in Kubernetes {removed_in}; "
            "use `autoscaling/v2`",
            ("apiVersion",),
            fix=_fix(obj),
        )
