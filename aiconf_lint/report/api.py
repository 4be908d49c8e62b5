"""The report's entry points: assess paths against a profile, render the result.

`aiconf_lint.report` itself holds only the format enum, which the CLI imports at start-up.
"""

from __future__ import annotations

from collections.abc import Sequence

from aiconf_lint.model import Severity
from aiconf_lint.report import ReportFormat
from aiconf_lint.report.model import Readiness
from aiconf_lint.settings import Settings


def readiness(
    paths: Sequence[str],
    settings: Settings,
    block_on: Severity = Severity.WARNING,
    stdin_filename: str | None = None,
    stdin_bytes: bytes | None = None,
) -> Readiness:
    """Check `paths` and assess them against `settings.profile`; the API behind the command."""
    from aiconf_lint.report.assess import assess
    from aiconf_lint.report.collect import collect

    collected = collect(paths, settings, stdin_filename, stdin_bytes)
    return assess(collected, settings.profile, paths, block_on)


def render(readiness_: Readiness, fmt: ReportFormat, base_url: str | None = None) -> str:
    if fmt is ReportFormat.JSON:
        from aiconf_lint.report.render_json import render_json

        return render_json(readiness_)
    if fmt is ReportFormat.CHECKLIST:
        from aiconf_lint.report.render_checklist import render_checklist

        return render_checklist(readiness_, base_url)
    if fmt is ReportFormat.HTML:
        from aiconf_lint.report.render_html import render_html

        return render_html(readiness_)
    from aiconf_lint.report.render_markdown import render_markdown

    return render_markdown(readiness_)
