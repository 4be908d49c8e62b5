"""The JSON readiness report: a versioned contract (`schemas/report-v1.schema.json`).

Findings use the same object as `check --output-format json`, so a consumer of one parses the
other; evidence and facets are the report's own.
"""

from __future__ import annotations

import json
from typing import Any

from aiconf_lint.output.json_format import finding_dict
from aiconf_lint.report.model import Evidence, Readiness, RequirementResult

REPORT_VERSION = 1


def evidence_dict(item: Evidence, facet: str) -> dict[str, Any]:
    return {
        "facet": facet,
        "file": item.file,
        "line": item.line,
        "column": item.column,
        "object": {
            "apiVersion": item.obj.api_version,
            "kind": item.obj.kind,
            "name": item.obj.name,
            "namespace": item.obj.namespace,
        },
        "note": item.note,
        "origin": item.origin,
    }


def result_dict(result: RequirementResult) -> dict[str, Any]:
    requirement = result.requirement
    return {
        "id": requirement.id,
        "category": requirement.category,
        "level": str(requirement.level),
        "description": requirement.description,
        "status": str(result.status),
        "failing": result.failing,
        "facets": [
            {
                "name": facet.name,
                "required": facet.required,
                "found": facet.found,
                "missing": None if facet.found else facet.missing,
            }
            for facet in result.facets
        ],
        "evidence": [evidence_dict(e, f.name) for f in result.facets for e in f.evidence],
        "missing": result.missing,
        "blockers": [finding_dict(f) for f in result.blockers],
        "advice": [finding_dict(f) for f in result.advice],
    }


def readiness_dict(readiness: Readiness) -> dict[str, Any]:
    counts = readiness.counts()
    return {
        "version": REPORT_VERSION,
        "profile": readiness.profile,
        "paths": readiness.paths,
        "summary": {
            "requirements": len(readiness.results),
            "failing_must": sum(r.failing for r in readiness.results),
            "by_status": {str(status): count for status, count in counts.items()},
            "files": readiness.files,
            "objects": readiness.objects,
            "findings": readiness.findings,
        },
        "requirements": [result_dict(r) for r in readiness.results],
        "unreadable": [finding_dict(f) for f in readiness.unreadable],
        "errors": [
            {"file": e.file, "line": e.line, "message": e.message} for e in readiness.errors
        ],
    }


def render_json(readiness: Readiness) -> str:
    return json.dumps(readiness_dict(readiness), indent=2) + "\n"
