"""From paths to a report: discover, read, parse, lint. The CLI and the API both call this."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path

from aiconf_lint.engine import lint
from aiconf_lint.input.discovery import discover, is_python_path
from aiconf_lint.input.gcpause import paused_gc
from aiconf_lint.input.load import Limits, load_bytes
from aiconf_lint.input.positions import Positions
from aiconf_lint.input.source import SourceFile
from aiconf_lint.input.tree import shared_scans
from aiconf_lint.model import InputProblem, Report
from aiconf_lint.records import record
from aiconf_lint.rule import Rule
from aiconf_lint.rules import RuleEntry
from aiconf_lint.selection import select_entries, select_rules
from aiconf_lint.settings import Settings

EMPTY_STDIN = "nothing to check: stdin is empty (did the command before the pipe fail?)"


def is_k8s_json(raw: bytes) -> bool:
    """Whether a `*.json` file found by the walk holds a Kubernetes object (or a `List`).

    kubectl reads JSON manifests, but a chart folder also holds package.json and friends,
    which are not ours to judge: those are skipped without a word.
    """
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return False
    return isinstance(data, dict) and "apiVersion" in data and "kind" in data


def enabled_rules(settings: Settings) -> list[type[Rule]]:
    """The enabled rule classes, every one imported (fixes and SARIF's rule list need them)."""
    return select_rules(settings.select, settings.extend_select, settings.ignore)


def enabled_entries(settings: Settings) -> list[RuleEntry]:
    """The enabled rules as table entries, imported by the engine only when a run wakes them."""
    return select_entries(settings.select, settings.extend_select, settings.ignore)


def read_sources(
    paths: Sequence[str],
    settings: Settings,
    stdin_filename: str | None = None,
    stdin_bytes: bytes | None = None,
    allow_empty_stdin: bool = False,
) -> tuple[list[SourceFile], list[InputProblem], list[str]]:
    excludes = (*settings.exclude, *settings.extend_exclude)
    inputs, problems, notes = discover(paths, excludes, settings.force_exclude, stdin_filename)
    limits = Limits(max_bytes=settings.max_file_size_mib * 1024 * 1024)
    sources: list[SourceFile] = []
    for item in inputs:
        if item.path is None:
            raw = stdin_bytes if stdin_bytes is not None else sys.stdin.buffer.read()
            if not raw.strip() and not allow_empty_stdin:
                problems.append(InputProblem(item.display, None, EMPTY_STDIN))
                continue
        else:
            try:
                raw = item.path.read_bytes()
            except OSError as exc:
                problems.append(InputProblem(item.display, None, exc.strerror or str(exc)))
                continue
            if item.only_if_k8s and (len(raw) > limits.max_bytes or not is_k8s_json(raw)):
                notes.append(f"{item.display}: JSON but not a Kubernetes object, skipped")
                continue
        if is_python_path(item.display):
            from aiconf_lint.input.python_source import load_python_bytes  # YAML runs skip it

            sources.append(load_python_bytes(item.display, raw, limits))
        else:
            sources.append(load_bytes(item.display, raw, limits))
    return sources, problems, notes


def lint_paths(
    paths: Sequence[str],
    settings: Settings | None = None,
    stdin_filename: str | None = None,
    stdin_bytes: bytes | None = None,
) -> Report:
    """Check files and directories; the entry point for programs that embed aiconf-lint."""
    return lint_run(paths, settings or Settings(), stdin_filename, stdin_bytes).report


@record
class Run:
    """A whole check: the report, and every source it read (plain files and renders)."""

    report: Report
    sources: list[SourceFile]

    def trees(self) -> dict[str, tuple[str, dict[int, Positions]]]:
        """Each source's text and document position tables (SARIF fingerprints read them)."""
        return {
            s.path: (s.text, {doc.index: doc.positions for doc in s.documents})
            for s in self.sources
        }


def lint_run(
    paths: Sequence[str],
    settings: Settings,
    stdin_filename: str | None = None,
    stdin_bytes: bytes | None = None,
) -> Run:
    """Plan the renders, read and lint the plain files, render and lint the charts and
    overlays: `check` and the readiness report read their input the same way."""
    plan = None
    with shared_scans():  # the chart and overlay search and discovery list a tree once
        if settings.render:
            from aiconf_lint.render.plan import plan_renders

            plan = plan_renders(paths, settings)
            paths = plan.plain
        with paused_gc():
            sources, problems, notes = read_sources(paths, settings, stdin_filename, stdin_bytes)
    with paused_gc():
        if plan is not None and (plan.covered or plan.charts):
            sources = [source for source in sources if plan.keeps(source.path)]
        rules = enabled_entries(settings)
        report = lint(sources, settings, rules)
        report.rules_enabled = len(rules)
    if any(finding.location.origin for finding in report.findings):
        from aiconf_lint.input.origins import resolve_origins

        resolve_origins(report, Path.cwd())
    rendered: list[SourceFile] = []
    if plan is not None and plan.targets:
        from aiconf_lint.render.lint import lint_renders

        rendered = lint_renders(plan, settings, rules, report, lint)
    report.errors.extend(problems)
    report.notes.extend(notes)
    report.texts.update({source.path: source.text for source in sources})
    return Run(report, [*sources, *rendered])
