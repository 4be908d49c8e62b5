"""Gang scheduling facts shared by the GNG rules: who must start together, and who says so.

Two questions recur in every GNG rule. *How many pods must start together?* (`members`): the
pods of an Indexed Job, the sum over a JobSet or a Kubeflow job, a TrainJob's `numNodes`, a Ray
cluster's head and workers, one LeaderWorkerSet group. *Which gang mechanism covers them?*
(`gang_signals`): a Kueue queue label on the top-level object, a Volcano or coscheduling
PodGroup, YuniKorn task groups, a KAI queue, the native Workload/PodGroup API, a Kubeflow
`schedulingPolicy`, a TrainingRuntime `podGroupPolicy`, KubeRay's gang label. Counts come from
the workload table (`PodTemplate.pods`); an unresolvable count is `None` and never a finding.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from aiconf_lint.k8s.bundle import Bundle
from aiconf_lint.k8s.objects import JsonMap, K8sObject, as_list, as_map, as_str, get_path
from aiconf_lint.k8s.quantity import parse_int, parse_quantity
from aiconf_lint.k8s.workloads import KUBEFLOW_REPLICAS, RAY_CLUSTER, PodTemplate, total_pods
from aiconf_lint.model import YamlPath
from aiconf_lint.records import record

KUEUE_QUEUE = "kueue.x-k8s.io/queue-name"
KUEUE_GROUP = "kueue.x-k8s.io/pod-group-name"
KUEUE_TOTAL = "kueue.x-k8s.io/pod-group-total-count"
KUEUE_MIN_PARALLELISM = "kueue.x-k8s.io/job-min-parallelism"
VOLCANO_GROUP_KEYS = ("scheduling.k8s.io/group-name", "scheduling.volcano.sh/group-name")
VOLCANO_MIN_MEMBER = "scheduling.volcano.sh/group-min-member"
COSCHEDULING_LABEL = "scheduling.x-k8s.io/pod-group"
YUNIKORN_GROUP = "yunikorn.apache.org/task-group-name"
YUNIKORN_GROUPS = "yunikorn.apache.org/task-groups"
KAI_QUEUE = "kai.scheduler/queue"
RAY_GANG = "ray.io/gang-scheduling-enabled"

VOLCANO_API = "scheduling.volcano.sh"
COSCHEDULING_API = "scheduling.x-k8s.io"
NATIVE_API = "scheduling.k8s.io"

# Gang-capable scheduler names and the system each belongs to.
GANG_SCHEDULERS = {
    "volcano": "Volcano",
    "yunikorn": "YuniKorn",
    "scheduler-plugins-scheduler": "coscheduling",
    "kai-scheduler": "KAI",
}
# Kinds whose operator creates the pod group itself once a gang scheduler is named.
OPERATOR_GROUPED = frozenset({*KUBEFLOW_REPLICAS, *RAY_CLUSTER, "LeaderWorkerSet", "VolcanoJob"})
GANG_KINDS = frozenset(
    {
        "Job",
        "JobSet",
        "TrainJob",
        "LeaderWorkerSet",
        "LLMInferenceService",
        *KUBEFLOW_REPLICAS,
        *RAY_CLUSTER,
    }
)
"""The object kinds `members` answers for (`Job` covers Volcano's too); None for every other."""
# Kinds Kueue manages as one workload from a queue label on the object.
KUEUE_KINDS = frozenset(
    {"Job", "JobSet", "TrainJob", "LeaderWorkerSet", *KUBEFLOW_REPLICAS, *RAY_CLUSTER}
)
_TORCHRUN_RE = re.compile(r"\b(torchrun|torch\.distributed\.(?:run|launch))\b")
_NNODES_RE = re.compile(r"--nnodes[= ](\S+)")


def kind_key(obj: K8sObject) -> str:
    """The kind, with Volcano's `batch.volcano.sh` Job told apart from `batch/v1` Job."""
    return "VolcanoJob" if obj.kind == "Job" and obj.group == "batch.volcano.sh" else obj.kind


def template_annotations(template: PodTemplate) -> dict[str, str]:
    return template.annotations


def scheduler_name(template: PodTemplate) -> str | None:
    name = template.spec.get("schedulerName")
    return name if isinstance(name, str) else None


@record(frozen=True)
class Members:
    """How many pods of a workload must run at once, and the field that says so."""

    count: int | None
    path: YamlPath
    per: str = ""
    """Empty, or the unit each gang is counted per ("group" for a LeaderWorkerSet)."""


def training_runtime(obj: K8sObject, bundle: Bundle) -> K8sObject | None:
    """The (Cluster)TrainingRuntime a TrainJob's `runtimeRef` names, when the bundle has it."""
    ref = as_map(obj.spec.get("runtimeRef"))
    name = ref.get("name")
    if not isinstance(name, str):
        return None
    kind = as_str(ref.get("kind")) or "ClusterTrainingRuntime"
    namespace = obj.namespace if kind == "TrainingRuntime" else None
    candidates = bundle.get(kind, namespace, name)
    if not candidates and kind == "ClusterTrainingRuntime":
        candidates = [o for o in bundle.of_kind(kind) if o.name == name]
    return candidates[0] if candidates else None


def elastic_minimum(obj: K8sObject) -> int | None:
    """`elasticPolicy.minReplicas` of an elastic Kubeflow job (min below max), else None."""
    policy = as_map(obj.spec.get("elasticPolicy"))
    low, high = parse_int(policy.get("minReplicas")), parse_int(policy.get("maxReplicas"))
    if low is not None and high is not None and low < high:
        return low
    return None


def members(obj: K8sObject, bundle: Bundle) -> Members | None:
    """`_members`, computed once per object (GNG001 and GNG004 both ask)."""
    return bundle.facts(obj).family("gng.members", lambda: _members(obj, bundle))


def _members(obj: K8sObject, bundle: Bundle) -> Members | None:
    """Pods that must start together; None for kinds that are not gang workloads at all.

    Deployments, StatefulSets, DaemonSets and serving objects are not all-or-nothing. A Job
    is one only when Indexed with every index running at once (the torchrun/JAX pattern).
    """
    kind = kind_key(obj)
    templates = bundle.templates(obj)
    spec = obj.spec
    if kind == "Job" and obj.group == "batch":
        parallelism, completions = parse_int(spec.get("parallelism", 1)), spec.get("completions")
        if spec.get("completionMode") != "Indexed" or not templates:
            return None
        done = parse_int(completions)
        if parallelism is not None and done is not None and done > parallelism:
            return None  # indices run in waves, not as one gang
        return Members(templates[0].pods, ("spec", "parallelism"))
    if kind in ("JobSet", "VolcanoJob"):
        field = "replicatedJobs" if kind == "JobSet" else "tasks"
        if not templates:
            return None
        jobs = as_list(spec.get(field))
        if kind == "JobSet" and any(as_map(j).get("dependsOn") for j in jobs):
            # Stages run one after another (initializers, then trainers): the largest
            # replicated job is the part that must start together.
            counts = [t.pods for t in templates]
            largest = None if None in counts else max(c or 0 for c in counts)
            return Members(largest, ("spec", field))
        return Members(total_pods(templates), ("spec", field))
    if kind in KUBEFLOW_REPLICAS:
        field = KUBEFLOW_REPLICAS[kind]
        if not templates:
            return None
        minimum = elastic_minimum(obj)
        if minimum is not None:
            others = [t for t in templates if t.path[2] != "Worker"]
            rest = total_pods(others)
            count = None if rest is None else rest + minimum
            return Members(count, ("spec", "elasticPolicy", "minReplicas"))
        return Members(total_pods(templates), ("spec", field))
    if kind == "TrainJob":
        return _train_job_members(obj, bundle)
    if kind in RAY_CLUSTER:
        return _ray_members(obj, templates)
    if kind == "LeaderWorkerSet":
        size = get_path(spec, ("leaderWorkerTemplate", "size"))
        count = 1 if size is None else parse_int(size)
        return Members(count, ("spec", "leaderWorkerTemplate", "size"), per="group")
    if kind == "LLMInferenceService" and obj.group == "serving.kserve.io":
        return _llm_members(spec)
    return None


def _llm_members(spec: JsonMap) -> Members | None:
    """A multi-node LLMInferenceService: KServe runs each replica as a LeaderWorkerSet group.

    The group size is `parallelism.data / dataLocal` with data parallelism, else
    `parallelism.pipeline` (kserve pkg/apis/serving/v1alpha2 ParallelismSpec.GetSize); a
    `worker` template without either leaves the size to KServe's defaults (unknown here).
    """
    for prefix in ((), ("prefill",)):
        part = as_map(get_path(spec, prefix)) if prefix else spec
        if not isinstance(part.get("worker"), dict):
            continue
        size = _lws_group_size(as_map(part.get("parallelism")))
        return Members(size, ("spec", *prefix, "worker"), per="group")
    return None


def _lws_group_size(parallelism: JsonMap) -> int | None:
    data, local = parse_int(parallelism.get("data")), parse_int(parallelism.get("dataLocal"))
    if (data or 0) > 0 or (local or 0) > 0:
        return max(max(data or 1, 1) // max(local or 1, 1), 1)
    pipeline = parse_int(parallelism.get("pipeline"))
    return pipeline if pipeline is not None and pipeline > 0 else None


def _train_job_members(obj: K8sObject, bundle: Bundle) -> Members:
    raw = get_path(obj.spec, ("trainer", "numNodes"))
    if raw is not None:
        return Members(parse_int(raw), ("spec", "trainer", "numNodes"))
    runtime = training_runtime(obj, bundle)
    if runtime is None:
        return Members(None, ("spec", "runtimeRef"))
    nodes = get_path(runtime.spec, ("mlPolicy", "numNodes"))
    return Members(1 if nodes is None else parse_int(nodes), ("spec", "runtimeRef"))


def _ray_members(obj: K8sObject, templates: list[PodTemplate]) -> Members | None:
    prefix = ("spec", *RAY_CLUSTER[obj.kind])
    cluster = as_map(get_path(obj.data, prefix))
    workers = [t for t in templates if t.role.startswith("workerGroup")]
    if not cluster or not workers:
        return None
    autoscaling = cluster.get("enableInTreeAutoscaling") is True
    total = 1
    multi_host = False
    for template in workers:
        group = as_map(get_path(obj.data, template.path[:-2]))
        hosts = parse_int(group.get("numOfHosts", 1))
        pods = template.pods
        if autoscaling:  # the gang is what the autoscaler can never remove
            low = parse_int(group.get("minReplicas", 0))
            pods = None if low is None or hosts is None else low * hosts
        if pods is None or hosts is None:
            return Members(None, (*prefix, "workerGroupSpecs"))
        multi_host |= hosts > 1 and pods > 0
        total += pods
    if total - 1 < 2 and not multi_host:
        return Members(1, (*prefix, "workerGroupSpecs"))  # one worker can start alone
    return Members(total, (*prefix, "workerGroupSpecs"))


def gang_templates(obj: K8sObject, bundle: Bundle) -> list[PodTemplate]:
    """The pod templates that become the workload's pods (a TrainJob's come from its runtime)."""
    own = bundle.templates(obj)
    if obj.kind == "TrainJob":
        runtime = training_runtime(obj, bundle)
        return own + (bundle.templates(runtime) if runtime is not None else [])
    return own


def requests_tpu(template: PodTemplate) -> bool:
    return any(
        "google.com/tpu" in values and parse_quantity(values["google.com/tpu"]) != 0
        for c in template.containers
        for values in (c.limits, c.requests)
    )


def _command_text(template: PodTemplate) -> str:
    parts: list[str] = []
    for container in template.containers:
        for key in ("command", "args"):
            value = container.data.get(key)
            parts += [str(v) for v in as_list(value)] if isinstance(value, list) else []
    return " ".join(parts)


def _torchrun_nodes(templates: list[PodTemplate]) -> str | None:
    """The `--nnodes` value of a torchrun command, when a template has one."""
    for template in templates:
        text = _command_text(template)
        nnodes = _NNODES_RE.search(text) if _TORCHRUN_RE.search(text) else None
        if nnodes:
            return nnodes.group(1)
    return None


_PEER_ENV = frozenset(
    {
        "MASTER_ADDR",
        "MASTER_PORT",
        "WORLD_SIZE",
        "PET_NNODES",
        "NNODES",
        "JAX_COORDINATOR_ADDRESS",
        "COORDINATOR_ADDRESS",
        "MEGASCALE_COORDINATOR_ADDRESS",
        "TPU_WORKER_HOSTNAMES",
    }
)
_PEER_COMMAND_RE = re.compile(
    r"torchrun|torch\.distributed|mpirun|mpiexec|horovodrun|deepspeed|accelerate launch"
    r"|jax\.distributed|--nnodes|--master[_-]addr"
)


def talks_to_peers(templates: list[PodTemplate]) -> bool:
    """Evidence that a Job's pods form one distributed program rather than independent shards.

    An Indexed Job also serves embarrassingly parallel work (one shard per index), which needs
    no gang. Ranks that rendezvous show it: a `subdomain` for stable pod DNS, a coordinator
    address in the environment, a distributed launcher in the command, or a multi-host TPU.
    """
    for template in templates:
        if template.spec.get("subdomain") or requests_tpu(template):
            return True
        for container in template.containers:
            names = {str(as_map(e).get("name")) for e in as_list(container.data.get("env"))}
            if names & _PEER_ENV:
                return True
        if _PEER_COMMAND_RE.search(_command_text(template)):
            return True
    return False


def cannot_start_partially(obj: K8sObject, templates: list[PodTemplate]) -> str | None:
    """Why this workload's pods are useless until all of them run, or None (elastic, unknown)."""
    kind = kind_key(obj)
    nnodes = _torchrun_nodes(templates)
    elastic_range = nnodes is not None and ":" in nnodes
    if elastic_range or (kind in ("PyTorchJob", "PaddleJob") and elastic_minimum(obj) is not None):
        return None
    if kind == "MPIJob" or (kind == "VolcanoJob" and "mpi" in as_map(obj.spec.get("plugins"))):
        return "an MPI job needs every rank"
    if kind == "PyTorchJob":
        return "a non-elastic PyTorchJob has a fixed world size"
    if kind == "JAXJob":
        return "a JAX job has a fixed process count"
    if nnodes is not None and not re.search(r"[${]", nnodes):
        return "static torchrun (`--nnodes` without a range) waits for every node"
    if sum(t.pods or 0 for t in templates if requests_tpu(t)) > 1:
        return "a multi-host TPU slice needs every host"
    return None


@record(frozen=True)
class Signal:
    system: str
    path: YamlPath


def _template_signals(obj: K8sObject, template: PodTemplate) -> Iterator[Signal]:
    labels, annotations = template.labels, template_annotations(template)
    scheduler = scheduler_name(template)
    meta = template.metadata_path
    if scheduler == "volcano" and (
        any(k in annotations for k in (*VOLCANO_GROUP_KEYS, VOLCANO_MIN_MEMBER))
        or VOLCANO_MIN_MEMBER in obj.annotations
    ):
        yield Signal("Volcano", (*template.path, "schedulerName"))
    if COSCHEDULING_LABEL in labels:
        yield Signal("coscheduling", (*meta, "labels", COSCHEDULING_LABEL))
    if scheduler == "yunikorn" and YUNIKORN_GROUP in annotations and YUNIKORN_GROUPS in annotations:
        yield Signal("YuniKorn", (*meta, "annotations", YUNIKORN_GROUPS))
    if KAI_QUEUE in labels:
        yield Signal("KAI", (*meta, "labels", KAI_QUEUE))
    for field in ("workloadRef", "schedulingGroup"):
        if isinstance(template.spec.get(field), Mapping):
            yield Signal("native gang scheduling", (*template.path, field))
    if kind_key(obj) in OPERATOR_GROUPED and scheduler in ("volcano", "kai-scheduler"):
        yield Signal(GANG_SCHEDULERS[scheduler], (*template.path, "schedulerName"))
    if kind_key(obj) in KUBEFLOW_REPLICAS and scheduler == "scheduler-plugins-scheduler":
        yield Signal("coscheduling", (*template.path, "schedulerName"))


def gang_signals(obj: K8sObject, bundle: Bundle) -> list[Signal]:
    """`_gang_signals`, computed once per object; the list is shared, never change it."""
    return bundle.facts(obj).family("gng.signals", lambda: _gang_signals(obj, bundle))


def _gang_signals(obj: K8sObject, bundle: Bundle) -> list[Signal]:
    """Every gang mechanism that covers this workload, each with where it is declared."""
    found: list[Signal] = []
    kind = kind_key(obj)
    if KUEUE_QUEUE in obj.labels:
        found.append(Signal("Kueue", ("metadata", "labels", KUEUE_QUEUE)))
    elif KUEUE_QUEUE in obj.annotations:  # the deprecated annotation form
        found.append(Signal("Kueue", ("metadata", "annotations", KUEUE_QUEUE)))
    elif kind in KUEUE_KINDS and bundle.get("LocalQueue", obj.namespace, "default"):
        found.append(Signal("Kueue (default LocalQueue)", ("metadata",)))
    if KAI_QUEUE in obj.labels:
        found.append(Signal("KAI", ("metadata", "labels", KAI_QUEUE)))
    min_member = parse_int(obj.annotations.get(VOLCANO_MIN_MEMBER))
    if min_member is not None and min_member > 1:
        found.append(Signal("Volcano", ("metadata", "annotations", VOLCANO_MIN_MEMBER)))
    if kind in KUBEFLOW_REPLICAS and isinstance(
        get_path(obj.spec, ("runPolicy", "schedulingPolicy")), Mapping
    ):
        found.append(Signal("Kubeflow schedulingPolicy", ("spec", "runPolicy", "schedulingPolicy")))
    if kind in RAY_CLUSTER:
        found.extend(
            Signal("KubeRay batch scheduler", ("metadata", "labels", key))
            for key in (RAY_GANG, "volcano.sh/queue-name")
            if key in obj.labels
        )
    if kind == "LeaderWorkerSet" and "scheduling.volcano.sh/queue-name" in obj.annotations:
        found.append(Signal("Volcano", ("metadata", "annotations")))
    if kind == "VolcanoJob" and as_str(obj.spec.get("schedulerName", "volcano")) in GANG_SCHEDULERS:
        found.append(Signal("Volcano", ("kind",)))
    if kind == "TrainJob":
        runtime = training_runtime(obj, bundle)
        if runtime is not None and isinstance(runtime.spec.get("podGroupPolicy"), Mapping):
            found.append(Signal("TrainingRuntime podGroupPolicy", ("spec", "runtimeRef")))
    for template in gang_templates(obj, bundle):
        found.extend(_template_signals(obj, template))
    return found


def scheduler_without_group(obj: K8sObject, bundle: Bundle) -> list[PodTemplate]:
    """`_scheduler_without_group`, computed once per object; the list is shared."""
    return bundle.facts(obj).family(
        "gng.scheduler_without_group", lambda: _scheduler_without_group(obj, bundle)
    )


def _scheduler_without_group(obj: K8sObject, bundle: Bundle) -> list[PodTemplate]:
    """Templates naming a gang scheduler that will only ever see groups of one pod.

    Volcano, YuniKorn and coscheduling gang only pods that carry a group definition; the
    operators of Kubeflow, Ray, LeaderWorkerSet and Volcano Jobs create one themselves, and
    KAI's pod grouper does too, so those are never reported.
    """
    if kind_key(obj) in OPERATOR_GROUPED or gang_signals(obj, bundle):
        return []
    return [
        t
        for t in gang_templates(obj, bundle)
        if scheduler_name(t) in ("volcano", "yunikorn", "scheduler-plugins-scheduler")
    ]
