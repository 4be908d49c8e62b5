"""ACC001."""

from __future__ import annotations

from collections.abc import Iterator

from aiconf_lint.k8s.accelerator_requests import RequestAnswer
from aiconf_lint.k8s.accelerator_use import describe
from aiconf_lint.k8s.workloads import ContainerView, PodTemplate
from aiconf_lint.model import FixAvailability, Severity, Violation
from aiconf_lint.profiles import Level, Profile, dra_api_version
from aiconf_lint.rule import Context, Rule
from aiconf_lint.rules.acc._dra_migration import migration_fix


class DevicePluginAcceleratorRequest(Rule):
    """## What it does
    Reports containers that ask for an accelerator through a device-plugin extended resource
    (`nvidia.com/gpu`, `amd.com/gpu`, `gpu.intel.com/*`, `habana.ai/gaudi`, MIG profiles,
    time-sliced `*.shared` names, ...) where a DRA driver serving the GA `resource.k8s.io/v1`
    API exists to move to, instead of a Dynamic Resource Allocation (DRA) claim. Every pod
    template of every workload kind is checked, init containers included.

    It stays silent when a `DeviceClass` in the same run maps the name through
    `spec.extendedResourceName` (KEP-5004: the scheduler then serves the request from DRA),
    for the implicit `deviceclass.resource.kubernetes.io/<class>` names, and for a quantity
    of 0, which requests nothing. Requests whose devices exist on one provider or add-on only
    (`google.com/tpu`, `aws.amazon.com/neuron*`, HAMi's GPU fractions) are ACC004's: that
    rule names the platform and what DRA offers there, so no request gets both remedies.

    The level follows the profile: a warning where `dra_support` is a MUST (1.34, 1.35), info
    on 1.33 (SHOULD) and 1.36 (where the extended-resource bridge is on by default).

    ## Why is this bad?
    A device-plugin request can only say "N devices of this name": it cannot select by
    memory, model or driver version, share a device on purpose, or keep devices on one PCIe
    root. The AI Conformance `dra_support` requirement makes DRA the platform interface for
    accelerators; a workload written against one vendor's device plugin will not schedule on
    nodes whose accelerators are published by a DRA driver alone (a node cannot serve the same
    name from both).

    ## Example
    ```yaml
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: vllm, namespace: serving}
    spec:
      template:
        spec:
          containers:
            - name: server
              image: vllm/vllm-openai:v0.6.3
              resources:
                limits:
                  nvidia.com/gpu: 1
    ```

    Use instead:
    ```yaml
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: vllm, namespace: serving}
    spec:
      template:
        spec:
          resourceClaims:
            - name: server-gpu
              resourceClaimTemplateName: vllm-server-gpu
          containers:
            - name: server
              image: vllm/vllm-openai:v0.6.3
              resources:
                claims:
                  - name: server-gpu
    ---
    apiVersion: resource.k8s.io/v1
    kind: ResourceClaimTemplate
    metadata: {name: vllm-server-gpu, namespace: serving}
    spec:
      spec:
        devices:
          requests:
            - name: gpu
              exactly: {deviceClassName: gpu.nvidia.com, count: 1}
    ```

    ## Fix safety
    The fix is unsafe: it changes how the pod schedules. It removes the extended resource,
    adds a `resource.k8s.io/v1` ResourceClaimTemplate (`v1beta2` under `--profile 1.33`,
    whose Kubernetes serves no `v1`; one per container, so no device is shared by accident),
    and references it from the pod and the container. MIG profiles map
    to `mig.nvidia.com` with a CEL selector on the profile. The pod then needs a DRA driver on
    its nodes; the NVIDIA GPU DRA plugin cannot run beside the device plugin on one node, and
    quotas or Kueue flavors that count `nvidia.com/gpu` must be updated too. There is no fix
    for names without a one-to-one DRA device class (time-sliced `*.shared`, Gaudi), for
    counts a template has yet to fill, or when the pod already uses other claims.

    ## References
    - https://kubernetes.io/docs/concepts/scheduling-eviction/dynamic-resource-allocation/
    - https://github.com/kubernetes/enhancements/tree/master/keps/sig-scheduling/5004-dra-extended-resource
    """

    code = "ACC001"
    name = "device-plugin-accelerator-request"
    summary = "Accelerator requested through a device-plugin extended resource instead of DRA"
    severity = Severity.WARNING
    requirements = ("dra_support",)
    fix_availability = FixAvailability.SOMETIMES

    def severity_for(self, profile: Profile) -> Severity:
        if profile.level("dra_support") == Level.MUST:
            return Severity.WARNING
        return Severity.INFO

    def check_container(
        self, ctx: Context, template: PodTemplate, container: ContainerView
    ) -> Iterator[Violation]:
        for answer in ctx.bundle.facts(template.obj).requests(container):
            if not answer.migrate_to_dra:
                continue  # served by DRA already (KEP-5004), or another rule's request (ACC004)
            request = answer.request
            yield Violation(
                f"{container.label} of {describe(template)} requests "
                f"`{request.name}: {request.value}` "
                f"through the {request.entry.served_by} instead of a DRA claim"
                f"{_dra_form(answer)}",
                request.path,
                key_only=True,
                fix=migration_fix(
                    template,
                    container,
                    request.name,
                    ctx.accelerators,
                    dra_api_version(ctx.profile),
                ),
            )


def _dra_form(answer: RequestAnswer) -> str:
    """The portable form where "a DRA claim" alone would not say how (sharing, partitions)."""
    return f" ({answer.entry.dra})" if answer.entry.dra else ""
