"""Gateway classes and controllers that exist on one cloud only, as data for NET005.

A class name is an exact name, or a prefix when it ends with `*`. Cloud-managed classes are
installed by the provider (GKE's `gke-l7-*`, AKS Application Gateway for Containers'
`azure-alb-external`, Amazon VPC Lattice's `amazon-vpc-lattice`); user-named classes are
recognised by the `controllerName` of a GatewayClass shipped in the same run.
"""

from __future__ import annotations

from aiconf_lint.records import record

PORTABLE_ALTERNATIVE = (
    "a class of an implementation that runs on any cluster (Envoy Gateway, Istio, kgateway, "
    "agentgateway, NGINX Gateway Fabric), or take the class name from a Helm value or "
    "kustomize patch so each platform supplies its own"
)


@record(frozen=True)
class ProviderClass:
    pattern: str
    provider: str

    def matches(self, name: str) -> bool:
        if self.pattern.endswith("*"):
            return name.startswith(self.pattern[:-1])
        return name == self.pattern


CLASSES: tuple[ProviderClass, ...] = (
    ProviderClass("gke-l7-*", "GKE"),
    ProviderClass("azure-alb-external", "AKS (Application Gateway for Containers)"),
    ProviderClass("amazon-vpc-lattice", "Amazon VPC Lattice"),
)
CONTROLLERS: dict[str, str] = {
    "networking.gke.io/gateway": "GKE",
    "alb.networking.azure.io/alb-controller": "AKS (Application Gateway for Containers)",
    "application-networking.k8s.aws/gateway-api-controller": "Amazon VPC Lattice",
    "gateway.k8s.aws/alb": "AWS Load Balancer Controller",
    "gateway.k8s.aws/nlb": "AWS Load Balancer Controller",
}


def provider_of_class(name: str) -> str | None:
    for entry in CLASSES:
        if entry.matches(name):
            return entry.provider
    return None
