"""SEC002."""

from __future__ import annotations

import re
from collections.abc import Iterator

from aiconf_lint.k8s.accelerator_use import describe
from aiconf_lint.k8s.device_infra import is_device_infrastructure
from aiconf_lint.k8s.objects import as_list, as_map, get_path
from aiconf_lint.k8s.workloads import PodTemplate
from aiconf_lint.model import Severity, Violation
from aiconf_lint.rule import Context, Rule

# Host paths that hand a container accelerator device nodes (or all of them) directly.
DEVICE_PATH_RE = re.compile(
    r"^/dev(?:/(?:nvidia[^/]*|dri|kfd|accel[^/]*|neuron[^/]*|vfio)(?:/.*)?)?/?$"
)


class RawDeviceAccess(Rule):
    """## What it does
    Reports workloads that reach accelerator devices around the resource framework: a
    container with `securityContext.privileged: true`, or a `hostPath` volume of `/dev`,
    `/dev/nvidia*`, `/dev/dri`, `/dev/kfd`, `/dev/accel*`, `/dev/neuron*` or `/dev/vfio`, or of
    the host root `/` (which holds `/dev` and the driver libraries).

    Node-level accelerator infrastructure is exempt by default: DaemonSets of device plugins,
    drivers, the container toolkit, DCGM and other exporters, the GPU operator, DRA kubelet
    plugins and NCCL/RDMA installers, recognised by name and image patterns. Set
    `[tool.aiconf-lint.security] exempt-images = [...]` and `exempt-names = [...]` (globs) to
    replace the defaults; configured lists apply to workloads of every kind.

    ## Why is this bad?
    A privileged container sees every device node of the host, and a `/dev` host path mounts
    them directly: the pod can use GPUs the scheduler gave to other pods, and nothing counts
    what it uses. The AI Conformance `secure_accelerator_access` requirement is that
    accelerator access is isolated and mediated by a device plugin or DRA; the Pod Security
    Standards' Baseline profile forbids both fields for the same reason.

    ## Example
    ```yaml
    containers:
      - name: trainer
        securityContext:
          privileged: true
    volumes:
      - name: dev
        hostPath:
          path: /dev/nvidia0
    ```

    Use instead:
    ```yaml
    containers:
      - name: trainer
        resources:
          limits:
            nvidia.com/gpu: 1
    ```

    ## References
    - https://kubernetes.io/docs/concepts/security/pod-security-standards/
    - https://kubernetes.io/docs/concepts/scheduling-eviction/dynamic-resource-allocation/
    """

    code = "SEC002"
    name = "raw-device-access"
    summary = "Privileged container or device host path bypassing the resource framework"
    severity = Severity.WARNING
    requirements = ("secure_accelerator_access",)

    def check_pod_template(self, ctx: Context, template: PodTemplate) -> Iterator[Violation]:
        if is_device_infrastructure(template, ctx.settings.section("security")):
            return
        where = describe(template)
        for container in template.containers:
            privileged = get_path(container.data, ("securityContext", "privileged"))
            if privileged is True:
                yield Violation(
                    f"Container `{container.name}` of {where} runs privileged and can reach "
                    "every device on the node",
                    (*container.path, "securityContext", "privileged"),
                )
        for i, volume in enumerate(as_list(template.spec.get("volumes"))):
            host = as_map(as_map(volume).get("hostPath"))
            path = host.get("path")
            if not isinstance(path, str):
                continue
            name = as_map(volume).get("name")
            where_path = (*template.path, "volumes", i, "hostPath", "path")
            if _is_host_root(path):
                yield Violation(
                    f"Volume `{name}` of {where} mounts the host root `{path}`, which exposes "
                    "every device under `/dev` and the host's driver libraries, bypassing the "
                    "device plugin and DRA",
                    where_path,
                )
            elif DEVICE_PATH_RE.match(path.strip()):
                yield Violation(
                    f"Volume `{name}` of {where} mounts the host device path `{path}`, "
                    "bypassing the device plugin and DRA",
                    where_path,
                )


def _is_host_root(path: str) -> bool:
    """`/` (or `//`, `/.`): the whole host filesystem, `/dev` included."""
    return path.strip().replace("/.", "/").strip("/") == "" and path.strip().startswith("/")
