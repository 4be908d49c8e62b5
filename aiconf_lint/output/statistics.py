"""`--statistics`: how many findings each rule produced, ruff's table, or JSON."""

from __future__ import annotations

import json
from collections import Counter

from aiconf_lint.model import Finding, Report


def _rows(report: Report) -> list[tuple[int, str, str, bool]]:
    counts = Counter(f.code for f in report.findings)
    names = {f.code: f.name for f in report.findings}
    fixable = {f.code for f in report.findings if f.fix is not None}
    return sorted(
        ((n, code, names[code], code in fixable) for code, n in counts.items()),
        key=lambda row: (-row[0], row[1]),
    )


def render_statistics(report: Report, as_json: bool = False) -> str:
    rows = _rows(report)
    if as_json:
        safe = Counter(f.code for f in report.findings if _applies(f, "safe"))
        unsafe = Counter(f.code for f in report.findings if _applies(f, "unsafe"))
        payload = [
            {
                "code": code,
                "name": name,
                "count": n,
                "fixable": fixable,
                "safe_fixes": safe[code],
                "unsafe_fixes": unsafe[code],
            }
            for n, code, name, fixable in rows
        ]
        return json.dumps(payload, indent=2) + "\n"
    if not rows:
        return ""
    width = max(len(str(row[0])) for row in rows)
    lines = [
        f"{n:>{width}}\t{code}\t{'[*]' if fixable else '[ ]'} {name}"
        for n, code, name, fixable in rows
    ]
    lines.append(f"{len(report.findings):>{width}}\ttotal")
    return "\n".join(lines) + "\n"


def _applies(finding: Finding, applicability: str) -> bool:
    return finding.fix is not None and finding.fix.applicability == applicability
