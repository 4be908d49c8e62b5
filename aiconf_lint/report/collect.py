"""Read the paths once, lint them with the normal engine, and keep the bundle for evidence.

The report needs both halves of a run: the findings (what stands in a requirement's way) and
the objects themselves (what shows it). `runner.read_sources` does discovery and reading (and
rendering, where the runner renders charts and overlays), so anything `check` sees, the
report sees; the bundle is built a second time from the same parsed sources, which costs one
pass over the objects and no parsing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from aiconf_lint.engine import build_bundle, lint
from aiconf_lint.input.gcpause import paused_gc
from aiconf_lint.k8s.bundle import Bundle
from aiconf_lint.model import Report
from aiconf_lint.rule import Context
from aiconf_lint.runner import enabled_rules, read_sources
from aiconf_lint.settings import Settings


@dataclass(slots=True)
class Collected:
    report: Report
    bundle: Bundle
    ctx: Context


def collect(
    paths: Sequence[str],
    settings: Settings,
    stdin_filename: str | None = None,
    stdin_bytes: bytes | None = None,
) -> Collected:
    with paused_gc():
        sources, problems, notes = read_sources(paths, settings, stdin_filename, stdin_bytes)
        report = lint(sources, settings, enabled_rules(settings))
        bundle = build_bundle(sources, settings, Report())
    if any(finding.location.origin for finding in report.findings):
        from aiconf_lint.input.origins import resolve_origins

        resolve_origins(report, Path.cwd())
    report.errors.extend(problems)
    report.notes.extend(notes)
    return Collected(report, bundle, Context(settings, bundle))
