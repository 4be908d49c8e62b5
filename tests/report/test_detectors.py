"""Evidence detectors on signals the platform fixture does not use: one small stream each."""

from __future__ import annotations

import pytest

from aiconf_lint.profiles import PROFILES
from aiconf_lint.report.api import readiness
from aiconf_lint.settings import Settings

CASES = {
    "scrape annotation on a Service": (
        "ai_service_metrics",
        """
apiVersion: apps/v1
kind: Deployment
metadata: {name: tgi, namespace: serve}
spec:
  selector: {matchLabels: {app: tgi}}
  template:
    metadata: {labels: {app: tgi}}
    spec:
      containers:
        - {name: tgi, image: ghcr.io/huggingface/text-generation-inference:3.0}
---
apiVersion: v1
kind: Service
metadata:
  name: tgi
  namespace: serve
  annotations: {prometheus.io/scrape: "true"}
spec:
  selector: {app: tgi}
  ports: [{port: 80}]
""",
        "Service `tgi` asks to be scraped and fronts Deployment `tgi`",
    ),
    "GPU Operator exporter and its ServiceMonitor": (
        "accelerator_metrics",
        """
apiVersion: nvidia.com/v1
kind: ClusterPolicy
metadata: {name: cluster-policy}
spec:
  dcgmExporter:
    enabled: true
    serviceMonitor: {enabled: true}
""",
        "ClusterPolicy has the operator create the exporter's ServiceMonitor",
    ),
    "KEDA on a GPU Deployment": (
        "pod_autoscaling",
        """
apiVersion: apps/v1
kind: Deployment
metadata: {name: triton, namespace: serve}
spec:
  selector: {matchLabels: {app: triton}}
  template:
    metadata: {labels: {app: triton}}
    spec:
      containers:
        - name: triton
          image: nvcr.io/nvidia/tritonserver:25.01-py3
          resources: {limits: {nvidia.com/gpu: 1}}
---
apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata: {name: triton, namespace: serve}
spec:
  scaleTargetRef: {name: triton}
  triggers:
    - type: prometheus
      metadata:
        serverAddress: http://prometheus.monitoring:9090
        query: sum(nv_inference_queue_duration_us)
        threshold: "100"
""",
        "ScaledObject `triton` scales on prometheus metric `sum(nv_inference_queue_duration_us)`",
    ),
    "eksctl GPU node group": (
        "cluster_autoscaling",
        """
apiVersion: eksctl.io/v1alpha5
kind: ClusterConfig
metadata: {name: ml, region: us-west-2}
managedNodeGroups:
  - {name: gpu, instanceType: g5.2xlarge, minSize: 0, maxSize: 4}
""",
        "eksctl node group `gpu` of GPU instances",
    ),
    "Cluster API autoscaled GPU MachineDeployment": (
        "cluster_autoscaling",
        """
apiVersion: cluster.x-k8s.io/v1beta1
kind: MachineDeployment
metadata:
  name: gpu-workers
  annotations:
    cluster.x-k8s.io/cluster-api-autoscaler-node-group-min-size: "0"
    cluster.x-k8s.io/cluster-api-autoscaler-node-group-max-size: "8"
    capacity.cluster-autoscaler.kubernetes.io/gpu-count: "8"
spec: {clusterName: ml}
""",
        "Cluster API MachineDeployment `gpu-workers` with autoscaler bounds and GPUs",
    ),
    "Volcano PodGroup and a Volcano Job": (
        "gang_scheduling",
        """
apiVersion: scheduling.volcano.sh/v1beta1
kind: Queue
metadata: {name: research}
spec: {weight: 1}
---
apiVersion: batch.volcano.sh/v1alpha1
kind: Job
metadata: {name: mpi}
spec:
  minAvailable: 3
  schedulerName: volcano
  queue: research
  tasks:
    - replicas: 3
      name: worker
      template:
        spec:
          containers: [{name: w, image: mpi:1}]
""",
        "Job `mpi` is gang-scheduled by Volcano, 3 pods",
    ),
    "vLLM disaggregated by KV transfer roles": (
        "disaggregated_inference",
        """
apiVersion: apps/v1
kind: Deployment
metadata: {name: decode}
spec:
  selector: {matchLabels: {app: d}}
  template:
    metadata: {labels: {app: d}}
    spec:
      containers:
        - name: vllm
          image: vllm/vllm-openai:v0.11.0
          args: [--kv-transfer-config, '{"kv_connector":"NixlConnector","kv_role":"kv_consumer"}']
""",
        "Deployment `decode` serves the decode phase",
    ),
    "KubeRay webhook configuration": (
        "robust_controller",
        """
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata: {name: kuberay-webhook}
webhooks:
  - name: vraycluster.ray.io
    rules:
      - {apiGroups: [ray.io], apiVersions: [v1], operations: [CREATE], resources: [rayclusters]}
    sideEffects: None
    admissionReviewVersions: [v1]
    clientConfig: {service: {name: kuberay-webhook, namespace: ray-system}}
""",
        "ValidatingWebhookConfiguration for KubeRay",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_detector_finds(case: str) -> None:
    rid, stream, note = CASES[case]
    version = next(v for v in reversed(PROFILES) if PROFILES[v].level(rid))
    found = readiness(["-"], Settings(profile=PROFILES[version]), stdin_bytes=stream.encode())
    (result,) = [r for r in found.results if r.requirement.id == rid]
    notes = [e.note for e in result.evidence]
    assert note in notes, notes


NOT_EVIDENCE = {
    "route to a pool the repository lacks": (
        "advanced_inference_ingress",
        """
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: r, namespace: s}
spec:
  parentRefs: [{name: gw}]
  rules:
    - backendRefs: [{group: inference.networking.k8s.io, kind: InferencePool, name: gone}]
""",
        "route to the pool",
    ),
    "route to a Gateway the repository lacks": (
        "ai_inference",
        """
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: r, namespace: s}
spec:
  parentRefs: [{name: gw}]
  rules:
    - backendRefs: [{name: a, port: 80, weight: 90}, {name: b, port: 80, weight: 10}]
""",
        "routes",
    ),
    "monitor watching another namespace": (
        "ai_service_metrics",
        """
apiVersion: apps/v1
kind: Deployment
metadata: {name: vllm, namespace: serve}
spec:
  selector: {matchLabels: {app: vllm}}
  template:
    metadata: {labels: {app: vllm}}
    spec:
      containers: [{name: vllm, image: vllm/vllm-openai:v0.11.0}]
---
apiVersion: monitoring.coreos.com/v1
kind: PodMonitor
metadata: {name: vllm, namespace: monitoring}
spec:
  selector: {matchLabels: {app: vllm}}
  podMetricsEndpoints: [{port: http}]
""",
        "a monitor that discovers them",
    ),
}


@pytest.mark.parametrize("case", list(NOT_EVIDENCE))
def test_detector_does_not_count(case: str) -> None:
    rid, stream, facet_name = NOT_EVIDENCE[case]
    found = readiness(["-"], Settings(), stdin_bytes=stream.encode())
    (result,) = [r for r in found.results if r.requirement.id == rid]
    (facet,) = [f for f in result.facets if f.name == facet_name]
    assert not facet.found, facet.evidence


def test_vgpu_resource_is_one_item_per_container() -> None:
    stream = b"""
apiVersion: v1
kind: Pod
metadata: {name: vdi}
spec:
  containers:
    - name: desktop
      image: example/vdi:1
      resources:
        limits: {nvidia.com/GRID_A100-10C: 1}
        requests: {nvidia.com/GRID_A100-10C: 1}
"""
    found = readiness(["-"], Settings(), stdin_bytes=stream)
    (result,) = [r for r in found.results if r.requirement.id == "virtualized_accelerator"]
    assert [e.note for e in result.evidence] == [
        "Pod `vdi` requests vGPU resource `nvidia.com/GRID_A100-10C`"
    ]
