"""Turn evidence and findings into a status per requirement of the chosen profile.

A requirement is *blocked* when a finding at or above the blocking severity comes from a rule
that declares the requirement (`Rule.requirements`, carried on every `Finding`): the mapping is
generic, so a rule family added later (NET) counts as soon as it is registered. Otherwise it
has *evidence* when every required facet has some, *partial* evidence when some facet has,
and *no evidence* when none has.
"""

from __future__ import annotations

from collections.abc import Sequence

from aiconf_lint.model import Finding, Severity
from aiconf_lint.profiles import Profile
from aiconf_lint.report.collect import Collected
from aiconf_lint.report.detectors import DETECTORS
from aiconf_lint.report.model import Facet, Readiness, RequirementResult, Status
from aiconf_lint.report.probe import Probe

INPUT_FAMILY = "SYN"
"""Rules about reading the input: they serve no requirement, but hide whatever a file held."""


def status_of(facets: Sequence[Facet], blockers: Sequence[Finding]) -> Status:
    if blockers:
        return Status.BLOCKED
    required = [f for f in facets if f.required]
    if required and all(f.found for f in required):
        return Status.MET
    if any(f.found for f in facets):
        return Status.PARTIAL
    return Status.NONE


def assess(
    collected: Collected, profile: Profile, paths: Sequence[str], block_on: Severity
) -> Readiness:
    probe = Probe(collected.bundle, collected.ctx)
    report = collected.report
    by_requirement: dict[str, list[Finding]] = {}
    for finding in report.findings:
        for rid in finding.requirements:
            by_requirement.setdefault(rid, []).append(finding)
    results = []
    for requirement in profile.requirements:
        facets = DETECTORS[requirement.id](probe)
        for facet in facets:
            facet.evidence.sort(key=lambda e: e.sort_key())
        related = by_requirement.get(requirement.id, [])
        blockers = [f for f in related if f.severity >= block_on]
        advice = [f for f in related if f.severity < block_on]
        status = status_of(facets, blockers)
        results.append(RequirementResult(requirement, status, facets, blockers, advice))
    return Readiness(
        profile=profile.version,
        paths=list(paths),
        results=results,
        files=report.files_checked,
        objects=report.objects,
        findings=len(report.findings),
        errors=list(report.errors),
        unreadable=[f for f in report.findings if f.code.startswith(INPUT_FAMILY)],
    )
