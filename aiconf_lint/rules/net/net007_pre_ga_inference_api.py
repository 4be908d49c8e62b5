"""NET007."""

from __future__ import annotations

from collections.abc import Iterator

from aiconf_lint.k8s.bundle import Bundle
from aiconf_lint.k8s.objects import K8sObject
from aiconf_lint.model import Applicability, Edit, Fix, FixAvailability, Severity, Violation
from aiconf_lint.rule import Context, Rule
from aiconf_lint.rules.net._gateway import (
    POOL_GROUP,
    PRE_GA_POOL_GROUP,
    backend_refs,
    resolve,
    routes,
)
from aiconf_lint.rules.net._pool_migration import TARGET, migrate


def _pool_fix_state(bundle: Bundle, route: K8sObject, name: str, ns: str | None) -> str:
    """`ga`, `safe`, `unsafe` or `none`: what the referenced pool becomes after `fix`."""
    groups = frozenset({POOL_GROUP, PRE_GA_POOL_GROUP})
    found = resolve(bundle, route, "InferencePool", groups, name, ns)
    if not found:
        return "absent"
    if any(p.group == POOL_GROUP for p in found):
        return "ga"
    migration = migrate(bundle, found[0]) if found[0].version == "v1alpha2" else None
    if migration is None or migration.edits is None:
        return "none"
    return "safe" if migration.applicability == Applicability.SAFE else "unsafe"


class PreGaInferenceApi(Rule):
    """## What it does
    Flags Gateway API Inference Extension objects on the experimental
    `inference.networking.x-k8s.io` group: `v1alpha2` `InferencePool` (a warning; GAIE
    releases from v1.5 no longer ship its CRD), `v1alpha1` pools and `InferenceModel` (errors;
    removed, `InferenceModel` by GAIE v1.0 in favour of `InferenceObjective`), and route
    `backendRefs` that still name `group: inference.networking.x-k8s.io` for a pool.

    ## Why is this bad?
    The Inference Extension went GA as `inference.networking.k8s.io/v1`, and its releases
    from v1.5 no longer ship the `v1alpha2` InferencePool CRD. A pre-GA pool fails to apply
    ("no matches for kind") where the old CRD is gone, is invisible to gateways that watch
    the GA group, and a route naming the old group does not resolve a GA pool, so the
    `advanced_inference_ingress` path stops working on an upgraded cluster.

    ## Example
    ```yaml
    apiVersion: inference.networking.x-k8s.io/v1alpha2
    kind: InferencePool
    metadata: {name: llama}
    spec:
      targetPortNumber: 8000
      selector: {app: vllm-llama}
      extensionRef: {name: llama-epp, portNumber: 9002, failureMode: FailClose}
    ```

    Use instead:
    ```yaml
    apiVersion: inference.networking.k8s.io/v1
    kind: InferencePool
    metadata: {name: llama}
    spec:
      selector:
        matchLabels: {app: vllm-llama}
      targetPorts: [{number: 8000}]
      endpointPickerRef: {name: llama-epp, port: {number: 9002}, failureMode: FailClose}
    ```

    ## Fix safety
    The pool fix renames the fields one-to-one: the selector map moves under `matchLabels`,
    `targetPortNumber` becomes `targetPorts[0].number`, `extensionRef` becomes
    `endpointPickerRef` with `portNumber` as `port.number`. It is safe when every field is
    spelled out. When `portNumber` is unset the fix writes 9002, the port implementations
    inferred: safe if the picker's Service in the run exposes 9002, unsafe otherwise. A pool
    with fields the rewrite cannot carry (or `status`) gets no fix. A route's group is
    rewritten safely when the pool it names is in the run and is, or safely becomes, `v1`;
    unsafely when the pool is not in the run. `InferenceModel` has no fix: its `modelName`
    and `targetModels` have no place in `InferenceObjective`.

    ## References
    - https://gateway-api-inference-extension.sigs.k8s.io/guides/ga-migration/
    - https://gateway-api-inference-extension.sigs.k8s.io/api-types/inferencepool/
    """

    code = "NET007"
    name = "pre-ga-inference-api"
    summary = "Inference Extension object or reference on the pre-GA API group"
    severity = Severity.WARNING
    requirements = ("advanced_inference_ingress",)
    fix_availability = FixAvailability.SOMETIMES

    def check_bundle(self, ctx: Context) -> Iterator[tuple[K8sObject, Violation]]:
        bundle = ctx.bundle
        for obj in bundle.of_kind("InferencePool", "InferenceModel"):
            if obj.group != PRE_GA_POOL_GROUP:
                continue
            found = self._object(bundle, obj)
            if found is not None:
                yield obj, found
        for route in routes(bundle):
            for ref in backend_refs(route):
                if ref.kind != "InferencePool" or ref.group != PRE_GA_POOL_GROUP:
                    continue
                state = _pool_fix_state(bundle, route, ref.name, ref.namespace)
                fix = None
                if state != "none":
                    fix = Fix(
                        f"Name the pool by group `{POOL_GROUP}`",
                        (Edit("set", (*ref.path, "group"), value=POOL_GROUP),),
                        Applicability.SAFE if state in ("ga", "safe") else Applicability.UNSAFE,
                    )
                yield (
                    route,
                    Violation(
                        f"{route.kind} `{route.name}` names InferencePool `{ref.name}` by the "
                        f"pre-GA group `{PRE_GA_POOL_GROUP}`, whose InferencePool the "
                        f"Inference Extension no longer ships (from v1.5); name `{POOL_GROUP}`",
                        (*ref.path, "group"),
                        fix=fix,
                    ),
                )

    @staticmethod
    def _object(bundle: Bundle, obj: K8sObject) -> Violation | None:
        where = f"{obj.kind} `{obj.name}`"
        if obj.kind == "InferenceModel":
            return Violation(
                f"{where} uses `{obj.api_version}`; the Inference Extension removed "
                "InferenceModel in v1.0: set its priority with an `InferenceObjective` and its "
                "`targetModels` with an `InferenceModelRewrite`",
                ("kind",),
                severity=Severity.ERROR,
            )
        if obj.version != "v1alpha2":
            return Violation(
                f"{where} uses removed `{obj.api_version}`; rewrite it for `{TARGET}`",
                ("apiVersion",),
                severity=Severity.ERROR,
            )
        migration = migrate(bundle, obj)
        message = f"{where} uses pre-GA `{obj.api_version}`; use `{TARGET}`"
        if migration.edits is None:
            return Violation(f"{message} (no automatic fix: {migration.why})", ("apiVersion",))
        note = f" ({migration.why})" if migration.why else ""
        return Violation(
            message,
            ("apiVersion",),
            fix=Fix(f"Convert to `{TARGET}`{note}", migration.edits, migration.applicability),
        )
