"""`aiconf-lint report`: how ready a platform repository is for an AI Conformance checklist.

For every requirement of the chosen profile: the objects that show it (evidence, with file and
line), the findings of the normal lint run that stand in its way, and what is missing. Flow:
`collect` (read, lint, bundle) -> `detectors` (evidence per requirement id) -> `assess`
(status) -> one of the renderers (Markdown, JSON, HTML, the CNCF checklist YAML); `api` has
the entry points.
"""

from __future__ import annotations

import enum


class ReportFormat(enum.StrEnum):
    """`--output-format` of `report`; here so the CLI can name it without loading the report."""

    MARKDOWN = "markdown"
    JSON = "json"
    CHECKLIST = "checklist"
    HTML = "html"
