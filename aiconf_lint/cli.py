"""The command line: options in, settings and a report out, exit code set. No logic lives here.

Exit codes are the same for every output format: 0 nothing at or above `--fail-on`, 1 findings,
2 a usage, config or input error (or a bug, which also prints a traceback to report).
"""

from __future__ import annotations

import json
import logging
import sys
import traceback
from pathlib import Path
from typing import Annotated

import typer

from aiconf_lint import __version__
from aiconf_lint.errors import AiconfError
from aiconf_lint.gcpause import paused_gc
from aiconf_lint.output.render import OutputFormat, renderer

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Check Kubernetes AI workloads against the CNCF AI Conformance profiles.",
    pretty_exceptions_enable=False,
)


def _write(text: str) -> None:
    sys.stdout.write(text)


def _csv(values: list[str] | None) -> tuple[str, ...] | None:
    if values is None:
        return None
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


@app.command()
def check(
    paths: Annotated[
        list[str] | None, typer.Argument(help="Files, directories, or - for stdin.")
    ] = None,
    output_format: Annotated[
        OutputFormat, typer.Option("--output-format", help="How to print findings.")
    ] = OutputFormat.FULL,
    select: Annotated[
        list[str] | None, typer.Option(help="Rules to enable (code, prefix, name).")
    ] = None,
    extend_select: Annotated[
        list[str] | None, typer.Option(help="Rules to add to the selection.")
    ] = None,
    ignore: Annotated[list[str] | None, typer.Option(help="Rules to disable.")] = None,
    exclude: Annotated[
        list[str] | None, typer.Option(help="Globs to skip (replaces config).")
    ] = None,
    extend_exclude: Annotated[list[str] | None, typer.Option(help="Globs to skip as well.")] = None,
    force_exclude: Annotated[
        bool | None,
        typer.Option("--force-exclude", help="Apply excludes to files named explicitly."),
    ] = None,
    profile: Annotated[str | None, typer.Option(help="Conformance profile (1.33-1.36).")] = None,
    fail_on: Annotated[
        str | None, typer.Option(help="Lowest severity that fails: error, warning, info.")
    ] = None,
    exit_zero: Annotated[
        bool, typer.Option("--exit-zero", help="Exit 0 even with findings.")
    ] = False,
    statistics: Annotated[
        bool, typer.Option("--statistics", help="Count findings per rule.")
    ] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Print findings only, no summary.")
    ] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Also list skipped documents.")
    ] = False,
    stdin_filename: Annotated[str | None, typer.Option(help="Name to report for stdin.")] = None,
    config: Annotated[
        Path | None, typer.Option(help="Config file to use instead of discovery.")
    ] = None,
    sarif_category: Annotated[
        str | None, typer.Option(help="SARIF `automationDetails.id`: one category per chart.")
    ] = None,
) -> None:
    """Check manifests and report findings."""
    from aiconf_lint.runner import lint_paths
    from aiconf_lint.settings import DEFAULT_EXCLUDE, load_settings, with_overrides

    settings = load_settings(config)
    settings = with_overrides(
        settings,
        select=_csv(select),
        extend_select=_csv(extend_select),
        ignore=_csv(ignore),
        exclude=None if exclude is None else (*DEFAULT_EXCLUDE, *(_csv(exclude) or ())),
        extend_exclude=_csv(extend_exclude),
        force_exclude=force_exclude,
        profile=profile,
        fail_on=fail_on,
    )
    report = lint_paths(paths or ["."], settings, stdin_filename=stdin_filename)
    sarif_options = None
    if output_format is OutputFormat.SARIF:
        from aiconf_lint.output.sarif import SarifOptions
        from aiconf_lint.runner import enabled_rules

        sarif_options = SarifOptions(
            rules=enabled_rules(settings), profile=settings.profile, category=sarif_category
        )
    elif sarif_category is not None:
        sys.stderr.write("warning: --sarif-category applies to --output-format sarif only\n")
    if verbose:
        for note in report.notes:
            sys.stderr.write(f"note: {note}\n")
        for file, line, why in report.skipped_documents:
            sys.stderr.write(f"skipped: {file}:{line}: {why}\n")
    if statistics:
        from aiconf_lint.output.statistics import render_statistics

        _write(render_statistics(report, as_json=output_format is OutputFormat.JSON))
    else:
        text = renderer(output_format, sarif_options)(report)
        if quiet and output_format is OutputFormat.FULL and not report.findings:
            text = ""
        _write(text)
    if report.errors:
        raise typer.Exit(2)
    if not exit_zero and report.failing(settings.fail_on):
        raise typer.Exit(1)


@app.command("rule")
def rule_cmd(
    code: Annotated[str, typer.Argument(help="Rule code or name, e.g. ACC002.")],
    output_format: Annotated[str, typer.Option("--output-format", help="text or json.")] = "text",
) -> None:
    """Show a rule's documentation."""
    from aiconf_lint.docs import rule_json, rule_text
    from aiconf_lint.errors import ConfigError
    from aiconf_lint.rules import ALL_RULES

    for rule in ALL_RULES:
        if code.upper() == rule.code or code.lower() == rule.name:
            _write(
                json.dumps(rule_json(rule), indent=2) + "\n"
                if output_format == "json"
                else rule_text(rule)
            )
            return
    raise ConfigError(f"unknown rule `{code}`")


@app.command("rules")
def rules_cmd(
    output_format: Annotated[str, typer.Option("--output-format", help="text or json.")] = "text",
) -> None:
    """List every rule with its code, level and summary."""
    from aiconf_lint.docs import rule_json
    from aiconf_lint.rules import ALL_RULES

    if output_format == "json":
        _write(json.dumps([rule_json(rule, full=False) for rule in ALL_RULES], indent=2) + "\n")
        return
    for rule in ALL_RULES:
        fix = {"always": "[*]", "sometimes": "[-]"}.get(str(rule.fix_availability), "[ ]")
        _write(f"{rule.code}  {fix} {rule.name:<42} {rule.severity!s:<8} {rule.summary}\n")


@app.command("profiles")
def profiles_cmd(
    output_format: Annotated[str, typer.Option("--output-format", help="text or json.")] = "text",
) -> None:
    """List the AI Conformance profiles and their requirements."""
    from aiconf_lint.profiles import PROFILES

    if output_format == "json":
        payload = [
            {
                "version": p.version,
                "requirements": [
                    {"id": r.id, "category": r.category, "level": str(r.level)}
                    for r in p.requirements
                ],
            }
            for p in PROFILES.values()
        ]
        _write(json.dumps(payload, indent=2) + "\n")
        return
    for p in PROFILES.values():
        _write(f"{p.version}\n")
        for r in p.requirements:
            _write(f"  {r.id:<30} {r.category:<26} {r.level}\n")


@app.command("version")
def version_cmd() -> None:
    """Print the version."""
    _write(f"aiconf-lint {__version__}\n")


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code; errors never escape as tracebacks."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    # The run builds large acyclic trees: reference counting frees them, and the cyclic
    # collector would only rescan the growing heap (see gcpause.py).
    with paused_gc():
        return _run(argv)


def _run(argv: list[str] | None) -> int:
    try:
        # Standalone mode lets typer print usage errors (exit 2) and turn `Exit` into SystemExit;
        # our own errors and bugs still propagate to the handlers below.
        app(args=argv, prog_name="aiconf-lint", standalone_mode=True)
    except SystemExit as exc:
        if exc.code is None:
            return 0
        return exc.code if isinstance(exc.code, int) else 1
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
    return 0
