"""A rule's documentation, from one source (its docstring), rendered for people and tools.

`aiconf-lint rule CODE` and `rules` print it, the SARIF reporter puts it in each rule's help,
and the page generator (`python -m aiconf_lint.docs`) writes the same Markdown to `rules/`.
This is the run-time part; the generator is not loaded to check or fix anything.
"""

from __future__ import annotations

import inspect
from typing import Any

from aiconf_lint.output.python_examples import python_section
from aiconf_lint.profiles import PROFILES
from aiconf_lint.rule import Rule

REQUIRED_SECTIONS = ("What it does", "Why is this bad?", "Example")
DOCS_BASE_URL = "https://github.com/aiconf-lint/aiconf-lint/blob/main/rules/"


def sections(rule: type[Rule]) -> dict[str, str]:
    """`## Title` -> body, in order; parsed once per call from the cleaned docstring."""
    doc = inspect.cleandoc(rule.__doc__ or "")
    found: dict[str, str] = {}
    title: str | None = None
    body: list[str] = []
    for line in doc.splitlines():
        if line.startswith("## "):
            if title is not None:
                found[title] = "\n".join(body).strip()
            title, body = line[3:].strip(), []
        else:
            body.append(line)
    if title is not None:
        found[title] = "\n".join(body).strip()
    python = python_section(rule.code)
    if python is not None:
        found["In Python"] = python
    return found


def levels_by_profile(rule: type[Rule]) -> dict[str, str]:
    instance = rule()
    return {version: str(instance.severity_for(p)) for version, p in PROFILES.items()}


def markdown(rule: type[Rule]) -> str:
    parts = [f"# {rule.name} ({rule.code})", ""]
    fix = {
        "always": "Fix is always available.",
        "sometimes": "Fix is sometimes available.",
    }.get(str(rule.fix_availability), "")
    meta = [f"Level: **{rule.severity}**."]
    levels = set(levels_by_profile(rule).values())
    if len(levels) > 1:
        meta.append(
            "Level by profile: "
            + ", ".join(f"{v}: {lvl}" for v, lvl in levels_by_profile(rule).items())
            + "."
        )
    if rule.requirements:
        meta.append("Serves: " + ", ".join(f"`{r}`" for r in rule.requirements) + ".")
    if fix:
        meta.append(fix)
    parts.extend([" ".join(meta), ""])
    for title, body in sections(rule).items():
        parts.extend([f"## {title}", body, ""])
    return "\n".join(parts).rstrip() + "\n"


def rule_text(rule: type[Rule]) -> str:
    return markdown(rule)


def rule_json(rule: type[Rule], full: bool = True) -> dict[str, Any]:
    data: dict[str, Any] = {
        "code": rule.code,
        "name": rule.name,
        "summary": rule.summary,
        "severity": str(rule.severity),
        "requirements": list(rule.requirements),
        "fix": str(rule.fix_availability),
        "levels": levels_by_profile(rule),
    }
    if full:
        data["docs"] = markdown(rule)
    return data
