"""Generate a large, realistic multi-document stream for the benchmark.

Each group is an AI workload with the objects around it (Deployment, Service, ServiceMonitor,
HPA, training Job, DRA claim template), so the cross-document rules have real work to do.
"""

from __future__ import annotations

_GROUP = """\
---
# Source: fleet/templates/inference-{i}.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: server-{i}
  namespace: team-{ns}
  labels: {{app: server-{i}, tier: inference}}
spec:
  replicas: 2
  selector:
    matchLabels: {{app: server-{i}}}
  template:
    metadata:
      labels: {{app: server-{i}, tier: inference}}
    spec:
      nodeSelector:
        nvidia.com/gpu.family: ampere
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
  name: server-{i}
  namespace: team-{ns}
  labels: {{app: server-{i}}}
spec:
  selector: {{app: server-{i}}}
  ports:
    - {{name: http, port: 80, targetPort: http}}
---
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: server-{i}
  namespace: team-{ns}
spec:
  selector:
    matchLabels: {{app: server-{i}}}
  endpoints:
    - {{port: http, path: /metrics}}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: server-{i}
  namespace: team-{ns}
spec:
  scaleTargetRef: {{apiVersion: apps/v1, kind: Deployment, name: server-{i}}}
  minReplicas: 1
  maxReplicas: 4
  metrics:
    - type: Pods
      pods:
        metric: {{name: vllm_num_requests_waiting}}
        target: {{type: AverageValue, averageValue: "5"}}
---
apiVersion: resource.k8s.io/v1
kind: ResourceClaimTemplate
metadata:
  name: train-{i}-gpu
  namespace: team-{ns}
spec:
  spec:
    devices:
      requests:
        - name: gpu
          exactly: {{deviceClassName: gpu.nvidia.com, count: {gpus}}}
---
apiVersion: batch/v1
kind: Job
metadata:
  name: train-{i}
  namespace: team-{ns}
  labels:
    kueue.x-k8s.io/queue-name: research
spec:
  parallelism: 4
  completions: 4
  completionMode: Indexed
  template:
    spec:
      restartPolicy: Never
      resourceClaims:
        - {{name: gpu, resourceClaimTemplateName: train-{i}-gpu}}
      containers:
        - name: trainer
          image: pytorch/pytorch:2.4.0-cuda12.1-cudnn9-runtime
          command: ["torchrun", "--nproc-per-node=2", "train.py"]
          resources:
            claims: [{{name: gpu}}]
            requests: {{cpu: "8", memory: 64Gi}}
            limits: {{memory: 64Gi}}
"""
DOCS_PER_GROUP = 6


def generate(documents: int) -> str:
    groups = max(1, documents // DOCS_PER_GROUP)
    return "".join(_GROUP.format(i=i, ns=i % 17, gpus=1 + i % 4) for i in range(groups))


if __name__ == "__main__":
    import sys

    sys.stdout.write(generate(int(sys.argv[1]) if len(sys.argv) > 1 else 12_000))
