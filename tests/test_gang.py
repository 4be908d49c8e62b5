"""Unit tests of `rules.gng._gang`: member counts, gang signals, and GNG rule settings."""

from __future__ import annotations

import pytest

from aiconf_lint.engine import build_bundle, lint
from aiconf_lint.input.load import load_bytes
from aiconf_lint.input.source import SourceFile
from aiconf_lint.k8s.accelerator_use import is_accelerator_template
from aiconf_lint.k8s.bundle import Bundle
from aiconf_lint.k8s.gang import (
    cannot_start_partially,
    gang_signals,
    members,
)
from aiconf_lint.k8s.objects import K8sObject
from aiconf_lint.k8s.workloads import ray_group_replicas
from aiconf_lint.model import Applicability, Report, Severity
from aiconf_lint.records import replace
from aiconf_lint.selection import select_rules
from aiconf_lint.settings import Settings

_POD = "spec: {containers: [{name: c, image: i}]}"
_TPL = f"template: {{{_POD}}}"


def _sources(files: dict[str, str]) -> list[SourceFile]:
    return [load_bytes(path, text.encode()) for path, text in files.items()]


def _bundle(text: str) -> Bundle:
    return build_bundle(_sources({"w.yaml": text}), Settings(), Report())


def _only(text: str) -> tuple[K8sObject, Bundle]:
    bundle = _bundle(text)
    return bundle.objects[-1], bundle


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec:\n"
            "  completionMode: Indexed\n  parallelism: 4\n  completions: 4\n"
            f"  template: {{{_POD}}}\n",
            4,
        ),
        (
            "apiVersion: jobset.x-k8s.io/v1alpha2\nkind: JobSet\nmetadata: {name: js}\nspec:\n"
            "  replicatedJobs:\n"
            f"  - {{name: a, replicas: 3, template: {{spec: {{parallelism: 2, {_TPL}}}}}}}\n"
            f"  - {{name: b, template: {{spec: {{{_TPL}}}}}}}\n",
            7,
        ),
        (
            "apiVersion: kubeflow.org/v2beta1\nkind: MPIJob\nmetadata: {name: m}\nspec:\n"
            "  mpiReplicaSpecs:\n"
            f"    Launcher: {{template: {{{_POD}}}}}\n"
            f"    Worker: {{replicas: 4, template: {{{_POD}}}}}\n",
            5,
        ),
        (
            "apiVersion: kubeflow.org/v1\nkind: PyTorchJob\nmetadata: {name: p}\nspec:\n"
            "  elasticPolicy: {minReplicas: 3, maxReplicas: 8}\n  pytorchReplicaSpecs:\n"
            f"    Master: {{replicas: 1, template: {{{_POD}}}}}\n"
            f"    Worker: {{replicas: 8, template: {{{_POD}}}}}\n",
            4,
        ),
        (
            "apiVersion: ray.io/v1\nkind: RayCluster\nmetadata: {name: r}\nspec:\n"
            f"  headGroupSpec: {{template: {{{_POD}}}}}\n  workerGroupSpecs:\n"
            f"  - {{groupName: tpu, replicas: 2, numOfHosts: 4, template: {{{_POD}}}}}\n",
            9,
        ),
        (
            "apiVersion: ray.io/v1\nkind: RayCluster\nmetadata: {name: r}\nspec:\n"
            "  enableInTreeAutoscaling: true\n"
            f"  headGroupSpec: {{template: {{{_POD}}}}}\n  workerGroupSpecs:\n"
            f"  - {{groupName: g, replicas: 6, minReplicas: 2, template: {{{_POD}}}}}\n",
            3,
        ),
        (
            "apiVersion: leaderworkerset.x-k8s.io/v1\nkind: LeaderWorkerSet\nmetadata: {name: l}\n"
            f"spec: {{replicas: 5, leaderWorkerTemplate: {{size: 4, workerTemplate: {{{_POD}}}}}}}"
            "\n",
            4,
        ),
        (
            "apiVersion: batch.volcano.sh/v1alpha1\nkind: Job\nmetadata: {name: v}\nspec:\n"
            f"  tasks:\n  - {{name: a, replicas: 2, template: {{{_POD}}}}}\n"
            f"  - {{name: b, replicas: 3, template: {{{_POD}}}}}\n",
            5,
        ),
        (
            "apiVersion: trainer.kubeflow.org/v1alpha1\nkind: TrainJob\nmetadata: {name: t}\n"
            "spec: {runtimeRef: {name: rt}, trainer: {numNodes: 6}}\n",
            6,
        ),
    ],
)
def test_member_counts(text: str, expected: int) -> None:
    obj, bundle = _only(text)
    found = members(obj, bundle)
    assert found is not None
    assert found.count == expected


def test_trainjob_takes_node_count_from_its_runtime() -> None:
    bundle = _bundle(
        "apiVersion: trainer.kubeflow.org/v1alpha1\nkind: ClusterTrainingRuntime\n"
        "metadata: {name: rt}\nspec: {mlPolicy: {numNodes: 3}}\n---\n"
        "apiVersion: trainer.kubeflow.org/v1alpha1\nkind: TrainJob\nmetadata: {name: t}\n"
        "spec: {runtimeRef: {name: rt}}\n"
    )
    found = members(bundle.objects[1], bundle)
    assert found is not None
    assert found.count == 3


@pytest.mark.parametrize(
    "text",
    [
        # Unresolved counts are unknown, not zero and not one.
        "apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec:\n  completionMode: Indexed\n"
        f"  parallelism: ${{N}}\n  completions: ${{N}}\n  template: {{{_POD}}}\n",
        "apiVersion: trainer.kubeflow.org/v1alpha1\nkind: TrainJob\nmetadata: {name: t}\n"
        "spec: {runtimeRef: {name: absent}}\n",
    ],
)
def test_unknown_counts(text: str) -> None:
    obj, bundle = _only(text)
    found = members(obj, bundle)
    assert found is not None
    assert found.count is None


@pytest.mark.parametrize(
    "text",
    [
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\n"
        f"spec: {{replicas: 8, {_TPL}}}\n",
        "apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\n"
        f"spec: {{parallelism: 8, {_TPL}}}\n",
        f"apiVersion: v1\nkind: Pod\nmetadata: {{name: p}}\n{_POD}\n",
    ],
)
def test_not_gang_workloads(text: str) -> None:
    obj, bundle = _only(text)
    assert members(obj, bundle) is None


def test_ray_group_replicas_follow_kuberay_defaults() -> None:
    assert ray_group_replicas({}) == 0
    assert ray_group_replicas({"minReplicas": 2}) == 2
    assert ray_group_replicas({"replicas": 1, "minReplicas": 3}) == 3
    assert ray_group_replicas({"replicas": 9, "maxReplicas": 4}) == 4
    assert ray_group_replicas({"replicas": 4, "suspend": True}) == 0
    assert ray_group_replicas({"replicas": "${N}"}) is None


@pytest.mark.parametrize(
    ("metadata", "template_meta", "template_spec", "system"),
    [
        ("{name: j, labels: {kueue.x-k8s.io/queue-name: q}}", "{}", "{}", "Kueue"),
        ("{name: j, labels: {kai.scheduler/queue: q}}", "{}", "{}", "KAI"),
        (
            "{name: j}",
            "{annotations: {scheduling.k8s.io/group-name: g}}",
            "{schedulerName: volcano}",
            "Volcano",
        ),
        ("{name: j}", "{labels: {scheduling.x-k8s.io/pod-group: g}}", "{}", "coscheduling"),
        (
            "{name: j}",
            "{annotations: {yunikorn.apache.org/task-group-name: a,"
            " yunikorn.apache.org/task-groups: '[]'}}",
            "{schedulerName: yunikorn}",
            "YuniKorn",
        ),
        ("{name: j}", "{}", "{schedulingGroup: {podGroupName: g}}", "native gang scheduling"),
        ("{name: j}", "{}", "{workloadRef: {name: w, podGroup: g}}", "native gang scheduling"),
    ],
)
def test_gang_signals(metadata: str, template_meta: str, template_spec: str, system: str) -> None:
    obj, bundle = _only(
        f"apiVersion: batch/v1\nkind: Job\nmetadata: {metadata}\nspec:\n"
        "  completionMode: Indexed\n  parallelism: 2\n  completions: 2\n"
        f"  template:\n    metadata: {template_meta}\n    spec: {template_spec}\n"
    )
    assert [s.system for s in gang_signals(obj, bundle)] == [system]


def test_queue_label_on_template_is_not_a_signal() -> None:
    obj, bundle = _only(
        "apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec:\n"
        "  template:\n    metadata: {labels: {kueue.x-k8s.io/queue-name: q}}\n    spec: {}\n"
    )
    assert gang_signals(obj, bundle) == []


def test_accelerator_template() -> None:
    gpu, bundle = _only(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"
        "spec: {containers: [{name: c, resources: {limits: {nvidia.com/gpu: 0}}}],"
        " nodeSelector: {cloud.google.com/gke-accelerator: nvidia-l4}}\n"
    )
    assert is_accelerator_template(bundle.templates(gpu)[0])
    cpu, bundle = _only(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"
        "spec: {containers: [{name: c, resources: {limits: {nvidia.com/gpu: 0, cpu: 2}}}]}\n"
    )
    assert not is_accelerator_template(bundle.templates(cpu)[0])


def test_elastic_jobs_can_start_partially() -> None:
    obj, bundle = _only(
        "apiVersion: kubeflow.org/v1\nkind: PyTorchJob\nmetadata: {name: p}\nspec:\n"
        "  elasticPolicy: {minReplicas: 1, maxReplicas: 4}\n"
        f"  pytorchReplicaSpecs: {{Worker: {{replicas: 4, template: {{{_POD}}}}}}}\n"
    )
    assert cannot_start_partially(obj, bundle.templates(obj)) is None


_JOB = (
    "apiVersion: batch/v1\nkind: Job\nmetadata: {name: ranks}\nspec:\n"
    "  completionMode: Indexed\n  parallelism: 4\n  completions: 4\n  template:\n"
    "    spec: {subdomain: ranks, containers: [{name: c, image: i%s}]}\n"
)


def _gng001(text: str, settings: Settings) -> Report:
    rules = [r for r in select_rules(["GNG"]) if r.code == "GNG001"]
    return lint(_sources({"job.yaml": text}), settings, rules)


def test_gng001_severity_follows_accelerators() -> None:
    cpu = _gng001(_JOB % "", Settings())
    gpu = _gng001(_JOB % ", resources: {limits: {nvidia.com/gpu: 1}}", Settings())
    assert [f.severity for f in cpu.findings] == [Severity.INFO]
    assert [f.severity for f in gpu.findings] == [Severity.WARNING]


def test_gng001_fix_needs_a_configured_queue() -> None:
    assert _gng001(_JOB % "", Settings()).findings[0].fix is None
    settings = replace(Settings(), sections={"gang": {"kueue-queue": "team-a"}})
    fix = _gng001(_JOB % "", settings).findings[0].fix
    assert fix is not None
    assert fix.applicability is Applicability.UNSAFE
    (edit,) = fix.edits
    assert (edit.op, edit.path, edit.key, edit.value) == (
        "merge",
        ("metadata", "labels"),
        "kueue.x-k8s.io/queue-name",
        "team-a",
    )


def test_gng001_no_fix_for_kinds_kueue_does_not_manage() -> None:
    settings = replace(Settings(), sections={"gang": {"kueue-queue": "team-a"}})
    text = (
        "apiVersion: batch.volcano.sh/v1alpha1\nkind: Job\nmetadata: {name: v}\n"
        f"spec: {{schedulerName: default-scheduler, tasks: [{{replicas: 3, {_TPL}}}]}}\n"
    )
    (finding,) = _gng001(text, settings).findings
    assert finding.fix is None


def test_cross_object_rules_need_related_sources() -> None:
    group = (
        "apiVersion: scheduling.volcano.sh/v1beta1\nkind: PodGroup\nmetadata: {name: g}\n"
        "spec: {minMember: 8}\n"
    )
    job = (
        "apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec:\n"
        "  template:\n    metadata: {annotations: {scheduling.k8s.io/group-name: g}}\n"
        "    spec: {schedulerName: volcano}\n"
    )
    rules = [r for r in select_rules(["GNG"]) if r.code == "GNG002"]
    apart = lint(_sources({"a/group.yaml": group, "b/job.yaml": job}), Settings(), rules)
    together = lint(_sources({"a/group.yaml": group, "a/job.yaml": job}), Settings(), rules)
    assert apart.findings == []
    assert [f.code for f in together.findings] == ["GNG002"]


def test_jobset_stages_count_their_largest_job() -> None:
    obj, bundle = _only(
        "apiVersion: jobset.x-k8s.io/v1alpha2\nkind: JobSet\nmetadata: {name: js}\nspec:\n"
        "  replicatedJobs:\n"
        f"  - {{name: init, template: {{spec: {{{_TPL}}}}}}}\n"
        f"  - {{name: node, dependsOn: [{{name: init, status: Complete}}],"
        f" template: {{spec: {{parallelism: 3, {_TPL}}}}}}}\n"
    )
    found = members(obj, bundle)
    assert found is not None
    assert found.count == 3


@pytest.mark.parametrize(
    ("kind_spec", "command", "partial"),
    [
        ("elasticPolicy: {minReplicas: 4, maxReplicas: 4}", "[python, train.py]", False),
        ("elasticPolicy: {minReplicas: 2, maxReplicas: 4}", "[python, train.py]", True),
        ("{}", "[torchrun, --nnodes=2:4, train.py]", True),
    ],
)
def test_pytorchjob_elasticity(kind_spec: str, command: str, partial: bool) -> None:
    obj, bundle = _only(
        "apiVersion: kubeflow.org/v1\nkind: PyTorchJob\nmetadata: {name: p}\nspec:\n"
        f"  {kind_spec if kind_spec != '{}' else 'runPolicy: {}'}\n"
        "  pytorchReplicaSpecs: {Worker: {replicas: 4, template: {spec: {containers: "
        f"[{{name: c, image: i, command: {command}}}]}}}}}}}}\n"
    )
    assert (cannot_start_partially(obj, bundle.templates(obj)) is None) is partial


def test_torchrun_with_variable_nodes_is_unknown() -> None:
    obj, bundle = _only(
        "apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec:\n  template:\n"
        "    spec: {containers: [{name: c, image: i, command: [torchrun, --nnodes=$(N), x.py]}]}\n"
    )
    assert cannot_start_partially(obj, bundle.templates(obj)) is None
