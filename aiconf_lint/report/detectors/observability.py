"""Evidence for the observability requirements: accelerator metrics and AI service metrics.

An exporter alone is half the story: the requirement is a metrics *solution*, so the report
looks for the exporter and for the monitor (or scrape annotation) that reaches its pods, using
the MET family's selection model so that "reaches" means what MET001-MET003 mean by it.
"""

from __future__ import annotations

import re

from aiconf_lint.k8s.inference_servers import recognise
from aiconf_lint.k8s.monitoring import (
    SCRAPE_ANNOTATION,
    core_services,
    monitors,
    reached_workloads,
    sure_service_workloads,
)
from aiconf_lint.k8s.objects import K8sObject, as_map
from aiconf_lint.model import YamlPath
from aiconf_lint.report.model import Facet
from aiconf_lint.report.probe import KindSignal, Probe

# Images of accelerator metrics exporters: NVIDIA DCGM, AMD, Intel, AWS Neuron, Gaudi.
EXPORTER_IMAGES = re.compile(
    r"(dcgm-exporter|rocm/device-metrics-exporter|amd-metrics-exporter|xpumanager|"
    r"intel-xpu-exporter|neuron-monitor|habana.*metric-exporter|gaudi-metric-exporter)",
    re.IGNORECASE,
)
EXPORTER_OPERATORS = (
    KindSignal(("nvidia.com",), ("ClusterPolicy",), "GPU Operator ClusterPolicy (dcgmExporter)"),
    KindSignal(("amd.com",), ("DeviceConfig",), "AMD GPU Operator DeviceConfig (metricsExporter)"),
)
MONITORING_SYSTEMS = (
    KindSignal(("monitoring.coreos.com",), ("Prometheus", "PrometheusAgent"), "Prometheus"),
    KindSignal(("monitoring.googleapis.com",), ("OperatorConfig",), "Google managed Prometheus"),
    KindSignal(("opentelemetry.io",), ("OpenTelemetryCollector",), "OpenTelemetry Collector"),
)
SERVING_KINDS = ("InferenceService", "LLMInferenceService", "RayService")
# Annotations that ask Prometheus (or KServe, which then adds the Prometheus ones) to scrape.
SCRAPE_KEYS = (SCRAPE_ANNOTATION, "serving.kserve.io/enable-prometheus-scraping")


def accelerator_metrics(probe: Probe) -> list[Facet]:
    exporters = Facet(
        "accelerator metrics exporter",
        "an accelerator metrics exporter (DCGM exporter DaemonSet, GPU Operator `dcgmExporter`)",
    )
    scraped = Facet(
        "a monitor that scrapes it",
        "a ServiceMonitor or PodMonitor that selects the exporter (or its Service)",
    )
    exporter_ids: dict[int, K8sObject] = {}
    for obj in probe.bundle.objects:
        for template in probe.bundle.templates(obj):
            for container in template.containers:
                if EXPORTER_IMAGES.search(container.image):
                    exporter_ids[id(obj)] = obj
                    note = f"{obj.display()} runs `{container.image}`"
                    exporters.evidence.append(probe.evidence(obj, note, (*container.path, "image")))
                    break
    for obj, signal in probe.of_kinds(EXPORTER_OPERATORS):
        field = "dcgmExporter" if obj.group == "nvidia.com" else "metricsExporter"
        settings = as_map(obj.spec.get(field))
        if obj.group == "amd.com" and settings.get("enable") is not True:
            continue
        if settings.get("enabled") is False:
            continue
        exporters.evidence.append(probe.evidence(obj, signal.what, ("spec", field)))
        operator_monitor = as_map(settings.get("serviceMonitor"))
        if operator_monitor.get("enabled") is True:
            note = f"{obj.kind} has the operator create the exporter's ServiceMonitor"
            scraped.evidence.append(probe.evidence(obj, note, ("spec", field, "serviceMonitor")))
    for monitor in monitors(probe.bundle):
        reached = [w for w in reached_workloads(probe.bundle, monitor) if id(w) in exporter_ids]
        if reached:
            note = f"{monitor.obj.kind} `{monitor.obj.name}` scrapes {reached[0].display()}"
            scraped.evidence.append(probe.evidence(monitor.obj, note, ("spec", "selector")))
    return [exporters, scraped]


def ai_service_metrics(probe: Probe) -> list[Facet]:
    servers = Facet(
        "inference servers exposing metrics",
        "a model server workload (vLLM, Triton, TGI, SGLang, NIM, KServe, Ray Serve)",
    )
    scraped = Facet(
        "a monitor that discovers them",
        "a ServiceMonitor, PodMonitor or `prometheus.io/scrape` annotation reaching the servers",
    )
    system = Facet("monitoring system", "a Prometheus (or compatible) instance", required=False)
    system.evidence.extend(probe.kind_evidence(MONITORING_SYSTEMS))
    server_objs: dict[int, K8sObject] = {}
    for obj in probe.bundle.objects:
        name = _server_name(probe, obj)
        if name is not None:
            server_objs[id(obj)] = obj
            servers.evidence.append(probe.evidence(obj, f"{obj.display()} runs {name}"))
    for monitor in monitors(probe.bundle):
        reached = [w for w in reached_workloads(probe.bundle, monitor) if id(w) in server_objs]
        if reached:
            note = f"{monitor.obj.kind} `{monitor.obj.name}` scrapes {reached[0].display()}"
            scraped.evidence.append(probe.evidence(monitor.obj, note, ("spec", "selector")))
    for service in core_services(probe.bundle):
        if service.annotations.get(SCRAPE_ANNOTATION, "").lower() != "true":
            continue
        reached = [w for w in sure_service_workloads(probe.bundle, service) if id(w) in server_objs]
        if reached:
            note = f"Service `{service.name}` asks to be scraped and fronts {reached[0].display()}"
            at = ("metadata", "annotations", SCRAPE_ANNOTATION)
            scraped.evidence.append(probe.evidence(service, note, at))
    for obj in server_objs.values():
        path = _scrape_annotation(probe, obj)
        if path is not None:
            note = f"{obj.display()} asks to be scraped (`{path[-1]}`)"
            scraped.evidence.append(probe.evidence(obj, note, path))
    return [servers, scraped, system]


def _scrape_annotation(probe: Probe, obj: K8sObject) -> YamlPath | None:
    """Where a server's own pods (or, for KServe, the object) ask to be scraped."""
    for key in SCRAPE_KEYS:
        if obj.annotations.get(key, "").lower() == "true":
            return ("metadata", "annotations", key)
    for template in probe.bundle.templates(obj):
        for key in SCRAPE_KEYS:
            if template.annotations.get(key, "").lower() == "true":
                return (*template.metadata_path, "annotations", key)
    return None


def _server_name(probe: Probe, obj: K8sObject) -> str | None:
    if obj.kind in SERVING_KINDS:
        return {"RayService": "Ray Serve"}.get(obj.kind, "a KServe predictor")
    for template in probe.bundle.templates(obj):
        for container in template.containers:
            server = None if container.init else recognise(container.data)
            if server is not None:
                return server.name
    return None
