"""ACC007."""

from __future__ import annotations

from collections.abc import Iterator

from aiconf_lint.k8s.accelerator_use import describe
from aiconf_lint.k8s.workloads import ContainerView, PodTemplate
from aiconf_lint.model import Severity, Violation
from aiconf_lint.rule import Context, Rule
from aiconf_lint.rules.acc._dra_migration import dra_target


class MigProfileResource(Rule):
    """## What it does
    Reports containers that request a MIG slice by its device-plugin name,
    `nvidia.com/mig-<profile>` (the device plugin's `mixed` strategy), including the
    time-sliced `*.shared` variants. Like ACC001 it stays silent when a `DeviceClass` in the
    run maps the name through `spec.extendedResourceName` (KEP-5004): that class already
    carries the profile selector, and the scheduler serves the name from DRA.

    ## Why is this bad?
    MIG profile names are specific to a GPU model and memory size: `mig-1g.5gb` exists on an
    A100 40GB, `mig-1g.10gb` on an A100 80GB, and H100 profiles differ again. The manifest
    only schedules on clusters with that exact GPU, partitioned that exact way, running the
    `mixed` strategy. With DRA, the `mig.nvidia.com` device class and a CEL selector on the
    profile (or on memory) say the same thing in a form other platforms and drivers can
    serve, and can express "any slice with at least 10 GiB".

    ## Example
    ```yaml
    resources:
      limits:
        nvidia.com/mig-1g.5gb: 1
    ```

    Use instead:
    ```yaml
    apiVersion: resource.k8s.io/v1
    kind: ResourceClaimTemplate
    metadata: {name: small-slice}
    spec:
      spec:
        devices:
          requests:
            - name: gpu
              exactly:
                deviceClassName: mig.nvidia.com
                selectors:
                  - cel:
                      expression: device.attributes['gpu.nvidia.com'].profile == '1g.5gb'
    ```

    ## References
    - https://github.com/NVIDIA/k8s-device-plugin#configuration-option-details
    - https://docs.nvidia.com/datacenter/cloud-native/gpu-operator/latest/gpu-operator-mig.html
    """

    code = "ACC007"
    name = "mig-profile-resource"
    summary = "MIG slice requested by its GPU-model-specific device-plugin name"
    severity = Severity.INFO
    requirements = ("gpu_sharing", "dra_support")

    def check_container(
        self, ctx: Context, template: PodTemplate, container: ContainerView
    ) -> Iterator[Violation]:
        for answer in ctx.bundle.facts(template.obj).requests(container):
            if not answer.entry.mig or answer.served_by_dra:
                continue
            request = answer.request
            profile = request.name.rpartition("/")[2].removeprefix("mig-").removesuffix(".shared")
            target = dra_target(request.name.removesuffix(".shared"), ctx.accelerators)
            where = f"`{target.device_class}`" if target else "`mig.nvidia.com`"
            yield Violation(
                f"{container.label} of {describe(template)} requests the MIG profile "
                f"`{request.name}`, which "
                f"ties it to one GPU model and partition layout; a DRA claim on {where} with a "
                f"selector on profile `{profile}` is the portable form",
                request.path,
                key_only=True,
            )
