"""NET004."""

from __future__ import annotations

from collections.abc import Iterator

from aiconf_lint.k8s.bundle import Bundle
from aiconf_lint.k8s.objects import K8sObject
from aiconf_lint.model import Severity, Violation
from aiconf_lint.rule import Context, Rule
from aiconf_lint.rules.net._gateway import (
    Pool,
    absent_with_evidence,
    core_services,
    generated,
    pools,
    same_folder,
    service_ports,
    shipped_together,
    sure_namespace,
)
from aiconf_lint.rules.net._pods import pickers_of


def _picker_for(bundle: Bundle, pool: Pool) -> K8sObject | None:
    """A workload of the pool's file, chart or folder started as this pool's endpoint picker."""
    for obj in pickers_of(bundle, pool.obj.name):
        if shipped_together(pool.obj, obj) or same_folder(pool.obj, obj):
            return obj
    return None


class EndpointPickerNotFound(Rule):
    """## What it does
    Checks the endpoint picker reference of an `InferencePool` (`endpointPickerRef` in `v1`,
    `extensionRef` in `v1alpha2`): reported when the Service it names is absent from the run
    although the pool's file, chart or folder ships an endpoint-picker workload started with
    `--pool-name` for this pool, or a Service with a near-identical name; when the Service
    does not expose the referenced port; and when a `v1` reference to a Service has no
    `port` at all, which the CRD rejects.

    ## Why is this bad?
    Every request for a pool goes first to its endpoint picker (EPP) over ext-proc; the
    gateway finds the picker only through this reference. With a wrong name or port the
    gateway cannot pick an endpoint: with `failureMode: FailClose` (the default) every request
    fails, with `FailOpen` requests bypass the KV-cache- and load-aware scheduling that
    `advanced_inference_ingress` is about, silently.

    ## Example
    ```yaml
    kind: InferencePool
    metadata: {name: llama}
    spec:
      endpointPickerRef:
        name: llama-epp
        port: {number: 9003}      # the picker's Service exposes 9002
    ---
    kind: Service
    metadata: {name: llama-epp}
    spec:
      ports: [{name: grpc-ext-proc, port: 9002}]
    ```

    Use instead:
    ```yaml
      endpointPickerRef:
        name: llama-epp
        port: {number: 9002}
    ```

    ## References
    - https://gateway-api-inference-extension.sigs.k8s.io/api-types/inferencepool/
    """

    code = "NET004"
    name = "endpoint-picker-not-found"
    summary = "An InferencePool's endpoint picker Service is missing or lacks the port"
    severity = Severity.ERROR
    requirements = ("advanced_inference_ingress",)

    def check_bundle(self, ctx: Context) -> Iterator[tuple[K8sObject, Violation]]:
        bundle = ctx.bundle
        for pool in pools(bundle):
            found = self._check(bundle, pool)
            if found is not None:
                yield pool.obj, found

    @staticmethod
    def _check(bundle: Bundle, pool: Pool) -> Violation | None:
        picker, obj = pool.picker, pool.obj
        if picker is None or picker.kind != "Service" or picker.group != "":
            return None
        if pool.ga and picker.port_path is None:
            return Violation(
                f"InferencePool `{obj.name}` names endpoint picker Service `{picker.name}` "
                "without `port`; `inference.networking.k8s.io/v1` requires `port.number` "
                "for a Service",
                picker.path,
                key_only=True,
            )
        services = core_services(bundle, obj, picker.name, None)
        name_path = (*picker.path, "name")
        if not services:
            if generated(bundle, obj, picker.name):
                return None
            workload = _picker_for(bundle, pool)
            if workload is not None:
                return Violation(
                    f"InferencePool `{obj.name}` names endpoint picker Service "
                    f"`{picker.name}`, which is not in the run, while {workload.kind} "
                    f"`{workload.name}` next to it runs this pool's endpoint picker",
                    name_path,
                    related_objects=((workload.key, ("metadata", "name"), "the endpoint picker"),),
                )
            evidence = absent_with_evidence(bundle, obj, "Service", frozenset({""}), picker.name)
            if evidence is None:
                return None
            return Violation(
                f"InferencePool `{obj.name}` names endpoint picker Service `{picker.name}`, "
                f"which is not in the run; {evidence.reason}",
                name_path,
            )
        sure = [s for s in services if sure_namespace(obj, s, None)]
        if not sure or picker.port is None:
            return None
        ports = [p for s in sure for p in service_ports(s)]
        if picker.port in ports:
            return None
        listing = ", ".join(str(p) for p in dict.fromkeys(ports)) or "none"
        default = "" if picker.port_path else " (the v1alpha2 default when `portNumber` is unset)"
        return Violation(
            f"InferencePool `{obj.name}` reaches its endpoint picker on port {picker.port}"
            f"{default}, but Service `{picker.name}` exposes {listing}",
            picker.port_path or picker.path,
            key_only=picker.port_path is None,
            related_objects=((sure[0].key, ("spec", "ports"), "the Service's ports"),),
        )
