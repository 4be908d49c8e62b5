"""Read the paths once, lint them with the normal engine, and keep the bundle for evidence.

The report needs both halves of a run: the findings (what stands in a requirement's way) and
the objects themselves (what shows it). Discovery, reading and the rendering of charts and
overlays are `check`'s own, so anything `check` sees, the report sees; the bundle is built a
second time from the same parsed sources and renders, which costs one pass over the objects
and no parsing.
"""

from __future__ import annotations

from collections.abc import Sequence

from aiconf_lint.engine import build_bundle
from aiconf_lint.input.gcpause import paused_gc
from aiconf_lint.k8s.bundle import Bundle
from aiconf_lint.model import Report
from aiconf_lint.records import record
from aiconf_lint.rule import Context
from aiconf_lint.runner import lint_run
from aiconf_lint.settings import Settings


@record
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
    run = lint_run(paths, settings, stdin_filename, stdin_bytes)
    # Charts and overlays count as evidence as they deploy: their renders join the bundle.
    with paused_gc():
        bundle = build_bundle(run.sources, settings, Report())
    report = run.report
    return Collected(report, bundle, Context(settings, bundle))
