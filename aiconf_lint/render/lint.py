"""Render every chart and overlay of a run, lint each render as its own bundle, map back.

Each render (a chart with one values set, or an overlay) is linted alone, so that objects of
two values sets of one chart, or of two overlays of one base, never meet in one bundle. Its
findings are then moved onto the files a user edits (`helm_map`, `kustomize_map`); the
position in the render is kept as `Location.rendered`. Renders run in parallel threads (each
is a subprocess); a renderer failure becomes an error of the run naming the chart or overlay,
and the other targets are still checked.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from aiconf_lint.input.load import Limits, load_text
from aiconf_lint.input.source import Document, SourceFile
from aiconf_lint.model import Finding, InputProblem, Location, Rendered, Report, Span
from aiconf_lint.records import record, replace
from aiconf_lint.render import helm, kustomize
from aiconf_lint.render.config import HelmOptions, ValuesSet, helm_options
from aiconf_lint.render.helm_map import ChartContext, Mapped, Place, map_helm
from aiconf_lint.render.kustomize_map import map_kustomize
from aiconf_lint.render.plan import Plan
from aiconf_lint.render.process import RenderError
from aiconf_lint.render.targets import Target
from aiconf_lint.settings import Settings
from aiconf_lint.suppress import per_file_codes

if TYPE_CHECKING:
    from aiconf_lint.rules import RuleSpec


@record
class _Job:
    target: Target
    values_set: ValuesSet | None
    text: str = ""
    built: kustomize.Build | None = None
    error: str | None = None

    @property
    def label(self) -> str:
        if self.values_set is None:
            return f"<kustomize {self.target.display}>"
        return f"<helm {self.target.display} ({self.values_set.name})>"


def _render(job: _Job, options: HelmOptions, flags: tuple[str, ...] = ()) -> _Job:
    try:
        if job.values_set is not None:
            job.text = helm.render_chart(
                job.target.display, job.target.folder, job.values_set, options
            )
        else:
            job.built = kustomize.build(
                job.target.display, job.target.folder, options.timeout, flags
            )
            job.text = job.built.text
    except RenderError as exc:
        job.error = exc.reason
    return job


def _display(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def _progress(total: int) -> Callable[[_Job], None]:
    if total < 2 or not sys.stderr.isatty():
        return lambda job: None
    done = [0]

    def tick(job: _Job) -> None:
        done[0] += 1
        sys.stderr.write(f"\rrendered {done[0]}/{total}: {job.target.display}\033[K")
        if done[0] == total:
            sys.stderr.write("\r\033[K")
        sys.stderr.flush()

    return tick


def render_all(plan: Plan, settings: Settings) -> tuple[list[_Job], HelmOptions]:
    options = helm_options(settings.section("helm"), settings.base_dir, settings_cli(settings))
    flags = tuple(kustomize.restrictor_flags(settings.section("kustomize").get("load-restrictor")))
    charts = [t.folder for t in plan.targets if t.kind == "helm"]
    jobs: list[_Job] = []
    for target in plan.targets:
        if target.kind == "helm":
            jobs.extend(_Job(target, s) for s in options.values_sets(target.folder, charts))
        else:
            jobs.append(_Job(target, None))
    tick = _progress(len(jobs))
    workers = max(1, min(4, os.cpu_count() or 1, len(jobs)))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(_render, job, options, flags) for job in jobs]
        for future in futures:
            tick(future.result())
    return jobs, options


def settings_cli(settings: Settings) -> dict[str, object]:
    return dict(getattr(settings, "helm_cli", None) or {})


class _Mapper:
    def __init__(self, job: _Job, source: SourceFile, report: Report) -> None:
        self.job = job
        self.docs: dict[int, Document] = {d.index: d for d in source.documents}
        self.report = report
        target = job.target
        self.rendered_kind = "helm" if job.values_set is not None else "kustomize"
        self.marker = target.marker
        files = job.values_set.files if job.values_set else ()
        self.chart = ChartContext(target.folder, files)
        # Position of each document among those of its template and kind (see helm_map).
        self.ordinals: dict[int, tuple[int, int]] = {}
        groups: dict[tuple[str | None, object], list[int]] = {}
        for doc in source.documents:
            kind = doc.data.get("kind") if isinstance(doc.data, dict) else None
            groups.setdefault((doc.origin, kind), []).append(doc.index)
        for indexes in groups.values():
            for k, index in enumerate(indexes):
                self.ordinals[index] = (k, len(indexes))

    def _remember(self, file: Path) -> str:
        shown = _display(file)
        if shown not in self.report.texts:
            try:
                self.report.texts[shown] = file.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                self.report.texts[shown] = ""
        return shown

    def place(self, loc: Location) -> Mapped:
        doc = self.docs.get(loc.doc_index)
        obj = loc.obj
        mapped: Mapped | None = None
        if doc is not None and self.job.values_set is not None and doc.origin:
            mapped = map_helm(
                self.chart,
                doc.origin,
                obj.kind if obj else None,
                loc.path,
                self.ordinals.get(doc.index),
            )
        elif doc is not None and self.job.built is not None and obj is not None:
            built = self.job.built.objects.get(doc.index)
            if built is not None:
                found = map_kustomize(built, obj.kind, obj.name, loc.path, doc.data)
                if found is not None:
                    mapped = Mapped(Place(found[0], found[1]))
                elif built.resource is not None and built.resource.is_file():
                    mapped = Mapped(Place(built.resource, Span(1, 1, 1, 2)))
        return mapped or Mapped(Place(self.marker, Span(1, 1, 1, 2)))

    def location(self, loc: Location, mapped: Mapped) -> Location:
        rendered = Rendered(
            self.job.target.display,
            self.rendered_kind,
            self.job.values_set.name if self.job.values_set else None,
            loc.span,
            _display(self.marker),
        )
        return replace(
            loc,
            file=self._remember(mapped.primary.file),
            span=mapped.primary.span,
            origin=None,
            origin_file=None,
            origin_span=None,
            rendered=rendered,
        )

    def finding(self, finding: Finding) -> Finding:
        mapped = self.place(finding.location)
        related = [self.location(r, self.place(r)) for r in finding.related]
        related += [
            Location(self._remember(p.file), -1, (), p.span, note=p.note) for p in mapped.related
        ]
        message = finding.message
        if finding.location.doc_index < 0:
            message = f"in the render of {self.job.target.display}: {message}"
        # `fix` edits plain manifests only; a render is no file and templates are not YAML.
        return replace(
            finding,
            fix=None,
            message=message,
            location=self.location(finding.location, mapped),
            related=tuple(related),
        )


def lint_renders(
    plan: Plan,
    settings: Settings,
    rules: Sequence[RuleSpec],
    report: Report,
    lint: Callable[[list[SourceFile], Settings, Sequence[RuleSpec]], Report],
) -> list[SourceFile]:
    """Render, lint and map every target of `plan`, adding to `report`; the renders, parsed,
    for callers that read the objects too (the readiness report's evidence)."""
    jobs, _ = render_all(plan, settings)
    rendered: list[SourceFile] = []
    limits = Limits(max_bytes=max(settings.max_file_size_mib, 200) * 1024 * 1024)
    findings = list(report.findings)
    for job in jobs:
        if job.error is not None:
            report.errors.append(InputProblem(job.target.display, None, job.error))
            continue
        source = load_text(job.label, job.text, limits)
        if job.built is not None:
            kustomize.take_origins(job.built, [(d.index, d.data) for d in source.documents])
        rendered.append(source)
        sub = lint([source], settings, rules)
        report.files_checked += 1
        report.documents += sub.documents
        report.objects += sub.objects
        report.skipped_documents.extend(sub.skipped_documents)
        mapper = _Mapper(job, source, report)
        for finding in sub.findings:
            mapped = mapper.finding(finding)
            codes = per_file_codes(mapped.location.file, settings.per_file_ignores)
            if codes and any(
                mapped.code.startswith(c.upper()) or c.upper() == "ALL" for c in codes
            ):
                continue
            findings.append(mapped)
    report.findings = sorted(findings, key=Finding.sort_key)
    return rendered
