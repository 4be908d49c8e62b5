"""MET003."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from aiconf_lint.k8s.bundle import Bundle
from aiconf_lint.k8s.inference_servers import (
    KSERVE_PREDICTOR,
    RAY_SERVE,
    InferenceServer,
    metrics_enabled,
    metrics_port,
    recognise,
    runs_entry_point,
)
from aiconf_lint.k8s.monitoring import SCRAPE_ANNOTATION, scraped_workloads
from aiconf_lint.k8s.objects import K8sObject, as_list, as_map
from aiconf_lint.model import Severity, Violation, YamlPath
from aiconf_lint.records import record
from aiconf_lint.rule import Context, Rule

_SERVING_KINDS = frozenset(
    {
        "Deployment",
        "StatefulSet",
        "ReplicaSet",
        "ReplicationController",
        "Rollout",
        "Pod",
        "LeaderWorkerSet",
    }
)
_KSERVE_SCRAPE = "serving.kserve.io/enable-prometheus-scraping"


@record(frozen=True)
class _Server:
    server: InferenceServer
    path: YamlPath
    container: Mapping[str, object]


def _scrapes(annotations: object) -> bool:
    found = as_map(annotations)
    return any(
        str(found.get(key, "")).lower() == "true" for key in (SCRAPE_ANNOTATION, _KSERVE_SCRAPE)
    )


def _in_templates(bundle: Bundle, obj: K8sObject, ray: bool) -> _Server | None:
    for template in bundle.templates(obj):
        for container in template.containers:
            server = RAY_SERVE if ray else recognise(container.data)
            if container.init or server is None:
                continue
            one_off = obj.kind == "Pod" and "command" in container.data and server.commands
            if one_off and not runs_entry_point(container.data, server):
                continue  # a bare pod running something else in a server image
            if _scrapes(template.metadata.get("annotations")):
                return None
            return _Server(server, (*container.path, "image"), container.data)
    return None


def _kserve(bundle: Bundle, obj: K8sObject) -> _Server | None:
    if _scrapes(obj.annotations):
        return None
    predictor = as_map(obj.spec.get("predictor"))
    runtime = as_map(predictor.get("model")).get("runtime")
    if isinstance(runtime, str) and runtime:
        found = bundle.get("ServingRuntime", obj.namespace, runtime) or bundle.get(
            "ClusterServingRuntime", None, runtime
        )
        if not found:
            return None  # the runtime may enable scraping; we cannot see it
        spec = found[0].spec
        if _scrapes(found[0].annotations) or _scrapes(spec.get("annotations")):
            return None
        containers = [as_map(c) for c in as_list(spec.get("containers"))]
        server = next((s for s in map(recognise, containers) if s), KSERVE_PREDICTOR)
        return _Server(
            server, ("spec", "predictor", "model", "runtime"), containers[0] if containers else {}
        )
    for i, container in enumerate(as_list(predictor.get("containers"))):
        recognised = recognise(as_map(container))
        if recognised is not None:
            return _Server(
                recognised, ("spec", "predictor", "containers", i, "image"), as_map(container)
            )
    return None


def _find(bundle: Bundle, obj: K8sObject) -> _Server | None:
    if obj.kind == "InferenceService" and obj.group == "serving.kserve.io":
        return _kserve(bundle, obj)
    if obj.kind == "RayService":
        return _in_templates(bundle, obj, ray=True)
    if obj.kind in _SERVING_KINDS or (obj.kind == "Service" and obj.group == "serving.knative.dev"):
        return _in_templates(bundle, obj, ray=False)
    return None


def _where(found: _Server) -> str:
    port = metrics_port(found.container, found.server)
    path = found.server.metrics_path
    # Without a port in the manifest (no `--port`, no container port), say so rather than
    # imply one was found.
    return f"`:{port}{path}`" if port else f"`{path}`, on a port not readable from the manifest"


class InferenceServerNotScraped(Rule):
    """## What it does
    Finds model servers that nothing in the bundle scrapes: vLLM, Triton, Text Generation
    Inference, SGLang, NVIDIA NIM, Ray Serve and KServe predictors (recognised by entry point,
    image or kind) whose pods no ServiceMonitor or PodMonitor selects, directly or through a
    Service, and that carry no `prometheus.io/scrape` (or KServe
    `serving.kserve.io/enable-prometheus-scraping`) annotation, on the pods or on the Service.

    ## Why is this bad?
    The `ai_service_metrics` requirement asks that AI services expose metrics a monitoring
    system collects. Queue depth and KV-cache use (`vllm:num_requests_waiting`,
    `nv_inference_pending_request_count`) are what inference autoscaling should follow; without
    a scrape configuration nobody collects them. The monitor may live in another repository,
    hence only a recommendation.

    ## Example
    ```yaml
    kind: Deployment
    spec:
      template:
        spec:
          containers:
            - name: vllm
              image: vllm/vllm-openai:v0.10.0
              ports: [{name: http, containerPort: 8000}]
    ```

    Use instead:
    ```yaml
    kind: Deployment
    spec:
      template:
        metadata:
          labels: {app: vllm}
        spec:
          containers:
            - name: vllm
              image: vllm/vllm-openai:v0.10.0
              ports: [{name: http, containerPort: 8000}]
    ---
    apiVersion: monitoring.coreos.com/v1
    kind: PodMonitor
    metadata: {name: vllm}
    spec:
      selector: {matchLabels: {app: vllm}}
      podMetricsEndpoints: [{port: http, path: /metrics}]
    ```
    """

    code = "MET003"
    name = "inference-server-not-scraped"
    summary = "An inference server that no monitor or scrape annotation in the bundle covers"
    severity = Severity.INFO
    requirements = ("ai_service_metrics",)

    def check_bundle(self, ctx: Context) -> Iterator[tuple[K8sObject, Violation]]:
        covered: set[int] | None = None
        for obj in ctx.bundle.objects:
            found = _find(ctx.bundle, obj)
            if found is None:
                continue
            if covered is None:
                covered = scraped_workloads(ctx.bundle)
            if id(obj) in covered:
                continue
            extra = ""
            if not metrics_enabled(found.container, found.server):
                extra = f"; it also needs `{found.server.metrics_flag}` to serve metrics"
            yield (
                obj,
                Violation(
                    f"{obj.kind} `{obj.name}` runs {found.server.name} "
                    f"(metrics at {_where(found)}) but no ServiceMonitor, PodMonitor or "
                    f"scrape annotation in the bundle covers its pods{extra}",
                    found.path,
                ),
            )
