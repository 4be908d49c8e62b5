"""ACC002."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from aiconf_lint.k8s.accelerators import accelerator_resource
from aiconf_lint.k8s.quantity import is_unresolved, parse_quantity
from aiconf_lint.k8s.workloads import ContainerView, PodTemplate
from aiconf_lint.model import Applicability, Edit, Fix, FixAvailability, Severity, Violation
from aiconf_lint.rule import Context, Rule


def _invalid_reason(value: object) -> str | None:
    quantity = parse_quantity(value)
    if quantity is None:
        return "is not a quantity"
    if quantity < 0:
        return "is negative"
    if quantity != quantity.to_integral_value():
        return "is not a whole number (accelerators cannot be split by quantity)"
    return None


def _same(a: object, b: object) -> bool:
    qa, qb = parse_quantity(a), parse_quantity(b)
    return qa is not None and qb is not None and Decimal(qa) == Decimal(qb)


class InvalidAcceleratorQuantity(Rule):
    """## What it does
    Checks the accelerator extended resources of every container (`nvidia.com/gpu`,
    `amd.com/gpu`, `gpu.intel.com/*`, MIG profiles, TPUs, Neuron, Gaudi) for quantities the API
    server rejects: a request without a limit, a request that differs from its limit, and a
    quantity that is negative, fractional (`0.5`, `500m`) or not a quantity at all.
    Values a templating step has yet to fill (`${GPUS}`) are left alone.

    ## Why is this bad?
    Extended resources cannot be overcommitted: Kubernetes accepts them in `limits` (the
    request then defaults to the limit), requires requests to equal limits when both are set,
    and accepts whole numbers only. Such a pod is rejected at admission, or for a workload
    controller, its pods are never created, and the job silently waits.

    ## Example
    ```yaml
    containers:
      - name: trainer
        resources:
          requests:
            nvidia.com/gpu: 2   # no limit: rejected
    ```

    Use instead:
    ```yaml
    containers:
      - name: trainer
        resources:
          limits:
            nvidia.com/gpu: 2
    ```

    ## Fix safety
    For a request without a limit, the fix adds a limit equal to the request, which is what
    the API server requires and what the scheduler already assumed: it is safe. Mismatched and
    invalid quantities need a human decision and have no fix.

    ## References
    - https://kubernetes.io/docs/tasks/manage-gpus/scheduling-gpus/
    - https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/#extended-resources
    """

    code = "ACC002"
    name = "invalid-accelerator-quantity"
    summary = "Accelerator quantity the API server rejects"
    severity = Severity.ERROR
    requirements = ("dra_support", "secure_accelerator_access")
    fix_availability = FixAvailability.SOMETIMES

    def check_container(
        self, ctx: Context, template: PodTemplate, container: ContainerView
    ) -> Iterator[Violation]:
        extra = ctx.accelerators
        requests, limits = container.requests, container.limits
        base = container.resources_path
        for section, values in (("limits", limits), ("requests", requests)):
            for name, value in values.items():
                if accelerator_resource(str(name), extra) is None or is_unresolved(value):
                    continue
                reason = _invalid_reason(value)
                if reason is not None:
                    yield Violation(
                        f"{container.label} sets `{section}.{name}: {value}`, which {reason}",
                        (*base, section, str(name)),
                    )
        for name, value in requests.items():
            key = str(name)
            if accelerator_resource(key, extra) is None or is_unresolved(value):
                continue
            if _invalid_reason(value) is not None:
                continue
            if key not in limits:
                yield Violation(
                    f"{container.label} requests `{key}: {value}` without a limit",
                    (*base, "requests", key),
                    key_only=True,
                    fix=Fix(
                        f"Add `limits.{key}: {value}`",
                        (Edit("merge", (*base, "limits"), key=key, value=value),),
                        Applicability.SAFE,
                    ),
                )
            elif (
                not is_unresolved(limits[key])
                and _invalid_reason(limits[key]) is None
                and not _same(value, limits[key])
            ):
                yield Violation(
                    f"{container.label} requests `{key}: {value}` but its limit "
                    f"is `{limits[key]}`; accelerator requests must equal limits",
                    (*base, "requests", key),
                )
