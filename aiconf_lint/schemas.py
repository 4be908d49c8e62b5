"""JSON Schemas for the config file and the JSON output, generated from the code that owns them.

They are published in `schemas/` for editors (config) and for scanners (output); CI runs
`python -m aiconf_lint.schemas --check schemas/` so the published files never drift.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from aiconf_lint.config_keys import KEYS, SECTIONS, schema_of


def config_schema() -> dict[str, Any]:
    """The config file's schema, from the same key table the validator checks against."""
    sections: dict[str, Any] = {
        name: {
            "type": "object",
            "additionalProperties": False,
            "properties": {key.name: schema_of(key) for key in keys},
        }
        for name, keys in SECTIONS.items()
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://aiconf-lint.io/schemas/config.schema.json",
        "title": "aiconf-lint configuration ([tool.aiconf-lint] or .aiconf-lint.toml)",
        "type": "object",
        "additionalProperties": False,
        "properties": {**{key.name: schema_of(key) for key in KEYS}, **sections},
    }


def output_schema() -> dict[str, Any]:
    position = {"type": "integer", "minimum": 1}
    finding = {
        "type": "object",
        "additionalProperties": False,
        "required": [
            "code",
            "name",
            "severity",
            "message",
            "file",
            "line",
            "column",
            "end_line",
            "end_column",
            "object",
            "origin",
            "origin_file",
            "origin_line",
            "rendered",
            "requirements",
            "fix",
        ],
        "properties": {
            "code": {"type": "string", "pattern": "^[A-Z]{3}[0-9]{3}$"},
            "name": {"type": "string"},
            "severity": {"enum": ["error", "warning", "info"]},
            "message": {"type": "string"},
            "file": {"type": "string"},
            "line": position,
            "column": position,
            "end_line": position,
            "end_column": position,
            "object": {
                "oneOf": [
                    {"type": "null"},
                    {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["apiVersion", "kind", "name", "namespace"],
                        "properties": {
                            "apiVersion": {"type": "string"},
                            "kind": {"type": "string"},
                            "name": {"type": "string"},
                            "namespace": {"type": ["string", "null"]},
                        },
                    },
                ]
            },
            "origin": {
                "type": ["string", "null"],
                "description": "Helm `# Source:` template or kustomize origin of the object",
            },
            "origin_file": {
                "type": ["string", "null"],
                "description": "That template, found in the checkout (relative to the cwd)",
            },
            "origin_line": {
                "oneOf": [{"type": "null"}, position],
                "description": "The template line to edit, when the template spells it out",
            },
            "rendered": {
                "description": "Set when aiconf-lint rendered the chart or overlay itself: "
                "`file` and `line` are then the source line to edit, and this is the render",
                "oneOf": [
                    {"type": "null"},
                    {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["target", "renderer", "values_set", "line", "column", "via"],
                        "properties": {
                            "target": {"type": "string"},
                            "renderer": {"enum": ["helm", "kustomize"]},
                            "values_set": {"type": ["string", "null"]},
                            "line": position,
                            "column": position,
                            "via": {
                                "type": "array",
                                "items": {
                                    "type": "object",
                                    "additionalProperties": False,
                                    "required": ["file", "line", "note"],
                                    "properties": {
                                        "file": {"type": "string"},
                                        "line": position,
                                        "note": {"type": "string"},
                                    },
                                },
                            },
                        },
                    },
                ],
            },
            "requirements": {"type": "array", "items": {"type": "string"}},
            "fix": {
                "oneOf": [
                    {"type": "null"},
                    {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["title", "applicability"],
                        "properties": {
                            "title": {"type": "string"},
                            "applicability": {"enum": ["safe", "unsafe", "display-only"]},
                        },
                    },
                ]
            },
        },
    }
    error = {
        "type": "object",
        "additionalProperties": False,
        "required": ["file", "line", "message"],
        "properties": {
            "file": {"type": "string"},
            "line": {"type": ["integer", "null"]},
            "message": {"type": "string"},
        },
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://aiconf-lint.io/schemas/output-v1.schema.json",
        "title": "aiconf-lint JSON output, version 1",
        "type": "object",
        "additionalProperties": False,
        "required": ["version", "findings", "errors"],
        "properties": {
            "version": {"const": 1},
            "findings": {"type": "array", "items": finding},
            "errors": {"type": "array", "items": error},
        },
    }


def files() -> dict[str, str]:
    from aiconf_lint.report.schema import report_schema

    return {
        "config.schema.json": json.dumps(config_schema(), indent=2) + "\n",
        "output-v1.schema.json": json.dumps(output_schema(), indent=2) + "\n",
        "report-v1.schema.json": json.dumps(report_schema(), indent=2) + "\n",
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m aiconf_lint.schemas")
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--write", metavar="DIR", type=Path)
    mode.add_argument("--check", metavar="DIR", type=Path)
    args = parser.parse_args(argv)
    if args.write:
        args.write.mkdir(parents=True, exist_ok=True)
        for name, text in files().items():
            (args.write / name).write_text(text, encoding="utf-8")
        return 0
    stale = [
        name
        for name, text in files().items()
        if not (args.check / name).is_file()
        or (args.check / name).read_text(encoding="utf-8") != text
    ]
    if stale:
        sys.stderr.write(
            f"schemas out of date: {', '.join(stale)}; "
            "run `python -m aiconf_lint.schemas --write schemas/`\n"
        )
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
