"""A draft of the CNCF `AIConformance-<version>.yaml` checklist, filled from the repository.

Ids, levels, categories and descriptions come from `profiles.py` (the CNCF text, verbatim) and
stay as published, since a submitted `PRODUCT.yaml` must not change them. `status` is filled
only as far as the manifests go:

- evidence for every required facet and nothing blocking: `Implemented`;
- some evidence, or evidence with blocking findings: `Partially Implemented`;
- no evidence: left empty for the vendor, never `Implemented` and never `Not Implemented`
  (a platform may meet a requirement outside the repository, on the cluster or in a managed
  service, which manifests cannot show).

`evidence` lists `file#Lline` of what was found (full URLs with `--evidence-base-url`), and
`notes` says what each item shows, what is missing and which findings stand in the way. The
CNCF validator wants public URLs in `evidence`, so a vendor replaces or prefixes these before
submitting. Metadata keys follow the template of each version (`cncf/k8s-ai-conformance:
docs/AIConformance-1.3x.yaml@b2c8969`), plus `k8sConformanceUrl`, which its validator
(`scripts/validate.go`) requires for every version although only the 1.35 template lists it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from aiconf_lint.report.model import Evidence, Readiness, RequirementResult, Status

METADATA_KEYS = (
    ("platformName", "[Platform Name]"),
    ("platformVersion", "[Platform Version]"),
    ("vendorName", "[Vendor Name]"),
    ("websiteUrl", "[Website URL]"),
    ("repoUrl", "[Repository URL]"),
    ("documentationUrl", "[Documentation URL]"),
    ("productLogoUrl", "[Documentation URL]"),
    ("description", "[Description]"),
    ("contactEmailAddress", "[Contact Email Address]"),
)
MAX_EVIDENCE = 10
"""Evidence entries per requirement: enough to prove it, few enough to review."""


def checklist_status(result: RequirementResult) -> str:
    if result.status is Status.MET:
        return "Implemented"
    if result.evidence and result.status in (Status.PARTIAL, Status.BLOCKED):
        return "Partially Implemented"
    return ""


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text)


def _display_path(file: str) -> str:
    """Paths below the working directory are written relative to it, as a repository sees them."""
    path = Path(file)
    if path.is_absolute():
        try:
            return os.path.relpath(path, Path.cwd()) if path.is_relative_to(Path.cwd()) else file
        except ValueError:
            return file
    return file


def _reference(item: Evidence, base_url: str | None) -> str:
    ref = f"{_display_path(item.file)}#L{item.line}"
    return f"{base_url.rstrip('/')}/{ref}" if base_url else ref


def _picked(result: RequirementResult) -> list[Evidence]:
    """The first item of each facet, then the rest in order, up to `MAX_EVIDENCE` files/lines."""
    ordered = [f.evidence[0] for f in result.facets if f.evidence]
    ordered += [e for f in result.facets for e in f.evidence[1:]]
    picked: dict[tuple[str, int], Evidence] = {}
    for item in ordered:
        if len(picked) == MAX_EVIDENCE:
            break
        picked.setdefault((item.file, item.line), item)
    return list(picked.values())


def _notes(result: RequirementResult, readiness: Readiness) -> str:
    parts: list[str] = []
    for facet in result.facets:
        if facet.evidence:
            first = facet.evidence[0]
            more = f" (+{len(facet.evidence) - 1} more)" if len(facet.evidence) > 1 else ""
            parts.append(f"{facet.name}: {first.note} at {first.place()}{more}")
        elif facet.required:
            parts.append(f"missing {facet.name}: {facet.missing}")
    for finding in result.blockers[:5]:
        loc = finding.location
        parts.append(f"blocked by {finding.code} at {loc.file}:{loc.span.line}: {finding.message}")
    if len(result.blockers) > 5:
        parts.append(f"and {len(result.blockers) - 5} more blocking findings")
    if not result.evidence:
        where = ", ".join(readiness.paths)
        parts.insert(0, f"aiconf-lint found no evidence in {where}")
    return "; ".join(parts)


def render_checklist(readiness: Readiness, base_url: str | None = None) -> str:
    version = readiness.profile
    lines = [
        "# Kubernetes AI Conformance Checklist",
        "# Notes: This checklist is based on the Kubernetes AI Conformance document.",
        "# Participants should fill in the 'status', 'evidence', and 'notes' fields for each "
        "requirement.",
        "#",
        f"# DRAFT written by aiconf-lint from {', '.join(readiness.paths)}: status and evidence",
        "# reflect the manifests only. Review every entry, make evidence publicly reachable,",
        "# and fill in the metadata before submitting.",
        *(
            f"# Not readable, so not searched for evidence: {f.location.file}:"
            f"{f.location.span.line} ({f.code})"
            for f in readiness.unreadable
        ),
        "",
        "metadata:",
        f"  kubernetesVersion: v{version}",
        *(f"  {key}: {_q(value)}" for key, value in METADATA_KEYS),
        "  k8sConformanceUrl: "
        + _q(f"https://github.com/cncf/k8s-conformance/tree/master/v{version}/[product]"),
        "",
        "spec:",
    ]
    category = None
    for result in readiness.results:
        req = result.requirement
        if req.category != category:
            category = req.category
            lines.append(f"  {category}:")
        evidence = [_reference(e, base_url) for e in _picked(result)]
        lines += [
            f"    - id: {req.id}",
            f"      description: {_q(req.description)}",
            f"      level: {req.level}",
            f"      status: {_q(checklist_status(result))}",
        ]
        if evidence:
            lines.append("      evidence:")
            lines.extend(f"        - {_q(ref)}" for ref in evidence)
        else:
            lines.append("      evidence: []")
        lines.append(f"      notes: {_q(_notes(result, readiness))}")
    return "\n".join(lines) + "\n"
