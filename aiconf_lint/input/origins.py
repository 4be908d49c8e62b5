"""From a rendered finding back to the Helm template line a user edits.

`helm template` marks each document with `# Source: <chart>/templates/<file>`. When that
template is in the checkout, the finding's YAML path is walked down the template's own keys:
templates keep the shape of what they render, so the keys appear in order, each indented under
its parent. The deepest key found is the line to change; when the rest comes from a helper or
`toYaml .Values...`, that is the line that pulls it in, which is where the user must look.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path, PurePosixPath

from aiconf_lint.model import Finding, Location, Report, Span, YamlPath
from aiconf_lint.records import record, replace

_KEY_RE = re.compile(
    r"""^(?P<indent>\s*)(?:-\s+)*(?P<quote>["']?)(?P<key>[^"':{}#\s][^"':]*?)(?P=quote)\s*:(?:\s|$)"""
)


def find_template(origin: str, rendered: str, root: Path) -> Path | None:
    """The template file a `# Source:` path names, looked for from the rendered file up to root.

    Helm prefixes the path with the chart *name*, which need not be its directory's name, so
    each folder is tried with the path as written, under `charts/`, and, when the folder is a
    chart (it has a `Chart.yaml`), with the chart-relative rest (`templates/job.yaml`).
    """
    origin_path = PurePosixPath(origin)
    parts = origin_path.parts
    if not parts or origin_path.is_absolute() or ".." in parts:
        return None
    rest = PurePosixPath(*parts[1:]) if len(parts) > 1 else None
    rendered_path = Path(rendered)
    start = rendered_path if rendered_path.is_absolute() else root / rendered_path
    resolved_root = root.resolve()
    folders = [f for f in start.resolve().parents if f.is_relative_to(resolved_root)]
    for folder in folders or [resolved_root]:
        candidates = [folder / origin, folder / "charts" / origin]
        if rest is not None and (folder / "Chart.yaml").is_file():
            candidates.append(folder / rest)
        for candidate in candidates:
            if candidate.is_file():
                return candidate
    if rest is not None:
        for chart in charts_named(parts[0], resolved_root):
            if (chart / rest).is_file():
                return chart / rest
    return None


_CHART_NAME_RE = re.compile(r"^name:\s*[\"']?([^\"'#\s]+)", re.MULTILINE)
_SKIP_DIRS = frozenset({".git", "node_modules", ".venv", "venv", "__pycache__", "templates"})
_MAX_CHART_DEPTH = 6


def charts_named(name: str, root: Path) -> tuple[Path, ...]:
    """Chart folders under `root` whose `Chart.yaml` says `name: <name>`, whatever the folder
    is called (a `helm/` folder holding chart `vllm-stack` is common); shallow and cached."""
    return chart_index(root).get(name, ())


@lru_cache(maxsize=8)
def chart_index(root: Path) -> dict[str, tuple[Path, ...]]:
    """Every chart under `root` by the name its `Chart.yaml` gives: one walk for all names (a
    rendered stream names many charts, and each name used to walk the tree again)."""
    found: dict[str, list[Path]] = {}
    for folder, dirnames, filenames in os.walk(root):
        here = Path(folder)
        depth = len(here.relative_to(root).parts)
        dirnames[:] = (
            []
            if depth >= _MAX_CHART_DEPTH
            else sorted(d for d in dirnames if d not in _SKIP_DIRS and not d.startswith("."))
        )
        if "Chart.yaml" not in filenames:
            continue
        try:
            chart_text = (here / "Chart.yaml").read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        match = _CHART_NAME_RE.search(chart_text)
        if match is not None:
            found.setdefault(match.group(1), []).append(here)
    return {name: tuple(folders) for name, folders in found.items()}


def template_line(text: str, path: YamlPath) -> tuple[int, int] | None:
    """1-based (line, column) of the deepest step of `path` the template spells out.

    Keys must appear in order, each indented under the previous one; a list index counts the
    `- ` items of that block. A `{{ range }}` or a helper that emits the rest stops the walk,
    and the deepest line reached is the answer (the helper's line, when one follows it). When
    the walk ends inside one branch of an `if`/`else`, the other branches are tried as well:
    the branch that spells out more of the path is the one that rendered it.
    """
    steps = list(path)
    if not steps:
        return None
    lines = text.splitlines()
    best = _walk(lines, steps)
    owners = _branch_owners(lines)
    hidden: set[tuple[int, int]] = set()
    for _ in range(_MAX_BRANCH_TRIES):
        if best.depth == len(steps) or best.last_line is None:
            break
        enclosing = owners[best.last_line - 1]
        if not enclosing or enclosing[-1] in hidden:
            break
        hidden.add(enclosing[-1])
        shown = ["" if hidden.intersection(owners[i]) else line for i, line in enumerate(lines)]
        candidate = _walk(shown, steps)
        if candidate.depth <= best.depth:
            break
        best = candidate
    return best.answer


_MAX_BRANCH_TRIES = 8
_ACTION_RE = re.compile(r"\{\{-?\s*(if|else|end|with|range|define|block)\b")
_CONTROL_RE = re.compile(
    r"^\{\{-?\s*(?:(?:if|else|end|with|range|define|block|break|continue)\b|/\*|\$\w+\s*:?=)"
)
"""Template lines that emit nothing: control actions, comments, variable assignments."""


@record(frozen=True)
class _Walk:
    """How far a template walk got: the answer, the steps matched, the last matched line."""

    answer: tuple[int, int] | None
    depth: int
    last_line: int | None


def _walk(lines: list[str], steps: list[str | int]) -> _Walk:
    found: tuple[int, int] | None = None
    emitter: tuple[int, int] | None = None  # a `{{ include }}` line right after the deepest match
    content = False  # whether a plain line followed the deepest match (then no emitter counts)
    parent = -1  # column of the deepest step matched; what belongs to it is indented more
    pos = 0
    item = -1
    item_indent: int | None = None
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(line) - len(line.lstrip())
        if stripped.startswith("{{"):
            if found and not (emitter or content) and not _CONTROL_RE.match(stripped):
                emitter = (number, indent + 1)
            continue
        if indent <= parent:
            break  # left the block of the deepest step found
        column = indent
        rest = line[indent:]
        matched = pos
        while pos < len(steps):
            step = steps[pos]
            if isinstance(step, int):
                if not rest.startswith("-") or (item_indent is not None and column != item_indent):
                    break
                item_indent = column
                item += 1
                if item != step:
                    break
                found, parent, pos = (number, column + 1), column, pos + 1
                item, item_indent = -1, None
                after = rest[1:]
                column += 1 + len(after) - len(after.lstrip())
                rest = after.lstrip()
                continue
            match = _KEY_RE.match(rest)
            if match is None or match.group("key").strip() != step:
                break
            key_column = column + match.start("key") - len(match.group("quote"))
            found, parent, pos = (number, key_column + 1), key_column, pos + 1
            break
        content = pos == matched and found is not None
        if pos > matched:
            emitter = None
        if pos == len(steps):
            break
    last_line = found[0] if found else None
    if pos < len(steps) and emitter is not None:
        return _Walk(emitter, pos, last_line)
    return _Walk(found, pos, last_line)


def _branch_owners(lines: list[str]) -> list[tuple[tuple[int, int], ...]]:
    """For each line, the `if`/`with` branches that enclose it, outermost first.

    A branch is (chain number, branch number): `{{ if }}` opens branch 0 of a new chain, each
    `{{ else }}` moves to the next branch, `{{ end }}` closes the chain; `range` and `define`
    blocks are tracked only so that their `end` closes the right thing.
    """
    owners: list[tuple[tuple[int, int], ...]] = []
    stack: list[tuple[int, int] | None] = []
    chains = 0
    for line in lines:
        owners.append(tuple(b for b in stack if b is not None))
        for match in _ACTION_RE.finditer(line):
            action = match.group(1)
            if action in ("if", "with"):
                stack.append((chains, 0))
                chains += 1
            elif action in ("range", "define", "block"):
                stack.append(None)
            elif action == "else" and stack and stack[-1] is not None:
                chain, branch = stack[-1]
                stack[-1] = (chain, branch + 1)
            elif action == "end" and stack:
                stack.pop()
    return owners


_KIND_RE = re.compile(r"^kind:\s*[\"']?([A-Za-z0-9]+)")


def _segment_for(text: str, kind: str | None) -> tuple[str, int]:
    """The part of a multi-document template that renders `kind`, and its line offset."""
    lines = text.splitlines(keepends=True)
    starts = [0] + [i + 1 for i, line in enumerate(lines) if line.rstrip() == "---"]
    ends = [*starts[1:], len(lines)]
    segments = [(start, lines[start:end]) for start, end in zip(starts, ends, strict=True)]
    if len(segments) < 2 or kind is None:
        return text, 0
    matching = [
        (start, body)
        for start, body in segments
        if any((m := _KIND_RE.match(line)) and m.group(1) == kind for line in body)
    ]
    if len(matching) != 1:
        return text, 0
    start, body = matching[0]
    return "".join(body), start


def locate_in_template(text: str, kind: str | None, path: YamlPath) -> tuple[int, int] | None:
    segment, offset = _segment_for(text, kind)
    where = template_line(segment, path)
    return None if where is None else (where[0] + offset, where[1])


def _display(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def resolve_origins(report: Report, root: Path) -> None:
    """Point each finding rendered from a template at the template file and line, where found."""
    files: dict[tuple[str, str], Path | None] = {}
    texts: dict[Path, str | None] = {}
    resolved: list[Finding] = []
    for finding in report.findings:
        loc = finding.location
        if not loc.origin:
            resolved.append(finding)
            continue
        key = (loc.origin, loc.file)
        if key not in files:
            files[key] = find_template(loc.origin, loc.file, root)
        template = files[key]
        if template is None:
            resolved.append(finding)
            continue
        if template not in texts:
            try:
                texts[template] = template.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                texts[template] = None
        text = texts[template]
        kind = loc.obj.kind if loc.obj else None
        where = locate_in_template(text, kind, loc.path) if text is not None else None
        span = None
        if where is not None and text is not None:
            line_text = text.splitlines()[where[0] - 1].rstrip()
            span = Span(where[0], where[1], where[0], max(where[1] + 1, len(line_text) + 1))
        located: Location = replace(loc, origin_file=_display(template, root), origin_span=span)
        resolved.append(replace(finding, location=located))
    report.findings = resolved
