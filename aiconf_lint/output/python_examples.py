"""The "In Python" section of the rule pages: the same finding in code that builds pods.

Kept apart from the rule docstrings because one rule serves several libraries and the YAML
examples stay the reference; `tests/test_python_sources.py` lints every example here and
requires its rule's code on the line marked `# <- CODE`, so a page never shows an example
the rule would not report.
"""

from __future__ import annotations

PYTHON_EXAMPLES: dict[str, str] = {
    "ACC001": """\
from airflow.providers.cncf.kubernetes.operators.pod import KubernetesPodOperator
from kubernetes.client import models as k8s

train = KubernetesPodOperator(
    task_id="train",
    image="trainer:1",
    container_resources=k8s.V1ResourceRequirements(
        limits={"nvidia.com/gpu": 1},  # <- ACC001
    ),
)
""",
    "ACC002": """\
from kubernetes import client

worker = client.V1Container(
    name="worker",
    image="trainer:1",
    resources=client.V1ResourceRequirements(limits={"nvidia.com/gpu": "0.5"}),  # <- ACC002
)
""",
    "ACC003": """\
from kfp import dsl, kubernetes


@dsl.pipeline
def pipeline() -> None:
    task = train_op().set_accelerator_type("nvidia.com/gpu").set_accelerator_limit(1)
    kubernetes.add_node_selector(
        task,
        label_key="cloud.google.com/gke-accelerator",  # <- ACC003
        label_value="nvidia-l4",
    )
""",
    "ACC004": """\
from kfp import dsl


@dsl.pipeline
def pipeline() -> None:
    train_op().set_accelerator_type("google.com/tpu").set_accelerator_limit(4)  # <- ACC004
""",
    "ACC005": """\
from kubernetes import client

spec = client.V1PodSpec(
    containers=[client.V1Container(name="serve", image="server:1")],
    node_selector={"nvidia.com/gpu.product": "NVIDIA-H100-80GB-HBM3"},  # <- ACC005
)
""",
    "ACC006": """\
from kubernetes import client

serve = client.V1Container(
    name="serve",
    image="server:1",
    resources=client.V1ResourceRequirements(limits={"nvidia.com/gpu.shared": 2}),  # <- ACC006
)
""",
    "ACC007": """\
from kubernetes import client

serve = client.V1Container(
    name="serve",
    image="server:1",
    resources=client.V1ResourceRequirements(limits={"nvidia.com/mig-1g.10gb": 1}),  # <- ACC007
)
""",
    "ACC008": """\
from kfp import dsl


@dsl.pipeline
def pipeline() -> None:
    train_op().set_gpu_limit(1)  # <- ACC008
""",
    "SEC001": """\
from airflow.providers.cncf.kubernetes.operators.pod import KubernetesPodOperator

train = KubernetesPodOperator(
    task_id="train",
    image="trainer:1",
    env_vars={"NVIDIA_VISIBLE_DEVICES": "all"},  # <- SEC001
)
""",
    "SEC002": """\
from kubernetes import client

trainer = client.V1Container(
    name="trainer",
    image="trainer:1",
    security_context=client.V1SecurityContext(privileged=True),  # <- SEC002
    resources=client.V1ResourceRequirements(limits={"nvidia.com/gpu": 1}),
)
""",
    "GNG001": """\
from kubeflow.trainer import CustomTrainer, TrainerClient

TrainerClient().train(
    trainer=CustomTrainer(func=train, num_nodes=4, resources_per_node={"gpu": 2}),  # <- GNG001
)
""",
}


def python_section(code: str) -> str | None:
    """Markdown for a rule page, or None where the rule has no Python form."""
    example = PYTHON_EXAMPLES.get(code)
    if example is None:
        return None
    return (
        "aiconf-lint also reads Python that builds pods (Airflow, Kubeflow Pipelines, Kubeflow "
        "Trainer, the Kubernetes client, cdk8s, Pulumi) and reports the same finding on the "
        "literal:\n\n```python\n" + example + "```"
    )
