"""GitHub Actions workflow commands, which the runner turns into annotations on the diff.

`::error file=F,line=L,col=C,endLine=L,endColumn=C,title=T::message` (`warning`, `notice` by
severity). Escaping follows `@actions/core` exactly: `%`, CR and LF in the message; those plus
`:` and `,` in property values, where they would otherwise end the value. GitHub accepts column
ranges only on one line, so a span over several lines sends lines alone.
"""

from __future__ import annotations

from aiconf_lint.model import Finding, InputProblem, Report, Severity

_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _properties(pairs: list[tuple[str, str | int]]) -> str:
    return ",".join(f"{key}={escape_property(str(value))}" for key, value in pairs)


def finding_command(finding: Finding) -> str:
    loc = finding.location
    span = loc.span
    pairs: list[tuple[str, str | int]] = [("file", loc.file), ("line", span.line)]
    if span.end_line == span.line:
        pairs += [("col", span.column), ("endLine", span.end_line), ("endColumn", span.end_column)]
    else:
        pairs.append(("endLine", span.end_line))
    pairs.append(("title", f"aiconf-lint ({finding.code})"))
    message = f"{finding.code} {finding.message}"
    if loc.origin:
        message += f" [from {loc.origin}]"
    if loc.rendered is not None:
        from aiconf_lint.output.text import rendered_text

        message += f" [{rendered_text(finding)}]"
    return f"::{_COMMAND[finding.severity]} {_properties(pairs)}::{escape_data(message)}"


def error_command(error: InputProblem) -> str:
    pairs: list[tuple[str, str | int]] = [("file", error.file)]
    if error.line:
        pairs.append(("line", error.line))
    pairs.append(("title", "aiconf-lint"))
    return f"::error {_properties(pairs)}::{escape_data(error.message)}"


def render_github(report: Report) -> str:
    lines = [finding_command(finding) for finding in report.findings]
    lines.extend(error_command(error) for error in report.errors)
    return "\n".join(lines) + ("\n" if lines else "")
