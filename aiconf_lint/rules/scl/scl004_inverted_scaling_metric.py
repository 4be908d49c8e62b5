"""SCL004."""

from __future__ import annotations

import re
from collections.abc import Iterator

from aiconf_lint.k8s.autoscaling import (
    Metric,
    autoscalers,
    inverted_token,
    is_hpa,
    metrics_of,
)
from aiconf_lint.k8s.objects import K8sObject
from aiconf_lint.k8s.prometheus_adapter import (
    AdapterConfig,
    adapter_configs,
    is_plain_query,
    source_series,
)
from aiconf_lint.model import Severity, Violation
from aiconf_lint.rule import Context, Rule

_CUSTOM_TYPES = frozenset({"Pods", "Object", "External"})
_RAW_TARGETS = frozenset({"AverageValue", "Value"})
_PROMQL_WORDS = frozenset(
    {"by", "without", "on", "ignoring", "group_left", "group_right", "offset", "bool"}
    | {"sum", "avg", "min", "max", "count", "topk", "bottomk", "quantile", "stddev", "stdvar"}
)
_GROUPING = re.compile(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")
_STRIPPED = re.compile(r"\{[^}]*\}|\[[^\]]*\]|\"[^\"]*\"|'[^']*'")
_IDENT = re.compile(r"(?<![A-Za-z0-9_:.])[A-Za-z_:][A-Za-z0-9_:]*(?![A-Za-z0-9_:])(?!\s*\()")


def single_series(query: str) -> str | None:
    """The one metric a PromQL query reads, when it reads one and does no arithmetic."""
    if not is_plain_query(query):
        return None
    text = _STRIPPED.sub(" ", _GROUPING.sub(" ", query))
    names = {m.group(0) for m in _IDENT.finditer(text)} - _PROMQL_WORDS
    return next(iter(names)) if len(names) == 1 else None


class InvertedScalingMetric(Rule):
    """## What it does
    Checks HPA `Pods`/`Object`/`External` metrics with an `AverageValue` or `Value` target,
    and KEDA `prometheus` triggers, for metrics whose value falls as load rises: names with a
    `free`, `idle`, `unused` or `available` word, such as `DCGM_FI_DEV_FB_FREE`. It also looks
    through prometheus-adapter renames in the bundle (`as: gpu_mem` over
    `DCGM_FI_DEV_FB_FREE`) and lower-case forms (`dcgm_fi_dev_fb_free`).

    ## Why is this bad?
    An HPA adds replicas while the metric is above its target. A "free" metric is highest
    when the accelerators are idle, so the workload scales out when nothing is happening and
    in when it is busy. This has been seen in conformance evidence: an HPA on GPU free
    memory scaled up an idle deployment.

    ## Example
    ```yaml
    metrics:
      - type: Pods
        pods:
          metric: {name: DCGM_FI_DEV_FB_FREE}
          target: {type: AverageValue, averageValue: "5000"}
    ```

    Use instead:
    ```yaml
    metrics:
      - type: Pods
        pods:
          metric: {name: DCGM_FI_DEV_FB_USED}
          target: {type: AverageValue, averageValue: "60000"}
    ```

    ## References
    - https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/#algorithm-details
    """

    code = "SCL004"
    name = "inverted-scaling-metric"
    summary = "Autoscaler scaling up on a free or idle metric"
    severity = Severity.WARNING
    requirements = ("pod_autoscaling",)

    def check_bundle(self, ctx: Context) -> Iterator[tuple[K8sObject, Violation]]:
        configs: list[AdapterConfig] | None = None
        for scaler in autoscalers(ctx.bundle):
            obj = scaler.obj
            for metric in metrics_of(obj):
                if is_hpa(obj):
                    if metric.type not in _CUSTOM_TYPES or metric.target_type not in _RAW_TARGETS:
                        continue
                    if configs is None:
                        configs = adapter_configs(ctx.bundle)
                    rules = [
                        rule
                        for config in configs
                        if ctx.bundle.are_related(obj, config.source)
                        for rule in (*config.rules, *config.external_rules)
                    ]
                    found = self._inverted(metric.name, source_series(rules, metric.name))
                elif metric.type == "keda:prometheus" and metric.target_type in _RAW_TARGETS:
                    series = single_series(str(metric.metadata.get("query") or ""))
                    found = self._inverted(series, set()) if series else None
                else:
                    continue
                if found is None:
                    continue
                yield obj, self._violation(scaler.display(), metric, *found)

    @staticmethod
    def _inverted(name: str, sources: set[str]) -> tuple[str, str] | None:
        token = inverted_token(name)
        if token is not None:
            return name, token
        for series in sorted(sources):
            token = inverted_token(series)
            if token is not None:
                return series, token
        return None

    @staticmethod
    def _violation(who: str, metric: Metric, series: str, token: str) -> Violation:
        via = "" if series == metric.name else f" (the adapter's name for `{series}`)"
        if metric.is_keda:
            return Violation(
                f"{who} scales on `{series}`, a `{token}` metric that falls as load rises, so "
                "the workload scales out when idle",
                (*metric.path, "metadata", "query"),
            )
        return Violation(
            f"{who} scales on `{metric.name}`{via} with target type `{metric.target_type}`, but "
            f"a `{token}` metric falls as load rises, so the workload scales out when idle",
            metric.name_path,
        )
