"""What a readiness report holds: per requirement, the evidence found, what stands in its way.

Evidence is a pointer to an object (file, line, identity) and a short note saying what it
shows; a requirement's evidence is grouped in facets (the exporter, the monitor that selects
it), because "an exporter but no monitor" is a different answer from "nothing at all".
"""

from __future__ import annotations

import enum

from aiconf_lint.model import Finding, InputProblem, ObjectRef
from aiconf_lint.profiles import Requirement
from aiconf_lint.records import field, record


class Status(enum.StrEnum):
    """Ordered from best to worst; `blocked` wins over any evidence."""

    MET = "evidence"
    PARTIAL = "partial"
    BLOCKED = "blocked"
    NONE = "no-evidence"

    @property
    def label(self) -> str:
        return _TITLES[self]


_TITLES = {
    Status.MET: "Evidence found",
    Status.PARTIAL: "Partial evidence",
    Status.BLOCKED: "Blocked by findings",
    Status.NONE: "No evidence",
}


def count(number: int, noun: str) -> str:
    """`1 finding`, `2 findings`: renderers say how many of something there are."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


@record(frozen=True)
class Evidence:
    """One object that shows part of a requirement, and where it is."""

    file: str
    line: int
    column: int
    obj: ObjectRef
    note: str
    origin: str | None = None

    def place(self) -> str:
        return f"{self.file}:{self.line}"

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.file, self.line, self.column, self.note)


@record
class Facet:
    """One thing a requirement needs (a Gateway, a route that splits traffic), and its evidence.

    `required` facets must all have evidence for the requirement to count as evidenced; the
    others are reported when found but never missed.
    """

    name: str
    missing: str
    """What to add when the facet has no evidence, in words."""
    required: bool = True
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def found(self) -> bool:
        return bool(self.evidence)


@record
class RequirementResult:
    requirement: Requirement
    status: Status
    facets: list[Facet]
    blockers: list[Finding]
    """Findings at or above the blocking severity of rules that serve this requirement."""
    advice: list[Finding]
    """Findings of those rules below the blocking severity: worth reading, not in the way."""

    @property
    def evidence(self) -> list[Evidence]:
        seen: dict[tuple[str, int, int, str], Evidence] = {}
        for facet in self.facets:
            for item in facet.evidence:
                seen.setdefault(item.sort_key(), item)
        return sorted(seen.values(), key=Evidence.sort_key)

    @property
    def missing(self) -> list[str]:
        return [f.missing for f in self.facets if f.required and not f.found]

    @property
    def failing(self) -> bool:
        """A MUST without full evidence, or blocked: what makes `report` exit 1."""
        return self.requirement.level == "MUST" and self.status is not Status.MET


@record
class Readiness:
    profile: str
    paths: list[str]
    results: list[RequirementResult]
    files: int = 0
    objects: int = 0
    findings: int = 0
    errors: list[InputProblem] = field(default_factory=list)
    unreadable: list[Finding] = field(default_factory=list)
    """Input findings (invalid YAML, unrendered templates): evidence in them cannot be seen."""

    def counts(self) -> dict[Status, int]:
        found = dict.fromkeys(Status, 0)
        for result in self.results:
            found[result.status] += 1
        return found

    @property
    def failing(self) -> bool:
        return any(result.failing for result in self.results)

    def totals(self) -> str:
        return ", ".join(
            (
                count(self.files, "file"),
                count(self.objects, "object"),
                count(self.findings, "finding"),
            )
        )
