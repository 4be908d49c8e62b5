"""Run the enabled rules over loaded sources and turn what they report into findings.

This is the only module that creates `Finding`s: it resolves each violation's YAML path to a
span, stamps the rule's code and profile-dependent severity, applies suppressions, and sorts.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from aiconf_lint.input.discovery import is_python_path
from aiconf_lint.input.source import Document, SourceFile, SourceProblem
from aiconf_lint.k8s.accelerators import AcceleratorResource, custom_resource
from aiconf_lint.k8s.bundle import Bundle
from aiconf_lint.k8s.objects import K8sObject, is_k8s_object, objects_of
from aiconf_lint.model import (
    Finding,
    Fix,
    InputProblem,
    Location,
    ObjectRef,
    Report,
    Severity,
    Span,
    Violation,
    YamlPath,
)
from aiconf_lint.records import record, replace
from aiconf_lint.rule import Context, Rule
from aiconf_lint.rules import ENTRIES_BY_CODE, POD_TEMPLATES, RuleEntry, load
from aiconf_lint.settings import Settings
from aiconf_lint.suppress import (
    IGNORE_ANNOTATION,
    annotation_codes,
    bare_ignores,
    is_suppressed,
    per_file_codes,
    unknown_inline_codes,
)

if TYPE_CHECKING:
    from aiconf_lint.rules import RuleSpec


def extra_accelerators(settings: Settings) -> tuple[AcceleratorResource, ...]:
    """`[tool.aiconf-lint.accelerators.resources]`: name = device class ("" for none)."""
    resources = settings.section("accelerators").get("resources", {})
    return tuple(custom_resource(str(name), str(cls) or None) for name, cls in resources.items())


@record
class _Emitter:
    """Turns violations of one rule into findings, with everything a rule must not compute."""

    rule: Rule
    severity: Severity
    bundle: Bundle

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
                for key, path, note in violation.related_objects
                if (other := self.bundle.resolve(key)) is not None
            ),
            # A fix edits YAML; a Python source gets its fixes from `fix.python` instead.
            fix=_fix_for(obj, _rebased(violation.fix, obj.base)),
        )


def _rebased(fix: Fix | None, base: YamlPath) -> Fix | None:
    """A rule's fix with object-relative edit paths made document-relative."""
    if fix is None or not base:
        return fix
    edits = tuple(
        edit if edit.op == "add_document" else replace(edit, path=(*base, *edit.path))
        for edit in fix.edits
    )
    return replace(fix, edits=edits)


def _fix_for(obj: K8sObject, fix: Fix | None) -> Fix | None:
    """YAML edits apply to YAML; a Python source takes only fixes made of text edits."""
    if fix is None or not is_python_path(obj.file):
        return fix
    return fix if fix.text_edits and not fix.edits else None


def _location(
    obj: K8sObject, path: tuple[str | int, ...], key_only: bool, note: str = ""
) -> Location:
    full = (*obj.base, *path)
    span, _ = obj.doc.span(full, key_only)
    return Location(obj.file, obj.doc.index, full, span, obj.origin, obj.ref(), note)


def _problem_finding(file: str, problem: SourceProblem, severity: Severity) -> Finding:
    rule = load(problem.code)
    end = problem.end_column or problem.column + 1
    span = Span(problem.line, problem.column, problem.line, end)
    return Finding(problem.code, rule.name, severity, problem.message, Location(file, -1, (), span))


def _crash(what: Rule | str, obj: K8sObject | None, exc: Exception) -> InputProblem:
    """One rule failing on one object is reported, not fatal: the run goes on (exit 2)."""
    label = f"rule {what.code} ({what.name})" if isinstance(what, Rule) else what
    import logging  # only when a rule crashed: a program embedding aiconf-lint may log it

    logging.getLogger(__name__).debug("%s crashed", label, exc_info=exc)
    where = f" on {obj.ref().display()}" if obj is not None else ""
    line = _doc_line(obj.doc) if obj is not None else None
    return InputProblem(
        obj.file if obj is not None else "<bundle>",
        line,
        f"internal error in {label}{where}: {type(exc).__name__}: {exc}; please report it",
    )


def _run_rules(
    rules: list[Rule], ctx: Context, objects: list[K8sObject], crashes: list[InputProblem]
) -> list[Finding]:
    by_hook: dict[str, list[_Emitter]] = {}
    for rule in rules:
        hook = rule.hook()
        if hook is not None:
            by_hook.setdefault(hook, []).append(
                _Emitter(rule, rule.severity_for(ctx.profile), ctx.bundle)
            )
    object_rules = by_hook.get("check_object", [])
    template_rules = by_hook.get("check_pod_template", [])
    container_rules = by_hook.get("check_container", [])
    by_kind: dict[str, list[_Emitter]] = {}
    findings: list[Finding] = []
    for obj in objects:
        kind_rules = by_kind.get(obj.kind)
        if kind_rules is None:  # each rule's `kinds`, matched once per kind, not per object
            kind_rules = by_kind[obj.kind] = [
                e for e in object_rules if e.rule.kinds is None or obj.kind in e.rule.kinds
            ]
        # Each hook call is guarded where it is made (no wrapper per call: there are tens of
        # thousands): a bug in one rule on one object must not cost the run.
        for emitter in kind_rules:
            try:
                found = emitter.rule.check_object(ctx, obj)
                findings.extend(emitter.finding(obj, violation) for violation in found)
            except Exception as exc:
                crashes.append(_crash(emitter.rule, obj, exc))
        if not (template_rules or container_rules):
            continue
        try:
            templates = list(ctx.bundle.templates(obj))
        except Exception as exc:
            crashes.append(_crash("the pod template model", obj, exc))
            continue
        for template in templates:
            for emitter in template_rules:
                try:
                    found = emitter.rule.check_pod_template(ctx, template)
                    findings.extend(emitter.finding(obj, violation) for violation in found)
                except Exception as exc:
                    crashes.append(_crash(emitter.rule, obj, exc))
            for container in template.containers:
                for emitter in container_rules:
                    try:
                        found = emitter.rule.check_container(ctx, template, container)
                        findings.extend(emitter.finding(obj, violation) for violation in found)
                    except Exception as exc:
                        crashes.append(_crash(emitter.rule, obj, exc))
    for emitter in by_hook.get("check_bundle", []):
        try:
            findings.extend(emitter.finding(obj, v) for obj, v in emitter.rule.check_bundle(ctx))
        except Exception as exc:
            crashes.append(_crash(emitter.rule, None, exc))
    return findings


def woken_rules(rules: Sequence[RuleSpec], bundle: Bundle) -> list[type[Rule]]:
    """The classes to run: table entries are imported only when the run holds what they read,
    so a run of one Job file never imports the monitor, route or autoscaler rules."""
    present: frozenset[str] | None = None
    woken: list[type[Rule]] = []
    for rule in rules:
        if not isinstance(rule, RuleEntry):
            woken.append(rule)
            continue
        if rule.wakes is not None and present is None:
            present = run_presence(bundle)
        if present is None or rule.woken_by(present):
            woken.append(rule.load())
    return woken


def run_presence(bundle: Bundle) -> frozenset[str]:
    """What `RuleEntry.wakes` is matched against: kinds, `group:<api group>`s, pod templates."""
    present: set[str] = set()
    for obj in bundle.objects:
        present.add(obj.kind)
        present.add(f"group:{obj.group}")
    if any(bundle.templates(obj) for obj in bundle.objects):
        present.add(POD_TEMPLATES)
    return frozenset(present)


def build_bundle(sources: Iterable[SourceFile], settings: Settings, report: Report) -> Bundle:
    bundle = Bundle(
        default_namespace=settings.default_namespace, accelerators=extra_accelerators(settings)
    )
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
    known = frozenset(ENTRIES_BY_CODE)
    rule = load("SYN004")
    found: list[Finding] = []
    for source in sources:
        for line, column, end in bare_ignores(source):
            message = "Suppression comment names no rule code: write `ignore[CODE]` (or `[ALL]`)"
            span = Span(line, column, line, end)
            found.append(
                Finding(
                    "SYN004", rule.name, rule.severity, message, Location(source.path, -1, (), span)
                )
            )
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


def lint(sources: list[SourceFile], settings: Settings, rules: Sequence[RuleSpec]) -> Report:
    """Check every source against `rules`; never raises for anything inside a file."""
    report = Report(files_checked=len(sources))
    enabled = {rule.code for rule in rules}
    bundle = build_bundle(sources, settings, report)
    instances = [rule() for rule in woken_rules(rules, bundle)]
    ctx = Context(settings, bundle)
    crashes: list[InputProblem] = []
    findings = _run_rules(instances, ctx, bundle.objects, crashes)
    report.errors.extend(crashes)
    for source in sources:
        for problem in source.problems:
            if problem.code in enabled:
                rule = load(problem.code)()
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
