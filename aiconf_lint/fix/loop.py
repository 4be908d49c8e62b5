"""The fix loop: lint, apply the fixes the mode allows, re-parse, re-lint, until stable.

A fix can make another rule fire (or stop firing), so one pass is not enough; sqlfluff's
bound of 10 passes keeps a pair of fighting rules from looping forever, and content hashes
stop the loop as soon as a state repeats ("failed to converge", as ruff says). A fix that
was skipped once is not retried: its reason will not change by itself.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import TYPE_CHECKING

from aiconf_lint.engine import lint
from aiconf_lint.fix.apply import Mode, Planned, apply_file
from aiconf_lint.input.load import Limits, load_text
from aiconf_lint.model import Applicability, Finding, Report
from aiconf_lint.records import field, record
from aiconf_lint.settings import Settings

if TYPE_CHECKING:
    from aiconf_lint.rules import RuleSpec

MAX_PASSES = 10


@record
class FixRun:
    """What a fix run did, for the summary, the writer and the exit code."""

    originals: dict[str, str]
    texts: dict[str, str]
    report: Report
    applied: list[Planned] = field(default_factory=list)
    skipped: list[tuple[Planned, str]] = field(default_factory=list)
    held_back: list[Finding] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    passes: int = 0

    def changed(self) -> list[str]:
        return [name for name, text in self.texts.items() if text != self.originals[name]]


def applies(finding: Finding, unsafe: bool) -> bool:
    fix = finding.fix
    if fix is None or finding.location.doc_index < 0:
        return False
    if fix.applicability is Applicability.SAFE:
        return True
    return fix.applicability is Applicability.UNSAFE and unsafe


def _key(planned: Planned) -> tuple[str, str, str, str]:
    finding = planned.finding
    return (finding.location.file, finding.code, finding.message, repr(planned.fix))


def _state(texts: dict[str, str]) -> str:
    digest = hashlib.sha256()
    for name in sorted(texts):
        digest.update(name.encode())
        digest.update(b"\0")
        digest.update(texts[name].encode())
        digest.update(b"\0")
    return digest.hexdigest()


def run_fixes(
    texts: dict[str, str],
    settings: Settings,
    rules: Sequence[RuleSpec],
    *,
    unsafe: bool,
    mode: Mode = Mode.TEXT,
    allow_rendered: bool = False,
) -> FixRun:
    """Fix `texts` (display name to text) in memory; nothing is written here."""
    limits = Limits(max_bytes=settings.max_file_size_mib * 1024 * 1024)
    current = dict(texts)
    seen = {_state(current)}
    given_up: set[tuple[str, str, str, str]] = set()
    run = FixRun(dict(texts), current, Report())
    while True:
        sources = [load_text(name, text, limits) for name, text in current.items()]
        report = lint(sources, settings, rules)
        run.report = report
        for crash in report.errors:  # a rule that crashed: reported once, exit 2
            line = f"{crash.file}:{crash.line}: {crash.message}" if crash.line else crash.message
            if line not in run.errors:
                run.errors.append(line)
        if run.passes == MAX_PASSES:
            pending = sorted({f.code for f in report.findings if applies(f, unsafe)})
            if pending:
                run.errors.append(
                    f"failed to converge after {MAX_PASSES} passes (rules: {', '.join(pending)})"
                )
            break
        run.passes += 1
        by_file: dict[str, list[Planned]] = {}
        for finding in report.findings:
            if finding.fix is None or not applies(finding, unsafe):
                continue
            planned = Planned(finding, finding.fix)
            if _key(planned) not in given_up:
                by_file.setdefault(finding.location.file, []).append(planned)
        changed = False
        for source in sources:
            items = by_file.get(source.path)
            if not items:
                continue
            outcome = apply_file(source, items, mode=mode, allow_rendered=allow_rendered)
            run.applied.extend(outcome.applied)
            for planned, reason in outcome.skipped:
                given_up.add(_key(planned))
                run.skipped.append((planned, reason))
            if outcome.error:
                run.errors.append(outcome.error)
                given_up.update(_key(p) for p in items)
            if outcome.text is not None and outcome.text != source.text:
                current[source.path] = outcome.text
                changed = True
        if not changed:
            break
        state = _state(current)
        if state in seen:
            codes = sorted({p.finding.code for p in run.applied})
            run.errors.append(f"failed to converge: a state repeated (rules: {', '.join(codes)})")
            break
        seen.add(state)
    run.held_back = [
        f
        for f in run.report.findings
        if f.fix is not None and f.fix.applicability is Applicability.UNSAFE and not unsafe
    ]
    return run
