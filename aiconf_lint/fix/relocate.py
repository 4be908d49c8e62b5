"""Findings left after `fix --diff` or `--emit-kustomize`, placed in the text the user has.

Those modes write nothing, so a position in the fixed text (line 149 of a 131-line file) points
at text that exists only in memory. Each remaining finding takes the position of the same
finding in the original text; one a fix introduced points at its object's first line there.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from aiconf_lint.engine import lint
from aiconf_lint.input.source import SourceFile
from aiconf_lint.k8s.objects import is_k8s_object, objects_of
from aiconf_lint.model import Finding, Location, ObjectRef, Span
from aiconf_lint.records import replace
from aiconf_lint.settings import Settings

if TYPE_CHECKING:
    from aiconf_lint.rules import RuleSpec


def _identities(finding: Finding) -> tuple[tuple[object, ...], ...]:
    """Ways to recognise a finding across a fix, most precise first: the same path, the same
    message (a fix that adds `limits` moves where ACC001 points), the same rule and object."""
    loc = finding.location
    return (
        (finding.code, loc.file, loc.obj, loc.path),
        (finding.code, loc.file, loc.obj, finding.message),
        (finding.code, loc.file, loc.obj),
    )


def _object_starts(sources: list[SourceFile]) -> dict[tuple[str, ObjectRef], tuple[int, int]]:
    starts: dict[tuple[str, ObjectRef], tuple[int, int]] = {}
    for source in sources:
        for doc in source.documents:
            if not is_k8s_object(doc.data):
                continue
            for obj in objects_of(doc):
                mark = doc.node.start_mark
                starts.setdefault((source.path, obj.ref()), (doc.index, mark.line + 1))
    return starts


def in_original_text(
    remaining: list[Finding],
    originals: list[SourceFile],
    settings: Settings,
    rules: Sequence[RuleSpec],
) -> list[Finding]:
    """`remaining` (found in the fixed text) with positions in the original text."""
    before: dict[tuple[object, ...], Finding] = {}
    for original in reversed(lint(originals, settings, rules).findings):
        for key in _identities(original):
            before[key] = original
    starts = _object_starts(originals)
    placed: list[Finding] = []
    for finding in remaining:
        match = next((before[k] for k in _identities(finding) if k in before), None)
        loc = finding.location
        if match is not None:
            placed.append(replace(finding, location=match.location, related=match.related))
            continue
        start = starts.get((loc.file, loc.obj)) if loc.obj is not None else None
        index, line = start if start is not None else (-1, 1)
        where = Location(loc.file, index, (), Span(line, 1, line, 2), loc.origin, loc.obj)
        placed.append(replace(finding, location=where, related=()))
    return placed
