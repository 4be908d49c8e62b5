"""Pod specs found by shape in kinds the workload table does not know.

AI operators wrap pods in their own CRDs: fleet CRDs nest a whole RayCluster spec,
serving-runtime CRDs carry container lists, inference CRDs put `resources.limits` with a GPU
outside any pod spec. Rather than be silent on all of them, the model looks for the shape:

* a list of mappings that each have `name` and `image`, under a key named `containers` or
  `initContainers`, is a container list and its enclosing mapping a pod spec;
* a mapping whose `resources.limits` or `resources.requests` names an accelerator, outside
  any such pod spec, is a container the operator will build (a pseudo container).

Only parsed mappings are searched, so YAML embedded in a ConfigMap string is never a spec;
CustomResourceDefinitions (schemas, not workloads) and the core kinds are never searched.
"""

from __future__ import annotations

from collections.abc import Iterator

from aiconf_lint.k8s.accelerators import accelerator_resource
from aiconf_lint.k8s.objects import JsonMap, K8sObject, as_map
from aiconf_lint.model import YamlPath
from aiconf_lint.records import record

CONTAINER_KEYS = ("containers", "initContainers")
_SKIP_TOP = frozenset({"apiVersion", "kind", "metadata", "status"})
# Groups whose kinds are Kubernetes' own: their schemas are known, and a shape found in, say,
# a `v1 List` or an admission webhook's object would be a false workload.
BUILTIN_GROUPS = frozenset(
    {
        "",
        "apps",
        "batch",
        "extensions",
        "policy",
        "autoscaling",
        "networking.k8s.io",
        "rbac.authorization.k8s.io",
        "storage.k8s.io",
        "admissionregistration.k8s.io",
        "apiextensions.k8s.io",
        "apiregistration.k8s.io",
        "scheduling.k8s.io",
        "node.k8s.io",
        "resource.k8s.io",
        "coordination.k8s.io",
        "discovery.k8s.io",
        "certificates.k8s.io",
        "flowcontrol.apiserver.k8s.io",
        "events.k8s.io",
    }
)
MAX_DEPTH = 24


@record(frozen=True)
class FoundShape:
    path: YamlPath
    """The pod spec mapping, or the mapping that holds an accelerator `resources` block."""
    pseudo: bool
    """True for a bare `resources` block (no container list around it)."""


def searchable(obj: K8sObject) -> bool:
    """Custom resources only: never a CRD, a core kind, or a ConfigMap's strings."""
    return obj.group not in BUILTIN_GROUPS


def find_shapes(data: JsonMap) -> list[FoundShape]:
    """Every pod spec and bare accelerator `resources` block, outermost first, in order."""
    found: list[FoundShape] = []
    for key, value in data.items():
        if key not in _SKIP_TOP:
            found.extend(_walk(value, (str(key),), 0))
    return found


def _walk(node: object, path: YamlPath, depth: int) -> Iterator[FoundShape]:
    if depth > MAX_DEPTH:
        return
    if isinstance(node, dict):
        if any(_is_container_list(node.get(key)) for key in CONTAINER_KEYS):
            yield FoundShape(path, pseudo=False)
            return  # a pod spec's own fields hold no further pod specs
        if _asks_for_accelerator(node.get("resources")):
            yield FoundShape(path, pseudo=True)
            return
        for key, value in node.items():
            yield from _walk(value, (*path, str(key)), depth + 1)
    elif isinstance(node, list):
        for i, item in enumerate(node):
            yield from _walk(item, (*path, i), depth + 1)


def _is_container_list(value: object) -> bool:
    if not isinstance(value, list) or not value:
        return False
    return all(
        isinstance(item, dict) and isinstance(item.get("name"), str) and "image" in item
        for item in value
    )


def _asks_for_accelerator(resources: object) -> bool:
    block = as_map(resources)
    for section in ("limits", "requests"):
        for name in as_map(block.get(section)):
            if accelerator_resource(str(name)) is not None:
                return True
    return False
