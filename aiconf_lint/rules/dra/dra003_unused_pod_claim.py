"""DRA003."""

from __future__ import annotations

import re
from collections.abc import Iterator

from aiconf_lint.k8s.bundle import Bundle
from aiconf_lint.k8s.claims import PodClaim, container_claims, pod_claims
from aiconf_lint.k8s.dra import requests_of, resolve, selector_expressions
from aiconf_lint.k8s.objects import K8sObject
from aiconf_lint.k8s.workloads import PodTemplate
from aiconf_lint.model import Severity, Violation
from aiconf_lint.rule import Context, Rule

_NET_WORDS = ("net", "nic", "rdma", "sriov", "roce")
"""Network devices (DRANET, SR-IOV) are moved into the pod's network namespace by the driver:
no container lists them, so an unreferenced network claim is normal."""
_DOMAINS = re.compile(
    r"device\.(?:attributes|capacity)\[\s*['\"]([^'\"]+)['\"]|device\.driver\s*==\s*['\"]([^'\"]+)"
)


def _networky(name: str) -> bool:
    """`dranet`, `multinic`, `netdev`, `phy-interfaces`, `dra.net`; not `finetune`."""
    for word in re.split(r"[^a-z]+", name.lower()):
        if "interface" in word or any(
            word.startswith(net) or word.endswith(net) for net in _NET_WORDS
        ):
            return True
    return False


def _is_network(bundle: Bundle, claim: PodClaim, sources: list[K8sObject]) -> bool:
    """A claim, template or device class named for networking, or selectors on a net driver.

    Each source is judged once per run: every pod claim that names it asks (copies of a
    chart in one stream: each claim resolves to every copy's template)."""
    if _networky(claim.name) or _networky(claim.source_name or ""):
        return True
    return any(bundle.per_object("DRA003:network", s, _network_source) for s in sources)


def _network_source(source: K8sObject) -> bool:
    names: list[str] = []
    for request in requests_of(source):
        names.extend(request.device_classes())
    for _, expression, _ in selector_expressions(source):
        if isinstance(expression, str):
            names.extend(m.group(1) or m.group(2) for m in _DOMAINS.finditer(expression))
    return any(_networky(name) for name in names)


class UnusedPodClaim(Rule):
    """## What it does
    Flags an entry of a pod template's `spec.resourceClaims` that no container or init
    container lists in `resources.claims`. Claims for network devices are exempt, because
    their drivers (DRANET, SR-IOV) attach the device to the pod's network namespace rather
    than to a container: a claim, template or device class with a name word that starts or
    ends with `net`, `nic`, `rdma`, `sriov`, `roce` or contains `interface` (`dranet`,
    `multinic`, `netdev`), or whose selectors read such a driver's attributes
    (`device.attributes['dra.net']`).

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
            if _is_network(ctx.bundle, claim, resolve(ctx.bundle, template.obj, claim)):
                continue
            yield Violation(
                f"Pod claim `{claim.name}` of {owner} is used by no container: its devices "
                f"are allocated but not given to any container",
                (*claim.path, "name"),
            )
