"""The process entry point (`aiconf-lint`, `python -m aiconf_lint`): one error policy for all.

A `check` or `fix` with the usual options is parsed by `quick_argv` and run without importing
Typer; any other command line (help, a usage error, another command) goes to the Typer app in
cli.py.
Errors never escape as tracebacks: ours exit 2 with a message, a bug exits 2 with a traceback
to report.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable

from aiconf_lint import __version__
from aiconf_lint.check_command import CheckArgs, run_check
from aiconf_lint.errors import AiconfError
from aiconf_lint.input.gcpause import paused_gc


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code."""
    args = sys.argv[1:] if argv is None else list(argv)
    # The run builds large acyclic trees: reference counting frees them, and the cyclic
    # collector would only rescan the growing heap (see gcpause.py).
    with paused_gc():
        from aiconf_lint.quick_argv import parse_quick

        quick = parse_quick(args)
        if isinstance(quick, CheckArgs):
            return guarded(lambda: run_check(quick))
        if quick is not None:
            from aiconf_lint.fix_command import run_fix

            return guarded(lambda: run_fix(quick))
        from aiconf_lint.cli import run_typer

        return guarded(lambda: run_typer(args))


def guarded(call: Callable[[], int]) -> int:
    """`call`'s exit code; our errors and bugs become messages and exit code 2."""
    try:
        return call()
    except AiconfError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception:
        sys.stderr.write(
            f"internal error in aiconf-lint {__version__}, please report it:\n"
            f"{traceback.format_exc()}"
        )
        return 2
