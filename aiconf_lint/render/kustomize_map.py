"""From a finding in a built overlay to the resource or patch line that sets the field.

The build says, per object, the resource file it came from and the kustomizations whose
transformers touched it. Each patch of those kustomizations that targets the object is a
candidate, as is the resource file itself; the candidate that spells out the most of the
finding's path wins, and on a tie the one applied last (a patch over its base). Strategic-merge
patches are matched like the resource (list items by `name`); JSON6902 operations by their
JSON pointer. Inline patches (`patch: |`) are found inside the kustomization file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from aiconf_lint.model import Span, YamlPath
from aiconf_lint.records import record
from aiconf_lint.render.kustomize import BuiltObject
from aiconf_lint.render.nodes import child, compose_all, depth_in, first_line, scalar


@record(frozen=True)
class Hit:
    depth: int
    order: int
    file: Path
    span: Span


@record(frozen=True)
class Patch:
    """One patch: its node (a document or an inline block) and where its lines are."""

    file: Path
    node: yaml.Node
    line_offset: int
    column_offset: int
    target: dict[str, Any] | None


def _shift(span: Span, patch: Patch) -> Span:
    if not patch.line_offset and not patch.column_offset:
        return span
    return Span(
        span.line + patch.line_offset,
        span.column + patch.column_offset,
        span.end_line + patch.line_offset,
        span.end_column + patch.column_offset,
    )


def _inline(kfile: Path, node: yaml.Node) -> list[Patch]:
    """Patches written inside a kustomization, with their position in that file."""
    if not isinstance(node, yaml.ScalarNode):
        return []
    try:
        docs = [d for d in yaml.compose_all(node.value, Loader=yaml.SafeLoader) if d]
    except yaml.YAMLError:
        return []
    line_offset = node.start_mark.line
    column_offset = 0
    if node.style in ("|", ">"):
        line_offset += 1
        lines = [*kfile.read_text(encoding="utf-8").splitlines(), ""][line_offset:]
        first = next((ln for ln in lines if ln.strip()), "")
        column_offset = len(first) - len(first.lstrip())
    else:
        column_offset = node.start_mark.column
    return [Patch(kfile, d, line_offset, column_offset, None) for d in docs]


def patches_of(kfile: Path) -> list[Patch]:
    """Every patch a kustomization applies, in the order kustomize applies them."""
    docs = compose_all(kfile)
    if not docs:
        return []
    root = docs[0]
    folder = kfile.parent
    found: list[Patch] = []

    def from_file(entry: str, target: dict[str, Any] | None) -> None:
        file = (folder / entry).resolve()
        found.extend(Patch(file, doc, 0, 0, target) for doc in compose_all(file))

    for key in ("patchesStrategicMerge", "patchesJson6902", "patches"):
        seq = child(root, key)
        if not isinstance(seq, yaml.SequenceNode):
            continue
        for item in seq.value:
            if isinstance(item, yaml.ScalarNode):  # patchesStrategicMerge: path or inline
                if "\n" in item.value or ":" in item.value:
                    found.extend(_inline(kfile, item))
                else:
                    from_file(item.value, None)
                continue
            target = (
                yaml.safe_load(yaml.serialize(child(item, "target")))
                if child(item, "target")
                else None
            )
            path = scalar(item, "path")
            if path is not None:
                from_file(path, target if isinstance(target, dict) else None)
            inline = child(item, "patch")
            if inline is not None:
                found.extend(
                    Patch(p.file, p.node, p.line_offset, p.column_offset, target)
                    for p in _inline(kfile, inline)
                )
    return found


def _targets(patch: Patch, kind: str, name: str) -> bool:
    if patch.target is not None:
        want_kind = patch.target.get("kind")
        want_name = patch.target.get("name")
        if want_kind and want_kind != kind:
            return False
        return not (want_name and isinstance(want_name, str) and want_name not in name)
    if isinstance(patch.node, yaml.MappingNode):
        pkind = scalar(patch.node, "kind")
        pname = scalar(child(patch.node, "metadata"), "name")
        return (pkind is None or pkind == kind) and (pname is None or pname in name)
    return True


def _pointer(text: str) -> list[str | int]:
    steps: list[str | int] = []
    for raw in text.strip("/").split("/"):
        part = raw.replace("~1", "/").replace("~0", "~")
        steps.append(int(part) if part.isdigit() else part)
    return steps


def _json6902(patch: Patch, path: YamlPath, rendered: object) -> tuple[int, Span] | None:
    best: tuple[int, Span] | None = None
    for op in patch.node.value if isinstance(patch.node, yaml.SequenceNode) else ():
        if scalar(op, "op") not in ("add", "replace", "copy", "move"):
            continue
        pointer = scalar(op, "path")
        if pointer is None:
            continue
        steps = _pointer(pointer)
        if len(steps) > len(path):
            continue
        if not all(
            s == p or (s == "-" and isinstance(p, int)) for s, p in zip(steps, path, strict=False)
        ):
            continue
        depth, span = len(steps), _path_span(op)
        value = child(op, "value")
        if value is not None and len(steps) < len(path):
            inner, inner_span = depth_in(value, path[len(steps) :])
            if inner:
                depth, span = depth + inner, inner_span
        if best is None or depth >= best[0]:
            best = (depth, _shift(span, patch))
    return best


def _path_span(op: yaml.Node) -> Span:
    node = child(op, "path") or op
    mark, end = node.start_mark, node.end_mark
    return Span(mark.line + 1, mark.column + 1, end.line + 1, end.column + 1)


def _resource_doc(file: Path, kind: str, name: str) -> yaml.Node | None:
    docs = compose_all(file)
    for doc in docs:
        if scalar(doc, "kind") == kind and (scalar(child(doc, "metadata"), "name") or "") in name:
            return doc
    return docs[0] if len(docs) == 1 else None


def map_kustomize(
    built: BuiltObject, kind: str, name: str, path: YamlPath, rendered: object
) -> tuple[Path, Span] | None:
    """The file and span to edit for a finding at `path` of one built object."""
    hits: list[Hit] = []
    if built.resource is not None and built.resource.is_file():
        doc = _resource_doc(built.resource, kind, name)
        if doc is not None:
            depth, span = depth_in(doc, path, rendered)
            hits.append(Hit(depth, 0, built.resource, span if depth else first_line(doc)))
    order = 1
    for kfile in built.kustomizations:
        for patch in patches_of(kfile):
            order += 1
            if not _targets(patch, kind, name):
                continue
            if isinstance(patch.node, yaml.SequenceNode):
                found = _json6902(patch, path, rendered)
                if found is not None:
                    hits.append(Hit(found[0], order, patch.file, found[1]))
            elif isinstance(patch.node, yaml.MappingNode):
                depth, span = depth_in(patch.node, path, rendered)
                if depth > 1:  # more than `spec:`; every patch has that
                    hits.append(Hit(depth, order, patch.file, _shift(span, patch)))
    if not hits:
        return None
    best = max(hits, key=lambda h: (h.depth, h.order))
    return best.file, best.span
