"""The `v1alpha2` -> `v1` InferencePool rewrite, as structural edits for NET007's fix.

Field by field (GAIE CRDs at v1.0.0, `inference.networking.k8s.io/v1`, against the last
`inference.networking.x-k8s.io/v1alpha2` CRD):

| v1alpha2 | v1 |
|---|---|
| `spec.selector: {k: v}` | `spec.selector.matchLabels: {k: v}` |
| `spec.targetPortNumber: N` | `spec.targetPorts: [{number: N}]` |
| `spec.extensionRef.name/kind/group/failureMode` | `spec.endpointPickerRef.` same names |
| `spec.extensionRef.portNumber: P` | `spec.endpointPickerRef.port.number: P` |

Every field maps one-to-one, so a pool that spells out `portNumber` converts safely. A pool
that leaves `portNumber` unset relied on implementations inferring 9002, while `v1` requires
the port for a Service: writing 9002 is safe when the picker's Service in the run exposes
9002, and unsafe otherwise. A pool with fields outside this table (or `status`) gets no fix,
because the rewrite would drop them.
"""

from __future__ import annotations

from aiconf_lint.k8s.bundle import Bundle
from aiconf_lint.k8s.objects import K8sObject, as_map
from aiconf_lint.k8s.quantity import is_unresolved, parse_int
from aiconf_lint.model import Applicability, Edit
from aiconf_lint.records import record
from aiconf_lint.rules.net._gateway import (
    DEFAULT_PICKER_PORT,
    POOL_GROUP,
    core_services,
    service_ports,
    sure_namespace,
)

TARGET = f"{POOL_GROUP}/v1"
_SPEC_KEYS = frozenset({"selector", "targetPortNumber", "extensionRef"})
_REF_KEYS = frozenset({"name", "kind", "group", "portNumber", "failureMode"})
_TOP_KEYS = frozenset({"apiVersion", "kind", "metadata", "spec"})


@record(frozen=True)
class Migration:
    edits: tuple[Edit, ...] | None
    """None: no mechanical rewrite keeps every field."""
    applicability: Applicability
    why: str
    """Why there is no fix, or why it is unsafe; empty for a safe fix."""


def _unresolved(value: object) -> bool:
    if isinstance(value, dict):
        return any(_unresolved(k) or _unresolved(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_unresolved(v) for v in value)
    return is_unresolved(value)


def _none(why: str) -> Migration:
    return Migration(None, Applicability.UNSAFE, why)


def _picker_port(bundle: Bundle, pool: K8sObject, ref: dict[str, object]) -> tuple[int | None, str]:
    """The `v1` port of the picker reference and, when it is a guess, why."""
    kind = str(ref.get("kind") or "Service")
    group = str(ref.get("group") or "")
    if "portNumber" in ref:
        return parse_int(ref["portNumber"]), ""
    if kind != "Service" or group != "":
        return None, ""
    name = str(ref.get("name"))
    services = [s for s in core_services(bundle, pool, name, None) if sure_namespace(pool, s, None)]
    if any(DEFAULT_PICKER_PORT in service_ports(s) for s in services):
        return DEFAULT_PICKER_PORT, ""
    return DEFAULT_PICKER_PORT, (
        f"`portNumber` is unset and `v1` requires a port; the fix writes {DEFAULT_PICKER_PORT}, "
        "which implementations inferred, but no Service in the run confirms it"
    )


def migrate(bundle: Bundle, pool: K8sObject) -> Migration:
    """The edits that turn a `v1alpha2` pool into the equivalent `v1` pool."""
    data = pool.data
    extra = sorted(set(data) - _TOP_KEYS)
    if extra:
        return _none(f"it has `{'`, `'.join(extra)}`, which the rewrite would not carry over")
    spec = as_map(data.get("spec"))
    unknown = sorted(set(spec) - _SPEC_KEYS)
    if unknown:
        return _none(f"`spec.{unknown[0]}` has no `v1` counterpart")
    if _unresolved(spec):
        return _none("its spec is not fully rendered")
    selector, port, ref = (
        spec.get("selector"),
        parse_int(spec.get("targetPortNumber")),
        spec.get("extensionRef"),
    )
    if not isinstance(selector, dict) or not selector:
        return _none("`v1` requires at least one selector label, and it has none")
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in selector.items()):
        return _none("its selector has values that are not strings")
    if port is None or not 1 <= port <= 65535:
        return _none("`v1` requires a target port, and `targetPortNumber` is not one")
    if not isinstance(ref, dict) or not isinstance(ref.get("name"), str):
        return _none("`v1` requires an endpoint picker, and `extensionRef` is unset")
    unknown = sorted(set(ref) - _REF_KEYS)
    if unknown:
        return _none(f"`spec.extensionRef.{unknown[0]}` has no `v1` counterpart")
    picker_port, guess = _picker_port(bundle, pool, ref)
    if "portNumber" in ref and (picker_port is None or not 1 <= picker_port <= 65535):
        return _none("`extensionRef.portNumber` is not a port number")
    picker: dict[str, object] = {}
    for key, value in ref.items():
        if key == "portNumber":
            picker["port"] = {"number": picker_port}
        else:
            picker[key] = value
    if "portNumber" not in ref and picker_port is not None:
        picker["port"] = {"number": picker_port}
    # Edit paths are relative to the pool; the engine rebases them onto its document.
    spec_path: tuple[str, ...] = ("spec",)
    edits = (
        Edit("set", ("apiVersion",), value=TARGET),
        Edit("set", (*spec_path, "selector"), value={"matchLabels": dict(selector)}),
        Edit("remove", (*spec_path, "targetPortNumber")),
        Edit("add", spec_path, key="targetPorts", value=[{"number": port}]),
        Edit("remove", (*spec_path, "extensionRef")),
        Edit("add", spec_path, key="endpointPickerRef", value=picker),
    )
    if guess:
        return Migration(edits, Applicability.UNSAFE, guess)
    return Migration(edits, Applicability.SAFE, "")
