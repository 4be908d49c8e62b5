"""MET002."""

from __future__ import annotations

from collections.abc import Iterator

from aiconf_lint.k8s.bundle import Bundle
from aiconf_lint.k8s.monitoring import (
    ContainerPort,
    Endpoint,
    Monitor,
    monitors,
    service_port_names,
    sure_service_workloads,
    sure_targets,
    workload_ports,
)
from aiconf_lint.k8s.objects import K8sObject
from aiconf_lint.k8s.quantity import is_unresolved, parse_int
from aiconf_lint.model import Severity, Violation
from aiconf_lint.rule import Context, Rule


def _listing(values: list[str]) -> str:
    return ", ".join(f"`{v}`" for v in dict.fromkeys(values)) or "none"


def _names(objs: list[K8sObject]) -> str:
    return ", ".join(dict.fromkeys(f"`{o.name}`" for o in objs))


def _pod_ports(bundle: Bundle, services: list[K8sObject]) -> list[ContainerPort] | None:
    """Container ports of the pods behind `services`; None when any of them is unknown."""
    return bundle.per_list(
        "MET002:pod-ports", services, lambda: _compute_pod_ports(bundle, services)
    )


def _compute_pod_ports(bundle: Bundle, services: list[K8sObject]) -> list[ContainerPort] | None:
    workloads: list[K8sObject] = []
    for service in services:
        found = sure_service_workloads(bundle, service)
        if not found:
            return None
        workloads.extend(found)
    return workload_ports(bundle, workloads)


def _missing_in(bundle: Bundle, value: object, ports: list[ContainerPort]) -> bool:
    """`_missing`, kept per port list (shared by the monitors of copied charts) and value."""
    if not isinstance(value, (str, int)):
        return _missing(value, ports)
    memo: dict[tuple[int, type, str | int], bool] = bundle.cached("MET002:missing", dict)
    key = (id(ports), type(value), value)
    if key not in memo:
        memo[key] = _missing(value, ports)
    return memo[key]


def _missing(value: object, ports: list[ContainerPort]) -> bool:
    number = parse_int(value)
    if number is not None:
        return all(p.number != number for p in ports)
    return all(p.name != str(value) for p in ports)


def _port_names(services: list[K8sObject]) -> tuple[list[str], frozenset[str]]:
    names = [n for s in services for n in service_port_names(s)]
    return names, frozenset(names)


def _declared(ports: list[ContainerPort]) -> str:
    shown = [
        f"{p.number} ({p.name})" if p.name and p.number else p.name or str(p.number)
        for p in ports
        if p.name or p.number
    ]
    return _listing(shown)


class MonitorPortNotFound(Rule):
    """## What it does
    Checks the ports of monitor endpoints against the objects they select: a ServiceMonitor's
    `endpoints[].port` must name a port of the selected Services (`targetPort`, a container
    port of their pods); a PodMonitor's `podMetricsEndpoints[].port` must name a container
    port, and `portNumber` must be a declared one. An endpoint with no port at all is reported
    too, as is a number in `port`, which takes names only.

    ## Why is this bad?
    Prometheus Operator keeps only the targets whose port name matches, so a wrong or unnamed
    port yields a scrape job with no targets and no error. The GPU Operator names its
    dcgm-exporter Service port `gpu-metrics` while the Helm chart says `metrics`: a monitor
    written for one misses the other.

    ## Example
    ```yaml
    kind: ServiceMonitor
    spec:
      selector: {matchLabels: {app: nvidia-dcgm-exporter}}
      endpoints:
        - port: metrics        # the Service's port is named gpu-metrics
    ```

    Use instead:
    ```yaml
    spec:
      selector: {matchLabels: {app: nvidia-dcgm-exporter}}
      endpoints:
        - port: gpu-metrics
    ```

    ## References
    - Prometheus Operator API: `Endpoint.port`, `PodMetricsEndpoint.port`, `portNumber`
    """

    code = "MET002"
    name = "monitor-port-not-found"
    summary = "A monitor endpoint names a port the selected Services or pods do not have"
    severity = Severity.ERROR
    requirements = ("accelerator_metrics", "ai_service_metrics")

    def check_bundle(self, ctx: Context) -> Iterator[tuple[K8sObject, Violation]]:
        for monitor in monitors(ctx.bundle, provider=False):
            targets = sure_targets(ctx.bundle, monitor)
            for endpoint in monitor.endpoints:
                if monitor.selects_services:
                    found = self._service_endpoint(ctx.bundle, monitor, endpoint, targets)
                else:
                    found = self._pod_endpoint(ctx.bundle, monitor, endpoint, targets)
                if found is not None:
                    yield monitor.obj, found

    @staticmethod
    def _service_endpoint(
        bundle: Bundle, monitor: Monitor, endpoint: Endpoint, services: list[K8sObject]
    ) -> Violation | None:
        obj, data = monitor.obj, endpoint.data
        port, target_port = data.get("port"), data.get("targetPort")
        if port is None and target_port is None:
            return Violation(
                f"An endpoint of ServiceMonitor `{obj.name}` sets neither `port` nor "
                "`targetPort`, so it does not say which port to scrape",
                endpoint.path,
            )
        if port is not None:
            if is_unresolved(port):
                return None
            if parse_int(port) is not None:
                return Violation(
                    f"ServiceMonitor `{obj.name}` sets `port: {port}`, but `port` takes the "
                    "name of a Service port; name the port or use `targetPort`",
                    (*endpoint.path, "port"),
                )
            names, known = bundle.per_list(
                "MET002:port-names", services, lambda: _port_names(services)
            )
            if services and str(port) not in known:
                unnamed = "" if names else " (a port must be named to be referenced)"
                which = (
                    f"the selected Service `{services[0].name}` does not name; its"
                    if len({s.name for s in services}) == 1
                    else f"none of the selected Services {_names(services)} names; their"
                )
                return Violation(
                    f"ServiceMonitor `{obj.name}` scrapes port `{port}`, which {which} named "
                    f"ports: {_listing(names)}{unnamed}",
                    (*endpoint.path, "port"),
                )
            return None
        if is_unresolved(target_port) or not services:
            return None
        ports = _pod_ports(bundle, services)
        if ports is None or not _missing_in(bundle, target_port, ports):
            return None
        return Violation(
            f"ServiceMonitor `{obj.name}` scrapes `targetPort: {target_port}`, which no "
            f"container behind Service {_names(services)} declares; declared: {_declared(ports)}",
            (*endpoint.path, "targetPort"),
        )

    @staticmethod
    def _pod_endpoint(
        bundle: Bundle, monitor: Monitor, endpoint: Endpoint, workloads: list[K8sObject]
    ) -> Violation | None:
        obj, data = monitor.obj, endpoint.data
        keys = [k for k in ("port", "portNumber", "targetPort") if data.get(k) is not None]
        if not keys:
            return Violation(
                f"An endpoint of PodMonitor `{obj.name}` sets none of `port`, `portNumber` "
                "or `targetPort`, so it does not say which port to scrape",
                endpoint.path,
            )
        key = keys[0]
        value = data[key]
        if is_unresolved(value):
            return None
        if key == "port" and parse_int(value) is not None:
            return Violation(
                f"PodMonitor `{obj.name}` sets `port: {value}`, but `port` takes the name of a "
                "container port; use `portNumber` for a number",
                (*endpoint.path, "port"),
            )
        ports = (
            bundle.per_list(
                "monitoring:workload-ports", workloads, lambda: workload_ports(bundle, workloads)
            )
            if workloads
            else None
        )
        if ports is None or not _missing_in(bundle, value, ports):
            return None
        return Violation(
            f"PodMonitor `{obj.name}` scrapes `{key}: {value}`, which no container of "
            f"{', '.join(dict.fromkeys(f'{w.kind} `{w.name}`' for w in workloads))} declares; "
            "declared: "
            f"{_declared(ports)}",
            (*endpoint.path, key),
        )
