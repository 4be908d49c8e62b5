"""Where SARIF results point: repo-relative URIs, Helm template files, region snippets.

GitHub resolves relative URIs against the checkout (`%SRCROOT%`). An absolute path inside the
checkout loses its fingerprint and file preview, and one outside it cannot be shown at all, so
paths are made relative wherever they can be.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath
from urllib.parse import quote

from aiconf_lint.model import Span

SRCROOT = "%SRCROOT%"


def artifact_uri(file: str, root: Path) -> str:
    """A repo-relative URI when `file` is below `root` (symlinks resolved), else a file URI.

    GitHub resolves relative URIs against the checkout; an absolute path inside the checkout
    would lose its fingerprint and its file preview, and one outside it cannot be shown at all.
    """
    if file.startswith("<") and file.endswith(">"):  # <stdin> without --stdin-filename
        return quote(file.strip("<>"))
    path = Path(file)
    absolute = path if path.is_absolute() else root / path
    for candidate in (absolute.resolve(), Path(os.path.abspath(absolute))):
        for base in (root.resolve(), Path(os.path.abspath(root))):
            if candidate.is_relative_to(base):
                return quote(candidate.relative_to(base).as_posix())
    return Path(os.path.abspath(absolute)).as_uri()


def is_relative(uri: str) -> bool:
    return "://" not in uri and not uri.startswith("/")


def template_file(origin: str, rendered: str, root: Path) -> str | None:
    """The repo path of a Helm `# Source:` template, when it can be found; else None.

    Helm prefixes the path with the chart *name*, which need not be its directory's name
    (kube-linter#212), so every directory from the rendered file up to `root` is tried with
    the path as written, under `charts/`, and, when the directory is a chart (it has a
    `Chart.yaml`), with the chart-relative rest (`templates/job.yaml`).
    """
    origin_path = PurePosixPath(origin)
    parts = origin_path.parts
    if not parts or origin_path.is_absolute() or ".." in parts:
        return None
    rest = PurePosixPath(*parts[1:]) if len(parts) > 1 else None
    rendered_path = Path(rendered)
    start = rendered_path if rendered_path.is_absolute() else root / rendered_path
    folders = [f for f in start.parents if f.is_relative_to(root)] or [root]
    for folder in folders:
        candidates = [folder / origin, folder / "charts" / origin]
        if rest is not None and (folder / "Chart.yaml").is_file():
            candidates.append(folder / rest)
        for candidate in candidates:
            if candidate.is_file():
                uri = artifact_uri(str(candidate), root)
                if is_relative(uri):
                    return uri
    return None


def region_text(text: str | None, span: Span) -> str | None:
    if text is None:
        return None
    lines = text.splitlines()
    if not 0 < span.line <= len(lines) or not 0 < span.end_line <= len(lines):
        return None
    if span.line == span.end_line:
        return lines[span.line - 1][span.column - 1 : span.end_column - 1] or None
    chunk = [lines[span.line - 1][span.column - 1 :], *lines[span.line : span.end_line - 1]]
    chunk.append(lines[span.end_line - 1][: span.end_column - 1])
    return "\n".join(chunk) or None
