"""From a rendered finding back to the Helm template line a user edits.

`helm template` marks each document with `# Source: <chart>/templates/<file>`. When that
template is in the checkout, the finding's YAML path is walked down the template's own keys:
templates keep the shape of what they render, so the keys appear in order, each indented under
its parent. The deepest key found is the line to change; when the rest comes from a helper or
`toYaml .Values...`, that is the line that pulls it in, which is where the user must look.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path, PurePosixPath

from aiconf_lint.model import Finding, Location, Report, Span, YamlPath

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
    return None


def template_line(text: str, path: YamlPath) -> tuple[int, int] | None:
    """1-based (line, column) of the deepest step of `path` the template spells out.

    Keys must appear in order, each indented under the previous one; a list index counts the
    `- ` items of that block. A `{{ range }}` or a helper that emits the rest stops the walk,
    and the deepest line reached is the answer.
    """
    steps = list(path)
    if not steps:
        return None
    found: tuple[int, int] | None = None
    parent = -1  # column of the deepest step matched; what belongs to it is indented more
    pos = 0
    item = -1
    item_indent: int | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith(("#", "{{")):
            continue
        indent = len(line) - len(line.lstrip())
        if indent <= parent:
            break  # left the block of the deepest step found
        column = indent
        rest = line[indent:]
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
        if pos == len(steps):
            break
    return found


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
