"""Human output: `concise` (one line a finding, for editors and grep) and `full` (with snippet)."""

from __future__ import annotations

from aiconf_lint.model import Finding, Report


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


def _snippet(text: str, finding: Finding) -> list[str]:
    span = finding.location.span
    lines = text.splitlines()
    if not 0 < span.line <= len(lines):
        return []
    source_line = lines[span.line - 1].expandtabs(1)
    width = len(str(span.line))
    end = span.end_column if span.end_line == span.line else len(source_line) + 1
    carets = "^" * max(1, end - span.column)
    pad = " " * width
    return [
        f"{pad} |",
        f"{span.line} | {source_line}",
        f"{pad} | {' ' * (span.column - 1)}{carets}",
    ]


def render_full(report: Report) -> str:
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
    if report.findings:
        fixable = sum(1 for f in report.findings if f.fix is not None)
        summary = f"Found {len(report.findings)} finding{'s' if len(report.findings) != 1 else ''}"
        if fixable:
            summary += f" ({fixable} with a fix: `aiconf-lint fix`)"
        text += f"\n\n{summary}."
    elif not report.errors:
        text = f"All checks passed ({report.files_checked} files, {report.objects} objects)."
    return text + "\n"
