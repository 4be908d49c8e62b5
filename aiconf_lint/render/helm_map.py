"""From a finding in a rendered chart to the template, helper or values line a user edits.

`# Source: <chart>/[charts/<sub>/]templates/<file>` names the template; `helm_walk` walks it
for the finding's path. What the template does not spell out is followed one step further:
into the values file that set a `toYaml .Values...` block (the template line becomes a related
location), or into the `define` of an `include`d helper. When nothing better is known the
finding lands on the first line of the template's document, never on a line of the render.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import yaml

from aiconf_lint.input.source import node_at
from aiconf_lint.model import Span, YamlPath
from aiconf_lint.records import field, record
from aiconf_lint.render.helm import chart_yaml
from aiconf_lint.render.helm_walk import (
    Scope,
    Walk,
    define_body,
    emitter_expr,
    include_name,
    values_path,
    walk,
)
from aiconf_lint.render.nodes import compose_all, depth_in

_KIND_RE = re.compile(r"^kind:\s*[\"']?([A-Za-z0-9]+)")


@record(frozen=True)
class Place:
    file: Path
    span: Span
    note: str = ""


@record
class Mapped:
    primary: Place
    related: list[Place] = field(default_factory=list)


@record(frozen=True)
class ChartContext:
    folder: Path
    values_files: tuple[Path, ...] = ()


def _subchart(folder: Path, segment: str) -> Path | None:
    direct = folder / "charts" / segment
    if (direct / "Chart.yaml").is_file():
        return direct
    for dep in chart_yaml(folder).get("dependencies") or ():  # type: ignore[attr-defined]
        name = dep.get("name") if isinstance(dep, dict) else None
        if isinstance(name, str) and dep.get("alias") == segment:
            candidate = folder / "charts" / name
            if (candidate / "Chart.yaml").is_file():
                return candidate
    charts = folder / "charts"
    if charts.is_dir():
        for sub in sorted(charts.iterdir()):
            if chart_yaml(sub).get("name") == segment:
                return sub
    return None


def resolve_template(folder: Path, origin: str) -> tuple[Path, list[tuple[Path, str]]] | None:
    """The template file and the chain of (chart folder, values key) from the top chart down."""
    parts = origin.split("/")[1:]
    chain: list[tuple[Path, str]] = [(folder, "")]
    while len(parts) >= 2 and parts[0] == "charts":
        sub = _subchart(chain[-1][0], parts[1])
        if sub is None:
            return None
        chain.append((sub, parts[1]))
        parts = parts[2:]
    if not parts or ".." in parts:
        return None
    template = chain[-1][0].joinpath(*parts)
    return (template, chain) if template.is_file() else None


def segment_for(text: str, kind: str | None) -> tuple[str, int]:
    """The `---`-separated part of a template that renders `kind`, and its line offset."""
    lines = text.splitlines(keepends=True)
    starts = [0] + [i + 1 for i, line in enumerate(lines) if line.rstrip() == "---"]
    ends = [*starts[1:], len(lines)]
    segments = [(s, lines[s:e]) for s, e in zip(starts, ends, strict=True)]
    if len(segments) < 2 or kind is None:
        return text, 0
    matching = [
        (s, body)
        for s, body in segments
        if any((m := _KIND_RE.match(line)) and m.group(1) == kind for line in body)
    ]
    if len(matching) != 1:
        return text, 0
    start, body = matching[0]
    return "".join(body), start


@cache
def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _line_span(text: str, line: int, column: int) -> Span:
    lines = text.splitlines()
    end = len(lines[line - 1].rstrip()) + 1 if 0 < line <= len(lines) else column + 1
    return Span(line, column, line, max(column + 1, end))


def _first_line(text: str, offset: int) -> Span:
    """The first line of a template document that is YAML, not a comment or an action."""
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped and not stripped.startswith(("#", "{{", "---")):
            span = _line_span(text, number, len(line) - len(line.lstrip()) + 1)
            return Span(span.line + offset, span.column, span.end_line + offset, span.end_column)
    return Span(offset + 1, 1, offset + 1, 2)


def values_layers(
    chain: list[tuple[Path, str]], user_files: tuple[Path, ...]
) -> list[tuple[Path, tuple[str, ...]]]:
    """Values files in precedence order (highest first), each with the prefix of the chart."""
    keys = [key for _, key in chain[1:]]
    layers = [(f, tuple(keys)) for f in reversed(user_files)]
    for depth, (folder, _) in enumerate(chain):
        layers.append((folder / "values.yaml", tuple(keys[depth:])))
    return layers


def find_value(
    layers: list[tuple[Path, tuple[str, ...]]], path: YamlPath, needed: int
) -> Place | None:
    """The values file line that sets `path` (at least `needed` steps of it)."""
    best: tuple[int, Place] | None = None
    first_list = next((i for i, step in enumerate(path) if isinstance(step, int)), None)
    for file, prefix in layers:
        docs = compose_all(file) if file.is_file() else []
        if not docs:
            continue
        full = (*prefix, *path)
        depth, span = depth_in(docs[0], full)
        depth -= len(prefix)
        if depth >= needed and (best is None or depth > best[0]):
            best = (depth, Place(file, span, "value set here"))
        if first_list is not None and depth >= first_list:
            # Helm merges maps but replaces lists: the first file that sets the list owns it.
            owned = depth > first_list or isinstance(
                node_at(docs[0], (*prefix, *path[:first_list])), yaml.SequenceNode
            )
            if owned:
                return best[1] if best and best[1].file == file else None
    return best[1] if best else None


def _helper(folders: list[Path], name: str) -> tuple[Path, str, int] | None:
    for folder in folders:
        templates = folder / "templates"
        if not templates.is_dir():
            continue
        for file in sorted(templates.rglob("*")):
            if file.suffix not in (".tpl", ".yaml", ".yml", ".txt") or not file.is_file():
                continue
            text = _read(file)
            if text is None or "define" not in text:
                continue
            found = define_body(text, name)
            if found is not None:
                return file, found[0], found[1]
    return None


def _index_outer_range(
    scopes: list[Scope], ordinal: tuple[int, int], layers: list[tuple[Path, tuple[str, ...]]]
) -> list[Scope]:
    """Give a `range` around whole documents the index of the rendered document.

    A template that renders one object per item (`range $m := .Values.models` around a
    `---` document) does not say which item an object came from; its position among the
    objects of that template and kind does, when there are as many objects as items.
    """
    open_ranges = [i for i, s in enumerate(scopes) if s.is_range and s.index is None]
    if len(open_ranges) != 1:
        return scopes
    at = open_ranges[0]
    base = values_path(scopes[at].expr, scopes[:at])
    if base is None or value_length(layers, base) != ordinal[1]:
        return scopes
    scope = scopes[at]
    patched = list(scopes)
    patched[at] = Scope(scope.expr, scope.var, True, ordinal[0])
    return patched


def value_length(layers: list[tuple[Path, tuple[str, ...]]], path: YamlPath) -> int | None:
    """The length of the list at `path` in the first values file that sets it."""
    for file, prefix in layers:
        docs = compose_all(file) if file.is_file() else []
        if not docs:
            continue
        node = node_at(docs[0], (*prefix, *path))
        if isinstance(node, yaml.SequenceNode):
            return len(node.value)
        if node is not None:
            return None
    return None


def _untaken_branch(w: Walk, layers: list[tuple[Path, tuple[str, ...]]]) -> bool:
    """The walk stopped on a `toYaml` of a value no values file sets (inside an `if`)."""
    if w.emitter is None or w.emitter[0] != w.line:
        return False
    expr = emitter_expr(w.emitter[2])
    vp = values_path(expr, w.scopes) if expr else None
    if vp is None:
        return False
    return find_value(layers, vp, len(vp)) is None


def chart_folders(top: Path) -> list[Path]:
    """The chart and every subchart below it: helpers may live in a library subchart."""
    found = [top]
    charts = top / "charts"
    if charts.is_dir():
        for sub in sorted(charts.iterdir()):
            if (sub / "Chart.yaml").is_file():
                found.extend(chart_folders(sub))
    return found


@record(frozen=True)
class _Scan:
    """What one walk may look at: a file, a line range of it, and where values come from."""

    file: Path
    text: str
    start: int
    end: int
    layers: list[tuple[Path, tuple[str, ...]]]
    folders: list[Path]
    kind: str | None


def _walk_taken(scan: _Scan, path: YamlPath, ordinal: tuple[int, int] | None) -> Walk:
    skip: set[int] = set()
    while True:
        w = walk(scan.text, path, scan.start, scan.end, frozenset(skip))
        if ordinal is not None:
            w.scopes = _index_outer_range(w.scopes, ordinal, scan.layers)
        if not _untaken_branch(w, scan.layers) or len(skip) > 8:
            return w
        # `{{ if .x }}key: {{ toYaml .x }}{{ else }}key: ...`: the values leave `.x` unset,
        # so the object came from another branch; walk again without this line.
        skip.add(w.line)


def _in_helper(scan: _Scan, name: str, path: YamlPath, hops: int, whole: bool) -> Mapped | None:
    """Follow an `include` into its `define`; `whole`: only a define rendering `scan.kind`."""
    helper = _helper(scan.folders, name)
    if helper is None or hops > 3:
        return None
    file, body, start = helper
    if whole and not any(
        (m := _KIND_RE.match(line)) and m.group(1) == scan.kind for line in body.splitlines()
    ):
        return None
    inner = _Scan(
        file,
        _read(file) or "",
        start,
        start + body.count("\n") + 1,
        scan.layers,
        scan.folders,
        scan.kind,
    )
    return _locate(inner, path, None, hops + 1)


def _locate(
    scan: _Scan, path: YamlPath, ordinal: tuple[int, int] | None, hops: int = 0
) -> Mapped | None:
    """The place for `path` in one template or define body; None when nothing matched."""
    w = _walk_taken(scan, path, ordinal)
    if w.depth == len(path) and w.depth:
        mapped = Mapped(Place(scan.file, _line_span(scan.text, w.line, w.column)))
        if w.value_expr:
            vp = values_path(w.value_expr, w.scopes)
            value = find_value(scan.layers, vp, len(vp)) if vp else None
            if value is not None:
                mapped.related.append(value)
        return mapped
    if w.emitter is not None:
        line, column, action = w.emitter
        emitter = Place(scan.file, _line_span(scan.text, line, column))
        rest = path[w.depth :]
        expr = emitter_expr(action)
        vp = values_path(expr, w.scopes) if expr else None
        if vp is not None:
            value = find_value(scan.layers, (*vp, *rest), len(vp))
            if value is not None:
                return Mapped(value, [Place(scan.file, emitter.span, "rendered by this line")])
        name = include_name(action)
        inner = _in_helper(scan, name, rest, hops, whole=False) if name else None
        if inner is not None:
            inner.related.append(Place(scan.file, emitter.span, "included here"))
            return inner
        if w.depth or hops == 0:
            return Mapped(emitter)
    if w.templated_key is not None and w.depth == len(path) - 1:
        # `{{ $gpuType }}: 1`: the last key is computed; its line is still the one to edit.
        line, column = w.templated_key
        return Mapped(Place(scan.file, _line_span(scan.text, line, column)))
    if w.depth:
        return Mapped(Place(scan.file, _line_span(scan.text, w.line, w.column)))
    # A document made whole by a helper: `{{ include "lib.deployment" . }}`.
    lines = scan.text.splitlines()[scan.start : scan.end]
    for number, text in enumerate(lines, start=scan.start + 1):
        helper = include_name(text)
        inner = _in_helper(scan, helper, path, hops, whole=True) if helper else None
        if inner is not None:
            span = _line_span(scan.text, number, len(text) - len(text.lstrip()) + 1)
            inner.related.append(Place(scan.file, span, "included here"))
            return inner
    return None


def map_helm(
    context: ChartContext,
    origin: str,
    kind: str | None,
    path: YamlPath,
    ordinal: tuple[int, int] | None = None,
) -> Mapped | None:
    """Where to edit for a finding at `path` of an object rendered from `origin`."""
    resolved = resolve_template(context.folder, origin)
    if resolved is None:
        return None
    template, chain = resolved
    text = _read(template)
    if text is None:
        return None
    segment, offset = segment_for(text, kind)
    scan = _Scan(
        template,
        text,
        offset,
        offset + segment.count("\n") + 1,
        values_layers(chain, context.values_files),
        [f for f, _ in reversed(chain)] + chart_folders(context.folder),
        kind,
    )
    found = _locate(scan, path, ordinal)
    return found or Mapped(Place(template, _first_line(segment, offset)))
