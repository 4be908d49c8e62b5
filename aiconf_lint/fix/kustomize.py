"""`--emit-kustomize DIR`: the fixes as a kustomize Component instead of edited files.

For manifests the user does not own as text (a Helm chart's output, a vendored base), the
fixed objects are compared with the originals and written as JSON 6902 patches (exact and
type-agnostic, unlike strategic merge, which CRDs do not support), the added objects
(ResourceClaimTemplates) as resources, and a `kind: Component` kustomization that applies
them on top of a base that holds the original objects.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from aiconf_lint.fix.ops import same
from aiconf_lint.input.load import load_text
from aiconf_lint.k8s.objects import is_k8s_object, objects_of
from aiconf_lint.records import record

COMPONENT_API = "kustomize.config.k8s.io/v1alpha1"


def _pointer(path: tuple[str | int, ...]) -> str:
    return "".join("/" + str(step).replace("~", "~0").replace("/", "~1") for step in path)


def json_patch(old: object, new: object, path: tuple[str | int, ...] = ()) -> list[dict[str, Any]]:
    """RFC 6902 operations turning `old` into `new`: keys are added, removed or recursed into;
    a list that only grew at its end gets `/-` appends, any other list change a replace."""
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        ops: list[dict[str, Any]] = [
            {"op": "remove", "path": _pointer((*path, str(key)))} for key in old if key not in new
        ]
        for key, value in new.items():
            if key not in old:
                ops.append({"op": "add", "path": _pointer((*path, str(key))), "value": value})
            elif not same(old[key], value):
                ops.extend(json_patch(old[key], value, (*path, str(key))))
        return ops
    if isinstance(old, list) and isinstance(new, list):
        if len(old) == len(new):
            return [
                op
                for index, (a, b) in enumerate(zip(old, new, strict=True))
                for op in json_patch(a, b, (*path, index))
            ]
        if len(new) > len(old) and same(new[: len(old)], old):
            return [
                {"op": "add", "path": _pointer((*path, "-")), "value": v} for v in new[len(old) :]
            ]
    if same(old, new):
        return []
    return [{"op": "replace", "path": _pointer(path), "value": new}]


@record(frozen=True)
class _Object:
    data: Mapping[str, Any]
    api_version: str
    kind: str
    name: str
    namespace: str | None


def _objects(name: str, text: str) -> list[_Object]:
    source = load_text(name, text)
    found: list[_Object] = []
    for doc in source.documents:
        if not is_k8s_object(doc.data):
            continue
        found.extend(
            _Object(obj.data, obj.api_version, obj.kind, obj.name, obj.namespace)
            for obj in objects_of(doc)
        )
    return found


def _slug(*parts: str | None) -> str:
    text = "-".join(p for p in parts if p)
    return re.sub(r"[^a-z0-9.-]+", "-", text.lower()).strip("-") or "object"


def _unique(name: str, taken: set[str]) -> str:
    stem, dot, ext = name.rpartition(".")
    candidate, n = name, 2
    while candidate in taken:
        candidate = f"{stem}-{n}{dot}{ext}"
        n += 1
    taken.add(candidate)
    return candidate


def _target(obj: _Object) -> dict[str, str]:
    group, _, version = obj.api_version.rpartition("/")
    target = {"group": group, "version": version, "kind": obj.kind, "name": obj.name}
    if obj.namespace:
        target["namespace"] = obj.namespace
    return target


def _dump(data: object) -> str:
    return str(yaml.safe_dump(data, sort_keys=False, width=4096))


def emit_component(originals: dict[str, str], fixed: dict[str, str], out: Path) -> list[Path]:
    """Write the component into `out` and return the files written (empty: nothing changed)."""
    patches: list[tuple[_Object, list[dict[str, Any]]]] = []
    added: list[_Object] = []
    for name, original_text in originals.items():
        before = _objects(name, original_text)
        pool: dict[tuple[str, str, str], list[_Object]] = {}
        for obj in before:
            pool.setdefault((obj.kind, obj.namespace or "", obj.name), []).append(obj)
        for obj in _objects(name, fixed[name]):
            matches = pool.get((obj.kind, obj.namespace or "", obj.name))
            if not matches:
                added.append(obj)
                continue
            original = matches.pop(0)
            ops = json_patch(original.data, obj.data)
            if ops:
                patches.append((original, ops))
    if not patches and not added:
        return []
    out.mkdir(parents=True, exist_ok=True)
    taken: set[str] = {"kustomization.yaml"}
    written: list[Path] = []
    kustomization: dict[str, Any] = {"apiVersion": COMPONENT_API, "kind": "Component"}
    resources: list[str] = []
    for obj in added:
        file = _unique(f"{_slug(obj.kind, obj.namespace, obj.name)}.yaml", taken)
        (out / file).write_text(_dump(dict(obj.data)), encoding="utf-8")
        written.append(out / file)
        resources.append(file)
    entries: list[dict[str, Any]] = []
    for obj, ops in patches:
        file = _unique(f"patches/{_slug(obj.kind, obj.namespace, obj.name)}.yaml", taken)
        (out / "patches").mkdir(exist_ok=True)
        (out / file).write_text(_dump(ops), encoding="utf-8")
        written.append(out / file)
        entries.append({"path": file, "target": _target(obj)})
    if resources:
        kustomization["resources"] = resources
    if entries:
        kustomization["patches"] = entries
    (out / "kustomization.yaml").write_text(_dump(kustomization), encoding="utf-8")
    written.append(out / "kustomization.yaml")
    return written
