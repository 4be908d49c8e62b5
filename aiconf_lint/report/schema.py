"""The JSON Schema of `aiconf-lint report --output-format json` (`schemas/report-v1.schema.json`).

Built from the check output's schema for the findings it embeds, so the two cannot drift.
"""

from __future__ import annotations

from typing import Any

from aiconf_lint.profiles import ALL_REQUIREMENT_IDS, PROFILES
from aiconf_lint.report.model import Status

_STRING = {"type": "string"}
_POSITION = {"type": "integer", "minimum": 1}


def _object_ref() -> dict[str, Any]:
    return {
        "type": "object",
        "additionalProperties": False,
        "required": ["apiVersion", "kind", "name", "namespace"],
        "properties": {
            "apiVersion": _STRING,
            "kind": _STRING,
            "name": _STRING,
            "namespace": {"type": ["string", "null"]},
        },
    }


def report_schema() -> dict[str, Any]:
    from aiconf_lint.schemas import output_schema

    output = output_schema()
    finding = output["properties"]["findings"]["items"]
    error = output["properties"]["errors"]["items"]
    evidence = {
        "type": "object",
        "additionalProperties": False,
        "required": ["facet", "file", "line", "column", "object", "note", "origin"],
        "properties": {
            "facet": {**_STRING, "description": "The facet of the requirement this shows"},
            "file": _STRING,
            "line": _POSITION,
            "column": _POSITION,
            "object": _object_ref(),
            "note": {**_STRING, "description": "What the object shows, in words"},
            "origin": {"type": ["string", "null"]},
        },
    }
    facet = {
        "type": "object",
        "additionalProperties": False,
        "required": ["name", "required", "found", "missing"],
        "properties": {
            "name": _STRING,
            "required": {"type": "boolean"},
            "found": {"type": "boolean"},
            "missing": {
                "type": ["string", "null"],
                "description": "What to add, when nothing was found",
            },
        },
    }
    requirement = {
        "type": "object",
        "additionalProperties": False,
        "required": [
            "id",
            "category",
            "level",
            "description",
            "status",
            "failing",
            "facets",
            "evidence",
            "missing",
            "blockers",
            "advice",
        ],
        "properties": {
            "id": {"enum": sorted(ALL_REQUIREMENT_IDS)},
            "category": _STRING,
            "level": {"enum": ["MUST", "SHOULD"]},
            "description": {**_STRING, "description": "The CNCF checklist text, verbatim"},
            "status": {"enum": [str(s) for s in Status]},
            "failing": {"type": "boolean", "description": "A MUST without full evidence"},
            "facets": {"type": "array", "items": facet},
            "evidence": {"type": "array", "items": evidence},
            "missing": {"type": "array", "items": _STRING},
            "blockers": {"type": "array", "items": finding},
            "advice": {"type": "array", "items": finding},
        },
    }
    count = {"type": "integer", "minimum": 0}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://aiconf-lint.io/schemas/report-v1.schema.json",
        "title": "aiconf-lint readiness report (report --output-format json), version 1",
        "type": "object",
        "additionalProperties": False,
        "required": [
            "version",
            "profile",
            "paths",
            "summary",
            "requirements",
            "unreadable",
            "errors",
        ],
        "properties": {
            "version": {"const": 1},
            "profile": {"enum": list(PROFILES)},
            "paths": {"type": "array", "items": _STRING},
            "summary": {
                "type": "object",
                "additionalProperties": False,
                "required": [
                    "requirements",
                    "failing_must",
                    "by_status",
                    "files",
                    "objects",
                    "findings",
                ],
                "properties": {
                    "requirements": count,
                    "failing_must": count,
                    "by_status": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": [str(s) for s in Status],
                        "properties": {str(s): count for s in Status},
                    },
                    "files": count,
                    "objects": count,
                    "findings": count,
                },
            },
            "requirements": {"type": "array", "items": requirement},
            "unreadable": {
                "type": "array",
                "items": finding,
                "description": "Input findings (SYN): files whose objects the report cannot see",
            },
            "errors": {"type": "array", "items": error},
        },
    }
