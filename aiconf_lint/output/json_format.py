"""The JSON format: a versioned contract (`schemas/output-v1.schema.json`) for scanners.

Written on one line by the C encoder: `indent` would switch `json` to its pure-Python
encoder, which took longer than all the rules on a run with thousands of findings. A person
at a terminal gets it indented; pipes and files, which programs read, get the compact form.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from aiconf_lint.model import Finding, Report

FORMAT_VERSION = 1


def finding_dict(finding: Finding) -> dict[str, Any]:
    loc = finding.location
    obj = loc.obj
    return {
        "code": finding.code,
        "name": finding.name,
        "severity": str(finding.severity),
        "message": finding.message,
        "file": loc.file,
        "line": loc.span.line,
        "column": loc.span.column,
        "end_line": loc.span.end_line,
        "end_column": loc.span.end_column,
        "object": None
        if obj is None
        else {
            "apiVersion": obj.api_version,
            "kind": obj.kind,
            "name": obj.name,
            "namespace": obj.namespace,
        },
        "origin": loc.origin,
        "origin_file": loc.origin_file,
        "origin_line": loc.origin_span.line if loc.origin_span else None,
        "rendered": None
        if loc.rendered is None
        else {
            "target": loc.rendered.target,
            "renderer": loc.rendered.renderer,
            "values_set": loc.rendered.values_set,
            "line": loc.rendered.span.line,
            "column": loc.rendered.span.column,
            "via": [
                {"file": r.file, "line": r.span.line, "note": r.note}
                for r in finding.related
                if r.rendered is None and r.note
            ],
        },
        "requirements": list(finding.requirements),
        "fix": None
        if finding.fix is None
        else {"title": finding.fix.title, "applicability": str(finding.fix.applicability)},
    }


def render_json(report: Report) -> str:
    payload = {
        "version": FORMAT_VERSION,
        "findings": [finding_dict(f) for f in report.findings],
        "errors": [{"file": e.file, "line": e.line, "message": e.message} for e in report.errors],
    }
    return dump(payload)


def dump(payload: object) -> str:
    """Compact through the C encoder, indented only for a terminal."""
    if sys.stdout.isatty():
        return json.dumps(payload, indent=2) + "\n"
    return json.dumps(payload) + "\n"
