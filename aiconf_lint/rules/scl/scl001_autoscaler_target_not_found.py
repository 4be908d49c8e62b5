"""SCL001."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from aiconf_lint.k8s.autoscaling import (
    BUILTIN_GROUPS,
    DEFAULT_GROUP,
    SCALABLE,
    Autoscaler,
    autoscalers,
    cannot_scale,
    resolve_target,
)
from aiconf_lint.k8s.bundle import Bundle, release_of
from aiconf_lint.k8s.objects import K8sObject
from aiconf_lint.k8s.workloads import specs_for
from aiconf_lint.model import Severity, Violation, YamlPath
from aiconf_lint.rule import Context, Rule

_SCALABLE_KINDS = frozenset(kind for _group, kind in SCALABLE)
_APP_LABELS = ("app.kubernetes.io/instance", "app.kubernetes.io/name", "app", "k8s-app")
# Custom-resource groups that never create workloads: their names say nothing about a target.
_PASSIVE_GROUPS = frozenset(
    {
        "monitoring.coreos.com",
        "monitoring.googleapis.com",
        "keda.sh",
        "karpenter.sh",
        "kueue.x-k8s.io",
        "cert-manager.io",
    }
)


def _listing(objects: list[K8sObject]) -> str:
    """Each kind and name once, three at most: copies of a chart in one stream repeat them."""
    names = list(dict.fromkeys(f"{o.kind} `{o.name}`" for o in objects))
    more = f" and {len(names) - 3} more" if len(names) > 3 else ""
    return ", ".join(names[:3]) + more


class _Evidence:
    """Indexes built once per run so each autoscaler is explained in constant time.

    "Does the bundle carry this app?" is answered from the bundle's own source index (same
    file, Helm chart release, or directory), filtered to scalable workloads.
    """

    def __init__(self, bundle: Bundle) -> None:
        self.bundle = bundle
        self.by_name: dict[tuple[str, str], list[K8sObject]] = defaultdict(list)
        self.by_kind_name: dict[tuple[str, str], list[K8sObject]] = defaultdict(list)
        self.scalable: dict[int, dict[str, list[K8sObject]]] = {}
        self.generators: set[tuple[str, str]] = set()
        for obj in bundle.objects:
            namespace = bundle.namespace_of(obj)
            if obj.group not in BUILTIN_GROUPS and obj.group not in _PASSIVE_GROUPS:
                self.generators.add((namespace, obj.name))
            workload = obj.kind in _SCALABLE_KINDS or bool(specs_for(obj))
            if not workload:
                continue
            self.by_name[(namespace, obj.name)].append(obj)
            self.by_kind_name[(obj.kind, obj.name)].append(obj)

    def _scalable(self, group: list[K8sObject]) -> dict[str, list[K8sObject]]:
        """The scalable workloads of one of the bundle's source groups, by namespace.

        Grouped once per source group: a file of hundreds of autoscalers with missing targets
        would otherwise filter the whole file once per autoscaler.
        """
        by_namespace = self.scalable.get(id(group))
        if by_namespace is None:
            by_namespace = self.scalable[id(group)] = defaultdict(list)
            for o in group:
                if (o.group, o.kind) in SCALABLE:
                    by_namespace[self.bundle.namespace_of(o)].append(o)
        return by_namespace

    def generated(self, scaler: Autoscaler) -> bool:
        """True when a custom resource (KServe, an operator CR) may create the target."""
        parts = scaler.name.split("-")
        return any(
            (scaler.namespace, "-".join(parts[:i])) in self.generators
            for i in range(1, len(parts) + 1)
        )

    def explain(self, scaler: Autoscaler) -> tuple[str, YamlPath] | None:
        ref = scaler.ref_path
        # Near misses count only beside the autoscaler: in a folder of unrelated samples a
        # `web` in another namespace or of another kind is someone else's object.
        same_name = [
            o
            for o in self.by_name.get((scaler.namespace, scaler.name), [])
            if self.bundle.are_related(scaler.obj, o)
        ]
        same_kind = [o for o in same_name if o.kind == scaler.kind]
        if same_kind:
            found = same_kind[0]
            return f"found `{found.api_version}` {found.kind} `{found.name}` instead", _at(
                scaler, "apiVersion"
            )
        if self.generated(scaler):
            return None
        # Only kinds Kubernetes or a known scalable CRD defines: an operator's custom resource
        # of the same name (a KAITO Workspace, a NIMService) creates the target itself.
        same_name = [o for o in same_name if o.group in BUILTIN_GROUPS or o.kind in _SCALABLE_KINDS]
        if same_name:
            return f"found {_listing(same_name)} instead", _at(scaler, "kind")
        elsewhere = [
            o
            for o in self.by_kind_name.get((scaler.kind, scaler.name), [])
            if self.bundle.namespace_of(o) != scaler.namespace
            and self.bundle.are_related(scaler.obj, o)
        ]
        if elsewhere:
            namespace = self.bundle.namespace_of(elsewhere[0])
            return (
                f"found {scaler.kind} `{scaler.name}` in namespace `{namespace}` instead",
                (*ref, "name"),
            )
        obj = scaler.obj
        # The first source group that holds any scalable workload decides; only its workloads
        # in the autoscaler's namespace are named.
        by_namespace = self._scalable(self.bundle.same_file(obj))
        nearby, decided = by_namespace.get(scaler.namespace, []), bool(by_namespace)
        where = "the same file defines"
        release = release_of(obj)
        if not decided and release:
            by_namespace = self._scalable(self.bundle.same_release(obj))
            nearby, decided = by_namespace.get(scaler.namespace, []), bool(by_namespace)
            where = f"chart `{release}` renders"
        if not decided:
            folder = self._scalable(self.bundle.same_folder(obj)).get(scaler.namespace, [])
            nearby = [o for o in folder if _same_app(obj, o)]
            where = "the same directory holds"
        if nearby:
            return f"{where} {_listing(nearby)}", (*ref, "name")
        return None


def _at(scaler: Autoscaler, key: str) -> YamlPath:
    """The reference's `key`, or its `name` when the key is left to its default."""
    ref = scaler.obj.spec.get("scaleTargetRef")
    present = isinstance(ref, dict) and key in ref
    return (*scaler.ref_path, key if present else "name")


def _same_app(a: K8sObject, b: K8sObject) -> bool:
    return any(a.labels.get(key) and a.labels.get(key) == b.labels.get(key) for key in _APP_LABELS)


class AutoscalerTargetNotFound(Rule):
    """## What it does
    Checks that the `scaleTargetRef` of every HorizontalPodAutoscaler and KEDA ScaledObject
    names an object that can scale and that the bundle holds when it carries the app: the
    same file, Helm chart, or an object of the same app in the same directory. It reports a
    target of a kind without a scale subresource (DaemonSet, Job, Service, ConfigMap, and
    `extensions/*`, which no longer serves workloads), and a target that is missing while the
    bundle holds a near miss (the same name as another kind, API group or namespace) or the
    app's other workloads. A target that an operator's custom resource may create (KServe's
    `<name>-predictor`) is never reported missing.

    ## Why is this bad?
    The HPA controller resolves the target by API group, kind, name and the autoscaler's own
    namespace. When that fails the autoscaler reports `FailedGetScale` and never scales: an
    inference service under load stays at its minimum.

    ## Example
    ```yaml
    apiVersion: autoscaling/v2
    kind: HorizontalPodAutoscaler
    metadata: {name: vllm}
    spec:
      scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: vllm}
      maxReplicas: 4
    ---
    apiVersion: apps/v1
    kind: StatefulSet
    metadata: {name: vllm}
    ```

    Use instead:
    ```yaml
    spec:
      scaleTargetRef: {apiVersion: apps/v1, kind: StatefulSet, name: vllm}
    ```

    ## References
    - https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/
    - https://keda.sh/docs/latest/reference/scaledobject-spec/
    """

    code = "SCL001"
    name = "autoscaler-target-not-found"
    summary = "Autoscaler target missing from the bundle or unable to scale"
    severity = Severity.ERROR
    requirements = ("pod_autoscaling",)

    def check_bundle(self, ctx: Context) -> Iterator[tuple[K8sObject, Violation]]:
        evidence: _Evidence | None = None
        for scaler in autoscalers(ctx.bundle):
            if cannot_scale(scaler):
                yield scaler.obj, self._unscalable(scaler)
                continue
            if resolve_target(ctx.bundle, scaler):
                continue
            evidence = evidence or _Evidence(ctx.bundle)
            explained = evidence.explain(scaler)
            if explained is None:
                continue
            hint, path = explained
            yield (
                scaler.obj,
                Violation(
                    f"{scaler.display()} targets {scaler.target_display()}, which is not in the "
                    f"bundle; {hint}",
                    path,
                ),
            )

    @staticmethod
    def _unscalable(scaler: Autoscaler) -> Violation:
        if scaler.group == "extensions":
            return Violation(
                f"{scaler.display()} targets `extensions` {scaler.target_display()}; that API "
                "group no longer serves workloads (use `apps/v1`)",
                (*scaler.ref_path, "apiVersion"),
            )
        group = scaler.group or "core"
        home = DEFAULT_GROUP.get(scaler.kind)
        if home is not None and home != scaler.group:
            return Violation(
                f"{scaler.display()} targets {scaler.target_display()} in the `{group}` API "
                f"group, which serves no {scaler.kind} (use `{home + '/v1' if home else 'v1'}`)",
                (*scaler.ref_path, "apiVersion"),
            )
        keda_job = scaler.kind == "Job" and not scaler.is_hpa
        hint = " (KEDA scales Jobs with a ScaledJob)" if keda_job else ""
        return Violation(
            f"{scaler.display()} targets {scaler.target_display()}, but a {scaler.kind} has "
            f"no scale subresource{hint}",
            _at(scaler, "kind"),
        )
