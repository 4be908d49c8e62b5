"""What `check` makes of its options before and after the run: usage errors, and warnings for
runs that checked nothing (which must never read as "All checks passed")."""

from __future__ import annotations

import sys
from pathlib import Path

from aiconf_lint.errors import ConfigError
from aiconf_lint.model import Report
from aiconf_lint.output.render import OutputFormat


def check_usage(
    paths: list[str] | None, fmt: OutputFormat, statistics: bool, stdin_filename: str | None
) -> list[str]:
    """The paths to check; options that would be accepted and then ignored are errors."""
    if statistics and fmt in (OutputFormat.SARIF, OutputFormat.GITHUB):
        raise ConfigError(
            f"--statistics prints a table or JSON; it cannot be combined with --output-format {fmt}"
        )
    if not paths:
        # ruff's convention: `--stdin-filename` alone means "read stdin".
        return ["-"] if stdin_filename is not None else ["."]
    if stdin_filename is not None and "-" not in paths:
        sys.stderr.write(
            "warning: --stdin-filename names stdin, but `-` is not among the paths; ignored\n"
        )
    return paths


def nothing_checked_warnings(report: Report) -> list[str]:
    if report.rules_enabled == 0:
        return ["no rules are enabled (see `select` and `ignore`): nothing was checked"]
    if report.files_checked == 0 and not report.errors:
        return ["no YAML or JSON manifests found in the given paths: nothing was checked"]
    return []


def git_top_level(start: Path) -> Path | None:
    """The nearest folder with a `.git` (directory, or file in a worktree), without running git."""
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return None


def sarif_root_for(explicit: Path | None) -> Path:
    """What SARIF URIs are relative to: `--sarif-root`, else the git top level, else the cwd.

    GitHub resolves URIs against the repository root, so a run from a subfolder must not make
    them relative to that subfolder.
    """
    if explicit is not None:
        return explicit.resolve()
    cwd = Path.cwd()
    return git_top_level(cwd.resolve()) or cwd
