"""GitHub Actions workflow commands, which the runner turns into annotations on the diff."""

from __future__ import annotations

from aiconf_lint.model import Report, Severity

_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(report: Report) -> str:
    lines: list[str] = []
    for finding in report.findings:
        loc = finding.location
        span = loc.span
        props = ",".join(
            [
                f"file={escape_property(loc.file)}",
                f"line={span.line}",
                f"col={span.column}",
                f"endLine={span.end_line}",
                f"endColumn={span.end_column}",
                f"title={escape_property(f'aiconf-lint ({finding.code})')}",
            ]
        )
        message = f"{finding.code} {finding.message}"
        if loc.origin:
            message += f" [from {loc.origin}]"
        lines.append(f"::{_COMMAND[finding.severity]} {props}::{escape_data(message)}")
    for error in report.errors:
        props = f"file={escape_property(error.file)}"
        if error.line:
            props += f",line={error.line}"
        lines.append(f"::error {props}::{escape_data(error.message)}")
    return "\n".join(lines) + ("\n" if lines else "")
