"""MET001."""

from __future__ import annotations

from collections.abc import Iterator

from aiconf_lint.k8s.monitoring import Monitor, monitor_targets, monitors
from aiconf_lint.k8s.objects import K8sObject
from aiconf_lint.model import Severity, Violation, YamlPath
from aiconf_lint.rule import Context, Rule
from aiconf_lint.rules.met._monitoring_evidence import near_miss


def _where(monitor: Monitor) -> str:
    if monitor.namespaces is None:
        return ""
    names = ", ".join(f"`{n}`" for n in sorted(monitor.namespaces))
    return f" in namespace {names}" if len(monitor.namespaces) == 1 else f" in namespaces {names}"


def _namespace_path(monitor: Monitor) -> tuple[YamlPath, bool]:
    spec = monitor.obj.spec
    if "namespaceSelector" in spec:
        return ("spec", "namespaceSelector"), True
    if monitor.obj.namespace:
        return ("metadata", "namespace"), False
    return ("spec", "selector"), True


class MonitorSelectsNothing(Rule):
    """## What it does
    Checks that every ServiceMonitor and PodMonitor selects something, when the bundle shows
    what it was meant to select: a Service or workload with its labels in a namespace the
    monitor does not watch, a Service whose *pods* carry the labels (a ServiceMonitor matches
    the Service's own labels), or the monitored component under its name with other labels.
    Monitors for things the bundle does not carry are left alone.

    ## Why is this bad?
    Prometheus Operator turns a monitor that selects nothing into a scrape job with no targets:
    no error, no event, just no metrics. GPU dashboards stay empty and autoscalers fed by these
    metrics never see load. Both conformance requirements on metrics (`accelerator_metrics`,
    `ai_service_metrics`) depend on this wiring.

    ## Example
    ```yaml
    apiVersion: monitoring.coreos.com/v1
    kind: ServiceMonitor
    metadata: {name: dcgm-exporter, namespace: monitoring}
    spec:
      selector:
        matchLabels: {app: dcgm-exporter}   # Service is in gpu-operator
      endpoints: [{port: metrics}]
    ---
    apiVersion: v1
    kind: Service
    metadata: {name: dcgm-exporter, namespace: gpu-operator, labels: {app: dcgm-exporter}}
    spec:
      selector: {app: dcgm-exporter}
      ports: [{name: metrics, port: 9400}]
    ```

    Use instead:
    ```yaml
    spec:
      namespaceSelector:
        matchNames: [gpu-operator]
      selector:
        matchLabels: {app: dcgm-exporter}
      endpoints: [{port: metrics}]
    ```

    ## References
    - Prometheus Operator API: `ServiceMonitor.spec.selector`, `namespaceSelector`
    """

    code = "MET001"
    name = "monitor-selects-nothing"
    summary = "A ServiceMonitor or PodMonitor selects no Service or pod of the bundle"
    severity = Severity.WARNING
    requirements = ("accelerator_metrics", "ai_service_metrics")

    def check_bundle(self, ctx: Context) -> Iterator[tuple[K8sObject, Violation]]:
        for monitor in monitors(ctx.bundle, provider=False):
            if monitor.selector is None or monitor_targets(ctx.bundle, monitor):
                continue
            miss = near_miss(ctx.bundle, monitor)
            if miss is None:
                continue
            obj = monitor.obj
            message = (
                f"{obj.kind} `{obj.name}` selects no {monitor.target}{_where(monitor)}; "
                f"{miss.reason}"
            )
            if miss.wrong_namespace:
                path, key_only = _namespace_path(monitor)
                related = (miss.obj.key, ("metadata", "namespace"), "the intended target")
            else:
                path, key_only = ("spec", "selector"), True
                related = (miss.obj.key, ("metadata", "name"), "the intended target")
            yield obj, Violation(message, path, key_only=key_only, related_objects=(related,))
