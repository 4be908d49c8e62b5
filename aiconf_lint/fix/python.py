"""Fixes in Python sources: exact text replacements at the positions libcst gave the rule.

A rule's `TextEdit`s name the characters to replace; every other byte of the file is kept, so
comments, quotes and layout survive by construction. The result must still parse, and must
no longer carry the finding it fixed, before anything is written; one pass is enough because
these fixes never make another Python fix fire.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise
from typing import TYPE_CHECKING

from aiconf_lint.engine import lint
from aiconf_lint.fix.apply import Planned
from aiconf_lint.input.python_source import load_python
from aiconf_lint.input.source import SourceFile
from aiconf_lint.model import Applicability, Finding, TextEdit
from aiconf_lint.records import field, record
from aiconf_lint.settings import Settings

if TYPE_CHECKING:
    from aiconf_lint.rules import RuleSpec


@record
class PythonFixes:
    texts: dict[str, str] = field(default_factory=dict)
    applied: list[Planned] = field(default_factory=list)
    held_back: list[Finding] = field(default_factory=list)
    remaining: list[Finding] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def apply_text_edits(text: str, edits: Sequence[TextEdit]) -> str | None:
    """`text` with `edits` applied, or None when two edits overlap (neither is applied)."""
    starts = [0]
    for index, char in enumerate(text):
        if char == "\n":
            starts.append(index + 1)

    def offset(line: int, column: int) -> int:
        return starts[line - 1] + column - 1 if 0 < line <= len(starts) else len(text)

    spans = sorted(
        (
            (offset(e.line, e.column), offset(e.end_line, e.end_column), e.replacement)
            for e in edits
        ),
        reverse=True,
    )
    for (start, _, _), (_, prev_end, _) in pairwise(spans):
        if prev_end > start:
            return None
    for start, end, replacement in spans:
        text = text[:start] + replacement + text[end:]
    return text


def fix_python(
    sources: Sequence[SourceFile], settings: Settings, rules: Sequence[RuleSpec], unsafe: bool
) -> PythonFixes:
    result = PythonFixes()
    report = lint(list(sources), settings, rules)
    by_file: dict[str, list[Finding]] = {}
    for finding in report.findings:
        by_file.setdefault(finding.location.file, []).append(finding)
    for source in sources:
        findings = by_file.get(source.path, [])
        chosen = [f for f in findings if _applies(f, unsafe)]
        result.held_back += [
            f
            for f in findings
            if f.fix and f.fix.applicability is Applicability.UNSAFE and not unsafe
        ]
        if not chosen:
            result.remaining += findings
            continue
        edits = [edit for f in chosen if f.fix for edit in f.fix.text_edits]
        fixed = apply_text_edits(source.text, edits)
        after = load_python(source.path, fixed) if fixed is not None else None
        if after is None or after.problems:
            result.errors.append(f"{source.path}: fixes not applied: the result would not parse")
            result.remaining += findings
            continue
        still = lint([after], settings, rules).findings
        fixed_keys = {(f.code, f.location.span.line) for f in chosen}
        if any((f.code, f.location.span.line) in fixed_keys for f in still):
            result.errors.append(f"{source.path}: fixes not applied: a finding would remain")
            result.remaining += findings
            continue
        assert fixed is not None
        result.texts[source.path] = fixed
        result.applied += [Planned(f, f.fix) for f in chosen if f.fix]
        result.remaining += still
    return result


def _applies(finding: Finding, unsafe: bool) -> bool:
    fix = finding.fix
    if fix is None or not fix.text_edits:
        return False
    return fix.applicability is Applicability.SAFE or (
        fix.applicability is Applicability.UNSAFE and unsafe
    )
