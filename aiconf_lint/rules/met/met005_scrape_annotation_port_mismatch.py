"""MET005."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from aiconf_lint.k8s.monitoring import (
    POD_KINDS,
    PORT_ANNOTATION,
    ContainerPort,
    container_ports,
    core_services,
    ports_reliable,
    sure_service_workloads,
    workload_ports,
)
from aiconf_lint.k8s.objects import K8sObject, as_map
from aiconf_lint.k8s.quantity import is_unresolved, parse_int
from aiconf_lint.model import Severity, Violation, YamlPath
from aiconf_lint.rule import Context, Rule


def _problem(value: object, ports: list[ContainerPort], owner: str) -> str | None:
    """Why `value` is not one of `ports`, or None when it is (or nothing can be said)."""
    numbers = sorted({p.number for p in ports if p.number is not None})
    if is_unresolved(value) or not numbers:
        return None
    number = parse_int(value)
    declared = ", ".join(f"`{n}`" for n in numbers)
    if number is None:
        return f"is not a port number (declared container ports: {declared})"
    if number not in numbers:
        return f"no container {owner}declares (declared: {declared})"
    return None


class ScrapeAnnotationPortMismatch(Rule):
    """## What it does
    Checks that a `prometheus.io/port` annotation, on a pod template or on a Service, names a
    port the pods declare in `containers[].ports[].containerPort`. Pods that declare no ports,
    and pods whose operator adds its own (KubeRay, KServe, Knative), are left alone.

    ## Why is this bad?
    The annotation convention's relabel rules replace the target address with the pod IP and
    the annotated port. A port nothing listens on gives a target that is always down; a port
    name (`metrics`) gives an address Prometheus cannot parse. Either way the service's
    metrics are not collected, although the manifest looks wired.

    ## Example
    ```yaml
    template:
      metadata:
        annotations:
          prometheus.io/scrape: "true"
          prometheus.io/port: "8080"
      spec:
        containers:
          - name: triton
            ports: [{name: metrics, containerPort: 8002}]
    ```

    Use instead:
    ```yaml
    template:
      metadata:
        annotations:
          prometheus.io/scrape: "true"
          prometheus.io/port: "8002"
    ```
    """

    code = "MET005"
    name = "scrape-annotation-port-mismatch"
    summary = "A `prometheus.io/port` annotation that is not a declared container port"
    severity = Severity.WARNING
    requirements = ("accelerator_metrics", "ai_service_metrics")

    def check_bundle(self, ctx: Context) -> Iterator[tuple[K8sObject, Violation]]:
        bundle = ctx.bundle
        for obj in bundle.objects:
            if obj.kind not in POD_KINDS or not ports_reliable(obj):
                continue  # runtimes and templates are not pods; operators add ports
            for template in bundle.templates(obj):
                annotations = as_map(template.metadata.get("annotations"))
                value = annotations.get(PORT_ANNOTATION)
                ports = container_ports(template)
                reason = None if value is None else _problem(value, ports, "")
                if reason is not None:
                    path: YamlPath = (*template.metadata_path, "annotations", PORT_ANNOTATION)
                    yield (
                        obj,
                        Violation(
                            f"The pod template of {obj.kind} `{obj.name}` sets "
                            f'`{PORT_ANNOTATION}: "{value}"`, which {reason}',
                            path,
                        ),
                    )
        for service in core_services(bundle):
            value = service.annotations.get(PORT_ANNOTATION)
            if value is None:
                continue
            workloads = sure_service_workloads(bundle, service)
            # Services with one selector share one run-long workload list: read its ports once.
            pod_ports = (
                bundle.per_list(
                    "monitoring:workload-ports",
                    workloads,
                    partial(workload_ports, bundle, workloads),
                )
                if workloads
                else None
            )
            names = ", ".join(dict.fromkeys(f"{w.kind} `{w.name}`" for w in workloads or ()))
            reason = None if pod_ports is None else _problem(value, pod_ports, f"of {names} ")
            if reason is not None:
                yield (
                    service,
                    Violation(
                        f'Service `{service.name}` sets `{PORT_ANNOTATION}: "{value}"`, which '
                        f"{reason}",
                        ("metadata", "annotations", PORT_ANNOTATION),
                    ),
                )
