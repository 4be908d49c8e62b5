"""Unit tests of the monitoring helpers and the inference-server table."""

from __future__ import annotations

from collections.abc import Callable
from textwrap import dedent

import pytest

from aiconf_lint.engine import build_bundle, lint
from aiconf_lint.input.load import load_bytes
from aiconf_lint.k8s.bundle import Bundle, Selector
from aiconf_lint.k8s.inference_servers import (
    NIM,
    SGLANG,
    TGI,
    TRITON,
    VLLM,
    image_repository,
    metrics_enabled,
    metrics_port,
    recognise,
)
from aiconf_lint.k8s.monitoring import (
    as_monitor,
    container_ports,
    definite,
    monitor_targets,
    monitors,
    scraped_workloads,
    select_workloads,
    service_workloads,
)
from aiconf_lint.k8s.objects import K8sObject
from aiconf_lint.k8s.quantity import parse_int
from aiconf_lint.model import Report
from aiconf_lint.rules.met._monitoring_evidence import explain, near_miss
from aiconf_lint.selection import select_rules
from aiconf_lint.settings import Settings, with_overrides
from tests.scaling import LINEAR_ENOUGH, growth


def _bundle(*files: tuple[str, str]) -> Bundle:
    sources = [load_bytes(name, dedent(text).encode()) for name, text in files]
    return build_bundle(sources, Settings(), Report())


def _one(bundle: Bundle, kind: str, name: str) -> K8sObject:
    found = [o for o in bundle.of_kind(kind) if o.name == name]
    assert len(found) == 1
    return found[0]


# ---------------------------------------------------------------- inference servers


@pytest.mark.parametrize(
    ("container", "server"),
    [
        ({"image": "vllm/vllm-openai:v0.10.0"}, VLLM),
        ({"image": "docker.io/vllm/vllm-tpu:latest"}, VLLM),
        ({"image": "rocm/vllm:latest"}, VLLM),
        ({"image": "public.ecr.aws/x/neuron-sdk2.20-vllm0.5.0-neuron:v8"}, VLLM),
        ({"image": "ghcr.io/llm-d/llm-d-cuda:latest", "command": ["vllm", "serve"]}, VLLM),
        (
            {
                "image": "python:3.12",
                "command": ["python3", "-m"],
                "args": ["vllm.entrypoints.openai.api_server"],
            },
            VLLM,
        ),
        ({"image": "nvcr.io/nvidia/tritonserver:25.01-py3"}, TRITON),
        ({"image": "ghcr.io/huggingface/text-generation-inference:3.3.4"}, TGI),
        ({"image": "lmsysorg/sglang:v0.4.9"}, SGLANG),
        ({"image": "nvcr.io/nim/meta/llama-3.1-8b-instruct:1.8.4"}, NIM),
        ({"image": "lmcache/vllm-router:latest"}, None),
        (
            {"image": "ghcr.io/llm-d/llm-d-routing-sidecar:latest", "args": ["--vllm-port=8200"]},
            None,
        ),
        ({"image": "nginx:1.27"}, None),
        ({}, None),
    ],
)
def test_recognise(container: dict[str, object], server: object) -> None:
    assert recognise(container) is server


def test_image_repository_keeps_registry_port() -> None:
    assert image_repository("registry:5000/team/vllm:1.0") == "registry:5000/team/vllm"
    assert image_repository("vllm/vllm-openai@sha256:abc") == "vllm/vllm-openai"
    assert image_repository("registry:5000/team/vllm") == "registry:5000/team/vllm"


def test_metrics_port_and_path() -> None:
    assert metrics_port({"args": ["--port", "8080"]}, VLLM) == 8080
    assert metrics_port({"args": ["--port=9000"]}, VLLM) == 9000
    assert metrics_port({"image": "vllm/vllm-openai"}, VLLM) == 8000
    assert metrics_port({"command": ["/run.sh"]}, VLLM) is None  # a wrapper may pick any port
    assert metrics_port({"args": ["tritonserver", "--metrics-port=9002"]}, TRITON) == 9002
    assert metrics_port({}, TRITON) == 8002
    assert metrics_port({"env": [{"name": "PORT", "value": "8080"}]}, TGI) == 8080
    assert metrics_port({}, TGI) is None
    assert NIM.metrics_path == "/v1/metrics"
    assert VLLM.metrics_path == "/metrics"


def test_sglang_needs_metrics_flag() -> None:
    assert not metrics_enabled({"command": ["python3", "-m", "sglang.launch_server"]}, SGLANG)
    assert metrics_enabled({"args": ["sglang.launch_server", "--enable-metrics"]}, SGLANG)
    assert metrics_enabled({}, VLLM)


# ---------------------------------------------------------------- monitors


MONITORS = """
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: {name: own, namespace: monitoring}
spec:
  selector: {matchLabels: {app: x}}
  endpoints: [{port: metrics}, not-a-mapping]
---
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: {name: any, namespace: monitoring}
spec:
  namespaceSelector: {any: true, matchNames: [ignored]}
  selector: {matchLabels: {app: x}}
---
apiVersion: monitoring.coreos.com/v1
kind: PodMonitor
metadata: {name: listed, namespace: monitoring}
spec:
  namespaceSelector: {matchNames: [a, b]}
  selector: {matchLabels: {app: "{{ .Values.app }}"}}
  podMetricsEndpoints: [{port: http}]
---
apiVersion: monitoring.coreos.com/v1
kind: PodMonitor
metadata: {name: implicit}
spec:
  selector: {}
---
apiVersion: monitoring.googleapis.com/v1
kind: ClusterPodMonitoring
metadata: {name: gmp}
spec:
  selector: {matchLabels: {app: x}}
  endpoints: [{port: 8080}]
---
apiVersion: example.com/v1
kind: ServiceMonitor
metadata: {name: other-group}
"""


def test_monitor_views() -> None:
    bundle = _bundle(("m.yaml", MONITORS))
    views = {m.obj.name: m for m in monitors(bundle)}
    assert set(views) == {"own", "any", "listed", "implicit", "gmp"}
    assert views["own"].namespaces == frozenset({"monitoring"})
    assert views["own"].selects_services
    assert [e.path for e in views["own"].endpoints] == [("spec", "endpoints", 0)]
    assert views["any"].namespaces is None
    assert views["listed"].namespaces == frozenset({"a", "b"})
    assert views["listed"].selector is None  # not rendered: may select anything
    assert views["implicit"].namespaces is None  # lands wherever it is applied
    assert views["implicit"].selector == Selector()
    assert views["gmp"].namespaces is None
    assert views["gmp"].provider_specific
    assert {m.obj.name for m in monitors(bundle, provider=False)} == set(views) - {"gmp"}
    assert as_monitor(_one(bundle, "ServiceMonitor", "other-group")) is None


STACK = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: vllm, namespace: serving}
spec:
  template:
    metadata: {labels: {app: vllm}}
    spec:
      initContainers:
        - {name: sidecar, restartPolicy: Always, ports: [{name: proxy, containerPort: 15001}]}
      containers:
        - name: vllm
          image: vllm/vllm-openai:v0.10.0
          ports: [{name: http, containerPort: 8000}, {containerPort: 9000}]
---
apiVersion: v1
kind: Service
metadata: {name: vllm, namespace: serving, labels: {app: vllm}}
spec:
  selector: {app: vllm}
  ports: [{name: http, port: 80, targetPort: http}]
---
apiVersion: v1
kind: Service
metadata: {name: headless, namespace: serving}
spec:
  ports: [{port: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: other-ns, namespace: elsewhere}
spec:
  selector: {app: vllm}
---
apiVersion: ray.io/v1
kind: RayCluster
metadata: {name: ray, namespace: serving}
spec:
  headGroupSpec:
    template:
      metadata: {labels: {team: ml}}
      spec:
        containers: [{name: head, image: rayproject/ray:2.46.0}]
---
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: {name: vllm, namespace: serving}
spec:
  selector: {matchLabels: {app: vllm}}
  endpoints: [{port: http}]
"""


def test_service_and_pod_selection() -> None:
    bundle = _bundle(("stack.yaml", STACK))
    vllm = _one(bundle, "Deployment", "vllm")
    ray = _one(bundle, "RayCluster", "ray")
    service = _one(bundle, "Service", "vllm")
    assert service_workloads(bundle, service) == [vllm]
    assert service_workloads(bundle, _one(bundle, "Service", "headless")) is None
    assert service_workloads(bundle, _one(bundle, "Service", "other-ns")) == []
    serving = frozenset({"serving"})
    assert select_workloads(bundle, Selector((("app", "vllm"),)), serving) == [vllm]
    assert select_workloads(bundle, Selector((("app", "vllm"),)), frozenset({"x"})) == []
    # KubeRay adds ray.io/* labels to its pods, so a selector on them may match the cluster.
    ray_selector = Selector((("ray.io/node-type", "head"), ("team", "ml")))
    assert select_workloads(bundle, ray_selector, serving) == [ray]
    assert select_workloads(bundle, Selector((("ray.io/node-type", "head"),)), serving) == [ray]
    # ... but a Deployment's pods never get ray.io labels.
    assert (
        select_workloads(bundle, Selector((("ray.io/node-type", "head"), ("app", "vllm"))), serving)
        == []
    )
    hashed = Selector((("app", "vllm"),), (("pod-template-hash", "Exists", frozenset()),))
    assert select_workloads(bundle, hashed, serving) == [vllm]
    monitor = next(monitors(bundle))
    assert monitor_targets(bundle, monitor) == [service]
    assert scraped_workloads(bundle) == {id(vllm)}


def test_container_ports_include_sidecars() -> None:
    bundle = _bundle(("stack.yaml", STACK))
    template = bundle.templates(_one(bundle, "Deployment", "vllm"))[0]
    ports = {(p.container, p.name, p.number) for p in container_ports(template)}
    assert ports == {("sidecar", "proxy", 15001), ("vllm", "http", 8000), ("vllm", None, 9000)}
    assert parse_int("8002") == 8002
    assert parse_int(8002) == 8002
    assert parse_int(True) is None
    assert parse_int("metrics") is None


def test_explain_names_the_failing_requirement() -> None:
    selector = Selector(
        (("app", "dcgm"),),
        (("tier", "In", frozenset({"gpu", "infra"})), ("canary", "DoesNotExist", frozenset())),
    )
    assert (
        explain(selector, {"app": "dcgm-exporter"}, None) == "has `app: dcgm-exporter`, not `dcgm`"
    )
    assert explain(selector, {"app": "dcgm"}, None) == "has no label `tier`"
    assert explain(selector, {"app": "dcgm", "tier": "web"}, None) == (
        "has `tier: web`, not one of `gpu`, `infra`"
    )
    assert "excludes" in str(explain(selector, {"app": "dcgm", "tier": "gpu", "canary": "1"}, None))
    assert explain(selector, {"app": "dcgm", "tier": "gpu"}, None) is None


NEAR = """
apiVersion: v1
kind: Service
metadata: {name: dcgm-exporter, namespace: gpu-operator, labels: {app: dcgm-exporter}}
spec:
  selector: {app: dcgm-exporter}
---
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: {name: dcgm, namespace: monitoring}
spec:
  selector: {matchLabels: {app: dcgm-exporter}}
"""


def test_near_miss_needs_related_sources() -> None:
    together = _bundle(("gpu/all.yaml", NEAR))
    monitor = next(monitors(together))
    found = near_miss(together, monitor)
    assert found is not None
    assert found.wrong_namespace
    assert found.obj.name == "dcgm-exporter"
    service, sm = NEAR.split("---")
    apart = _bundle(("gpu/service.yaml", service), ("monitoring/sm.yaml", sm))
    assert near_miss(apart, next(monitors(apart))) is None


def test_rules_stay_near_linear() -> None:
    """Apps, each with a Deployment, a Service and both monitors: 4x the apps, ~4x the time."""
    app = dedent("""\
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: app%(i)d, namespace: ns%(ns)d}
        spec:
          template:
            metadata: {labels: {app: app%(i)d}}
            spec:
              containers:
                - name: vllm
                  image: vllm/vllm-openai
                  ports: [{name: http, containerPort: 8000}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: app%(i)d, namespace: ns%(ns)d, labels: {app: app%(i)d}}
        spec:
          selector: {app: app%(i)d}
          ports: [{name: http, port: 80}]
        ---
        apiVersion: monitoring.coreos.com/v1
        kind: ServiceMonitor
        metadata: {name: app%(i)d, namespace: ns%(ns)d}
        spec:
          selector: {matchLabels: {app: app%(i)d}}
          endpoints: [{port: http}]
        ---
        apiVersion: monitoring.coreos.com/v1
        kind: PodMonitor
        metadata: {name: app%(i)d, namespace: ns%(ns)d}
        spec:
          selector: {matchLabels: {app: app%(i)d}}
          podMetricsEndpoints: [{port: http}]
        """)
    settings = with_overrides(Settings(), select=("MET",))

    def prepare(count: int) -> Callable[[], object]:
        docs = [app % {"i": i, "ns": i % 10} for i in range(count)]
        source = load_bytes("big.yaml", "---\n".join(docs).encode())
        return lambda: lint([source], settings, select_rules(["MET"]))

    report = prepare(50)()
    assert isinstance(report, Report)
    assert report.findings == []
    ratio = growth(prepare, 60)
    assert ratio < LINEAR_ENOUGH, f"4x the apps cost {ratio:.1f}x the time"


def test_near_misses_stay_near_linear() -> None:
    """A file of monitors that each just miss their Service: every finding weighs its
    evidence, and weighing it once listed the whole file per monitor (10x for 4x)."""
    app = dedent("""\
        apiVersion: v1
        kind: Service
        metadata: {name: web%(i)d, namespace: dev, labels: {app: web%(i)d}}
        spec: {selector: {app: web%(i)d}, ports: [{name: metrics, port: 8000}]}
        ---
        apiVersion: monitoring.coreos.com/v1
        kind: ServiceMonitor
        metadata: {name: web%(i)d, namespace: monitoring}
        spec:
          selector: {matchLabels: {app: web%(i)d}}
          namespaceSelector: {matchNames: [prod]}
          endpoints: [{port: metrics}]
        """)
    settings = with_overrides(Settings(), select=("MET001",))

    def prepare(count: int) -> Callable[[], object]:
        docs = [app % {"i": i} for i in range(count)]
        source = load_bytes("big.yaml", "---\n".join(docs).encode())
        return lambda: lint([source], settings, select_rules(["MET001"]))

    report = prepare(50)()
    assert isinstance(report, Report)
    assert len(report.findings) == 50
    assert "has matching labels but is in namespace `dev`" in report.findings[0].message
    ratio = growth(prepare, 150)
    assert ratio < LINEAR_ENOUGH, f"4x the monitors cost {ratio:.1f}x the time"


UNRELATED_DEPLOYMENT = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: vllm}
spec:
  template:
    metadata: {labels: {app: vllm}}
    spec:
      containers:
        - {name: vllm, image: vllm/vllm-openai, ports: [{name: http, containerPort: 8000}]}
"""
UNRELATED_MONITOR = """
apiVersion: monitoring.coreos.com/v1
kind: PodMonitor
metadata: {name: vllm, namespace: serving}
spec:
  selector: {matchLabels: {app: vllm}}
  podMetricsEndpoints: [{port: metrics}]
"""


@pytest.mark.parametrize(
    ("deployment_file", "expected"),
    [("a/vllm.yaml", []), ("b/vllm.yaml", ["MET002"])],
)
def test_findings_about_targets_need_them_surely_selected(
    deployment_file: str, expected: list[str]
) -> None:
    """A namespace-less Deployment elsewhere in the repository may be selected (so MET001
    stays quiet) but is no ground for saying the monitor's port is wrong."""
    sources = [
        load_bytes(deployment_file, dedent(UNRELATED_DEPLOYMENT).encode()),
        load_bytes("b/monitor.yaml", dedent(UNRELATED_MONITOR).encode()),
    ]
    settings = with_overrides(Settings(), select=("MET",))
    report = lint(sources, settings, select_rules(["MET"]))
    assert [f.code for f in report.findings if f.code != "MET003"] == expected


def test_definite_needs_named_namespaces_or_shared_source() -> None:
    doc = """
    apiVersion: v1
    kind: Service
    metadata: {name: %s%s}
    """
    bundle = _bundle(
        ("x/a.yaml", doc % ("a", ", namespace: serving")),
        ("x/b.yaml", doc % ("b", "")),
        ("y/c.yaml", doc % ("c", "")),
        ("y/d.yaml", doc % ("d", ", namespace: serving")),
    )
    a, b, c, d = (_one(bundle, "Service", n) for n in "abcd")
    serving = frozenset({"serving"})
    assert bundle.are_related(a, b)
    assert not bundle.are_related(a, c)
    assert definite(bundle, a, d, serving)  # both name the namespace
    assert definite(bundle, a, b, serving)  # same folder
    assert not definite(bundle, a, c, serving)  # c may land anywhere, and comes from elsewhere
    assert not definite(bundle, a, d, None)  # the anchor watches a namespace nobody named
