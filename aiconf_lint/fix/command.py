"""`aiconf-lint fix`: read inputs, run the fix loop, then write, diff, stream or emit.

Four ways out, one loop: files are rewritten in place (atomically); `--diff` prints what
would change and writes nothing; `-` reads a stream on stdin and writes the fixed stream on
stdout and nothing else there (a Helm `--post-renderer`); `--emit-kustomize DIR` writes a
kustomize Component and leaves every input untouched.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from aiconf_lint.errors import ConfigError
from aiconf_lint.fix.apply import Mode
from aiconf_lint.fix.loop import FixRun, run_fixes
from aiconf_lint.fix.python import fix_python
from aiconf_lint.input.discovery import STDIN, is_python_path
from aiconf_lint.model import Finding, InputProblem
from aiconf_lint.records import field, record
from aiconf_lint.runner import enabled_entries, read_sources
from aiconf_lint.settings import Settings

if TYPE_CHECKING:
    from aiconf_lint.rules import RuleSpec


@record(frozen=True)
class FixOptions:
    unsafe: bool = False
    diff: bool = False
    force_rendered: bool = False
    emit_kustomize: Path | None = None
    stdin_filename: str | None = None


@record
class FixResult:
    run: FixRun
    stream: bool
    input_errors: list[InputProblem] = field(default_factory=list)
    unreadable: list[Finding] = field(default_factory=list)
    stdout: str = ""
    written: list[Path] = field(default_factory=list)
    write_errors: list[str] = field(default_factory=list)

    @property
    def remaining(self) -> list[Finding]:
        return [*self.unreadable, *self.run.report.findings]

    def exit_code(self, settings: Settings, exit_zero: bool = False) -> int:
        if self.input_errors or self.run.errors or self.write_errors:
            return 2
        if not exit_zero and any(f.severity >= settings.fail_on for f in self.remaining):
            return 1
        return 0


def _diff(name: str, before: str, after: str) -> str:
    lines = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile=name if name.startswith("/") else f"a/{name}",
        tofile=name if name.startswith("/") else f"b/{name}",
    )
    text = "".join(
        line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines
    )
    return text


def fix_paths(
    paths: Sequence[str],
    settings: Settings,
    options: FixOptions,
    stdin_bytes: bytes | None = None,
    rules: Sequence[RuleSpec] | None = None,
) -> FixResult:
    """Fix the given paths (or `-`) according to `options`; see the module docstring.

    `rules` replaces the rules `settings` selects (for programs that bring their own).
    """
    from aiconf_lint.engine import lint
    from aiconf_lint.fix.write import NotWritten, write_atomic

    stream = STDIN in paths
    if stream and len(paths) > 1:
        raise ConfigError("`-` (stdin) cannot be combined with other paths")
    # An empty stream is a valid (empty) render for a post-renderer; `check` reports it.
    sources, problems, _ = read_sources(
        paths, settings, options.stdin_filename, stdin_bytes, allow_empty_stdin=True
    )
    rules = enabled_entries(settings) if rules is None else rules
    # Python sources are fixed by `fix.python` (libcst); the YAML fix loop never reads them.
    python = [s for s in sources if is_python_path(s.path)]
    sources = [s for s in sources if not is_python_path(s.path)]
    readable = [s for s in sources if s.text or not s.problems]
    broken = [s for s in sources if not (s.text or not s.problems)]
    emit = options.emit_kustomize is not None
    run = run_fixes(
        {s.path: s.text for s in readable},
        settings,
        rules,
        unsafe=options.unsafe,
        mode=Mode.DATA if emit else Mode.STREAM if stream else Mode.TEXT,
        allow_rendered=options.force_rendered or stream or emit,
    )
    unreadable = lint(broken, settings, rules).findings if broken else []
    if python and not emit:
        fixes = fix_python(python, settings, rules, options.unsafe)
        unreadable += fixes.remaining
        run.originals.update({s.path: s.text for s in python if s.path in fixes.texts})
        run.texts.update(fixes.texts)
        run.applied += fixes.applied
        run.held_back += fixes.held_back
        run.errors += fixes.errors
    elif python:
        unreadable += lint(python, settings, rules).findings
    result = FixResult(run, stream, problems, unreadable)
    if options.diff or emit:
        from aiconf_lint.fix.relocate import in_original_text

        run.report.findings = in_original_text(run.report.findings, readable, settings, rules)
    if options.emit_kustomize is not None:
        from aiconf_lint.fix.kustomize import emit_component

        result.written = emit_component(run.originals, run.texts, options.emit_kustomize)
    elif options.diff:
        result.stdout = "".join(
            _diff(name, run.originals[name], run.texts[name]) for name in run.changed()
        )
    elif stream:
        result.stdout = "".join(run.texts.values())
    else:
        for name in run.changed():
            try:
                write_atomic(Path(name), run.texts[name], run.originals[name])
                result.written.append(Path(name))
            except NotWritten as exc:
                result.write_errors.append(f"{name}: {exc}")
            except OSError as exc:
                result.write_errors.append(f"{name}: cannot write: {exc.strerror or exc}")
    return result
