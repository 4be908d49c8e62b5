"""Where each workload kind keeps its pod templates, and how many pods each template yields.

The table is data so that adding a kind is one entry, not a new rule (kube-linter's approach).
Paths point at the *pod spec* mapping and were checked against each project's CRD types; `*`
matches every list item or every map key (Kubeflow replica types such as `Master`, `Worker`).
Counts are `None` when they cannot be known from the manifest (a DaemonSet, an envsubst string):
callers treat unknown as unknown, never as zero.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from aiconf_lint.k8s.objects import JsonMap, K8sObject, as_list, as_map, get_path, string_map
from aiconf_lint.k8s.pod_shapes import find_shapes, searchable
from aiconf_lint.k8s.quantity import parse_int
from aiconf_lint.model import YamlPath
from aiconf_lint.records import field, record

Counter = Callable[[JsonMap, YamlPath], int | None]


def _int(value: object, default: int | None) -> int | None:
    return default if value is None else parse_int(value)


def _mul(*factors: int | None) -> int | None:
    total = 1
    for factor in factors:
        if factor is None:
            return None
        total *= factor
    return total


def _one(_data: JsonMap, _path: YamlPath) -> int | None:
    return 1


def _unknown(_data: JsonMap, _path: YamlPath) -> int | None:
    return None


def _replicas_at(*prefix: str) -> Counter:
    def count(data: JsonMap, _path: YamlPath) -> int | None:
        return _int(get_path(data, (*prefix, "replicas")), 1)

    return count


def job_pods(job_spec: object) -> int | None:
    """Pods a Job runs at once: `parallelism`, capped by `completions` when that is smaller."""
    spec = as_map(job_spec)
    parallelism = _int(spec.get("parallelism"), 1)
    completions = _int(spec.get("completions"), None)
    if parallelism is not None and completions is not None and spec.get("completions") is not None:
        return min(parallelism, completions)
    return parallelism


def _job(prefix: YamlPath) -> Counter:
    def count(data: JsonMap, _path: YamlPath) -> int | None:
        return job_pods(get_path(data, prefix))

    return count


def _replicated_job(jobs_prefix: YamlPath) -> Counter:
    """JobSet and TrainingRuntime: `replicas` child Jobs, each running `parallelism` pods."""

    def count(data: JsonMap, path: YamlPath) -> int | None:
        index = path[len(jobs_prefix)]
        rjob = as_map(get_path(data, (*jobs_prefix, index)))
        return _mul(_int(rjob.get("replicas"), 1), job_pods(get_path(rjob, ("template", "spec"))))

    return count


def _replica_spec(data: JsonMap, path: YamlPath) -> int | None:
    """Kubeflow `*ReplicaSpecs.<Type>.replicas` (default 1) and Volcano `tasks[].replicas`."""
    return _int(get_path(data, (*path[:-2], "replicas")), 1)


def ray_group_replicas(group: JsonMap) -> int | None:
    """KubeRay's desired replicas of a worker group: `replicas` clamped to `[min, max]`.

    All three default to 0, 0 and unbounded in the CRD, so a group without `replicas` runs
    `minReplicas` pods (0 when that is absent too), and a suspended group runs none.
    """
    if group.get("suspend") is True:
        return 0
    low = _int(group.get("minReplicas"), 0)
    high = _int(group.get("maxReplicas"), None)
    replicas = _int(group.get("replicas"), low)
    if low is None or replicas is None:
        return None
    if high is not None and high < low:
        return high
    replicas = max(replicas, low)
    return min(replicas, high) if high is not None else replicas


def _ray_worker(data: JsonMap, path: YamlPath) -> int | None:
    group = as_map(get_path(data, path[:-2]))
    return _mul(ray_group_replicas(group), _int(group.get("numOfHosts"), 1))


def _lws(leader: bool) -> Counter:
    def count(data: JsonMap, _path: YamlPath) -> int | None:
        spec = as_map(data.get("spec"))
        tpl = as_map(spec.get("leaderWorkerTemplate"))
        size = _int(tpl.get("size"), 1)
        replicas = _int(spec.get("replicas"), 1)
        if leader:
            return replicas
        if "leaderTemplate" not in tpl:  # the worker template serves the leader too
            return _mul(replicas, size)
        return _mul(replicas, None if size is None else size - 1)

    return count


def _train_job(data: JsonMap, _path: YamlPath) -> int | None:
    return _int(get_path(data, ("spec", "trainer", "numNodes")), None)


def _kserve(data: JsonMap, path: YamlPath) -> int | None:
    return _int(get_path(data, (*path, "minReplicas")), 1)


@record(frozen=True)
class TemplateSpec:
    pattern: YamlPath
    role: str
    count: Counter
    pseudo_containers: tuple[tuple[YamlPath, str], ...] = ()


_POD_TEMPLATE: YamlPath = ("spec", "template", "spec")
KUBEFLOW_REPLICAS = {
    "PyTorchJob": "pytorchReplicaSpecs",
    "TFJob": "tfReplicaSpecs",
    "PaddleJob": "paddleReplicaSpecs",
    "XGBoostJob": "xgbReplicaSpecs",
    "JAXJob": "jaxReplicaSpecs",
    "MXJob": "mxReplicaSpecs",
    "MPIJob": "mpiReplicaSpecs",
}
RAY_CLUSTER: dict[str, YamlPath] = {
    "RayCluster": (),
    "RayJob": ("rayClusterSpec",),
    "RayService": ("rayClusterConfig",),
}
"""KubeRay kinds and where, under `spec`, each keeps its `RayClusterSpec`."""
_RUNTIME_JOBS: YamlPath = ("spec", "template", "spec", "replicatedJobs")
_KSERVE_COMPONENTS = ("predictor", "transformer", "explainer")
# The KServe predictor's framework shorthands: each is a container with `resources`.
_KSERVE_FRAMEWORKS = (
    "model",
    "sklearn",
    "xgboost",
    "tensorflow",
    "pytorch",
    "triton",
    "onnx",
    "huggingface",
    "pmml",
    "lightgbm",
    "paddle",
)


_LLM_TEMPLATES = (
    TemplateSpec(("spec", "template"), "template", _replicas_at("spec")),
    TemplateSpec(("spec", "worker"), "worker", _unknown),
    TemplateSpec(("spec", "prefill", "template"), "prefill", _replicas_at("spec", "prefill")),
    TemplateSpec(("spec", "prefill", "worker"), "prefill worker", _unknown),
)


def _ray_specs(cluster: YamlPath) -> tuple[TemplateSpec, ...]:
    return (
        TemplateSpec((*cluster, "headGroupSpec", "template", "spec"), "head", _one),
        TemplateSpec(
            (*cluster, "workerGroupSpecs", "*", "template", "spec"), "workerGroup", _ray_worker
        ),
    )


WORKLOADS: dict[str, tuple[TemplateSpec, ...]] = {
    "Pod": (TemplateSpec(("spec",), "pod", _one),),
    "PodTemplate": (TemplateSpec(("template", "spec"), "pod", _unknown),),
    "Deployment": (TemplateSpec(_POD_TEMPLATE, "pod", _replicas_at("spec")),),
    "StatefulSet": (TemplateSpec(_POD_TEMPLATE, "pod", _replicas_at("spec")),),
    "ReplicaSet": (TemplateSpec(_POD_TEMPLATE, "pod", _replicas_at("spec")),),
    "ReplicationController": (TemplateSpec(_POD_TEMPLATE, "pod", _replicas_at("spec")),),
    "Rollout": (TemplateSpec(_POD_TEMPLATE, "pod", _replicas_at("spec")),),
    "DaemonSet": (TemplateSpec(_POD_TEMPLATE, "pod", _unknown),),
    "Job": (TemplateSpec(_POD_TEMPLATE, "pod", _job(("spec",))),),
    "CronJob": (
        TemplateSpec(
            ("spec", "jobTemplate", "spec", "template", "spec"),
            "pod",
            _job(("spec", "jobTemplate", "spec")),
        ),
    ),
    "JobSet": (
        TemplateSpec(
            ("spec", "replicatedJobs", "*", "template", "spec", "template", "spec"),
            "replicatedJob",
            _replicated_job(("spec", "replicatedJobs")),
        ),
    ),
    **{
        kind: (
            TemplateSpec(
                (*_RUNTIME_JOBS, "*", "template", "spec", "template", "spec"),
                "replicatedJob",
                _replicated_job(_RUNTIME_JOBS),
            ),
        )
        for kind in ("TrainingRuntime", "ClusterTrainingRuntime")
    },
    **{
        kind: (
            TemplateSpec(("spec", field_name, "*", "template", "spec"), "replica", _replica_spec),
        )
        for kind, field_name in KUBEFLOW_REPLICAS.items()
    },
    "TrainJob": (
        TemplateSpec(
            ("spec",), "trainer", _train_job, ((("spec", "trainer"), "resourcesPerNode"),)
        ),
    ),
    **{kind: _ray_specs(("spec", *prefix)) for kind, prefix in RAY_CLUSTER.items()},
    "LeaderWorkerSet": (
        TemplateSpec(
            ("spec", "leaderWorkerTemplate", "leaderTemplate", "spec"), "leader", _lws(leader=True)
        ),
        TemplateSpec(
            ("spec", "leaderWorkerTemplate", "workerTemplate", "spec"), "worker", _lws(leader=False)
        ),
    ),
    # Volcano's Job shares its kind with batch/v1; WORKLOADS_BY_GROUP disambiguates.
    "InferenceService": tuple(
        TemplateSpec(
            ("spec", component),
            component,
            _kserve,
            tuple((("spec", component, fw), "resources") for fw in _KSERVE_FRAMEWORKS),
        )
        for component in _KSERVE_COMPONENTS
    ),
    # KServe's LLM API (serving.kserve.io v1alpha1/v1alpha2): `template` and `worker` are pod
    # specs; how many workers exist depends on `parallelism`, which KServe resolves.
    "LLMInferenceService": _LLM_TEMPLATES,
    # A base config merged into LLMInferenceServices (same spec; kserve
    # pkg/apis/serving/v1alpha2 LLMInferenceServiceConfig): its templates run no pods itself.
    "LLMInferenceServiceConfig": tuple(
        TemplateSpec(spec.pattern, spec.role, _unknown) for spec in _LLM_TEMPLATES
    ),
    "ServingRuntime": (TemplateSpec(("spec",), "runtime", _unknown),),
    "ClusterServingRuntime": (TemplateSpec(("spec",), "runtime", _unknown),),
}

WORKLOADS_BY_GROUP: dict[tuple[str, str], tuple[TemplateSpec, ...]] = {
    ("batch.volcano.sh", "Job"): (
        TemplateSpec(("spec", "tasks", "*", "template", "spec"), "task", _replica_spec),
    ),
    ("serving.knative.dev", "Service"): (TemplateSpec(_POD_TEMPLATE, "pod", _unknown),),
    # NVIDIA NIM Operator: the GPU request is `spec.resources`, beside the pod fields
    # (`nodeSelector`, `tolerations`) of the Deployment it creates; `spec.replicas` pods
    # (NVIDIA/k8s-nim-operator docs/nimservice.md, api/apps/v1alpha1/nimservice_types.go).
    ("apps.nvidia.com", "NIMService"): (
        TemplateSpec(("spec",), "pod", _replicas_at("spec"), ((("spec",), "resources"),)),
    ),
}


@record
class ContainerView:
    name: str
    path: YamlPath
    data: JsonMap
    init: bool = False
    resources_key: str = "resources"
    pseudo: bool = False
    """A block that a controller turns into a container (KServe's `predictor.model`)."""

    @property
    def label(self) -> str:
        """`Container `server``, or for a pseudo container its field path: the controller
        renames it (KServe runs `predictor.model` as `kserve-container`), so the name in the
        manifest is not one the user would find on the pod."""
        if self.pseudo:
            return f"`{'.'.join(str(step) for step in self.path)}`"
        return f"Container `{self.name}`"

    @property
    def resources_path(self) -> YamlPath:
        return (*self.path, self.resources_key)

    @property
    def resources(self) -> JsonMap:
        return as_map(self.data.get(self.resources_key))

    @property
    def limits(self) -> JsonMap:
        return as_map(self.resources.get("limits"))

    @property
    def requests(self) -> JsonMap:
        return as_map(self.resources.get("requests"))

    @property
    def image(self) -> str:
        return str(self.data.get("image") or "")


@record
class PodTemplate:
    obj: K8sObject
    path: YamlPath
    spec: JsonMap
    role: str
    pods: int | None
    containers: list[ContainerView] = field(default_factory=list)

    metadata: JsonMap = field(default_factory=dict)
    """The pod template's own metadata (empty for kinds whose template is a bare pod spec)."""
    labels: dict[str, str] = field(default_factory=dict)
    annotations: dict[str, str] = field(default_factory=dict)

    @property
    def metadata_path(self) -> YamlPath:
        return (*self.path[:-1], "metadata") if self.path and self.path[-1] == "spec" else ()

    @property
    def item_name(self) -> str | None:
        """The `name` (JobSet replicatedJobs, Volcano tasks) or `groupName` (Ray worker groups)
        of the list item this template sits in, when its role ends in an index."""
        last = self.role.rpartition(" ")[2]
        if not last.isdigit() or int(last) not in self.path:
            return None
        item = as_map(get_path(self.obj.data, self.path[: self.path.index(int(last)) + 1]))
        name = item.get("name") or item.get("groupName")
        return str(name) if name else None

    @property
    def title(self) -> str:
        """The role for messages: `workerGroup `tpu-slice`` rather than the index `workerGroup 0`;
        the index is kept only when the item has no name."""
        name = self.item_name
        return f"{self.role.rpartition(' ')[0]} `{name}`" if name else self.role


def _expand(data: object, pattern: YamlPath, prefix: YamlPath = ()) -> Iterator[YamlPath]:
    """Concrete paths matching a pattern whose `*` steps match every list item or map key."""
    if not pattern:
        yield prefix
        return
    step, rest = pattern[0], pattern[1:]
    if step == "*":
        if isinstance(data, list):
            for i, item in enumerate(data):
                yield from _expand(item, rest, (*prefix, i))
        elif isinstance(data, dict):
            for key, item in data.items():
                yield from _expand(item, rest, (*prefix, str(key)))
        return
    if isinstance(data, dict) and step in data:
        yield from _expand(data[step], rest, (*prefix, step))


# The API groups each WORKLOADS kind belongs to: a kind is only ever looked up with its group
# (a `Service` of serving.knative.dev is not a v1 Service; a `Deployment` of another group is
# some operator's own schema). An object of another group is searched by shape instead.
_KIND_GROUPS: dict[str, frozenset[str]] = {
    **dict.fromkeys(("Pod", "PodTemplate", "ReplicationController"), frozenset({""})),
    **dict.fromkeys(
        ("Deployment", "StatefulSet", "ReplicaSet", "DaemonSet"),
        frozenset({"apps", "extensions"}),
    ),
    "Job": frozenset({"batch", ""}),
    "CronJob": frozenset({"batch"}),
    "Rollout": frozenset({"argoproj.io"}),
    "JobSet": frozenset({"jobset.x-k8s.io"}),
    **dict.fromkeys(
        ("TrainJob", "TrainingRuntime", "ClusterTrainingRuntime"),
        frozenset({"trainer.kubeflow.org"}),
    ),
    **dict.fromkeys(KUBEFLOW_REPLICAS, frozenset({"kubeflow.org"})),
    **dict.fromkeys(RAY_CLUSTER, frozenset({"ray.io"})),
    "LeaderWorkerSet": frozenset({"leaderworkerset.x-k8s.io"}),
    **dict.fromkeys(
        (
            "InferenceService",
            "LLMInferenceService",
            "LLMInferenceServiceConfig",
            "ServingRuntime",
            "ClusterServingRuntime",
        ),
        frozenset({"serving.kserve.io"}),
    ),
}


def specs_for(obj: K8sObject) -> tuple[TemplateSpec, ...]:
    """The table's template paths for an object, keyed by group and kind, never kind alone."""
    specs = WORKLOADS_BY_GROUP.get((obj.group, obj.kind))
    if specs is not None:
        return specs
    if obj.group not in _KIND_GROUPS.get(obj.kind, frozenset()):
        return ()
    return WORKLOADS.get(obj.kind, ())


def _containers(
    spec: JsonMap, path: YamlPath, extra: tuple[tuple[YamlPath, str], ...], root: JsonMap
) -> list[ContainerView]:
    views: list[ContainerView] = []
    for key, init in (("initContainers", True), ("containers", False)):
        for i, item in enumerate(as_list(spec.get(key))):
            if isinstance(item, dict):
                views.append(
                    ContainerView(str(item.get("name") or f"#{i}"), (*path, key, i), item, init)
                )
    for container_path, resources_key in extra:
        pseudo: Any = get_path(root, container_path)
        if isinstance(pseudo, dict) and resources_key in pseudo:
            name = str(pseudo.get("name") or container_path[-1])
            views.append(
                ContainerView(
                    name, container_path, pseudo, resources_key=resources_key, pseudo=True
                )
            )
    return views


def pod_templates(obj: K8sObject) -> list[PodTemplate]:
    """Every pod template of a workload, with its containers, in document order.

    Kinds the table does not know are searched by shape (`k8s/pod_shapes.py`).
    """
    if not specs_for(obj) and searchable(obj) and not _known_elsewhere(obj):
        return _shape_templates(obj)
    templates: list[PodTemplate] = []
    for tspec in specs_for(obj):
        for path in _expand(obj.data, tspec.pattern):
            spec = get_path(obj.data, path)
            if not isinstance(spec, dict):
                continue
            role = tspec.role
            if "*" in tspec.pattern:
                role = f"{tspec.role} {path[tspec.pattern.index('*')]}"
            meta_path = (*path[:-1], "metadata") if path and path[-1] == "spec" else ()
            metadata = as_map(get_path(obj.data, meta_path)) if meta_path else {}
            templates.append(
                PodTemplate(
                    obj=obj,
                    path=path,
                    spec=spec,
                    role=role,
                    pods=tspec.count(obj.data, path),
                    containers=_containers(spec, path, tspec.pseudo_containers, obj.data),
                    metadata=metadata,
                    labels=string_map(metadata.get("labels")),
                    annotations=string_map(metadata.get("annotations")),
                )
            )
    return templates


def total_pods(templates: list[PodTemplate]) -> int | None:
    """Pods all templates yield together; unknown if any one count is unknown."""
    total = 0
    for template in templates:
        if template.pods is None:
            return None
        total += template.pods
    return total


def _known_elsewhere(obj: K8sObject) -> bool:
    """A table kind in its own group that simply has no template here (a bare `PodTemplate`)."""
    return obj.kind in WORKLOADS and obj.group in _KIND_GROUPS.get(obj.kind, frozenset())


def _shape_templates(obj: K8sObject) -> list[PodTemplate]:
    templates: list[PodTemplate] = []
    for found in find_shapes(obj.data):
        spec = as_map(get_path(obj.data, found.path))
        dotted = ".".join(str(step) for step in found.path)
        if found.pseudo:
            name = str(spec.get("name") or found.path[-1])
            containers = [ContainerView(name, found.path, spec, pseudo=True)]
            role = "resources found by shape"
        else:
            containers = _containers(spec, found.path, (), obj.data)
            role = f"pod spec at `{dotted}`, found by shape"
        meta_path = (*found.path[:-1], "metadata") if found.path[-1] == "spec" else ()
        metadata = as_map(get_path(obj.data, meta_path)) if meta_path else {}
        templates.append(
            PodTemplate(
                obj=obj,
                path=found.path,
                spec=spec,
                role=role,
                pods=None,
                containers=containers,
                metadata=metadata,
                labels=string_map(metadata.get("labels")),
                annotations=string_map(metadata.get("annotations")),
            )
        )
    return templates
