"""SCL003."""

from __future__ import annotations

from collections.abc import Iterator

from aiconf_lint.k8s.autoscaling import hpa_metrics, is_hpa, owned_by_controller
from aiconf_lint.k8s.objects import K8sObject
from aiconf_lint.k8s.prometheus_adapter import (
    AdapterConfig,
    NamingRule,
    adapter_configs,
    configs_beside,
    exposed_names,
    has_external_provider,
    serves,
)
from aiconf_lint.k8s.quantity import is_unresolved
from aiconf_lint.model import Severity, Violation
from aiconf_lint.rule import Context, Rule


def _hint(rules: list[NamingRule]) -> str:
    names = [n for n in dict.fromkeys(exposed_names(rules)) if n]
    if not names:
        return ""
    shown = ", ".join(f"`{n}`" for n in names[:4])
    more = f" and {len(names) - 4} more" if len(names) > 4 else ""
    return f" (they expose {shown}{more})"


def _cm(configs: list[AdapterConfig]) -> str:
    return ", ".join(f"`{c.source.name}`" for c in configs)


class AutoscalerMetricNotServed(Rule):
    """## What it does
    When the bundle carries a prometheus-adapter configuration (a ConfigMap whose data holds
    the adapter's `rules`/`externalRules`/`resourceRules`) beside the HPA (same file, Helm
    chart, directory branch or namespace), checks that every `Pods` and
    `Object` metric of every HPA is a name some custom `rules` entry exposes, evaluating each
    rule's `seriesQuery`, `seriesFilters`, `name.matches` and `name.as` as the adapter does
    (Go regexp, `as` defaulting to `$0`, or `$1` with one capture group). An `External`
    metric must come from an `externalRules` entry, KEDA or another external-metrics
    APIService in the bundle. Rules that discover series by regex are assumed to serve any
    name their `as` can produce, and names compare case-insensitively. Without adapter
    configuration in the bundle the platform may serve the metrics, and nothing is reported.

    ## Why is this bad?
    The HPA asks `custom.metrics.k8s.io` or `external.metrics.k8s.io` for the name exactly as
    written. A name the adapter does not expose (the raw series `vllm:num_requests_waiting`
    where the adapter renamed it, or a typo) yields `FailedGetPodsMetric` forever and the
    workload never scales.

    ## Example
    ```yaml
    # adapter rule: seriesQuery 'vllm:num_requests_waiting{namespace!="",pod!=""}'
    #               name: {matches: "^vllm:(.*)$", as: "vllm_${1}"}
    metrics:
      - type: Pods
        pods:
          metric: {name: "vllm:num_requests_waiting"}
          target: {type: AverageValue, averageValue: "5"}
    ```

    Use instead:
    ```yaml
    metrics:
      - type: Pods
        pods:
          metric: {name: vllm_num_requests_waiting}
          target: {type: AverageValue, averageValue: "5"}
    ```

    ## References
    - https://github.com/kubernetes-sigs/prometheus-adapter/blob/master/docs/config.md
    - https://github.com/kubernetes-sigs/prometheus-adapter/blob/master/docs/externalmetrics.md
    """

    code = "SCL003"
    name = "autoscaler-metric-not-served"
    summary = "HPA metric no metrics adapter in the bundle serves"
    severity = Severity.WARNING
    requirements = ("pod_autoscaling",)

    def check_bundle(self, ctx: Context) -> Iterator[tuple[K8sObject, Violation]]:
        all_configs = adapter_configs(ctx.bundle)
        if not all_configs:
            return
        external_provider: bool | None = None
        for obj in ctx.bundle.of_kind("HorizontalPodAutoscaler"):
            if not is_hpa(obj) or owned_by_controller(obj):
                continue
            # Only configuration shipped with this HPA says what its cluster serves.
            configs = configs_beside(ctx.bundle, obj)
            if not configs:
                continue
            custom = [c for c in configs if c.has_custom]
            custom_rules = [r for c in custom for r in c.rules]
            external = [c for c in configs if c.has_external]
            external_rules = [r for c in external for r in c.external_rules]
            related = tuple((c.source.key, ("data", c.data_key), "adapter config") for c in configs)
            for metric in hpa_metrics(obj):
                name = metric.name
                if not name or is_unresolved(name) or "|" in name:
                    continue  # templated, or a Cloud Monitoring name (SCL009)
                message = None
                if metric.type in ("Pods", "Object"):
                    if custom and not serves(custom_rules, name):
                        message = (
                            f"HPA `{obj.name}` scales on {metric.type} metric `{name}`, which "
                            f"no prometheus-adapter rule in ConfigMap {_cm(custom)} "
                            f"exposes{_hint(custom_rules)}"
                        )
                elif metric.type == "External":
                    if external_provider is None:
                        external_provider = has_external_provider(ctx.bundle)
                    if external_provider:
                        continue
                    if not external:
                        message = (
                            f"HPA `{obj.name}` scales on External metric `{name}`, but the "
                            "bundle has no external metrics provider (no KEDA, no "
                            f"`externalRules` in ConfigMap {_cm(configs)})"
                        )
                    elif not serves(external_rules, name):
                        message = (
                            f"HPA `{obj.name}` scales on External metric `{name}`, which no "
                            f"`externalRules` entry in ConfigMap {_cm(external)} "
                            f"exposes{_hint(external_rules)}"
                        )
                if message is not None:
                    yield obj, Violation(message, metric.name_path, related_objects=related)
