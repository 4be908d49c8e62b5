"""SARIF `reportingDescriptor`s: the rule entries GitHub shows beside every alert.

One source for docs: the summary is the short description, "What it does" the full one, and
the rule's page (the same text `aiconf-lint rule CODE` prints) the help. GitHub caps names at
255 characters, descriptions at 1024 and tags at 20 (it shows 10).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aiconf_lint.model import Severity

if TYPE_CHECKING:
    from aiconf_lint.profiles import Profile
    from aiconf_lint.rule import Rule

MAX_TAGS = 20
MAX_NAME = 255
MAX_DESCRIPTION = 1024
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
PROBLEM_SEVERITY = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFO: "recommendation",
}
# Only SEC rules are security alerts; the score follows the level (GitHub: >=7 high, 4-6.9
# medium, <4 low) because the catalog grades impact by level, not by a separate score.
SECURITY_SEVERITY = {Severity.ERROR: "7.5", Severity.WARNING: "5.0", Severity.INFO: "2.0"}
FAMILIES = {
    "SYN": "syntax",
    "ACC": "accelerators",
    "DRA": "dynamic-resource-allocation",
    "GNG": "gang-scheduling",
    "MET": "metrics",
    "SCL": "autoscaling",
    "SEC": "security",
    "OPR": "ai-operators",
    "NET": "inference-networking",
}


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def family_of(rule: type[Rule]) -> str:
    return FAMILIES.get(rule.code[:3], rule.code[:3].lower())


def rule_tags(rule: type[Rule]) -> list[str]:
    tags = [family_of(rule), *rule.requirements]
    if rule.code.startswith("SEC"):
        tags.append("security")
    unique = list(dict.fromkeys(tags))
    return unique[:MAX_TAGS]


def unwrap(text: str) -> str:
    """Docstring paragraphs as single lines: GitHub shows descriptions as flowing text."""
    paragraphs = [" ".join(p.split()) for p in text.split("\n\n")]
    return "\n\n".join(p for p in paragraphs if p)


def _help_text(sections: dict[str, str]) -> str:
    return "\n\n".join(f"{title}\n{body}" for title, body in sections.items()).strip()


def reporting_descriptor(om: Any, rule: type[Rule], profile: Profile | None) -> Any:
    from aiconf_lint.output import rule_docs as docs

    sections = docs.sections(rule)
    level = rule().severity_for(profile) if profile is not None else rule.severity
    bag = om.PropertyBag(tags=rule_tags(rule))
    bag.precision = "very-high" if rule.source_level else "high"
    if rule.code.startswith("SEC"):
        setattr(bag, "security-severity", SECURITY_SEVERITY[level])
    else:
        setattr(bag, "problem.severity", PROBLEM_SEVERITY[level])
    return om.ReportingDescriptor(
        id=rule.code,
        name=_clip(rule.name, MAX_NAME),
        short_description=om.MultiformatMessageString(text=_clip(rule.summary, MAX_DESCRIPTION)),
        full_description=om.MultiformatMessageString(
            text=_clip(unwrap(sections.get("What it does") or rule.summary), MAX_DESCRIPTION)
        ),
        help=om.MultiformatMessageString(text=_help_text(sections), markdown=docs.markdown(rule)),
        help_uri=f"{docs.DOCS_BASE_URL}{rule.code}.md",
        default_configuration=om.ReportingConfiguration(level=LEVELS[level]),
        properties=bag,
    )
