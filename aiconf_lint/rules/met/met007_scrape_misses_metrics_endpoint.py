"""MET007."""

from __future__ import annotations

from collections.abc import Iterator

from aiconf_lint.k8s.bundle import Bundle
from aiconf_lint.k8s.inference_servers import (
    SGLANG,
    TRITON,
    metrics_enabled,
    metrics_port,
    recognise,
)
from aiconf_lint.k8s.monitoring import (
    PORT_ANNOTATION,
    SCRAPE_ANNOTATION,
    Endpoint,
    Monitor,
    container_ports,
    core_services,
    monitors,
    ports_reliable,
    reached_workloads,
    sure_service_workloads,
    sure_targets,
)
from aiconf_lint.k8s.objects import K8sObject, as_list, as_map
from aiconf_lint.k8s.quantity import parse_int
from aiconf_lint.k8s.workloads import PodTemplate
from aiconf_lint.model import Severity, Violation, YamlPath
from aiconf_lint.records import record
from aiconf_lint.rule import Context, Rule


@record(frozen=True)
class _Triton:
    workload: K8sObject
    container: str
    metrics: int
    api_ports: frozenset[int]
    """Ports the Triton container declares that are not its metrics port."""
    template: PodTemplate


def _tritons(bundle: Bundle, workloads: list[K8sObject]) -> list[_Triton]:
    """The Triton containers of the workloads, each workload's found once per run.

    Monitors and Services of copied charts reach the same workloads over and over; the
    containers are recognised once, not once per monitor, Service and endpoint.
    """
    memo: dict[int, list[_Triton]] = bundle.cached("MET007:tritons", dict)
    found: list[_Triton] = []
    for obj in workloads:
        own = memo.get(id(obj))
        if own is None:
            own = memo[id(obj)] = _own_tritons(bundle, obj)
        found.extend(own)
    return found


def _own_tritons(bundle: Bundle, obj: K8sObject) -> list[_Triton]:
    found: list[_Triton] = []
    if ports_reliable(obj):
        for template in bundle.templates(obj):
            for container in template.containers:
                if recognise(container.data) is not TRITON:
                    continue
                metrics = metrics_port(container.data, TRITON)
                if metrics is None:
                    continue
                declared = {
                    p.number
                    for p in container_ports(template)
                    if p.container == container.name and p.number is not None
                }
                found.append(
                    _Triton(obj, container.name, metrics, frozenset(declared - {metrics}), template)
                )
    return found


def _pairs(
    bundle: Bundle, targets: list[K8sObject], services: bool
) -> list[tuple[K8sObject | None, _Triton]]:
    """(Service it is reached through, or None for a pod monitor; Triton) for every target."""
    if not services:
        return [(None, t) for t in _tritons(bundle, targets)]
    return [
        (service, t)
        for service in targets
        for t in _tritons(bundle, sure_service_workloads(bundle, service))
    ]


_ENDPOINT_PORT_KEYS = ("port", "portNumber", "targetPort")
"""All an endpoint's answer depends on (`_pod_numbers`, `_service_numbers`)."""


def _first_wrong(
    endpoint: Endpoint, pairs: list[tuple[K8sObject | None, _Triton]], numbers_in_port: bool
) -> tuple[int, str, _Triton] | None:
    """The first Triton API port the endpoint scrapes instead of the metrics port, with the
    endpoint key that names it."""
    for via, triton in pairs:
        found = (
            _service_numbers(endpoint, via, triton)
            if via is not None
            else _pod_numbers(endpoint, triton, numbers_in_port)
        )
        if found is None:
            continue
        numbers, key = found
        wrong = sorted(numbers & triton.api_ports)
        if wrong and triton.metrics not in numbers:
            return wrong[0], key, triton
    return None


def _by_name(template: PodTemplate, name: object) -> set[int]:
    return {p.number for p in container_ports(template) if p.name == name and p.number}


def _pod_numbers(
    endpoint: Endpoint, triton: _Triton, numbers_in_port: bool
) -> tuple[set[int], str] | None:
    """Ports a pod endpoint scrapes; `port` holds a number only in GKE's PodMonitoring (a
    number there in a Prometheus Operator monitor is MET002's finding)."""
    for key in ("port", "portNumber", "targetPort"):
        value = endpoint.data.get(key)
        if value is None:
            continue
        number = parse_int(value)
        if number is not None and (key != "port" or numbers_in_port):
            return {number}, key
        return _by_name(triton.template, value), key
    return None


def _service_numbers(
    endpoint: Endpoint, service: K8sObject, triton: _Triton
) -> tuple[set[int], str] | None:
    port, target = endpoint.data.get("port"), endpoint.data.get("targetPort")
    if port is not None:
        for item in as_list(service.spec.get("ports")):
            spec = as_map(item)
            if spec.get("name") == port:
                target = spec.get("targetPort", spec.get("port"))
                break
        else:
            return None
        key = "port"
    elif target is not None:
        key = "targetPort"
    else:
        return None
    number = parse_int(target)
    return ({number} if number is not None else _by_name(triton.template, target)), key


def _message(source: str, number: int, triton: _Triton) -> str:
    return (
        f"{source} scrapes port `{number}` of Triton in {triton.workload.kind} "
        f"`{triton.workload.name}`, an inference API port; Triton serves metrics on port "
        f"`{triton.metrics}`"
    )


def _surely_scraped(bundle: Bundle) -> set[int]:
    return bundle.cached("met007:surely-scraped", lambda: _compute_surely_scraped(bundle))


def _compute_surely_scraped(bundle: Bundle) -> set[int]:
    found = {id(w) for m in monitors(bundle) for w in reached_workloads(bundle, m)}
    for service in core_services(bundle):
        if service.annotations.get(SCRAPE_ANNOTATION, "").lower() == "true":
            found.update(id(w) for w in sure_service_workloads(bundle, service))
    return found


class ScrapeMissesMetricsEndpoint(Rule):
    """## What it does
    Checks that a scrape configuration that reaches a model server reaches its metrics: a
    ServiceMonitor, PodMonitor or `prometheus.io/port` annotation that points at one of
    Triton's API ports (8000, 8001) rather than its metrics port (8002, or `--metrics-port`),
    and an SGLang server that a monitor or annotation scrapes but that runs without
    `--enable-metrics`.

    ## Why is this bad?
    Triton serves `/metrics` on its own port only; on the HTTP port it answers 404, and the
    gRPC port does not speak HTTP at all. SGLang exposes no metrics unless started with
    `--enable-metrics`. In both cases the target is configured, shows as down or empty, and
    the queue and latency metrics that inference autoscaling reads never arrive.

    ## Example
    ```yaml
    kind: PodMonitor
    spec:
      selector: {matchLabels: {app: triton}}
      podMetricsEndpoints:
        - port: http           # Triton's containerPort 8000
    ```

    Use instead:
    ```yaml
    kind: PodMonitor
    spec:
      selector: {matchLabels: {app: triton}}
      podMetricsEndpoints:
        - port: metrics        # containerPort 8002
    ```
    """

    code = "MET007"
    name = "scrape-misses-metrics-endpoint"
    summary = "A scrape configuration reaches a model server but not its metrics"
    severity = Severity.WARNING
    requirements = ("ai_service_metrics",)

    def check_bundle(self, ctx: Context) -> Iterator[tuple[K8sObject, Violation]]:
        bundle = ctx.bundle
        for monitor in monitors(bundle):
            yield from self._monitor(bundle, monitor)
        for service in core_services(bundle):
            number = parse_int(service.annotations.get(PORT_ANNOTATION))
            if number is None:
                continue
            shown: set[str] = set()  # copies of the Service's pods say the same thing
            for triton in _tritons(bundle, sure_service_workloads(bundle, service)):
                if number in triton.api_ports:
                    source = f"The `{PORT_ANNOTATION}` annotation of Service `{service.name}`"
                    message = _message(source, number, triton)
                    if message not in shown:
                        shown.add(message)
                        at: YamlPath = ("metadata", "annotations", PORT_ANNOTATION)
                        yield service, Violation(message, at)
        for obj in bundle.objects:
            for triton in _tritons(bundle, [obj]):
                annotations = as_map(triton.template.metadata.get("annotations"))
                number = parse_int(annotations.get(PORT_ANNOTATION))
                if number is not None and number in triton.api_ports:
                    path: YamlPath = (
                        *triton.template.metadata_path,
                        "annotations",
                        PORT_ANNOTATION,
                    )
                    source = f"The `{PORT_ANNOTATION}` annotation of {obj.kind} `{obj.name}`"
                    yield obj, Violation(_message(source, number, triton), path)
        yield from self._sglang(bundle)

    @staticmethod
    def _monitor(bundle: Bundle, monitor: Monitor) -> Iterator[tuple[K8sObject, Violation]]:
        obj = monitor.obj
        targets = sure_targets(bundle, monitor)
        # Monitors with one selector share one (run-long) target list: its pairs are built once.
        memo: dict[tuple[int, bool], list[tuple[K8sObject | None, _Triton]]] = bundle.cached(
            "MET007:pairs", dict
        )
        pairs_key = (id(targets), monitor.selects_services)
        pairs = memo.get(pairs_key)
        if pairs is None:
            pairs = memo[pairs_key] = _pairs(bundle, targets, monitor.selects_services)
        # Copies of a monitor (same selector, same endpoint ports) get the same answer.
        answers: dict[tuple[object, ...], tuple[int, str, _Triton] | None] = bundle.cached(
            "MET007:answers", dict
        )
        for endpoint in monitor.endpoints:
            ports = tuple(repr(endpoint.data.get(k)) for k in _ENDPOINT_PORT_KEYS)
            answer_key = (pairs_key, monitor.provider_specific, ports)
            if answer_key not in answers:
                answers[answer_key] = _first_wrong(endpoint, pairs, monitor.provider_specific)
            answer = answers[answer_key]
            if answer is not None:
                number, key, triton = answer
                source = f"{obj.kind} `{obj.name}`"
                yield obj, Violation(_message(source, number, triton), (*endpoint.path, key))

    @staticmethod
    def _sglang(bundle: Bundle) -> Iterator[tuple[K8sObject, Violation]]:
        covered: set[int] | None = None
        for obj in bundle.objects:
            for template in bundle.templates(obj):
                annotations = as_map(template.metadata.get("annotations"))
                for container in template.containers:
                    if recognise(container.data) is not SGLANG:
                        continue
                    if metrics_enabled(container.data, SGLANG):
                        continue
                    if covered is None:
                        covered = _surely_scraped(bundle)
                    annotated = str(annotations.get(SCRAPE_ANNOTATION, "")).lower() == "true"
                    if id(obj) not in covered and not annotated:
                        continue
                    key = next((k for k in ("args", "command") if k in container.data), "image")
                    where: YamlPath = (*container.path, key)
                    yield (
                        obj,
                        Violation(
                            f"Container `{container.name}` of {obj.kind} `{obj.name}` runs "
                            "SGLang without `--enable-metrics`, so the scrape configuration "
                            "that covers it finds no metrics",
                            where,
                            key_only=key != "image",
                        ),
                    )
