"""ACC006."""

from __future__ import annotations

from collections.abc import Iterator

from aiconf_lint.k8s.accelerator_use import describe
from aiconf_lint.k8s.workloads import ContainerView, PodTemplate
from aiconf_lint.model import Severity, Violation
from aiconf_lint.rule import Context, Rule


class SharedGpuRequestOverOne(Rule):
    """## What it does
    Reports containers that ask for more than one time-sliced or MPS replica of a GPU:
    `nvidia.com/gpu.shared` (or a MIG profile's `*.shared` name) above 1.

    ## Why is this bad?
    A shared replica is a slot on a GPU that other pods also use, not a share of its compute.
    Asking for two replicas gives no more compute or memory than one: the replicas may even
    land on the same physical GPU, and the workload runs as slowly as with one while holding
    two slots. Clusters configured with `failRequestsGreaterThanOne: true` (the device
    plugin's recommended setting) reject the pod outright.

    ## Example
    ```yaml
    resources:
      limits:
        nvidia.com/gpu.shared: 2
    ```

    Use instead:
    ```yaml
    resources:
      limits:
        nvidia.com/gpu.shared: 1   # or nvidia.com/gpu: 2 for two dedicated GPUs
    ```

    ## References
    - https://github.com/NVIDIA/k8s-device-plugin#shared-access-to-gpus
    """

    code = "ACC006"
    name = "shared-gpu-request-over-one"
    summary = "More than one shared GPU replica requested"
    severity = Severity.WARNING
    requirements = ("gpu_sharing",)

    def check_container(
        self, ctx: Context, template: PodTemplate, container: ContainerView
    ) -> Iterator[Violation]:
        for answer in ctx.bundle.facts(template.obj).requests(container):
            request = answer.request
            if not answer.entry.shared or request.quantity is None or request.quantity <= 1:
                continue
            yield Violation(
                f"{container.label} of {describe(template)} requests "
                f"`{request.name}: {request.value}`; "
                "shared GPU replicas give no proportional compute, so more than 1 only holds "
                "extra slots",
                request.path,
            )
