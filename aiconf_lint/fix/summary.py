"""The fix summary printed on stderr: what was fixed, held back (unsafe) and skipped."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from aiconf_lint.fix.loop import FixRun
from aiconf_lint.model import Finding


def _codes(findings: Iterable[Finding]) -> str:
    counts = Counter(f.code for f in findings)
    return ", ".join(f"{code} x{n}" if n > 1 else code for code, n in sorted(counts.items()))


def _where(finding: Finding) -> str:
    loc = finding.location
    return f"{loc.file}:{loc.span.line}:{loc.span.column}"


def render_summary(run: FixRun, *, verb: str = "Fixed") -> str:
    lines: list[str] = []
    applied = [p.finding for p in run.applied]
    files = len(run.changed())
    if applied:
        plural = "s" if len(applied) != 1 else ""
        in_files = f" in {files} file{'s' if files != 1 else ''}" if files else ""
        lines.append(f"{verb} {len(applied)} finding{plural} ({_codes(applied)}){in_files}")
        lines.extend(
            f"  fixed: {_where(p.finding)}: {p.finding.code} {p.fix.title}" for p in run.applied
        )
    else:
        lines.append("No fixes applied")
    if run.held_back:
        n = len(run.held_back)
        lines.append(
            f"{n} unsafe fix{'es' if n != 1 else ''} held back ({_codes(run.held_back)}); "
            "use --unsafe-fixes to apply"
        )
    for planned, reason in run.skipped:
        finding = planned.finding
        lines.append(f"skipped: {_where(finding)}: {finding.code} {planned.fix.title}: {reason}")
    lines.extend(f"error: {error}" for error in run.errors)
    remaining = run.report.findings
    if remaining:
        fixable = sum(1 for f in remaining if f.fix is not None)
        lines.append(
            f"{len(remaining)} finding{'s' if len(remaining) != 1 else ''} remain"
            f"{'s' if len(remaining) == 1 else ''} ({fixable} with a fix not applied)"
        )
    return "\n".join(lines) + "\n"
