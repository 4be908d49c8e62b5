"""DRA005."""

from __future__ import annotations

from collections.abc import Iterator

from aiconf_lint.k8s.dra import selector_expressions
from aiconf_lint.k8s.objects import K8sObject
from aiconf_lint.k8s.quantity import is_unresolved
from aiconf_lint.model import Severity, Violation
from aiconf_lint.rule import Context, Rule
from aiconf_lint.rules.dra._cel import CelSyntaxError, parse
from aiconf_lint.rules.dra._cel_checks import result_type, undeclared, unguarded_reads

MAX_LENGTH = 10 * 1024
"""`CELSelectorExpressionMaxLength` in `resource.k8s.io/v1`."""


class InvalidCelSelector(Rule):
    """## What it does
    Checks every `selectors[].cel.expression` of ResourceClaims, ResourceClaimTemplates
    (including `firstAvailable` subrequests) and DeviceClasses. Errors: an expression that does
    not parse, is longer than 10 KiB, names a variable other than `device` (and those that
    `cel.bind()` or a macro such as `all()` introduces), or whose top level is plainly not a
    bool: a literal, arithmetic, `device.driver`, a map such as `device.attributes['x']`, a
    capacity (a quantity), or a documented string/version attribute with no comparison. Info:
    an attribute or capacity read without a `has(...)` or `'name' in device.attributes[...]`
    guard for that name, except the attributes a known driver publishes on every device of
    the requested class (NVIDIA `gpu.nvidia.com`/`mig.nvidia.com`: `productName`,
    `architecture`, `driverVersion`, ..., MIG `profile`/`parentUUID`, capacity `memory`;
    dra-example-driver `gpu.example.com`: `model`, `index`, capacity `memory`; the documented
    attributes of Intel `gpu.intel.com`/`gaudi.intel.com`, AMD `gpu.amd.com` and Google
    `tpu.google.com`), also in a DeviceClass whose selector pins `device.driver`. A MIG-only
    attribute such as `profile` read from a `gpu.nvidia.com` request is still reported.

    Parsing uses a built-in parser of the cel-spec grammar, and only it decides: the findings
    are the same on every machine, whatever else is installed. cel-python (the optional `cel`
    extra) is a second opinion in the test suite only, where every expression of the parser's
    tests is checked against it, with the known cases where cel-python is stricter than the
    cel-go parser Kubernetes uses (it rejects the trailing comma in `[1, 2,]`) listed.
    Type checking beyond the top level (for example comparing a string attribute with an int)
    and runtime cost limits need the real Kubernetes CEL environment and are not checked.

    ## Why is this bad?
    The API server compiles selectors when the claim is created and rejects one that does not
    compile or does not return bool, so the claim (and every pod created from a template)
    fails. A selector that reads an attribute some device in the class lacks fails at
    allocation time instead: "any reference to an unknown field will cause an evaluation error
    and allocation to abort", and the pod stays Pending.

    ## Example
    ```yaml
    selectors:
      - cel:
          expression: device.attributes['gpu.nvidia.com'].productName
    ```

    Use instead:
    ```yaml
    selectors:
      - cel:
          expression: >-
            has(device.attributes['gpu.nvidia.com'].productName) &&
            device.attributes['gpu.nvidia.com'].productName == 'NVIDIA A100-SXM4-80GB'
    ```

    ## References
    - https://kubernetes.io/docs/concepts/scheduling-eviction/dynamic-resource-allocation/
    - https://github.com/google/cel-spec/blob/master/doc/langdef.md
    """

    code = "DRA005"
    name = "invalid-cel-selector"
    summary = "CEL device selector that is invalid, too long, not bool or unguarded"
    severity = Severity.ERROR
    kinds = frozenset({"ResourceClaim", "ResourceClaimTemplate", "DeviceClass"})
    requirements = ("dra_support",)

    def check_object(self, ctx: Context, obj: K8sObject) -> Iterator[Violation]:
        where = obj.display()
        for path, value, device_class in selector_expressions(obj):
            if not isinstance(value, str) or is_unresolved(value):
                continue
            yield from self._check(where, path, value, device_class)

    def _check(
        self, where: str, path: tuple[str | int, ...], text: str, device_class: str | None
    ) -> Iterator[Violation]:
        size = len(text.encode("utf-8"))
        if size > MAX_LENGTH:
            yield Violation(
                f"CEL selector in {where} is {size} bytes long; the limit is {MAX_LENGTH}", path
            )
            return
        try:
            tree = parse(text)
        except CelSyntaxError as exc:
            yield Violation(
                f"CEL selector in {where} does not parse at column {exc.offset + 1}: {exc}", path
            )
            return
        names = undeclared(tree)
        if names:
            listed = ", ".join(f"`{name}`" for name in names)
            yield Violation(
                f"CEL selector in {where} uses undeclared {listed}; only `device` exists", path
            )
            return
        kind = result_type(tree)
        if kind is not None and kind != "bool":
            yield Violation(
                f"CEL selector in {where} returns {kind}, not bool; compare it with a value",
                path,
            )
            return
        reads = unguarded_reads(tree, device_class)
        if reads:
            listed = ", ".join(f"`{read.display()}`" for read in reads)
            yield Violation(
                f"CEL selector in {where} reads {listed} without a `has()` guard; a device "
                f"lacking it aborts allocation",
                path,
                severity=Severity.INFO,
            )
