"""NET005."""

from __future__ import annotations

from collections.abc import Iterator

from aiconf_lint.k8s.objects import K8sObject
from aiconf_lint.k8s.quantity import is_unresolved
from aiconf_lint.model import Severity, Violation
from aiconf_lint.rule import Context, Rule
from aiconf_lint.rules.net._gateway import GATEWAY_GROUP
from aiconf_lint.rules.net._gateway_classes import (
    CONTROLLERS,
    PORTABLE_ALTERNATIVE,
    provider_of_class,
)


class ProviderSpecificGatewayClass(Rule):
    """## What it does
    Reports, as information, a `Gateway` whose `gatewayClassName` only one provider serves:
    GKE's `gke-l7-*` classes, AKS Application Gateway for Containers'
    `azure-alb-external`, Amazon VPC Lattice, or a class whose GatewayClass in the run names a
    cloud controller (`networking.gke.io/gateway`, `gateway.k8s.aws/alb`, ...). The message
    names a portable alternative.

    ## Why is this bad?
    The conformance profile certifies platforms, and manifests meant to run on any certified
    platform should not bind their ingress to one cloud's load balancer. A Gateway on a class
    that does not exist stays `Accepted=Unknown` forever and its routes serve nothing. This is
    information, not an error: a manifest written for one cloud on purpose is fine.

    ## Example
    ```yaml
    apiVersion: gateway.networking.k8s.io/v1
    kind: Gateway
    metadata: {name: inference-gateway}
    spec:
      gatewayClassName: gke-l7-regional-external-managed
      listeners: [{name: http, port: 80, protocol: HTTP}]
    ```

    Use instead:
    ```yaml
    spec:
      gatewayClassName: eg   # Envoy Gateway, Istio or kgateway: a class every platform can run
    ```

    ## References
    - https://gateway-api.sigs.k8s.io/implementations/
    - https://cloud.google.com/kubernetes-engine/docs/concepts/gateway-api#gatewayclass
    """

    code = "NET005"
    name = "provider-specific-gateway-class"
    summary = "A Gateway uses a class only one cloud provider serves"
    severity = Severity.INFO
    requirements = ("ai_inference",)
    kinds = frozenset({"Gateway"})

    def check_object(self, ctx: Context, obj: K8sObject) -> Iterator[Violation]:
        if obj.kind != "Gateway" or obj.group != GATEWAY_GROUP:
            return
        name = obj.spec.get("gatewayClassName")
        if not isinstance(name, str) or not name or is_unresolved(name):
            return
        provider = provider_of_class(name)
        if provider is None:
            for klass in ctx.bundle.get("GatewayClass", None, name):
                controller = klass.spec.get("controllerName")
                if isinstance(controller, str) and controller in CONTROLLERS:
                    provider = CONTROLLERS[controller]
                    break
        if provider is None:
            return
        yield Violation(
            f"Gateway `{obj.name}` uses `gatewayClassName: {name}`, which only {provider} "
            f"serves; use {PORTABLE_ALTERNATIVE}",
            ("spec", "gatewayClassName"),
        )
