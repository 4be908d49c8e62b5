"""Python sources through the CLI: positions, bad input, suppression, fix, and import cost."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from aiconf_lint.engine import lint
from aiconf_lint.input.python_source import interest, load_python
from aiconf_lint.output.python_examples import PYTHON_EXAMPLES
from aiconf_lint.output.rule_docs import markdown
from aiconf_lint.rules import RULES_BY_CODE
from aiconf_lint.runner import enabled_rules
from aiconf_lint.settings import Settings, with_overrides
from tests.conftest import REPO, Runner

DAG = """\
from airflow.providers.cncf.kubernetes.operators.pod import KubernetesPodOperator
from kubernetes.client import models as k8s

train = KubernetesPodOperator(
    task_id="train",
    image="trainer:1",
    container_resources=k8s.V1ResourceRequirements(limits={"nvidia.com/gpu": 1}),
)
"""


def test_finding_points_at_the_python_literal(run: Runner, tmp_path: Path) -> None:
    (tmp_path / "dag.py").write_text(DAG, encoding="utf-8")
    result = run("check", str(tmp_path), "--select", "ACC001", "--output-format", "json")
    findings = json.loads(result.out)["findings"]
    assert [(f["code"], f["line"], f["column"]) for f in findings] == [("ACC001", 7, 60)]
    line = DAG.splitlines()[6]
    assert line[59:].startswith('"nvidia.com/gpu"')


def test_positions_are_python_spans() -> None:
    source = load_python("dag.py", DAG)
    (document,) = source.documents
    span, exists = document.span(("spec", "containers", 0, "image"))
    assert exists
    assert (span.line, span.column, span.end_column) == (6, 11, 22)


def test_invalid_python_is_a_syn_finding_not_a_traceback(run: Runner, tmp_path: Path) -> None:
    broken = DAG.replace('image="trainer:1",', 'image="trainer:1",,')
    (tmp_path / "broken.py").write_text(broken, encoding="utf-8")
    (tmp_path / "good.py").write_text(DAG, encoding="utf-8")
    result = run("check", str(tmp_path), "--output-format", "concise", "--exit-zero")
    assert "Traceback" not in result.out + result.err
    assert "broken.py:" in result.out
    assert "SYN001 invalid Python" in result.out
    assert "good.py:7:60: ACC001" in result.out


def test_suppression_comment_works_in_python(run: Runner, tmp_path: Path) -> None:
    suppressed = DAG.replace(
        '{"nvidia.com/gpu": 1}),', '{"nvidia.com/gpu": 1}),  # aiconf-lint: ignore[ACC001] later'
    )
    (tmp_path / "dag.py").write_text(suppressed, encoding="utf-8")
    result = run("check", str(tmp_path), "--select", "ACC001", "--output-format", "concise")
    assert result.code == 0, result.out


def test_files_without_library_or_trigger_are_not_parsed() -> None:
    assert not interest("import os\nprint('nvidia.com/gpu')\n").worth_parsing
    assert not interest("from kubernetes import client\nclient.CoreV1Api()\n").worth_parsing
    assert interest(DAG).worth_parsing
    # A file that is not worth parsing yields no documents even if it would not parse.
    assert load_python("x.py", "import os\n)(\n").problems == []


def test_yaml_only_run_never_imports_libcst(tmp_path: Path) -> None:
    manifest = tmp_path / "pod.yaml"
    manifest.write_text(
        yaml.safe_dump({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}}),
        encoding="utf-8",
    )
    (tmp_path / "tool.py").write_text("import os\nprint(os.name)\n", encoding="utf-8")
    code = (
        "import sys\n"
        "from aiconf_lint.runner import lint_paths\n"
        f"lint_paths([{str(tmp_path)!r}])\n"
        "print('libcst' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"


def test_fix_never_rewrites_python_as_yaml(run: Runner, tmp_path: Path) -> None:
    path = tmp_path / "dag.py"
    path.write_text(DAG, encoding="utf-8")
    result = run("fix", "--unsafe-fixes", str(path))
    assert path.read_text(encoding="utf-8") == DAG
    assert "Traceback" not in result.out + result.err
    assert "ACC001" in result.err


def test_same_model_part_is_reported_once(run: Runner, tmp_path: Path) -> None:
    """A container built on its own and then put in a pod spec is one object, not two."""
    code = """\
from kubernetes import client

worker = client.V1Container(
    name="worker",
    image="trainer:1",
    resources=client.V1ResourceRequirements(limits={"nvidia.com/gpu": 1}),
)
spec = client.V1PodSpec(containers=[worker])
"""
    (tmp_path / "pods.py").write_text(code, encoding="utf-8")
    result = run("check", str(tmp_path), "--select", "ACC001", "--output-format", "concise")
    assert result.out.count("ACC001") == 1, result.out
    assert "Pod `spec`" in result.out


@pytest.mark.parametrize("code", sorted(PYTHON_EXAMPLES))
def test_rule_page_python_example_fires(code: str) -> None:
    example = PYTHON_EXAMPLES[code]
    source = load_python("example.py", example)
    settings = with_overrides(Settings(), select=(code,))
    report = lint([source], settings, enabled_rules(settings))
    marked = [n for n, line in enumerate(example.splitlines(), 1) if f"# <- {code}" in line]
    assert [(f.code, f.location.span.line) for f in report.findings] == [
        (code, line) for line in marked
    ]
    assert f"```python\n{example}```" in markdown(RULES_BY_CODE[code])


KFP = (
    "from kfp import dsl\n"
    "\n"
    "\n"
    "@dsl.pipeline(name='train')\n"
    "def pipeline():\n"
    "    # Two GPUs for the trainer.\n"
    "    train = train_op(epochs=3).set_gpu_limit(2)  # legacy call\n"
    "    typed = (eval_op()\n"
    "             .set_accelerator_type('nvidia.com/gpu')\n"
    "             .set_gpu_limit(1))   # odd indentation kept\n"
    "    bare = score_op().set_accelerator_limit(1)\n"
)
KFP_SAFE = KFP.replace(".set_gpu_limit(1))", ".set_accelerator_limit(1))")
KFP_UNSAFE = KFP_SAFE.replace(
    ".set_gpu_limit(2)", ".set_accelerator_type('nvidia.com/gpu').set_accelerator_limit(2)"
).replace(
    "score_op().set_accelerator_limit(1)",
    "score_op().set_accelerator_type('nvidia.com/gpu').set_accelerator_limit(1)",
)


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
@pytest.mark.parametrize(("unsafe", "expected"), [(False, KFP_SAFE), (True, KFP_UNSAFE)])
def test_acc008_fix_is_byte_exact_and_idempotent(
    run: Runner, tmp_path: Path, newline: str, unsafe: bool, expected: str
) -> None:
    path = tmp_path / "pipeline.py"
    path.write_bytes(("\ufeff" + KFP).replace("\n", newline).encode())
    flags = ("--unsafe-fixes",) if unsafe else ()
    first = run("fix", *flags, "--select", "ACC008", str(path))
    assert "Traceback" not in first.err
    assert path.read_bytes() == ("\ufeff" + expected).replace("\n", newline).encode()
    run("fix", *flags, "--select", "ACC008", str(path))
    assert path.read_bytes() == ("\ufeff" + expected).replace("\n", newline).encode()


def test_acc008_diff_writes_nothing(run: Runner, tmp_path: Path) -> None:
    path = tmp_path / "pipeline.py"
    path.write_text(KFP, encoding="utf-8")
    result = run("fix", "--diff", "--select", "ACC008", str(path))
    assert path.read_text(encoding="utf-8") == KFP
    assert "+             .set_accelerator_limit(1))   # odd indentation kept" in result.out


LIBRARIES = """\
import pulumi_kubernetes as kubernetes
from airflow.decorators import task
from cdk8s import Chart
from imports import k8s

k8s.KubeDeployment(
    chart,
    "vllm",
    spec=k8s.DeploymentSpec(
        template=k8s.PodTemplateSpec(
            spec=k8s.PodSpec(
                containers=[
                    k8s.Container(
                        name="vllm",
                        image="vllm/vllm-openai:v0.6.3",
                        resources=k8s.ResourceRequirements(
                            limits={"nvidia.com/gpu": k8s.Quantity.from_number(1)}
                        ),
                    )
                ]
            )
        )
    ),
)
kubernetes.apps.v1.Deployment(
    "triton",
    spec={
        "template": {
            "spec": {
                "containers": [
                    {
                        "name": "triton",
                        "image": "triton:24.08",
                        "resources": {"limits": {"nvidia.com/gpu": 2}},
                    }
                ]
            }
        }
    },
)


@task.kubernetes(image="trainer:1", container_resources={"limits": {"nvidia.com/gpu": 1}})
def train() -> None:
    pass
"""


def test_cdk8s_pulumi_and_task_decorator(run: Runner, tmp_path: Path) -> None:
    (tmp_path / "stack.py").write_text(LIBRARIES, encoding="utf-8")
    result = run("check", str(tmp_path), "--select", "ACC001", "--output-format", "concise")
    lines = sorted(
        line.split(": ACC001 ")[1].split(" requests")[0] for line in result.out.splitlines()
    )
    assert lines == [
        "Container `base` of Pod `train`",
        "Container `triton` of Deployment `triton`",
        "Container `vllm` of Deployment `vllm`",
    ], result.out
    literals = [
        (number, text.index('"nvidia.com/gpu"') + 1)
        for number, text in enumerate(LIBRARIES.splitlines(), start=1)
        if '"nvidia.com/gpu"' in text
    ]
    assert len(literals) == 3
    for line, column in literals:
        assert f":{line}:{column}: ACC001" in result.out
