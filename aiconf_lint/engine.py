"""Run the enabled rules over loaded sources and turn what they report into findings.

This is the only module that creates `Finding`s: it resolves each violation's YAML path to a
span, stamps the rule's code and profile-dependent severity, applies suppressions, and sorts.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from aiconf_lint.input.source import Document, SourceFile, SourceProblem
from aiconf_lint.k8s.accelerators import AcceleratorResource
from aiconf_lint.k8s.bundle import Bundle
from aiconf_lint.k8s.objects import K8sObject, is_k8s_object, objects_of
from aiconf_lint.model import Finding, Location, ObjectRef, Report, Severity, Span, Violation
from aiconf_lint.rule import Context, Rule
from aiconf_lint.rules import RULES_BY_CODE
from aiconf_lint.settings import Settings
from aiconf_lint.suppress import (
    IGNORE_ANNOTATION,
    annotation_codes,
    is_suppressed,
    per_file_codes,
    unknown_inline_codes,
)

log = logging.getLogger(__name__)


def extra_accelerators(settings: Settings) -> tuple[AcceleratorResource, ...]:
    """`[tool.aiconf-lint.accelerators.resources]`: name = device class ("" for none)."""
    resources = settings.section("accelerators").get("resources", {})
    return tuple(
        AcceleratorResource(str(name), "custom", "custom device plugin", str(cls) or None)
        for name, cls in resources.items()
    )


@dataclass(slots=True)
class _Emitter:
    """Turns violations of one rule into findings, with everything a rule must not compute."""

    rule: Rule
    severity: Severity

    def finding(self, obj: K8sObject, violation: Violation) -> Finding:
        return Finding(
            code=self.rule.code,
            name=self.rule.name,
            severity=violation.severity or self.severity,
            message=violation.message,
            location=_location(obj, violation.path, violation.key_only),
            requirements=self.rule.requirements,
            related=tuple(_location(obj, path, False, note) for path, note in violation.related)
            + tuple(
                _location(other, path, False, note)
                for other, path, note in violation.related_objects
            ),
            fix=violation.fix,
        )


def _location(
    obj: K8sObject, path: tuple[str | int, ...], key_only: bool, note: str = ""
) -> Location:
    full = (*obj.base, *path)
    span, _ = obj.doc.span(full, key_only)
    return Location(obj.file, obj.doc.index, full, span, obj.origin, obj.ref(), note)


def _problem_finding(file: str, problem: SourceProblem, severity: Severity) -> Finding:
    rule = RULES_BY_CODE[problem.code]
    end = problem.end_column or problem.column + 1
    span = Span(problem.line, problem.column, problem.line, end)
    return Finding(problem.code, rule.name, severity, problem.message, Location(file, -1, (), span))


def _run_rules(rules: list[Rule], ctx: Context, objects: list[K8sObject]) -> list[Finding]:
    by_hook: dict[str, list[_Emitter]] = {}
    for rule in rules:
        hook = rule.hook()
        if hook is not None:
            by_hook.setdefault(hook, []).append(_Emitter(rule, rule.severity_for(ctx.profile)))
    object_rules = by_hook.get("check_object", [])
    template_rules = by_hook.get("check_pod_template", [])
    container_rules = by_hook.get("check_container", [])
    findings: list[Finding] = []
    for obj in objects:
        for emitter in object_rules:
            findings.extend(emitter.finding(obj, v) for v in emitter.rule.check_object(ctx, obj))
        if not (template_rules or container_rules):
            continue
        for template in ctx.bundle.templates(obj):
            for emitter in template_rules:
                findings.extend(
                    emitter.finding(obj, v) for v in emitter.rule.check_pod_template(ctx, template)
                )
            for container in template.containers:
                for emitter in container_rules:
                    findings.extend(
                        emitter.finding(obj, v)
                        for v in emitter.rule.check_container(ctx, template, container)
                    )
    for emitter in by_hook.get("check_bundle", []):
        findings.extend(emitter.finding(obj, v) for obj, v in emitter.rule.check_bundle(ctx))
    return findings


def build_bundle(sources: Iterable[SourceFile], settings: Settings, report: Report) -> Bundle:
    bundle = Bundle(default_namespace=settings.default_namespace)
    for source in sources:
        for doc in source.documents:
            report.documents += 1
            if not is_k8s_object(doc.data):
                report.skipped_documents.append(
                    (doc.file, _doc_line(doc), "not a Kubernetes object")
                )
                continue
            for obj in objects_of(doc):
                bundle.add(obj)
    report.objects = len(bundle.objects)
    return bundle


def _doc_line(doc: Document) -> int:
    return doc.start_line


def _suppression_findings(
    sources: Iterable[SourceFile], objects: Iterable[K8sObject], enabled: set[str]
) -> list[Finding]:
    """SYN004 for suppressions naming codes no rule has."""
    if "SYN004" not in enabled:
        return []
    known = frozenset(RULES_BY_CODE)
    rule = RULES_BY_CODE["SYN004"]
    found: list[Finding] = []
    for source in sources:
        for line, column, code in unknown_inline_codes(source, known):
            span = Span(line, column, line, column + len("# aiconf-lint: ignore[]") + len(code))
            message = f"Suppression comment names unknown rule code `{code}`"
            found.append(
                Finding(
                    "SYN004", rule.name, rule.severity, message, Location(source.path, -1, (), span)
                )
            )
    for obj in objects:
        for code in annotation_codes(obj):
            if code.upper() != "ALL" and not any(k.startswith(code.upper()) for k in known):
                path = (*obj.base, "metadata", "annotations", IGNORE_ANNOTATION)
                span, _ = obj.doc.span(path)
                found.append(
                    Finding(
                        "SYN004",
                        rule.name,
                        rule.severity,
                        f"Annotation `{IGNORE_ANNOTATION}` names unknown rule code `{code}`",
                        Location(obj.file, obj.doc.index, path, span, obj.origin, obj.ref()),
                    )
                )
    return found


def lint(sources: list[SourceFile], settings: Settings, rules: list[type[Rule]]) -> Report:
    """Check every source against `rules`; never raises for anything inside a file."""
    report = Report(files_checked=len(sources))
    instances = [rule() for rule in rules]
    enabled = {rule.code for rule in rules}
    bundle = build_bundle(sources, settings, report)
    ctx = Context(settings, bundle, extra_accelerators(settings))
    findings = _run_rules(instances, ctx, bundle.objects)
    for source in sources:
        for problem in source.problems:
            if problem.code in enabled:
                rule = RULES_BY_CODE[problem.code]()
                findings.append(
                    _problem_finding(source.path, problem, rule.severity_for(ctx.profile))
                )
    findings.extend(_suppression_findings(sources, bundle.objects, enabled))
    report.findings = _suppress_and_sort(findings, sources, bundle, settings)
    return report


def _suppress_and_sort(
    findings: list[Finding], sources: list[SourceFile], bundle: Bundle, settings: Settings
) -> list[Finding]:
    by_path = {source.path: source for source in sources}
    obj_codes: dict[tuple[str, int, ObjectRef], tuple[str, ...]] = {}
    for obj in bundle.objects:
        codes = annotation_codes(obj)
        if codes:
            obj_codes[(obj.file, obj.doc.index, obj.ref())] = codes
    kept: dict[tuple[object, ...], Finding] = {}
    per_file: dict[str, tuple[str, ...]] = {}
    for finding in findings:
        loc = finding.location
        codes = obj_codes.get((loc.file, loc.doc_index, loc.obj), ()) if loc.obj else ()
        file_codes = per_file.get(loc.file)
        if file_codes is None:  # globs matched once per file, not once per finding
            file_codes = per_file[loc.file] = per_file_codes(loc.file, settings.per_file_ignores)
        if finding.code != "SYN004" and is_suppressed(
            finding, by_path.get(loc.file), codes, file_codes
        ):
            continue
        key = (finding.code, loc.file, loc.span, finding.message)
        kept.setdefault(key, finding)
    return sorted(kept.values(), key=Finding.sort_key)
