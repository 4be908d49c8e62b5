"""DRA006."""

from __future__ import annotations

from collections.abc import Iterator

from aiconf_lint.k8s.dra import devices_path
from aiconf_lint.k8s.objects import K8sObject, as_list, as_map, get_path
from aiconf_lint.k8s.quantity import is_unresolved
from aiconf_lint.model import Severity, Violation
from aiconf_lint.rule import Context, Rule

_KEYS = ("matchAttribute", "distinctAttribute")


class UnqualifiedConstraintAttribute(Rule):
    """## What it does
    Checks `devices.constraints[].matchAttribute` and `distinctAttribute` of ResourceClaims
    and ResourceClaimTemplates: the attribute must be fully qualified, `<domain>/<name>`
    (`gpu.nvidia.com/parentUUID`, `resource.kubernetes.io/pcieRoot`).

    ## Why is this bad?
    Unlike in CEL selectors and ResourceSlices, where a bare name means the driver's own
    domain, a constraint spans devices of possibly different drivers and has no default
    domain. The API server rejects a claim with an unqualified constraint attribute, so the
    claim, or every pod made from the template, fails to create.

    ## Example
    ```yaml
    constraints:
      - requests: ["mig-a", "mig-b"]
        matchAttribute: parentUUID
    ```

    Use instead:
    ```yaml
    constraints:
      - requests: ["mig-a", "mig-b"]
        matchAttribute: gpu.nvidia.com/parentUUID
    ```

    ## References
    - https://kubernetes.io/docs/concepts/scheduling-eviction/dynamic-resource-allocation/
    """

    code = "DRA006"
    name = "unqualified-constraint-attribute"
    summary = "Constraint attribute without a domain qualifier"
    severity = Severity.ERROR
    kinds = frozenset({"ResourceClaim", "ResourceClaimTemplate"})
    requirements = ("dra_support",)

    def check_object(self, ctx: Context, obj: K8sObject) -> Iterator[Violation]:
        base = devices_path(obj)
        if base is None:
            return
        constraints = as_list(get_path(obj.data, (*base, "constraints")))
        for i, constraint in enumerate(constraints):
            for key in _KEYS:
                value = as_map(constraint).get(key)
                if not isinstance(value, str) or is_unresolved(value):
                    continue
                domain, slash, name = value.partition("/")
                if slash and domain and name:
                    continue
                yield Violation(
                    f"Constraint `{key}: {value}` in {obj.display()} is not a fully qualified "
                    f"`<domain>/<name>` attribute",
                    (*base, "constraints", i, key),
                )
