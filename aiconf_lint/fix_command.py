"""`fix` apart from the command-line framework, for the same reason as `check_command`: the
pre-commit fix hook runs on every commit, and a plain `fix` line is parsed by `quick_argv`
without importing Typer. Typer's `fix` in cli.py calls `run_fix` as well.

Exit codes: 0 nothing left at or above `--fail-on`, 1 findings remain, 2 an error.
"""

from __future__ import annotations

import sys
from pathlib import Path

from aiconf_lint.check_command import settings_of, write
from aiconf_lint.records import record


@record(frozen=True)
class FixArgs:
    """`fix`'s options, named and defaulted as in its Typer signature (a test compares)."""

    paths: list[str] | None = None
    unsafe_fixes: bool | None = None
    diff: bool = False
    force_rendered: bool = False
    emit_kustomize: Path | None = None
    select: list[str] | None = None
    extend_select: list[str] | None = None
    ignore: list[str] | None = None
    extend_ignore: list[str] | None = None
    exclude: list[str] | None = None
    extend_exclude: list[str] | None = None
    force_exclude: bool | None = None
    profile: str | None = None
    fail_on: str | None = None
    exit_zero: bool = False
    quiet: bool = False
    stdin_filename: str | None = None
    config: Path | None = None


def run_fix(args: FixArgs) -> int:
    """Apply the fixes rules offer, write or print the result; the exit code."""
    from aiconf_lint.fix.command import FixOptions, fix_paths
    from aiconf_lint.fix.summary import render_summary
    from aiconf_lint.output.text import concise_line

    settings = settings_of(args, unsafe_fixes=args.unsafe_fixes)
    options = FixOptions(
        unsafe=settings.unsafe_fixes,
        diff=args.diff,
        force_rendered=args.force_rendered,
        emit_kustomize=args.emit_kustomize,
        stdin_filename=args.stdin_filename,
    )
    result = fix_paths(args.paths or ["."], settings, options)
    write(result.stdout)
    # stdout carries the stream or the diff; everything else goes to stderr.
    if not args.quiet:
        lines = [concise_line(f) for f in result.remaining]
        lines += [f"{e.file}: error: {e.message}" for e in result.input_errors]
        lines += [f"error: {e}" for e in result.write_errors]
        if args.emit_kustomize is not None and result.written:
            lines.append(f"Wrote {len(result.written)} files to {args.emit_kustomize}")
        sys.stderr.write("".join(f"{line}\n" for line in lines))
        verb = "Would fix" if args.diff else "Emitted fixes for" if args.emit_kustomize else "Fixed"
        sys.stderr.write(render_summary(result.run, verb=verb))
    return result.exit_code(settings, args.exit_zero)
