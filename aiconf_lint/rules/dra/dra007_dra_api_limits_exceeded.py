"""DRA007."""

from __future__ import annotations

from collections.abc import Iterator

from aiconf_lint.k8s.dra import devices_path, exact_views, is_dra, requests_of
from aiconf_lint.k8s.objects import K8sObject, as_list, get_path
from aiconf_lint.model import Severity, Violation, YamlPath
from aiconf_lint.rule import Context, Rule

MAX_ITEMS = 32
"""`DeviceRequestsMaxSize`, `DeviceConstraintsMaxSize`, `DeviceConfigMaxSize`,
`DeviceSelectorsMaxSize` in `resource.k8s.io/v1`."""
MAX_FIRST_AVAILABLE = 8
"""`FirstAvailableDeviceRequestMaxSize`."""


class DraApiLimitsExceeded(Rule):
    """## What it does
    Checks the size limits and count rules of `resource.k8s.io` claims, templates and
    classes: at most 32 `requests`, `constraints`, `config` entries and `selectors` (per
    request, subrequest or DeviceClass), at most 8 `firstAvailable` alternatives per request,
    `count` of at least 1, and no `count` together with `allocationMode: All`.

    ## Why is this bad?
    The API server rejects such an object: the claim, or every pod created from the template,
    fails. `count` is only meaningful for `ExactCount`; with `All` the request takes every
    matching device on the node and a `count` there is a validation error.

    ## Example
    ```yaml
    requests:
      - name: all-gpus
        exactly:
          deviceClassName: gpu.nvidia.com
          allocationMode: All
          count: 8
    ```

    Use instead:
    ```yaml
    requests:
      - name: all-gpus
        exactly:
          deviceClassName: gpu.nvidia.com
          allocationMode: All
    ```

    ## References
    - https://kubernetes.io/docs/concepts/scheduling-eviction/dynamic-resource-allocation/
    """

    code = "DRA007"
    name = "dra-api-limits-exceeded"
    summary = "DRA object over an API size limit or with an invalid count"
    severity = Severity.ERROR
    kinds = frozenset({"ResourceClaim", "ResourceClaimTemplate", "DeviceClass"})
    requirements = ("dra_support",)

    def check_object(self, ctx: Context, obj: K8sObject) -> Iterator[Violation]:
        if not is_dra(obj):
            return
        where = obj.display()
        lists: list[tuple[YamlPath, int]] = []
        base = devices_path(obj)
        if base is not None:
            lists += [((*base, key), MAX_ITEMS) for key in ("requests", "constraints", "config")]
            for request in requests_of(obj):
                lists.append(((*request.path, "firstAvailable"), MAX_FIRST_AVAILABLE))
        if obj.kind == "DeviceClass":
            lists += [(("spec", "selectors"), MAX_ITEMS), (("spec", "config"), MAX_ITEMS)]
        lists += [((*view.path, "selectors"), MAX_ITEMS) for view in exact_views(obj)]
        for path, limit in lists:
            items = as_list(get_path(obj.data, path))
            if len(items) > limit:
                yield Violation(
                    f"`{path[-1]}` in {where} has {len(items)} entries; the limit is {limit}",
                    path,
                    key_only=True,
                )
        for view in exact_views(obj):
            count = view.data.get("count")
            if count is None or isinstance(count, bool) or not isinstance(count, int):
                continue
            if view.data.get("allocationMode") == "All":
                yield Violation(
                    f"`count: {count}` in {where} is set with `allocationMode: All`, which "
                    f"takes every matching device; drop `count` or use `ExactCount`",
                    (*view.path, "count"),
                )
            elif count < 1:
                yield Violation(
                    f"`count: {count}` in {where} must be at least 1", (*view.path, "count")
                )
