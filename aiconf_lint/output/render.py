"""Pick the renderer for `--output-format`; SARIF is imported lazily (it is the heavy one)."""

from __future__ import annotations

import enum
from collections.abc import Callable

from aiconf_lint.model import Report


class OutputFormat(enum.StrEnum):
    FULL = "full"
    CONCISE = "concise"
    JSON = "json"
    GITHUB = "github"


def renderer(fmt: OutputFormat) -> Callable[[Report], str]:
    if fmt is OutputFormat.CONCISE:
        from aiconf_lint.output.text import render_concise

        return render_concise
    if fmt is OutputFormat.JSON:
        from aiconf_lint.output.json_format import render_json

        return render_json
    if fmt is OutputFormat.GITHUB:
        from aiconf_lint.output.github import render_github

        return render_github
    from aiconf_lint.output.text import render_full

    return render_full
