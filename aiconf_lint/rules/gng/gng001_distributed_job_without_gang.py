"""GNG001."""

from __future__ import annotations

from collections.abc import Iterator

from aiconf_lint.k8s.gang import (
    GANG_KINDS,
    KUEUE_KINDS,
    KUEUE_QUEUE,
    gang_signals,
    gang_templates,
    kind_key,
    members,
    scheduler_without_group,
    talks_to_peers,
    training_runtime,
)
from aiconf_lint.k8s.objects import K8sObject, as_map
from aiconf_lint.model import Applicability, Edit, Fix, FixAvailability, Severity, Violation
from aiconf_lint.rule import Context, Rule


class DistributedJobWithoutGang(Rule):
    """## What it does
    Checks multi-pod, all-or-nothing workloads for a gang scheduling mechanism: an Indexed Job
    whose indices all run at once and reach each other (a `subdomain`, a coordinator address
    such as `MASTER_ADDR`, a launcher such as `torchrun` or `mpirun`), a JobSet, a Kubeflow
    `PyTorchJob`/`TFJob`/`PaddleJob`/`XGBoostJob`/`JAXJob` or `MPIJob`, a `TrainJob` with more
    than one node, a Ray cluster with several workers or multi-host groups, a
    `LeaderWorkerSet` group of more than one pod, a KServe `LLMInferenceService` with a
    multi-node `worker` template (each replica is a LeaderWorkerSet group of
    `parallelism.data / dataLocal`, or `parallelism.pipeline`, pods), and a Volcano Job.
    The message calls the pods "accelerator pods" only when every template requests
    accelerators; otherwise it names the templates that do (a Ray head or an MPI launcher
    usually runs on CPU). It accepts any of: the
    `kueue.x-k8s.io/queue-name` label on the object (or a `default` LocalQueue in its
    namespace), a Volcano PodGroup or `minAvailable`, the
    coscheduling `scheduling.x-k8s.io/pod-group` label, YuniKorn task groups, a KAI
    `kai.scheduler/queue` label, a native `workloadRef`/`schedulingGroup`, a Kubeflow
    `runPolicy.schedulingPolicy`, a TrainingRuntime `podGroupPolicy`, or KubeRay's
    `ray.io/gang-scheduling-enabled` label. Elastic Kubeflow jobs are counted at their
    minimum size, and counts that cannot be known (`${WORKERS}`) are never reported.

    The finding is a warning for accelerator workloads and information for CPU-only ones.

    ## Why is this bad?
    The default scheduler places pods one at a time. When the cluster has room for 7 of 8
    workers, 7 start, hold their GPUs, and wait for the 8th forever; two such jobs can
    deadlock each other with the cluster half idle. The AI Conformance `gang_scheduling`
    requirement exists so that these workloads start all-or-nothing, but each one has to opt
    in to the platform's gang mechanism.

    ## Example
    ```yaml
    apiVersion: kubeflow.org/v1
    kind: PyTorchJob
    metadata:
      name: train
    spec:
      pytorchReplicaSpecs:
        Worker:
          replicas: 8
          template: {spec: {containers: [{name: pytorch, image: trainer:1,
            resources: {limits: {nvidia.com/gpu: 8}}}]}}
    ```

    Use instead:
    ```yaml
    apiVersion: kubeflow.org/v1
    kind: PyTorchJob
    metadata:
      name: train
      labels:
        kueue.x-k8s.io/queue-name: team-a
    spec:
      pytorchReplicaSpecs:
        Worker:
          replicas: 8
          template: {spec: {containers: [{name: pytorch, image: trainer:1,
            resources: {limits: {nvidia.com/gpu: 8}}}]}}
    ```

    The other options are a Volcano `schedulerName` with a PodGroup (or
    `runPolicy.schedulingPolicy` for Kubeflow jobs), a coscheduling PodGroup, YuniKorn task
    groups, a KAI queue, or the native Workload API.

    ## Fix safety
    When `[tool.aiconf-lint.gang] kueue-queue = "<queue>"` is configured, the fix adds the
    `kueue.x-k8s.io/queue-name` label for that LocalQueue to Kueue-managed kinds. It is unsafe:
    the job then waits for quota in that queue, which must exist in the namespace.

    ## References
    - https://kueue.sigs.k8s.io/docs/concepts/all_or_nothing/
    - https://volcano.sh/en/docs/podgroup/
    - https://kubernetes.io/docs/concepts/scheduling-eviction/gang-scheduling/
    """

    code = "GNG001"
    name = "distributed-job-without-gang"
    summary = "Multi-pod all-or-nothing workload with no gang scheduling"
    severity = Severity.WARNING
    kinds = GANG_KINDS
    requirements = ("gang_scheduling",)
    fix_availability = FixAvailability.SOMETIMES

    def check_object(self, ctx: Context, obj: K8sObject) -> Iterator[Violation]:
        found = members(obj, ctx.bundle)
        if found is None or found.count is None or found.count < 2:
            return
        if gang_signals(obj, ctx.bundle) or scheduler_without_group(obj, ctx.bundle):
            return  # covered, or GNG004 names the missing group
        templates = gang_templates(obj, ctx.bundle)
        if kind_key(obj) == "Job" and not talks_to_peers(templates):
            return  # independent shards of an Indexed Job need no gang
        facts = ctx.bundle.facts
        with_devices = [t for t in templates if facts(t.obj).is_accelerator(t)]
        accelerated = bool(with_devices)
        unit = f" per {found.per}" if found.per else ""
        what = "pods"
        if accelerated and len(with_devices) == len(templates):
            what = "accelerator pods"
        elif accelerated:  # a CPU head or launcher is not an accelerator pod
            names = ", ".join(t.title for t in with_devices)
            what = f"pods ({names} with accelerators)"
        hint = ""
        if any(KUEUE_QUEUE in t.labels for t in templates):
            hint = f" (`{KUEUE_QUEUE}` on a pod template is not read; Kueue reads the object's)"
        elif obj.kind == "TrainJob" and training_runtime(obj, ctx.bundle) is None:
            name = as_map(obj.spec.get("runtimeRef")).get("name")
            runtime = f"runtime `{name}`" if isinstance(name, str) and name else "its runtime"
            hint = f" ({runtime} is not in the bundle to show a `podGroupPolicy`)"
        yield Violation(
            f"{obj.display()} runs {found.count} {what}{unit} that must start together but "
            f"has no gang scheduling{hint}",
            found.path,
            key_only=True,
            severity=None if accelerated else Severity.INFO,
            fix=self._fix(ctx, obj),
        )

    @staticmethod
    def _fix(ctx: Context, obj: K8sObject) -> Fix | None:
        queue = ctx.settings.section("gang").get("kueue-queue")
        if not isinstance(queue, str) or not queue or kind_key(obj) not in KUEUE_KINDS:
            return None
        edit = Edit("merge", ("metadata", "labels"), key=KUEUE_QUEUE, value=queue)
        return Fix(f"Add label `{KUEUE_QUEUE}: {queue}`", (edit,), Applicability.UNSAFE)
