"""Kubernetes views: quantities, the workload table's pod counts, selectors and the bundle."""

from __future__ import annotations

from decimal import Decimal

import pytest

from aiconf_lint.input.load import load_text
from aiconf_lint.k8s.bundle import Bundle, Selector
from aiconf_lint.k8s.objects import objects_of
from aiconf_lint.k8s.quantity import is_unresolved, parse_quantity
from aiconf_lint.k8s.workloads import pod_templates, total_pods


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (2, Decimal(2)),
        ("500m", Decimal("0.5")),
        ("1Gi", Decimal(2**30)),
        ("1e3", Decimal(1000)),
        ("1.5", Decimal("1.5")),
        ("-1", Decimal(-1)),
        ("two", None),
        (True, None),
        (None, None),
        ("1GiB", None),
    ],
)
def test_parse_quantity(raw: object, expected: Decimal | None) -> None:
    assert parse_quantity(raw) == expected


def test_unresolved() -> None:
    assert is_unresolved("${GPUS}")
    assert is_unresolved("{{ .Values.gpus }}")
    assert not is_unresolved("2")


def _objects(text: str) -> list:  # type: ignore[type-arg]
    source = load_text("f.yaml", text)
    return [obj for doc in source.documents for obj in objects_of(doc)]


CASES = {
    "Job": (
        "apiVersion: batch/v1\nkind: Job\nspec: {parallelism: 4, completions: 4, "
        "template: {spec: {containers: [{name: a}]}}}",
        [4],
    ),
    "JobSet": (
        "apiVersion: jobset.x-k8s.io/v1alpha2\nkind: JobSet\nspec:\n  replicatedJobs:\n"
        "    - {name: w, replicas: 2, template: {spec: {parallelism: 3, template: "
        "{spec: {containers: [{name: a}]}}}}}\n",
        [6],
    ),
    "PyTorchJob": (
        "apiVersion: kubeflow.org/v1\nkind: PyTorchJob\nspec:\n  pytorchReplicaSpecs:\n"
        "    Master: {replicas: 1, template: {spec: {containers: [{name: m}]}}}\n"
        "    Worker: {replicas: 7, template: {spec: {containers: [{name: w}]}}}\n",
        [1, 7],
    ),
    "RayCluster": (
        "apiVersion: ray.io/v1\nkind: RayCluster\nspec:\n  headGroupSpec: {template: "
        "{spec: {containers: [{name: h}]}}}\n  workerGroupSpecs:\n    - {groupName: g, "
        "replicas: 2, numOfHosts: 4, template: {spec: {containers: [{name: w}]}}}\n",
        [1, 8],
    ),
    "LeaderWorkerSet": (
        "apiVersion: leaderworkerset.x-k8s.io/v1\nkind: LeaderWorkerSet\nspec:\n"
        "  replicas: 2\n  leaderWorkerTemplate:\n    size: 4\n    leaderTemplate: "
        "{spec: {containers: [{name: l}]}}\n    workerTemplate: {spec: "
        "{containers: [{name: w}]}}\n",
        [2, 6],
    ),
    "VolcanoJob": (
        "apiVersion: batch.volcano.sh/v1alpha1\nkind: Job\nspec:\n  tasks:\n"
        "    - {name: w, replicas: 3, template: {spec: {containers: [{name: a}]}}}\n",
        [3],
    ),
    "TrainJob": (
        "apiVersion: trainer.kubeflow.org/v1alpha1\nkind: TrainJob\nspec:\n  trainer:\n"
        "    numNodes: 2\n    resourcesPerNode: {limits: {nvidia.com/gpu: 1}}\n",
        [2],
    ),
    "LLMInferenceService": (
        "apiVersion: serving.kserve.io/v1alpha1\nkind: LLMInferenceService\nspec:\n"
        "  replicas: 2\n  template: {containers: [{name: main}]}\n"
        "  worker: {containers: [{name: main}]}\n",
        [2, None],
    ),
    "Envsubst": (
        "apiVersion: apps/v1\nkind: Deployment\nspec: {replicas: '${N}', template: "
        "{spec: {containers: [{name: a}]}}}",
        [None],
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_pod_counts(case: str) -> None:
    text, expected = CASES[case]
    (obj,) = _objects(text)
    templates = pod_templates(obj)
    assert [t.pods for t in templates] == expected
    assert all(t.containers for t in templates)


def test_total_pods_unknown_when_any_unknown() -> None:
    (obj,) = _objects(CASES["Envsubst"][0])
    assert total_pods(pod_templates(obj)) is None
    (obj,) = _objects(CASES["PyTorchJob"][0])
    assert total_pods(pod_templates(obj)) == 8


def test_trainjob_pseudo_container_points_at_resources_per_node() -> None:
    (obj,) = _objects(CASES["TrainJob"][0])
    (container,) = pod_templates(obj)[0].containers
    assert container.resources_path == ("spec", "trainer", "resourcesPerNode")
    assert container.limits == {"nvidia.com/gpu": 1}


def test_volcano_podgroup_is_not_a_workload_and_list_items_have_base() -> None:
    objs = _objects(
        "apiVersion: v1\nkind: List\nitems:\n"
        "  - {apiVersion: scheduling.volcano.sh/v1beta1, kind: PodGroup, metadata: {name: g}}\n"
        "  - {apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {containers: [{name: c}]}}\n"
    )
    assert [o.base for o in objs] == [("items", 0), ("items", 1)]
    assert pod_templates(objs[0]) == []
    assert pod_templates(objs[1])[0].path == ("spec",)


def test_selector_matching() -> None:
    selector = Selector.parse(
        {
            "matchLabels": {"app": "dcgm"},
            "matchExpressions": [
                {"key": "tier", "operator": "In", "values": ["gpu", "infra"]},
                {"key": "canary", "operator": "DoesNotExist"},
            ],
        }
    )
    assert selector is not None
    assert selector.matches({"app": "dcgm", "tier": "gpu"})
    assert not selector.matches({"app": "dcgm", "tier": "gpu", "canary": "1"})
    assert not selector.matches({"app": "dcgm", "tier": "web"})
    assert Selector.parse({"matchExpressions": [{"key": "a", "operator": "Bogus"}]}) is None
    assert Selector.parse({}).matches({"anything": "x"})  # type: ignore[union-attr]


def test_bundle_select_uses_index_and_namespaces() -> None:
    bundle = Bundle()
    for obj in _objects(
        "apiVersion: v1\nkind: Service\nmetadata: {name: a, namespace: gpu, labels: {app: x}}\n"
        "---\napiVersion: v1\nkind: Service\nmetadata: {name: b, labels: {app: x}}\n"
        "---\napiVersion: v1\nkind: Service\nmetadata: {name: c, labels: {app: y}}\n"
    ):
        bundle.add(obj)
    selector = Selector.parse({"matchLabels": {"app": "x"}})
    assert selector is not None

    def labels_of(obj):  # type: ignore[no-untyped-def]
        return [obj.labels]

    hits = bundle.select(selector, ("Service",), None, labels_of, "svc")
    assert sorted(o.name for o in hits) == ["a", "b"]
    hits = bundle.select(selector, ("Service",), frozenset({"default"}), labels_of, "svc")
    assert [o.name for o in hits] == ["b"]
    assert [o.name for o in bundle.get("Service", "gpu", "a")] == ["a"]
    assert [o.name for o in bundle.get("Service", None, "b")] == ["b"]
