"""SCL011."""

from __future__ import annotations

from collections.abc import Iterator

from aiconf_lint.k8s.autoscaling import (
    hpa_metrics,
    is_hpa,
    is_scaled_object,
    keda_metrics,
    owned_by_controller,
)
from aiconf_lint.k8s.objects import K8sObject, as_str
from aiconf_lint.k8s.prometheus_adapter import configs_beside, counter_names, takes_rate
from aiconf_lint.k8s.quantity import is_unresolved
from aiconf_lint.model import Severity, Violation
from aiconf_lint.rule import Context, Rule

_PROMETHEUS_TRIGGERS = ("keda:prometheus",)


class CounterScalingMetric(Rule):
    """## What it does
    Finds autoscalers that scale on the raw value of a Prometheus counter: a KEDA `prometheus`
    trigger whose `query` reads a `..._total` series with no range function (`rate`,
    `irate`, `increase`, `delta`, `deriv`, `*_over_time`), and an HPA `Pods`, `Object` or
    `External` metric that a prometheus-adapter rule shipped with it serves from a `..._total`
    series through a `metricsQuery` that takes no rate. Only names that follow the counter
    convention (OpenMetrics requires the `_total` suffix) and queries written out in the
    manifests are judged; a query built from templates or a rule that discovers series by
    regex is left alone.

    ## Why is this bad?
    A counter only grows: requests served, tokens generated, errors seen. Scaled on its raw
    value (an `AverageValue` target divides it by the pods), the desired replica count grows
    with the age of the process, not with the load, so the workload scales to `maxReplicas`
    and never back, holding accelerators nobody uses. The rate of the counter is the load.

    ## Example
    ```yaml
    apiVersion: keda.sh/v1alpha1
    kind: ScaledObject
    metadata: {name: vllm}
    spec:
      scaleTargetRef: {name: vllm}
      triggers:
        - type: prometheus
          metadata:
            serverAddress: http://prometheus.monitoring:9090
            query: sum(vllm:request_success_total{model_name="llama"})
            threshold: "100"
    ```

    Use instead:
    ```yaml
    apiVersion: keda.sh/v1alpha1
    kind: ScaledObject
    metadata: {name: vllm}
    spec:
      scaleTargetRef: {name: vllm}
      triggers:
        - type: prometheus
          metadata:
            serverAddress: http://prometheus.monitoring:9090
            query: sum(rate(vllm:request_success_total{model_name="llama"}[2m]))
            threshold: "5"
    ```

    ## How to fix
    Scale on the rate: `rate(<counter>[2m])` in the KEDA query, or a prometheus-adapter
    `metricsQuery` such as `sum(rate(<<.Series>>{<<.LabelMatchers>>}[2m])) by (<<.GroupBy>>)`
    (the adapter's default rules do this for `_total` series and drop the suffix from the
    name). Better still for serving, scale on a gauge of queued work
    (`vllm:num_requests_waiting`).
    """

    code = "SCL011"
    name = "counter-scaling-metric"
    summary = "An autoscaler scales on the raw value of a Prometheus counter"
    severity = Severity.WARNING
    requirements = ("pod_autoscaling",)
    kinds = frozenset({"HorizontalPodAutoscaler", "ScaledObject"})

    def check_object(self, ctx: Context, obj: K8sObject) -> Iterator[Violation]:
        if is_scaled_object(obj):
            yield from self._keda(obj)
        elif is_hpa(obj) and not owned_by_controller(obj):
            yield from self._hpa(ctx, obj)

    @staticmethod
    def _keda(obj: K8sObject) -> Iterator[Violation]:
        for metric in keda_metrics(obj):
            query = as_str(metric.metadata.get("query"))
            if metric.type not in _PROMETHEUS_TRIGGERS or query is None or is_unresolved(query):
                continue
            counters = counter_names(query)
            if not counters or takes_rate(query):
                continue
            yield Violation(
                f"ScaledObject `{obj.name}` scales on the raw value of the counter "
                f"`{counters[0]}`, which only grows: the workload scales up with the age of the "
                f"process, not the load; scale on `rate({counters[0]}[2m])`",
                (*metric.path, "metadata", "query"),
            )

    @staticmethod
    def _hpa(ctx: Context, obj: K8sObject) -> Iterator[Violation]:
        configs = configs_beside(ctx.bundle, obj)
        if not configs:
            return
        for metric in hpa_metrics(obj):
            if metric.type not in ("Pods", "Object", "External") or is_unresolved(metric.name):
                continue
            rules = [r for c in configs for r in (*c.rules, *c.external_rules)]
            for rule in rules:
                exposed = rule.exposed()
                if rule.rates or not rule.series or not exposed:
                    continue
                if metric.name.lower() not in {n.lower() for n in exposed}:
                    continue
                counters = [s for s in rule.series if s.endswith("_total")]
                if not counters:
                    continue
                yield Violation(
                    f"HPA `{obj.name}` scales on {metric.type} metric `{metric.name}`, which the "
                    f"prometheus-adapter config serves as the raw value of the counter "
                    f"`{counters[0]}` (its `metricsQuery` takes no rate): it only grows, so the "
                    "workload scales up with the age of the process, not the load; wrap the "
                    "series in `rate(...[2m])` in the adapter rule",
                    metric.name_path,
                )
                break
