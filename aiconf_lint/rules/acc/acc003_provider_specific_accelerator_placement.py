"""ACC003."""

from __future__ import annotations

from collections.abc import Iterator

from aiconf_lint.k8s.accelerator_use import (
    POSITIVE_OPERATORS,
    NodeTerm,
    describe,
    node_terms,
)
from aiconf_lint.k8s.device_infra import is_device_infrastructure
from aiconf_lint.k8s.objects import as_map
from aiconf_lint.k8s.providers import (
    INSTANCE_ALTERNATIVE,
    INSTANCE_TYPE_KEYS,
    LabelClass,
    instance_type_provider,
    provider_key,
)
from aiconf_lint.k8s.workloads import PodTemplate
from aiconf_lint.model import Severity, Violation, YamlPath
from aiconf_lint.records import record
from aiconf_lint.rule import Context, Rule

# Annotations whose *value* is a node label key that pods are grouped by.
TOPOLOGY_ANNOTATIONS = frozenset(
    {
        "leaderworkerset.sigs.k8s.io/exclusive-topology",
        "leaderworkerset.sigs.k8s.io/subgroup-exclusive-topology",
        "alpha.jobset.sigs.k8s.io/exclusive-topology",
        "kueue.x-k8s.io/podset-required-topology",
        "kueue.x-k8s.io/podset-preferred-topology",
    }
)


@record(frozen=True)
class _Pinned:
    """Why one node label key ties a pod to a provider, and what to use instead."""

    provider: str
    label_class: str
    alternative: str


def _pinned(term: NodeTerm) -> _Pinned | None:
    if term.key in INSTANCE_TYPE_KEYS:
        clouds = sorted({str(c) for c in map(instance_type_provider, term.values) if c})
        owner = ", ".join(clouds) if clouds else "one cloud's machine catalogue"
        return _Pinned(owner, LabelClass.INSTANCE, INSTANCE_ALTERNATIVE)
    entry = provider_key(term.key)
    if entry is None:
        return None
    return _Pinned(entry.provider, entry.label_class, entry.alternative)


def _block_of(term: NodeTerm) -> YamlPath:
    """The nodeSelector map, or the one affinity term, that a key belongs to."""
    return term.path[:-1] if term.key_only else term.path[:-3]


def _block_violation(where: str, block: list[tuple[NodeTerm, _Pinned]]) -> Violation:
    """One finding per selector block, listing its keys grouped by label class."""
    first = block[0][0]
    if len(block) == 1:
        pinned = block[0][1]
        text = (
            f"`{first.key}` ({_only(pinned.provider)}, {pinned.label_class}); "
            f"use {pinned.alternative} instead"
        )
    else:
        groups: dict[tuple[str, str], list[str]] = {}
        for term, pinned in block:
            groups.setdefault((pinned.label_class, pinned.alternative), []).append(term.key)
        providers = sorted({pinned.provider for _, pinned in block})
        parts = [
            f"{label_class} {', '.join(f'`{k}`' for k in keys)}: use {alternative}"
            for (label_class, alternative), keys in groups.items()
        ]
        text = f"labels only {' or '.join(providers)} set{'s' if len(providers) == 1 else ''}: "
        text += "; ".join(parts)
    return Violation(
        f"{where} selects nodes in its {first.source} by {text}",
        first.path,
        key_only=first.key_only,
    )


def _only(provider: str) -> str:
    return provider if provider.startswith("one cloud") else f"{provider} only"


class ProviderSpecificAcceleratorPlacement(Rule):
    """## What it does
    Reports accelerator pod templates pinned to one cloud or node provisioner by a node label
    or annotation that exists there only: GKE (`cloud.google.com/gke-accelerator`,
    `cloud.google.com/gke-tpu-*`, `cloud.google.com/gke-nodepool`, `compute-class`, ...), EKS
    (`eks.amazonaws.com/*`, `k8s.amazonaws.com/accelerator`), Karpenter on AWS
    (`karpenter.k8s.aws/*`), AKS (`kubernetes.azure.com/*`, `karpenter.azure.com/*`), other
    clouds' GPU labels, the instance-type labels (`node.kubernetes.io/instance-type`,
    `beta.kubernetes.io/instance-type`), and KServe's `serving.kserve.io/gke-accelerator`
    annotation. It reads `nodeSelector` and both required and preferred node affinity, and
    reports each selector block once (the `nodeSelector` map, or one affinity term), at its
    first provider key, listing every provider key of the block by class, each with its own
    remedy: accelerator/topology keys (GPU Feature Discovery labels, a DRA selector, or a
    Kueue ResourceFlavor for TPU slices), capacity keys such as spot (a ResourceFlavor per
    capacity type), node-pool keys (a ResourceFlavor's `nodeLabels`), identity/feature keys
    such as GKE Workload Identity (a per-platform overlay) and instance types.
    It also reads the value of the LeaderWorkerSet, JobSet and Kueue
    topology annotations (`leaderworkerset.sigs.k8s.io/exclusive-topology:
    eks.amazonaws.com/nodegroup` groups pods by a label only EKS nodes carry).

    Only accelerator pod templates are checked: those that request accelerators (an extended
    resource or a DRA claim) or select accelerator nodes by label. A CPU pod with a cloud
    selector, and a pod that only tolerates a GPU taint, are left alone. `NotIn` and
    `DoesNotExist` terms pin nothing and are not reported. Node-level accelerator
    infrastructure (device plugin, driver, DCGM exporter, NCCL installer DaemonSets, as
    listed for SEC002) belongs to one platform by design and is skipped.

    ## Why is this bad?
    The same manifest cannot run on another certified platform: on a cluster without the
    label, the pod stays Pending and the cluster autoscaler finds no node group to grow.
    Accelerator placement that travels uses vendor labels every cluster publishes (GPU Feature
    Discovery `nvidia.com/gpu.family`, `nvidia.com/gpu.memory`, NFD PCI labels), DRA CEL
    selectors on device attributes, or leaves the cloud labels to the platform layer (Kueue
    ResourceFlavors inject node labels at admission).

    ## Example
    ```yaml
    spec:
      template:
        spec:
          nodeSelector:
            cloud.google.com/gke-accelerator: nvidia-l4
          containers:
            - name: server
              resources:
                limits:
                  nvidia.com/gpu: 1
    ```

    Use instead:
    ```yaml
    spec:
      template:
        spec:
          affinity:
            nodeAffinity:
              requiredDuringSchedulingIgnoredDuringExecution:
                nodeSelectorTerms:
                  - matchExpressions:
                      - key: nvidia.com/gpu.family
                        operator: In
                        values: [ada-lovelace, hopper]
          containers:
            - name: server
              resources:
                limits:
                  nvidia.com/gpu: 1
    ```

    ## References
    - https://kubernetes.io/docs/reference/labels-annotations-taints/#nodekubernetesioinstance-type
    - https://github.com/NVIDIA/k8s-device-plugin/blob/main/docs/gpu-feature-discovery/README.md
    - https://kueue.sigs.k8s.io/docs/concepts/resource_flavor/
    """

    code = "ACC003"
    name = "provider-specific-accelerator-placement"
    summary = "Accelerator pod template pinned to one provider by a node label or annotation"
    severity = Severity.WARNING
    requirements = ("dra_support", "cluster_autoscaling")

    def check_pod_template(self, ctx: Context, template: PodTemplate) -> Iterator[Violation]:
        if not ctx.bundle.facts(template.obj).is_accelerator(template):
            return
        if is_device_infrastructure(template, ctx.settings.section("security")):
            return
        where = describe(template)
        blocks: dict[YamlPath, list[tuple[NodeTerm, _Pinned]]] = {}
        for term in node_terms(template):
            if term.operator not in POSITIVE_OPERATORS:
                continue
            pinned = _pinned(term)
            if pinned is not None:
                blocks.setdefault(_block_of(term), []).append((term, pinned))
        for block in blocks.values():
            yield _block_violation(where, block)
        yield from self._annotations(ctx, template, where)

    @staticmethod
    def _annotations(ctx: Context, template: PodTemplate, where: str) -> Iterator[Violation]:
        places: list[tuple[YamlPath, dict[str, str], str]] = []
        # Object annotations once per object (with its first accelerator template), pod
        # annotations with each template.
        first = ctx.bundle.facts(template.obj).accelerator_templates()[0]
        if first is template:
            obj = template.obj
            places.append((("metadata", "annotations"), obj.annotations, obj.display()))
        if template.metadata_path and template.metadata_path != ("metadata",):
            raw = as_map(template.metadata.get("annotations"))
            own = {str(k): str(v) for k, v in raw.items()}
            places.append(((*template.metadata_path, "annotations"), own, where))
        for base, keys, owner in places:
            for key, value in keys.items():
                if key in TOPOLOGY_ANNOTATIONS:
                    topology = provider_key(value)
                    if topology is not None:
                        yield Violation(
                            f"{owner} groups its pods by `{key}: {value}`, a node label only "
                            f"{topology.provider} sets; use a topology label every target "
                            "cluster defines, such as one listed in a Kueue Topology",
                            (*base, key),
                        )
                    continue
                entry = provider_key(key, annotation=True)
                if entry is None:
                    continue
                yield Violation(
                    f"{owner} is placed by the annotation `{key}` ({entry.provider} only); "
                    f"use {entry.alternative} instead",
                    (*base, key),
                    key_only=True,
                )
