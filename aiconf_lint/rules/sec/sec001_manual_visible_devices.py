"""SEC001."""

from __future__ import annotations

from collections.abc import Iterator

from aiconf_lint.k8s.accelerator_use import describe
from aiconf_lint.k8s.device_infra import is_device_infrastructure
from aiconf_lint.k8s.objects import as_list, as_map, as_str
from aiconf_lint.k8s.workloads import ContainerView, PodTemplate
from aiconf_lint.model import Severity, Violation
from aiconf_lint.rule import Context, Rule

# Read by the container runtime hook: it mounts the named devices into the container.
RUNTIME_VARIABLES = frozenset({"NVIDIA_VISIBLE_DEVICES", "HABANA_VISIBLE_DEVICES"})
# Read by the user-space libraries: they pick among the devices the container already has.
LIBRARY_VARIABLES = frozenset(
    {
        "CUDA_VISIBLE_DEVICES",
        "HIP_VISIBLE_DEVICES",
        "ROCR_VISIBLE_DEVICES",
        "NEURON_RT_VISIBLE_CORES",
    }
)
# Values that hide devices instead of exposing them.
HIDING_VALUES = frozenset({"", "void", "none", "-1", "nodevfiles"})


def _expanded(value: str) -> bool:
    """`$(GPU_IDS)` or a template leftover: the value is not known from the manifest."""
    return "$(" in value or "${" in value or "{{" in value


class ManualVisibleDevices(Rule):
    """## What it does
    Reports containers that choose accelerator devices by hand through an environment
    variable instead of asking the resource framework: `NVIDIA_VISIBLE_DEVICES` and
    `HABANA_VISIBLE_DEVICES` (read by the container runtime), and `CUDA_VISIBLE_DEVICES`,
    `HIP_VISIBLE_DEVICES`, `ROCR_VISIBLE_DEVICES` and `NEURON_RT_VISIBLE_CORES` (read by the
    libraries) when the container requests no accelerator. A value of `all` in a container
    without an accelerator request is an error.

    Values that hide devices (`void`, `none`, empty, `-1`), values taken from `valueFrom` and
    values expanded from other variables (`$(GPU_IDS)`) are not reported, nor is a library
    variable that narrows the devices a container requested (`CUDA_VISIBLE_DEVICES: "0"`
    beside `nvidia.com/gpu: 1`). Device plugin, driver and exporter DaemonSets are exempt
    as for SEC002.

    ## Why is this bad?
    With the NVIDIA runtime's default `envvar` device-list strategy,
    `NVIDIA_VISIBLE_DEVICES=all` in an unprivileged container mounts every GPU of the node,
    including GPUs the scheduler gave to other pods: no isolation, no accounting, and a pod
    that breaks whenever the node's runtime is hardened. The AI Conformance
    `secure_accelerator_access` requirement is that accelerator access goes through the
    device plugin or DRA. A library variable in a container that requested nothing shows the
    same expectation: devices it never asked for.

    ## Example
    ```yaml
    containers:
      - name: worker
        image: nvcr.io/nvidia/pytorch:24.08-py3
        env:
          - name: NVIDIA_VISIBLE_DEVICES
            value: all
    ```

    Use instead:
    ```yaml
    containers:
      - name: worker
        image: nvcr.io/nvidia/pytorch:24.08-py3
        resources:
          limits:
            nvidia.com/gpu: 1
    ```

    ## References
    - https://docs.nvidia.com/datacenter/cloud-native/container-toolkit/latest/docker-specialized.html
    - https://github.com/NVIDIA/k8s-device-plugin#configuration-option-details
    """

    code = "SEC001"
    name = "manual-visible-devices"
    summary = "Accelerator devices chosen by hand through a visible-devices variable"
    severity = Severity.WARNING
    requirements = ("secure_accelerator_access",)

    def check_container(
        self, ctx: Context, template: PodTemplate, container: ContainerView
    ) -> Iterator[Violation]:
        env = as_list(container.data.get("env"))
        if not env or is_device_infrastructure(template, ctx.settings.section("security")):
            return
        requested = ctx.bundle.facts(template.obj).uses_accelerator(container)
        where = describe(template)
        for i, item in enumerate(env):
            entry = as_map(item)
            name = as_str(entry.get("name"))
            if name not in RUNTIME_VARIABLES and name not in LIBRARY_VARIABLES:
                continue
            if "valueFrom" in entry or "value" not in entry:
                continue
            value = "" if entry["value"] is None else str(entry["value"])
            if value.strip().lower() in HIDING_VALUES or _expanded(value):
                continue
            if name in LIBRARY_VARIABLES and requested:
                continue
            path = (*container.path, "env", i, "value")
            if value.strip().lower() == "all" and not requested:
                yield Violation(
                    f"{container.label} of {where} sets `{name}={value}` without "
                    "requesting an accelerator, so it can reach every device on the node",
                    path,
                    severity=Severity.ERROR,
                )
            elif requested:
                yield Violation(
                    f"{container.label} of {where} sets `{name}={value}` by hand; let "
                    "the device plugin or DRA driver choose the devices it was allocated",
                    path,
                )
            else:
                yield Violation(
                    f"{container.label} of {where} sets `{name}={value}` without "
                    "requesting an accelerator; request one through `resources` or a DRA claim",
                    path,
                )
