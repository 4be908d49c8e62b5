"""SCL009."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from aiconf_lint.k8s.autoscaling import autoscalers, is_hpa, metrics_of
from aiconf_lint.k8s.objects import K8sObject
from aiconf_lint.model import Severity, Violation
from aiconf_lint.rule import Context, Rule

# KEDA scalers that read one cloud's monitoring service.
CLOUD_SCALERS = {
    "aws-cloudwatch": "AWS CloudWatch",
    "azure-monitor": "Azure Monitor",
    "azure-app-insights": "Azure Application Insights",
    "azure-log-analytics": "Azure Log Analytics",
    "gcp-stackdriver": "Google Cloud Monitoring",
    "huawei-cloudeye": "Huawei Cloud Eye",
}
# Managed Prometheus query endpoints that exist on one cloud only.
MANAGED_PROMETHEUS = (
    (
        re.compile(r"(^|\.)monitoring\.googleapis\.com$"),
        "Google Cloud Managed Service for Prometheus",
    ),
    (re.compile(r"^aps-workspaces\.[a-z0-9-]+\.amazonaws\.com$"), "Amazon Managed Prometheus"),
    (re.compile(r"\.prometheus\.monitor\.azure\.com$"), "Azure Monitor managed Prometheus"),
)


def _host(address: object) -> str | None:
    if not isinstance(address, str):
        return None
    try:
        return urlsplit(address.strip()).hostname
    except ValueError:
        return None


def _stackdriver(name: str) -> str:
    domain = name.split("|", 1)[0]
    if domain == "prometheus.googleapis.com":
        return "Google Cloud Managed Service for Prometheus"
    return "Google Cloud Monitoring"


class ProviderSpecificMetric(Rule):
    """## What it does
    Checks autoscaler metrics that only one cloud's adapter serves: HPA metric names in the
    Stackdriver adapter's `<domain>|<path>` form (`prometheus.googleapis.com|...|gauge`,
    `kubernetes.io|container|accelerator|duty_cycle`, `custom.googleapis.com|...`), KEDA
    scalers that read a cloud's monitoring service (`aws-cloudwatch`, `azure-monitor`,
    `azure-app-insights`, `azure-log-analytics`, `gcp-stackdriver`, `huawei-cloudeye`), and
    KEDA `prometheus` triggers whose `serverAddress` is a managed Prometheus endpoint of one
    cloud (Google Managed Prometheus, Amazon Managed Prometheus, Azure Monitor).

    ## Why is this bad?
    The same manifests on another certified platform find no adapter serving the metric: the
    HPA reports `FailedGetPodsMetric` and never scales. A Prometheus metric served through
    prometheus-adapter or KEDA's `prometheus` scaler against the cluster's own Prometheus
    works everywhere.

    ## Example
    ```yaml
    metrics:
      - type: Pods
        pods:
          metric: {name: "prometheus.googleapis.com|vllm:num_requests_waiting|gauge"}
          target: {type: AverageValue, averageValue: "5"}
    ```

    Use instead:
    ```yaml
    metrics:
      - type: Pods
        pods:
          metric: {name: vllm_num_requests_waiting}   # served by prometheus-adapter
          target: {type: AverageValue, averageValue: "5"}
    ```

    ## References
    - https://cloud.google.com/kubernetes-engine/docs/tutorials/autoscaling-metrics
    - https://keda.sh/docs/latest/scalers/
    """

    code = "SCL009"
    name = "provider-specific-metric"
    summary = "Autoscaler metric only one provider's adapter serves"
    severity = Severity.WARNING
    requirements = ("pod_autoscaling",)

    def check_bundle(self, ctx: Context) -> Iterator[tuple[K8sObject, Violation]]:
        for scaler in autoscalers(ctx.bundle):
            obj = scaler.obj
            who = scaler.display()
            for metric in metrics_of(obj):
                if is_hpa(obj):
                    if "|" in metric.name and not metric.is_resource:
                        yield (
                            obj,
                            Violation(
                                f"{who} scales on `{metric.name}`, a {_stackdriver(metric.name)} "
                                "name only GKE's Stackdriver metrics adapter serves",
                                metric.name_path,
                            ),
                        )
                    continue
                trigger = metric.type.removeprefix("keda:")
                service = CLOUD_SCALERS.get(trigger)
                if service is not None:
                    yield (
                        obj,
                        Violation(
                            f"{who} uses the `{trigger}` scaler, which reads {service} and works "
                            "on that cloud only",
                            metric.name_path,
                        ),
                    )
                elif trigger == "prometheus":
                    host = _host(metric.metadata.get("serverAddress"))
                    for pattern, managed in MANAGED_PROMETHEUS:
                        if host and pattern.search(host):
                            yield (
                                obj,
                                Violation(
                                    f"{who} queries {managed} (`{host}`), which exists on one "
                                    "cloud only",
                                    (*metric.path, "metadata", "serverAddress"),
                                ),
                            )
                            break
