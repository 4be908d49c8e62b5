"""Generate a realistic repository of AI-workload manifests for the benchmark.

Real repositories are not a list of unique, namespaced objects: the same generic labels
(`app: vllm`, `app.kubernetes.io/name: inference`) recur in every component and environment,
many objects carry no namespace, and the kinds that wake the expensive cross-document rules
(monitors, autoscalers, gang schedulers, DRA claims, node pools) sit beside the workloads. Each
copy generated here has all of that; names are unique per copy, labels are not.
"""

from __future__ import annotations

_SERVING = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: vllm-{i}-{k}
{ns}  labels: {{app: vllm, app.kubernetes.io/name: inference}}
spec:
  replicas: 2
  selector:
    matchLabels: {{app: vllm}}
  template:
    metadata:
      labels: {{app: vllm, app.kubernetes.io/name: inference}}
    spec:
      nodeSelector:
        cloud.google.com/gke-accelerator: nvidia-l4
      containers:
        - name: vllm
          image: vllm/vllm-openai:v0.6.3
          args: ["--model", "/models/llama", "--port", "8000"]
          ports:
            - {{name: http, containerPort: 8000}}
          resources:
            limits:
              nvidia.com/gpu: {gpus}
              memory: 32Gi
---
apiVersion: v1
kind: Service
metadata:
  name: vllm-{i}-{k}
{ns}  labels: {{app: vllm}}
spec:
  selector: {{app: vllm}}
  ports:
    - {{name: http, port: 80, targetPort: http}}
---
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: vllm-{i}-{k}
{ns}spec:
  selector:
    matchLabels: {{app: vllm}}
  endpoints:
    - {{port: metrics, path: /metrics}}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: vllm-{i}-{k}
{ns}spec:
  scaleTargetRef: {{apiVersion: apps/v1, kind: Deployment, name: vllm-{i}-{k}}}
  minReplicas: 1
  maxReplicas: 4
  metrics:
    - type: Resource
      resource:
        name: cpu
        target: {{type: Utilization, averageUtilization: 80}}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: triton-{i}-{k}
{ns}  labels: {{app: triton}}
spec:
  selector:
    matchLabels: {{app: triton}}
  template:
    metadata:
      labels: {{app: triton, app.kubernetes.io/name: inference}}
      annotations:
        prometheus.io/scrape: "true"
        prometheus.io/port: "8080"
    spec:
      containers:
        - name: triton
          image: nvcr.io/nvidia/tritonserver:25.01-py3
          args: [tritonserver, --model-repository=/models]
          ports:
            - {{name: http, containerPort: 8000}}
            - {{name: metrics, containerPort: 8002}}
          resources:
            limits: {{nvidia.com/gpu: 1}}
---
apiVersion: monitoring.coreos.com/v1
kind: PodMonitor
metadata:
  name: triton-{i}-{k}
{ns}spec:
  selector:
    matchLabels: {{app: triton}}
  podMetricsEndpoints:
    - {{port: http, path: /metrics}}
"""

_TRAINING = """\
apiVersion: kubeflow.org/v1
kind: PyTorchJob
metadata:
  name: finetune-{i}-{k}
{ns}  labels: {{app.kubernetes.io/name: training}}
spec:
  pytorchReplicaSpecs:
    Master:
      replicas: 1
      template:
        metadata:
          labels: {{app.kubernetes.io/name: training}}
        spec:
          containers:
            - name: pytorch
              image: pytorch/pytorch:2.4.0-cuda12.1-cudnn9-runtime
              resources:
                limits: {{nvidia.com/gpu: {gpus}}}
    Worker:
      replicas: 3
      template:
        spec:
          containers:
            - name: pytorch
              image: pytorch/pytorch:2.4.0-cuda12.1-cudnn9-runtime
              resources:
                limits: {{nvidia.com/gpu: {gpus}}}
---
apiVersion: jobset.x-k8s.io/v1alpha2
kind: JobSet
metadata:
  name: tpu-train-{i}-{k}
{ns}spec:
  replicatedJobs:
    - name: slice
      replicas: 2
      template:
        spec:
          parallelism: 4
          completions: 4
          template:
            spec:
              nodeSelector:
                cloud.google.com/gke-tpu-accelerator: tpu-v5-lite-podslice
                cloud.google.com/gke-tpu-topology: 4x4
              containers:
                - name: jax
                  image: us-docker.pkg.dev/cloud-tpu-images/jax:latest
                  resources:
                    limits: {{google.com/tpu: 4}}
---
apiVersion: ray.io/v1
kind: RayCluster
metadata:
  name: ray-{i}-{k}
{ns}  labels: {{app: ray}}
spec:
  headGroupSpec:
    rayStartParams: {{}}
    template:
      spec:
        containers:
          - name: ray-head
            image: rayproject/ray:2.34.0
            ports:
              - {{name: metrics, containerPort: 8080}}
  workerGroupSpecs:
    - groupName: gpu
      replicas: 4
      minReplicas: 4
      maxReplicas: 4
      rayStartParams: {{}}
      template:
        spec:
          containers:
            - name: ray-worker
              image: rayproject/ray:2.34.0-gpu
              securityContext: {{privileged: true}}
              resources:
                limits: {{nvidia.com/gpu: 1}}
---
apiVersion: leaderworkerset.x-k8s.io/v1
kind: LeaderWorkerSet
metadata:
  name: lws-{i}-{k}
{ns}spec:
  replicas: 1
  leaderWorkerTemplate:
    size: 2
    workerTemplate:
      metadata:
        labels: {{app: vllm}}
      spec:
        containers:
          - name: vllm
            image: vllm/vllm-openai:v0.6.3
            env:
              - {{name: NVIDIA_VISIBLE_DEVICES, value: all}}
            resources:
              limits: {{nvidia.com/gpu: 8}}
---
apiVersion: resource.k8s.io/v1beta1
kind: ResourceClaimTemplate
metadata:
  name: train-{i}-{k}-gpu
{ns}spec:
  spec:
    devices:
      requests:
        - name: gpu
          deviceClassName: gpu.nvidia.com
          count: {gpus}
          selectors:
            - cel:
                expression: device.attributes["gpu.nvidia.com"].productName == "H100"
---
apiVersion: batch/v1
kind: Job
metadata:
  name: train-{i}-{k}
{ns}  labels:
    kueue.x-k8s.io/queue-name: research
spec:
  parallelism: 4
  completions: 4
  completionMode: Indexed
  template:
    metadata:
      labels: {{app.kubernetes.io/name: training}}
    spec:
      restartPolicy: Never
      resourceClaims:
        - {{name: gpu, resourceClaimTemplateName: train-{i}-{k}-gpu}}
        - {{name: spare, resourceClaimTemplateName: missing-{i}-{k}}}
      containers:
        - name: trainer
          image: pytorch/pytorch:2.4.0-cuda12.1-cudnn9-runtime
          command: ["torchrun", "--nproc-per-node=2", "train.py"]
          resources:
            claims: [{{name: gpu}}]
            requests: {{cpu: "8", memory: 64Gi}}
            limits: {{memory: 64Gi, nvidia.com/gpu: 1}}
---
apiVersion: scheduling.volcano.sh/v1beta1
kind: PodGroup
metadata:
  name: gang-{i}-{k}
{ns}spec:
  minMember: 6
"""

_PLATFORM = """\
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: dcgm-exporter-{i}
  labels: {{app: nvidia-dcgm-exporter}}
spec:
  selector:
    matchLabels: {{app: nvidia-dcgm-exporter}}
  template:
    metadata:
      labels: {{app: nvidia-dcgm-exporter}}
    spec:
      containers:
        - name: exporter
          image: nvcr.io/nvidia/k8s/dcgm-exporter:4.2.3-4.1.3-ubuntu22.04
          env:
            - {{name: DCGM_EXPORTER_KUBERNETES, value: "true"}}
          ports:
            - {{name: metrics, containerPort: 9400}}
---
apiVersion: v1
kind: Service
metadata:
  name: dcgm-exporter-{i}
  labels: {{app: nvidia-dcgm-exporter}}
spec:
  selector: {{app: nvidia-dcgm-exporter}}
  ports:
    - {{name: gpu-metrics, port: 9400, targetPort: 9400}}
---
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: dcgm-exporter-{i}
spec:
  selector:
    matchLabels: {{app: nvidia-dcgm-exporter}}
  endpoints:
    - {{port: gpu-metrics, interval: 15s}}
---
apiVersion: monitoring.googleapis.com/v1
kind: PodMonitoring
metadata:
  name: inference-{i}
spec:
  selector:
    matchLabels: {{app.kubernetes.io/name: inference}}
  endpoints:
    - {{port: metrics, interval: 15s}}
---
apiVersion: karpenter.sh/v1
kind: NodePool
metadata:
  name: gpu-{i}
spec:
  template:
    spec:
      nodeClassRef: {{group: karpenter.k8s.aws, kind: EC2NodeClass, name: default}}
      requirements:
        - {{key: karpenter.k8s.aws/instance-family, operator: In, values: [g5, p4d]}}
      taints:
        - {{key: nvidia.com/gpu, effect: NoSchedule}}
---
apiVersion: kueue.x-k8s.io/v1beta1
kind: ResourceFlavor
metadata:
  name: gpu-{i}
spec:
  nodeLabels: {{cloud.google.com/gke-accelerator: nvidia-h100-80gb}}
---
apiVersion: kueue.x-k8s.io/v1beta1
kind: ClusterQueue
metadata:
  name: research-{i}
spec:
  namespaceSelector: {{}}
  resourceGroups:
    - coveredResources: [nvidia.com/gpu]
      flavors:
        - name: gpu-{i}
          resources:
            - {{name: nvidia.com/gpu, nominalQuota: 16}}
---
apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata:
  name: vllm-{i}
spec:
  scaleTargetRef: {{name: vllm-{i}-0}}
  minReplicaCount: 3
  maxReplicaCount: 2
  triggers:
    - type: prometheus
      metadata:
        serverAddress: http://prometheus.monitoring:9090
        query: sum(vllm:num_requests_waiting)
        threshold: "5"
---
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: llm-{i}
  labels: {{app: vllm}}
spec:
  predictor:
    model:
      modelFormat: {{name: huggingface}}
      resources:
        limits: {{nvidia.com/gpu: "1"}}
"""

TEAMS = 4
"""Components per copy; each copy has one platform file and TEAMS serving and training files."""


def generate_repository(i: int) -> dict[str, str]:
    """Copy `i` of the repository: relative path -> file text (about 60 documents)."""
    files: dict[str, str] = {"platform/cluster.yaml": _PLATFORM.format(i=i)}
    for k in range(TEAMS):
        ns = f"  namespace: team-{k}\n" if k % 2 == 0 else ""
        values = {"i": i, "k": k, "ns": ns, "gpus": 1 + (i + k) % 4}
        files[f"teams/team-{k}/serving.yaml"] = _SERVING.format(**values)
        files[f"teams/team-{k}/training.yaml"] = _TRAINING.format(**values)
    return files


def generate(documents: int) -> str:
    """One stream of about `documents` documents (copies of the repository, one after another)."""
    out: list[str] = []
    count, i = 0, 0
    while count < documents:
        for text in generate_repository(i).values():
            out.append("---\n" + text)
            count += text.count("\n---\n") + 1
        i += 1
    return "".join(out)


if __name__ == "__main__":
    import sys

    sys.stdout.write(generate(int(sys.argv[1]) if len(sys.argv) > 1 else 12_000))
