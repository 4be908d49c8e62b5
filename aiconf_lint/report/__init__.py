"""`aiconf-lint report`: how ready a platform repository is for an AI Conformance checklist.

For every requirement of the chosen profile: the objects that show it (evidence, with file and
line), the findings of the normal lint run that stand in its way, and what is missing. Flow:
`collect` (read, lint, bundle) -> `detectors` (evidence per requirement id) -> `assess`
(status) -> one of the renderers (Markdown, JSON, HTML, the CNCF checklist YAML).
"""

from __future__ import annotations

import enum
from collections.abc import Sequence

from aiconf_lint.model import Severity
from aiconf_lint.profiles import PROFILES
from aiconf_lint.report.model import Readiness
from aiconf_lint.settings import Settings


class ReportFormat(enum.StrEnum):
    MARKDOWN = "markdown"
    JSON = "json"
    CHECKLIST = "checklist"
    HTML = "html"


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
    profile = PROFILES[settings.profile.version]
    return assess(collected, profile, paths, block_on)


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
