"""NET009."""

from __future__ import annotations

from collections.abc import Iterator

from aiconf_lint.k8s.bundle import Bundle
from aiconf_lint.k8s.objects import K8sObject
from aiconf_lint.model import Severity, Violation
from aiconf_lint.profiles import Profile
from aiconf_lint.rule import Context, Rule
from aiconf_lint.rules.net._gateway import Pool, pools
from aiconf_lint.rules.net._pods import definite, pod_label_sets, select_workloads

ROLE = "llm-d.ai/role"
MODEL = "llm-d.ai/model"
ROLES = ("prefill", "decode")


def _role(bundle: Bundle, obj: K8sObject) -> tuple[str, str | None] | None:
    """The disaggregation role of a workload's pods, and the model they serve when labelled."""
    for labels in pod_label_sets(bundle, obj):
        role = labels.get(ROLE)
        if role in ROLES:
            return role, labels.get(MODEL)
    return None


def _reach(pool: Pool, obj: K8sObject) -> bool:
    return pool.obj.namespace is None or obj.namespace in (None, pool.obj.namespace)


class DisaggregatedRoleUnreachable(Rule):
    """## What it does
    Checks prefill/decode (disaggregated) serving, recognised by llm-d's `llm-d.ai/role:
    prefill|decode` pod label: reported when an `InferencePool` selects the pods of one role
    of a model (`llm-d.ai/model`) but not those of the other role, although workloads of that
    role for the same model ship next to the pool. Stacks without a pool in the run, and KServe
    `LLMInferenceService` (whose controller builds the pool), are not judged.

    ## Why is this bad?
    The endpoint picker chooses a prefill pod and a decode pod for each request from the
    pods of one pool. A pool that selects only the decode pods (a selector with
    `llm-d.ai/role: decode`) never schedules prefill: every request is served by decode
    alone, the prefill GPUs idle, and the disaggregation the deployment pays for does not
    happen. It is the `disaggregated_inference` requirement's whole point.

    ## Example
    ```yaml
    kind: InferencePool
    spec:
      selector:
        matchLabels: {llm-d.ai/model: llama, llm-d.ai/role: decode}
    ```

    Use instead:
    ```yaml
    spec:
      selector:
        matchLabels: {llm-d.ai/model: llama, llm-d.ai/inference-serving: "true"}
    ```

    ## References
    - https://llm-d.ai/docs/guide/Installation/pd-disaggregation
    - https://github.com/llm-d/llm-d-inference-scheduler
    """

    code = "NET009"
    name = "disaggregated-role-unreachable"
    summary = "An InferencePool reaches only one role of a prefill/decode deployment"
    severity = Severity.WARNING
    requirements = ("disaggregated_inference",)

    def severity_for(self, profile: Profile) -> Severity:
        if profile.level("disaggregated_inference") is None:
            return Severity.INFO
        return Severity.WARNING

    def check_bundle(self, ctx: Context) -> Iterator[tuple[K8sObject, Violation]]:
        bundle = ctx.bundle
        for pool in pools(bundle):
            if pool.selector is None:
                continue
            namespaces = frozenset({pool.obj.namespace}) if pool.obj.namespace else None
            selected = [
                o
                for o in select_workloads(bundle, pool.selector, namespaces)
                if definite(bundle, pool.obj, o, namespaces)
            ]
            roles: dict[tuple[str, str | None], K8sObject] = {}
            for obj in selected:
                found = _role(bundle, obj)
                if found is not None:
                    roles.setdefault(found, obj)
            if not roles:
                continue
            chosen = {id(o) for o in selected}
            for (role, model), served in roles.items():
                other_role = ROLES[1 - ROLES.index(role)]
                if (other_role, model) in roles:
                    continue
                missed = self._other(bundle, pool, chosen, other_role, model)
                if missed is None:
                    continue
                for_model = f" of model `{model}`" if model else ""
                yield (
                    pool.obj,
                    Violation(
                        f"InferencePool `{pool.obj.name}` selects the {role} pods{for_model} "
                        f"({served.kind} `{served.name}`) but not the {other_role} pods of "
                        f"{missed.kind} `{missed.name}`, so requests are never disaggregated; "
                        "select both roles in one pool",
                        pool.selector_path,
                        key_only=True,
                        related_objects=(
                            (missed.key, ("metadata", "name"), f"the {other_role} workload"),
                        ),
                    ),
                )

    @staticmethod
    def _other(
        bundle: Bundle, pool: Pool, chosen: set[int], role: str, model: str | None
    ) -> K8sObject | None:
        for obj in bundle.related_sources(pool.obj):
            if id(obj) in chosen or not _reach(pool, obj):
                continue
            found = _role(bundle, obj)
            if found is not None and found[0] == role and found[1] == model:
                return obj
        return None
