"""DRA003."""

from __future__ import annotations

import re
from collections.abc import Iterator

from aiconf_lint.k8s.dra import PodClaim, container_claims, pod_claims, requests_of, resolve
from aiconf_lint.k8s.objects import K8sObject
from aiconf_lint.k8s.workloads import PodTemplate
from aiconf_lint.model import Severity, Violation
from aiconf_lint.rule import Context, Rule

_NETWORK = re.compile(
    r"(?:^|[.\-_])(?:net|netdev|nic|rdma|sriov|dranet|network|roce)(?:$|[.\-_\d])"
)
"""Network devices (DRANET, SR-IOV) are moved into the pod's network namespace by the driver:
no container lists them, so an unreferenced network claim is normal."""


def _is_network(claim: PodClaim, sources: list[K8sObject]) -> bool:
    names = [claim.name, claim.source_name or ""]
    for source in sources:
        for request in requests_of(source):
            names.extend(request.device_classes())
    return any(_NETWORK.search(name.lower()) for name in names)


class UnusedPodClaim(Rule):
    """## What it does
    Flags an entry of a pod template's `spec.resourceClaims` that no container or init
    container lists in `resources.claims`. Claims for network devices (DRANET, SR-IOV: a
    device class, claim or template name containing `net`, `nic`, `rdma`, `sriov`) are
    exempt, because their drivers attach the device to the pod's network namespace rather
    than to a container.

    ## Why is this bad?
    The scheduler still allocates every device of the claim and keeps it reserved for the
    pod's lifetime, but no container gets the devices injected: the GPUs are taken from
    everyone else and used by no one. It is almost always a missing `resources.claims` entry.

    ## Example
    ```yaml
    spec:
      resourceClaims:
        - name: gpu
          resourceClaimTemplateName: one-gpu
      containers:
        - name: server
          image: vllm/vllm-openai:v0.6.3
    ```

    Use instead:
    ```yaml
    spec:
      resourceClaims:
        - name: gpu
          resourceClaimTemplateName: one-gpu
      containers:
        - name: server
          image: vllm/vllm-openai:v0.6.3
          resources:
            claims:
              - name: gpu
    ```
    """

    code = "DRA003"
    name = "unused-pod-claim"
    summary = "Pod claim that no container uses"
    severity = Severity.WARNING
    requirements = ("dra_support",)

    def check_pod_template(self, ctx: Context, template: PodTemplate) -> Iterator[Violation]:
        if not template.containers:
            return
        used = {ref.name for ref in container_claims(template)}
        owner = template.obj.display()
        for claim in pod_claims(template):
            if claim.name in used:
                continue
            if _is_network(claim, resolve(ctx.bundle, template.obj, claim)):
                continue
            yield Violation(
                f"Pod claim `{claim.name}` of {owner} is used by no container: its devices "
                f"are allocated but not given to any container",
                (*claim.path, "name"),
            )
