"""Where SARIF results point: repo-relative URIs, Helm template files, region snippets.

GitHub resolves relative URIs against the checkout (`%SRCROOT%`). An absolute path inside the
checkout loses its fingerprint and file preview, and one outside it cannot be shown at all, so
paths are made relative wherever they can be.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote

from aiconf_lint.model import Span
from aiconf_lint.output.lines import text_lines

SRCROOT = "%SRCROOT%"


def artifact_uri(file: str, root: Path) -> str:
    """A repo-relative URI when `file` is below `root` (symlinks resolved), else a file URI.

    GitHub resolves relative URIs against the checkout; an absolute path inside the checkout
    would lose its fingerprint and its file preview, and one outside it cannot be shown at all.
    """
    if file.startswith("<") and file.endswith(">"):  # <stdin> without --stdin-filename
        return quote(file.strip("<>"))
    path = Path(file)
    absolute = path if path.is_absolute() else Path.cwd() / path  # paths are as typed
    for candidate in (absolute.resolve(), Path(os.path.abspath(absolute))):
        for base in (root.resolve(), Path(os.path.abspath(root))):
            if candidate.is_relative_to(base):
                return quote(candidate.relative_to(base).as_posix())
    return Path(os.path.abspath(absolute)).as_uri()


def is_relative(uri: str) -> bool:
    return "://" not in uri and not uri.startswith("/")


def template_file(origin: str, rendered: str, root: Path) -> str | None:
    """The repo-relative URI of a Helm `# Source:` template, when it is in the checkout."""
    from aiconf_lint.input.origins import find_template

    found = find_template(origin, os.path.abspath(rendered), root)
    if found is None:
        return None
    uri = artifact_uri(str(found), root)
    return uri if is_relative(uri) else None


def region_text(text: str | None, span: Span) -> str | None:
    if text is None:
        return None
    lines = text_lines(text)
    if not 0 < span.line <= len(lines) or not 0 < span.end_line <= len(lines):
        return None
    if span.line == span.end_line:
        return lines[span.line - 1][span.column - 1 : span.end_column - 1] or None
    chunk = [lines[span.line - 1][span.column - 1 :], *lines[span.line : span.end_line - 1]]
    chunk.append(lines[span.end_line - 1][: span.end_column - 1])
    return "\n".join(chunk) or None
