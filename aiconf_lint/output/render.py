"""Pick the renderer for `--output-format`; SARIF is imported lazily (it is the heavy one)."""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import TYPE_CHECKING

from aiconf_lint.model import Report

if TYPE_CHECKING:
    from aiconf_lint.output.sarif import SarifOptions


class OutputFormat(enum.StrEnum):
    FULL = "full"
    TEXT = "text"
    """Another name for `full`: `rules`, `rule` and `profiles` call their text format `text`."""
    CONCISE = "concise"
    JSON = "json"
    GITHUB = "github"
    SARIF = "sarif"


class DocFormat(enum.StrEnum):
    """`--output-format` of `rules`, `rule` and `profiles`."""

    TEXT = "text"
    JSON = "json"


def renderer(
    fmt: OutputFormat, sarif: SarifOptions | None = None, quiet: bool = False
) -> Callable[[Report], str]:
    """The render function for `fmt`; `sarif` carries what SARIF needs beyond the report;
    `quiet` drops the full format's summary line (`-q`)."""
    if fmt is OutputFormat.SARIF:
        from aiconf_lint.output.sarif import render_sarif

        return lambda report: render_sarif(report, sarif)
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

    return lambda report: render_full(report, summary=not quiet)
