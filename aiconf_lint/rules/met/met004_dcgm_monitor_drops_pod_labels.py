"""MET004."""

from __future__ import annotations

from collections.abc import Iterator

from aiconf_lint.k8s.bundle import Bundle
from aiconf_lint.k8s.inference_servers import image_repository
from aiconf_lint.k8s.monitoring import Monitor, monitors, reached_workloads
from aiconf_lint.k8s.objects import K8sObject, as_list, as_map
from aiconf_lint.model import Applicability, Edit, Fix, FixAvailability, Severity, Violation
from aiconf_lint.rule import Context, Rule

_DCGM = "dcgm-exporter"


def _mapping_disabled(container: object) -> bool:
    """dcgm-exporter started with Kubernetes pod mapping explicitly off emits no pod labels."""
    for env in as_list(as_map(container).get("env")):
        item = as_map(env)
        if item.get("name") == "DCGM_EXPORTER_KUBERNETES":
            return str(item.get("value", "")).lower() == "false"
    return False


def _dcgm_containers(bundle: Bundle, workloads: list[K8sObject]) -> list[object]:
    return [
        c.data
        for w in workloads
        for t in bundle.templates(w)
        for c in t.containers
        if _DCGM in image_repository(c.image)
    ]


def _scrapes_dcgm(bundle: Bundle, monitor: Monitor) -> bool:
    """By the pods it reaches when they are in the bundle, else by its selector's values."""
    workloads = reached_workloads(bundle, monitor)
    # Monitors of copied charts reach the same (run-long) list: its containers are read once.
    memo: dict[int, bool | None] = bundle.cached("MET004:dcgm-reached", dict)
    if id(workloads) not in memo:
        containers = _dcgm_containers(bundle, workloads)
        memo[id(workloads)] = (
            not all(_mapping_disabled(c) for c in containers) if containers else None
        )
    verdict = memo[id(workloads)]
    if verdict is not None:
        return verdict
    if workloads or monitor.selector is None:
        return False
    values = [v for _, v in monitor.selector.match_labels]
    values += [v for _, op, vs in monitor.selector.expressions if op == "In" for v in vs]
    return any(_DCGM in v for v in values)


def _restores_labels(endpoint: object) -> bool:
    """Relabelings that read `exported_pod`/`exported_namespace` put them back by hand."""
    for key in ("metricRelabelings", "relabelings"):
        for item in as_list(as_map(endpoint).get(key)):
            sources = as_list(as_map(item).get("sourceLabels"))
            if any(str(s) in ("exported_pod", "exported_namespace") for s in sources):
                return True
    return False


class DcgmMonitorDropsPodLabels(Rule):
    """## What it does
    Checks that every ServiceMonitor or PodMonitor endpoint that scrapes NVIDIA dcgm-exporter
    sets `honorLabels: true` (or relabels `exported_pod` back by hand). A monitor scrapes
    dcgm-exporter when the pods it reaches run the dcgm-exporter image, or, when they are not
    in the bundle, when its selector names `dcgm-exporter` (as the GPU Operator's
    `app: nvidia-dcgm-exporter` does). Exporters started with `DCGM_EXPORTER_KUBERNETES=false`
    emit no pod labels and are left alone.

    ## Why is this bad?
    dcgm-exporter labels each GPU series with the *workload's* `pod`, `namespace` and
    `container`. Prometheus also attaches the exporter's own pod and namespace to every target,
    and with `honorLabels: false` (the default, and the GPU Operator's) it renames the
    exporter's labels to `exported_pod` and `exported_namespace`. Per-pod GPU metrics then point
    at the exporter, and a `Pods` metric in an HPA (`DCGM_FI_DEV_GPU_UTIL` per pod) never
    matches the pods it scales.

    ## Example
    ```yaml
    kind: ServiceMonitor
    spec:
      selector: {matchLabels: {app: nvidia-dcgm-exporter}}
      endpoints:
        - port: gpu-metrics
    ```

    Use instead:
    ```yaml
    kind: ServiceMonitor
    spec:
      selector: {matchLabels: {app: nvidia-dcgm-exporter}}
      endpoints:
        - port: gpu-metrics
          honorLabels: true
    ```

    ## Fix safety
    The fix sets `honorLabels: true`. It is unsafe: queries and dashboards written against
    `exported_pod` or `exported_namespace` must move to `pod` and `namespace`.
    """

    code = "MET004"
    name = "dcgm-monitor-drops-pod-labels"
    summary = "A monitor scrapes dcgm-exporter without `honorLabels: true`"
    severity = Severity.WARNING
    requirements = ("accelerator_metrics",)
    fix_availability = FixAvailability.ALWAYS

    def check_bundle(self, ctx: Context) -> Iterator[tuple[K8sObject, Violation]]:
        for monitor in monitors(ctx.bundle, provider=False):
            if not monitor.endpoints or not _scrapes_dcgm(ctx.bundle, monitor):
                continue
            obj = monitor.obj
            for endpoint in monitor.endpoints:
                if endpoint.data.get("honorLabels") is True or _restores_labels(endpoint.data):
                    continue
                key = "honorLabels" if "honorLabels" in endpoint.data else "port"
                path = (*endpoint.path, key) if key in endpoint.data else endpoint.path
                fix = Fix(
                    "Set `honorLabels: true`",
                    (Edit("merge", endpoint.path, key="honorLabels", value=True),),
                    Applicability.UNSAFE,
                )
                yield (
                    obj,
                    Violation(
                        f"{obj.kind} `{obj.name}` scrapes dcgm-exporter without "
                        "`honorLabels: true`; the GPU metrics' `pod` and `namespace` become "
                        "`exported_pod` and `exported_namespace`, so per-pod GPU metrics no "
                        "longer map to the workload's pods (prometheus-adapter `Pods` metrics "
                        "and HPAs on GPU utilization find no series)",
                        path,
                        fix=fix,
                    ),
                )
