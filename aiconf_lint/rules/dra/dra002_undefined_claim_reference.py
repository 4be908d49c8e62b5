"""DRA002."""

from __future__ import annotations

from collections.abc import Iterator

from aiconf_lint.k8s.claims import container_claims, pod_claims
from aiconf_lint.k8s.dra import has_request_list, requests_of, resolve
from aiconf_lint.k8s.objects import K8sObject
from aiconf_lint.k8s.quantity import is_unresolved
from aiconf_lint.k8s.workloads import PodTemplate
from aiconf_lint.model import Severity, Violation
from aiconf_lint.rule import Context, Rule


def _request_problem(request: str, sources: list[K8sObject]) -> str | None:
    """Why `request` names nothing in the claim, or None when it does (or cannot be told).

    Several same-named objects (a chart's v1 and v1beta1 variants) count together: the
    request is fine when any of them has it.
    """
    if not sources or not all(has_request_list(src) for src in sources):
        return None
    views = [view for source in sources for view in requests_of(source)]
    names = {view.name for view in views}
    what = f"{sources[0].kind} `{sources[0].name}`"
    if request in names:
        return None
    base, slash, sub = request.partition("/")
    if slash and any(
        view.name == base and any(name == sub for name, _ in view.subrequests) for view in views
    ):
        return (
            f"names subrequest `{request}` of {what}; a container can only reference the "
            f"main request `{base}`, whichever alternative the scheduler picks"
        )
    known = ", ".join(f"`{name}`" for name in sorted(names) if name) or "none"
    return f"is not a request of {what} (requests: {known})"


class UndefinedClaimReference(Rule):
    """## What it does
    Checks every container's and init container's `resources.claims[]`: its `name` must be
    the name of an entry in the pod's `spec.resourceClaims`, and its optional `request` must
    be the name of a request in the ResourceClaimTemplate or ResourceClaim that entry points
    at, when that object is in the linted files. For a request with `firstAvailable`
    alternatives the container names the main request (`gpu`), never a subrequest
    (`gpu/h100`): subrequest references are for `constraints` and `config` only.

    ## Why is this bad?
    The API server rejects a pod whose container names a claim the pod does not declare, so
    a Deployment or Job never gets its pods. A `request` that the claim lacks is accepted but
    matches no allocated device, so the container starts without the GPU it was meant to get.

    ## Example
    ```yaml
    spec:
      resourceClaims:
        - name: gpus
          resourceClaimTemplateName: two-gpus
      containers:
        - name: trainer
          resources:
            claims:
              - name: gpu   # the pod declares `gpus`
    ```

    Use instead:
    ```yaml
    spec:
      resourceClaims:
        - name: gpus
          resourceClaimTemplateName: two-gpus
      containers:
        - name: trainer
          resources:
            claims:
              - name: gpus
    ```

    ## References
    - https://kubernetes.io/docs/concepts/scheduling-eviction/dynamic-resource-allocation/
    - https://github.com/kubernetes/enhancements/tree/master/keps/sig-scheduling/4816-dra-prioritized-list
    """

    code = "DRA002"
    name = "undefined-claim-reference"
    summary = "Container claim reference that names no pod claim or no request"
    severity = Severity.ERROR
    requirements = ("dra_support",)

    def check_pod_template(self, ctx: Context, template: PodTemplate) -> Iterator[Violation]:
        claims = {claim.name: claim for claim in pod_claims(template)}
        declared = ", ".join(f"`{name}`" for name in claims) or "none"
        for ref in container_claims(template):
            if not isinstance(ref.name, str) or is_unresolved(ref.name):
                continue
            kind = "Init container" if ref.init else "Container"
            claim = claims.get(ref.name)
            if claim is None:
                yield Violation(
                    f"{kind} `{ref.container}` uses claim `{ref.name}`, which is not in the "
                    f"pod's `spec.resourceClaims` (declared: {declared})",
                    (*ref.path, "name"),
                )
                continue
            if not isinstance(ref.request, str) or not ref.request or is_unresolved(ref.request):
                continue
            sources = resolve(ctx.bundle, template.obj, claim)
            memo: dict[tuple[str, int], str | None] = ctx.bundle.cached("DRA002:problems", dict)
            key = (ref.request, id(sources))  # `resolve` keeps one list per claim name
            if key not in memo:
                memo[key] = _request_problem(ref.request, sources)
            problem = memo[key]
            if problem:
                yield Violation(
                    f"{kind} `{ref.container}` asks for request `{ref.request}` of claim "
                    f"`{ref.name}`, which {problem}",
                    (*ref.path, "request"),
                )
