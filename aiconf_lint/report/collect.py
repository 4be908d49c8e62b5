"""Read the paths once, lint them with the normal engine, and keep the bundle for evidence.

The report needs both halves of a run: the findings (what stands in a requirement's way) and
the objects themselves (what shows it). Discovery, reading and the rendering of charts and
overlays are `check`'s own, so anything `check` sees, the report sees; the bundle is built a
second time from the same parsed sources and renders, which costs one pass over the objects
and no parsing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from aiconf_lint.engine import build_bundle, lint
from aiconf_lint.input.gcpause import paused_gc
from aiconf_lint.input.source import SourceFile
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
    plan = None
    if settings.render:
        from aiconf_lint.render.plan import plan_renders

        plan = plan_renders(paths, settings)
        paths = plan.plain
    with paused_gc():
        sources, problems, notes = read_sources(paths, settings, stdin_filename, stdin_bytes)
        if plan is not None and (plan.covered or plan.charts):
            sources = [source for source in sources if plan.keeps(source.path)]
        rules = enabled_rules(settings)
        report = lint(sources, settings, rules)
    if any(finding.location.origin for finding in report.findings):
        from aiconf_lint.input.origins import resolve_origins

        resolve_origins(report, Path.cwd())
    rendered: list[SourceFile] = []
    if plan is not None and plan.targets:
        from aiconf_lint.render.lint import lint_renders

        # Charts and overlays count as evidence as they deploy: their renders join the bundle.
        rendered = lint_renders(plan, settings, rules, report, lint)
    with paused_gc():
        bundle = build_bundle([*sources, *rendered], settings, Report())
    report.errors.extend(problems)
    report.notes.extend(notes)
    return Collected(report, bundle, Context(settings, bundle))
