"""MET006."""

from __future__ import annotations

from collections.abc import Iterator

from aiconf_lint.k8s.objects import K8sObject
from aiconf_lint.model import Severity, Violation
from aiconf_lint.rule import Context, Rule

# (group, kind) -> (provider, portable equivalent)
_PROVIDER_APIS: dict[tuple[str, str], tuple[str, str]] = {
    ("monitoring.googleapis.com", "PodMonitoring"): (
        "GKE Managed Service for Prometheus",
        "a Prometheus Operator `PodMonitor`",
    ),
    ("monitoring.googleapis.com", "ClusterPodMonitoring"): (
        "GKE Managed Service for Prometheus",
        "a Prometheus Operator `PodMonitor` with `namespaceSelector.any: true`",
    ),
    ("monitoring.googleapis.com", "ClusterNodeMonitoring"): (
        "GKE Managed Service for Prometheus",
        "a Prometheus Operator `ScrapeConfig` or `ServiceMonitor`",
    ),
    ("azmonitoring.coreos.com", "ServiceMonitor"): (
        "Azure Monitor managed service for Prometheus",
        "the same object in `monitoring.coreos.com/v1`",
    ),
    ("azmonitoring.coreos.com", "PodMonitor"): (
        "Azure Monitor managed service for Prometheus",
        "the same object in `monitoring.coreos.com/v1`",
    ),
}


class ProviderSpecificMonitoringApi(Rule):
    """## What it does
    Finds scrape configurations that only one provider's managed Prometheus reads: GKE
    Managed Service for Prometheus (`monitoring.googleapis.com` `PodMonitoring`,
    `ClusterPodMonitoring`, `ClusterNodeMonitoring`) and Azure Monitor's managed Prometheus
    (`azmonitoring.coreos.com` `ServiceMonitor`/`PodMonitor`, a renamed copy of Prometheus
    Operator's API that the open-source operator ignores).

    ## Why is this bad?
    On any other platform the API is not served: the manifest fails to apply, or applies to a
    CRD nothing reads, and the service's metrics are never collected. The portable forms are
    Prometheus Operator `ServiceMonitor`/`PodMonitor` (`monitoring.coreos.com/v1`), which most
    managed offerings also accept, or the `prometheus.io/*` annotation convention.

    ## Example
    ```yaml
    apiVersion: monitoring.googleapis.com/v1
    kind: PodMonitoring
    metadata: {name: vllm}
    spec:
      selector: {matchLabels: {app: vllm}}
      endpoints: [{port: http, interval: 15s}]
    ```

    Use instead:
    ```yaml
    apiVersion: monitoring.coreos.com/v1
    kind: PodMonitor
    metadata: {name: vllm}
    spec:
      selector: {matchLabels: {app: vllm}}
      podMetricsEndpoints: [{port: http, interval: 15s}]
    ```

    ## References
    - GKE Managed Service for Prometheus: `PodMonitoring` resources
    - Azure Monitor: custom resources for Prometheus scraping (`azmonitoring.coreos.com/v1`)
    """

    code = "MET006"
    name = "provider-specific-monitoring-api"
    summary = "A scrape configuration only one provider's managed Prometheus serves"
    severity = Severity.WARNING
    kinds = frozenset(kind for _, kind in _PROVIDER_APIS)
    requirements = ("accelerator_metrics", "ai_service_metrics")

    def check_object(self, ctx: Context, obj: K8sObject) -> Iterator[Violation]:
        found = _PROVIDER_APIS.get((obj.group, obj.kind))
        if found is None:
            return
        provider, portable = found
        yield Violation(
            f"{obj.kind} `{obj.name}` uses `{obj.api_version}`, which only {provider} serves; "
            f"use {portable} for a portable scrape configuration",
            ("apiVersion",),
        )
