"""Human output: `concise` (one line a finding, for editors and grep) and `full` (with snippet)."""

from __future__ import annotations

from aiconf_lint.model import Finding, Report
from aiconf_lint.output.lines import text_lines


def origin_text(finding: Finding) -> str | None:
    """The template to edit: `chart/templates/job.yaml:24` when it was found in the checkout."""
    loc = finding.location
    if loc.origin_file and loc.origin_span:
        return f"{loc.origin_file}:{loc.origin_span.line}"
    return loc.origin_file or loc.origin


def rendered_text(finding: Finding) -> str | None:
    """`helm charts/x (values-prod.yaml)` for a finding mapped back from a render."""
    rendered = finding.location.rendered
    if rendered is None:
        return None
    values = f" ({rendered.values_set})" if rendered.values_set is not None else ""
    return f"{rendered.renderer} {rendered.target}{values}"


def _suffix(finding: Finding) -> str:
    rendered = rendered_text(finding)
    if rendered:
        return f" [{rendered}]"
    origin = origin_text(finding)
    return f" [from {origin}]" if origin else ""


def concise_line(finding: Finding) -> str:
    loc = finding.location
    return (
        f"{loc.file}:{loc.span.line}:{loc.span.column}: {finding.code} {finding.message}"
        f"{_suffix(finding)}"
    )


def render_concise(report: Report) -> str:
    lines = [concise_line(finding) for finding in report.findings]
    lines.extend(_error_lines(report))
    return "\n".join(lines) + ("\n" if lines else "")


def _error_lines(report: Report) -> list[str]:
    return [
        f"{e.file}:{e.line}: error: {e.message}" if e.line else f"{e.file}: error: {e.message}"
        for e in report.errors
    ]


MAX_SNIPPET_WIDTH = 120
"""Snippet lines longer than this are cut to a window around the finding (minified JSON,
base64 blobs and long `args` strings would otherwise fill the terminal)."""
_ELLIPSIS = "..."


def _window(line: str, start: int, end: int) -> tuple[str, int, int]:
    """`line` cut to at most MAX_SNIPPET_WIDTH characters around the 0-based [start, end)."""
    if len(line) <= MAX_SNIPPET_WIDTH:
        return line, start, end
    room = MAX_SNIPPET_WIDTH - 2 * len(_ELLIPSIS)
    end = min(end, start + room)
    left = max(0, min(start - (room - (end - start)) // 2, len(line) - room))
    right = min(len(line), left + room)
    prefix = _ELLIPSIS if left > 0 else ""
    suffix = _ELLIPSIS if right < len(line) else ""
    shift = len(prefix) - left
    return f"{prefix}{line[left:right]}{suffix}", start + shift, end + shift


def _snippet(text: str, finding: Finding) -> list[str]:
    span = finding.location.span
    lines = text_lines(text)
    if not 0 < span.line <= len(lines):
        return []
    source_line = lines[span.line - 1].expandtabs(1)
    width = len(str(span.line))
    end = span.end_column if span.end_line == span.line else len(source_line) + 1
    shown, start, stop = _window(source_line, span.column - 1, max(end - 1, span.column))
    carets = "^" * max(1, stop - start)
    pad = " " * width
    return [
        f"{pad} |",
        f"{span.line} | {shown}",
        f"{pad} | {' ' * start}{carets}",
    ]


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def fix_counts(findings: list[Finding]) -> tuple[int, int]:
    """(safe, unsafe) fixes among `findings`: `fix` applies the first, `--unsafe-fixes` both."""
    safe = sum(1 for f in findings if f.fix is not None and f.fix.applicability == "safe")
    unsafe = sum(1 for f in findings if f.fix is not None and f.fix.applicability == "unsafe")
    return safe, unsafe


def summary_line(report: Report) -> str:
    """The last line of the full format: what was found, or what was (not) checked."""
    if report.findings:
        text = f"Found {plural(len(report.findings), 'finding')}"
        safe, unsafe = fix_counts(report.findings)
        if safe and unsafe:
            text += f" ({safe} fixable with `aiconf-lint fix`; {unsafe} more with `--unsafe-fixes`)"
        elif safe:
            text += f" ({safe} fixable with `aiconf-lint fix`)"
        elif unsafe:
            text += f" ({unsafe} fixable with `aiconf-lint fix --unsafe-fixes`)"
        return text + "."
    if report.errors:
        return ""
    if report.files_checked == 0:
        return "Nothing checked: no YAML files found."
    if report.rules_enabled == 0:
        return "Nothing checked: no rules are enabled."
    counts = f"{plural(report.files_checked, 'file')}, {plural(report.objects, 'object')}"
    return f"All checks passed ({counts})."


def render_full(report: Report, summary: bool = True) -> str:
    blocks: list[str] = []
    for finding in report.findings:
        loc = finding.location
        lines = [
            f"{loc.file}:{loc.span.line}:{loc.span.column}: {finding.code} [{finding.severity}] "
            f"{finding.message}"
        ]
        lines.extend(_snippet(report.texts.get(loc.file, ""), finding))
        if loc.obj is not None:
            lines.append(f"  = object: {loc.obj.display()}")
        if loc.origin:
            lines.append(f"  = origin: {origin_text(finding)}")
        if loc.rendered is not None:
            where = f"line {loc.rendered.span.line} of the render"
            lines.append(f"  = rendered: {rendered_text(finding)} ({where})")
            lines.extend(f"  = {r.note}: {r.file}:{r.span.line}" for r in finding.related if r.note)
        if finding.requirements:
            lines.append(f"  = requirement: {', '.join(finding.requirements)}")
        if finding.fix is not None:
            lines.append(f"  = fix ({finding.fix.applicability}): {finding.fix.title}")
        blocks.append("\n".join(lines))
    text = "\n\n".join(blocks)
    errors = _error_lines(report)
    if errors:
        text = "\n".join(filter(None, [text, *errors]))
    last = summary_line(report) if summary else ""
    if last:
        text = f"{text}\n\n{last}" if text else last
    return text + "\n" if text else ""
