"""ACC004."""

from __future__ import annotations

from collections.abc import Iterator

from aiconf_lint.k8s.accelerator_use import describe
from aiconf_lint.k8s.objects import K8sObject, as_map, get_path
from aiconf_lint.k8s.providers import instance_type_provider
from aiconf_lint.model import Severity, Violation
from aiconf_lint.rule import Context, Rule

KAI_FRACTION_ANNOTATION = "gpu-fraction"


class ProviderSpecificAcceleratorResource(Rule):
    """## What it does
    Reports accelerator requests and fields that one cloud or one add-on serves, and no other
    platform: `google.com/tpu` (GKE), `aws.amazon.com/neuron`, `neuroncore` and `neurondevice`
    (AWS Neuron), `vpc.amazonaws.com/efa` (AWS Elastic Fabric Adapter), HAMi's
    `nvidia.com/gpucores` and `nvidia.com/gpumem` (the HAMi scheduler and device plugin),
    Alibaba Cloud ACK's GPU-sharing `aliyun.com/gpu-mem`, the
    KAI Scheduler `gpu-fraction` pod annotation, and a KAITO `Workspace` whose
    `resource.instanceType` is one cloud's VM size. A quantity of 0 is not a request.

    This rule, not ACC001, owns these requests: the message says what DRA offers for the
    device (TPU: a driver on GKE only, behind beta APIs that are off by default; Neuron: AWS's
    DRA driver on Kubernetes 1.34+, still AWS hardware only; HAMi: no DRA driver).

    ## Why is this bad?
    The workload can only run where that provider or add-on is installed. On any other
    certified platform the pod stays Pending (no node offers the resource), a fractional
    annotation is ignored and the pod gets no GPU at all, or the KAITO controller cannot
    provision the VM size. Portability across conformant platforms is the point of the
    profile; when the dependency is intended, say so with a suppression.

    ## Example
    ```yaml
    metadata:
      annotations:
        gpu-fraction: "0.5"
    spec:
      schedulerName: kai-scheduler
      containers:
        - name: notebook
          image: jupyter/base-notebook
    ```

    Use instead:
    ```yaml
    spec:
      containers:
        - name: notebook
          image: jupyter/base-notebook
          resources:
            limits:
              nvidia.com/gpu: 1
    ```

    ## References
    - https://cloud.google.com/kubernetes-engine/docs/concepts/tpus
    - https://github.com/Project-HAMi/HAMi
    - https://github.com/NVIDIA/KAI-Scheduler
    """

    code = "ACC004"
    name = "provider-specific-accelerator-resource"
    summary = "Accelerator resource or field served by one provider or add-on only"
    severity = Severity.WARNING
    requirements = ("dra_support", "virtualized_accelerator")

    def check_object(self, ctx: Context, obj: K8sObject) -> Iterator[Violation]:
        if obj.kind == "Workspace" and obj.group == "kaito.sh":
            yield from _kaito(obj)
        facts = ctx.bundle.facts(obj)
        for template in facts.templates:
            where = describe(template)
            for container in template.containers:
                for answer in facts.requests(container):
                    if not answer.platform_bound:
                        continue
                    request = answer.request
                    entry = answer.entry
                    remedy = entry.dra or "request a vendor-neutral resource"
                    yield Violation(
                        f"{container.label} of {where} requests `{request.name}` "
                        f"({entry.kind}, {answer.provider} only); {remedy}",
                        request.path,
                        key_only=True,
                    )
            annotations = as_map(template.metadata.get("annotations"))
            if KAI_FRACTION_ANNOTATION in annotations and template.metadata_path:
                yield Violation(
                    f"{where} asks for `{KAI_FRACTION_ANNOTATION}: "
                    f"{annotations[KAI_FRACTION_ANNOTATION]}`, which only the KAI Scheduler "
                    "honours; elsewhere the pod runs with no GPU",
                    (*template.metadata_path, "annotations", KAI_FRACTION_ANNOTATION),
                    key_only=True,
                )


def _kaito(obj: K8sObject) -> Iterator[Violation]:
    value = get_path(obj.data, ("resource", "instanceType"))
    if not isinstance(value, str) or not value:
        return
    cloud = instance_type_provider(value)
    if cloud is None:
        return
    yield Violation(
        f"{obj.display()} provisions instance type `{value}`, a VM size only {cloud} offers; "
        "elsewhere select existing GPU nodes with `resource.labelSelector` instead",
        ("resource", "instanceType"),
    )
