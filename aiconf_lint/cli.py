"""The command line: options in, settings and a report out, exit code set. No logic lives here.

`main` (the console script) is `entry.main`: a plain `check` skips Typer (`quick_argv`).

Exit codes are the same for every output format: 0 nothing at or above `--fail-on`, 1 findings,
2 a usage, config or input error (or a bug, which also prints a traceback to report).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from aiconf_lint import __version__
from aiconf_lint.check_command import settings_from_options, write
from aiconf_lint.entry import main
from aiconf_lint.output.render import DocFormat, OutputFormat
from aiconf_lint.report import ReportFormat

__all__ = ["app", "main", "run_typer"]  # `main` is the entry point tests and old scripts name

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Check Kubernetes AI workloads against the CNCF AI Conformance profiles.",
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        write(f"aiconf-lint {__version__}\n")
        raise typer.Exit(0)


@app.callback()
def _main_options(
    version: Annotated[
        bool,
        typer.Option(
            "--version", "-V", callback=_version, is_eager=True, help="Print the version."
        ),
    ] = False,
) -> None:
    """Check Kubernetes AI workloads against the CNCF AI Conformance profiles."""


PathsArg = Annotated[list[str] | None, typer.Argument(help="Files, directories, or - for stdin.")]
SelectOpt = Annotated[list[str] | None, typer.Option(help="Rules to enable (code, prefix, name).")]
ExtendSelectOpt = Annotated[list[str] | None, typer.Option(help="Rules to add to the selection.")]
IgnoreOpt = Annotated[
    list[str] | None, typer.Option(help="Rules to disable, added to the config's `ignore`.")
]
ExtendIgnoreOpt = Annotated[list[str] | None, typer.Option(help="Same as --ignore (ruff's name).")]
ExcludeOpt = Annotated[list[str] | None, typer.Option(help="Globs to skip (replaces config).")]
ExtendExcludeOpt = Annotated[list[str] | None, typer.Option(help="Globs to skip as well.")]
ForceExcludeOpt = Annotated[
    bool | None, typer.Option("--force-exclude", help="Apply excludes to files named explicitly.")
]
ProfileOpt = Annotated[str | None, typer.Option(help="Conformance profile (1.33-1.36).")]
FailOnOpt = Annotated[
    str | None, typer.Option(help="Lowest severity that fails: error, warning, info.")
]
ExitZeroOpt = Annotated[bool, typer.Option("--exit-zero", help="Exit 0 even with findings.")]
StdinFilenameOpt = Annotated[str | None, typer.Option(help="Name to report for stdin.")]
OutputFileOpt = Annotated[
    Path | None, typer.Option("--output-file", "-o", help="Write the report to this file.")
]
ConfigOpt = Annotated[Path | None, typer.Option(help="Config file to use instead of discovery.")]


@app.command()
def check(
    paths: PathsArg = None,
    output_format: Annotated[
        OutputFormat, typer.Option("--output-format", "-F", help="How to print findings.")
    ] = OutputFormat.FULL,
    output_file: OutputFileOpt = None,
    select: SelectOpt = None,
    extend_select: ExtendSelectOpt = None,
    ignore: IgnoreOpt = None,
    extend_ignore: ExtendIgnoreOpt = None,
    exclude: ExcludeOpt = None,
    extend_exclude: ExtendExcludeOpt = None,
    force_exclude: ForceExcludeOpt = None,
    profile: ProfileOpt = None,
    fail_on: FailOnOpt = None,
    exit_zero: ExitZeroOpt = False,
    statistics: Annotated[
        bool, typer.Option("--statistics", help="Count findings per rule.")
    ] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Print findings only, no summary.")
    ] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Also list skipped documents.")
    ] = False,
    stdin_filename: StdinFilenameOpt = None,
    config: ConfigOpt = None,
    sarif_category: Annotated[
        str | None, typer.Option(help="SARIF `automationDetails.id`: one category per chart.")
    ] = None,
    sarif_root: Annotated[
        Path | None,
        typer.Option(help="Directory SARIF URIs are relative to (default: the git top level)."),
    ] = None,
    with_context: Annotated[
        bool,
        typer.Option(
            "--with-context",
            help="Read the chart, overlay or folder of each named file too; report only on "
            "the named files (the pre-commit hook's mode).",
        ),
    ] = False,
    render: Annotated[
        bool | None,
        typer.Option("--render/--no-render", help="Render Helm charts and kustomize overlays."),
    ] = None,
    values: Annotated[
        list[Path] | None, typer.Option("--values", "-f", help="Helm values file (repeatable).")
    ] = None,
    set_values: Annotated[
        list[str] | None, typer.Option("--set", help="Helm --set value (repeatable).")
    ] = None,
    release_name: Annotated[str | None, typer.Option(help="Helm release name.")] = None,
    namespace: Annotated[str | None, typer.Option(help="Helm release namespace.")] = None,
    kube_version: Annotated[
        str | None, typer.Option(help="Helm .Capabilities.KubeVersion.")
    ] = None,
    api_versions: Annotated[
        list[str] | None, typer.Option(help="Helm .Capabilities.APIVersions (repeatable).")
    ] = None,
) -> None:
    """Check manifests, Helm charts and kustomize overlays, and report findings."""
    options = dict(locals())  # the parameters, by name: CheckArgs' fields (a test compares)
    from aiconf_lint.check_command import CheckArgs, run_check

    code = run_check(CheckArgs(**options))
    if code:
        raise typer.Exit(code)


@app.command()
def fix(
    paths: PathsArg = None,
    unsafe_fixes: Annotated[
        bool | None,
        typer.Option("--unsafe-fixes/--no-unsafe-fixes", help="Also apply fixes marked unsafe."),
    ] = None,
    diff: Annotated[
        bool, typer.Option("--diff", help="Print a unified diff; write nothing.")
    ] = False,
    force_rendered: Annotated[
        bool, typer.Option("--force-rendered", help="Edit Helm-rendered documents in files too.")
    ] = False,
    emit_kustomize: Annotated[
        Path | None,
        typer.Option("--emit-kustomize", help="Write a kustomize Component here; edit nothing."),
    ] = None,
    select: SelectOpt = None,
    extend_select: ExtendSelectOpt = None,
    ignore: IgnoreOpt = None,
    extend_ignore: ExtendIgnoreOpt = None,
    exclude: ExcludeOpt = None,
    extend_exclude: ExtendExcludeOpt = None,
    force_exclude: ForceExcludeOpt = None,
    profile: ProfileOpt = None,
    fail_on: FailOnOpt = None,
    exit_zero: ExitZeroOpt = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print no summary.")] = False,
    stdin_filename: StdinFilenameOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Apply the fixes rules offer (safe ones; unsafe ones with --unsafe-fixes)."""
    options = dict(locals())  # the parameters, by name: FixArgs' fields (a test compares)
    from aiconf_lint.fix_command import FixArgs, run_fix

    code = run_fix(FixArgs(**options))
    if code:
        raise typer.Exit(code)


@app.command("report")
def report_cmd(
    paths: PathsArg = None,
    output_format: Annotated[
        ReportFormat, typer.Option("--output-format", help="How to print the report.")
    ] = ReportFormat.MARKDOWN,
    profile: ProfileOpt = None,
    block_on: Annotated[
        str, typer.Option(help="Lowest severity of a finding that blocks a requirement.")
    ] = "warning",
    evidence_base_url: Annotated[
        str | None, typer.Option(help="Prefix for checklist evidence (a repository URL).")
    ] = None,
    select: SelectOpt = None,
    extend_select: ExtendSelectOpt = None,
    ignore: IgnoreOpt = None,
    exclude: ExcludeOpt = None,
    extend_exclude: ExtendExcludeOpt = None,
    exit_zero: ExitZeroOpt = False,
    stdin_filename: StdinFilenameOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Report, per requirement of a profile, the evidence found and what stands in its way."""
    from aiconf_lint.errors import ConfigError
    from aiconf_lint.model import Severity
    from aiconf_lint.report.api import readiness, render

    try:
        threshold = Severity.parse(block_on)
    except KeyError:
        raise ConfigError(f"--block-on: unknown severity `{block_on}`") from None
    settings = settings_from_options(
        config=config,
        select=select,
        extend_select=extend_select,
        ignore=ignore,
        exclude=exclude,
        extend_exclude=extend_exclude,
        profile=profile,
    )
    result = readiness(paths or ["."], settings, threshold, stdin_filename)
    write(render(result, output_format, evidence_base_url))
    if result.errors:
        raise typer.Exit(2)
    if not exit_zero and result.failing:
        raise typer.Exit(1)


DocFormatOpt = Annotated[DocFormat, typer.Option("--output-format", "-F", help="text or json.")]


@app.command("rule")
def rule_cmd(
    code: Annotated[str | None, typer.Argument(help="Rule code or name, e.g. ACC002.")] = None,
    show_all: Annotated[
        bool, typer.Option("--all", help="Show every rule's documentation.")
    ] = False,
    output_format: DocFormatOpt = DocFormat.TEXT,
) -> None:
    """Show a rule's documentation (or every rule's, with --all)."""
    from aiconf_lint.errors import ConfigError
    from aiconf_lint.output.rule_docs import rule_json, rule_text
    from aiconf_lint.rules import CATALOG

    if show_all == (code is not None):
        raise ConfigError("give a rule code or --all (not both)")
    wanted = (code or "").upper(), (code or "").lower()
    chosen = [
        entry.load()
        for entry in CATALOG
        if show_all or wanted[0] == entry.code or wanted[1] == entry.name
    ]
    if not chosen:
        raise ConfigError(f"unknown rule `{code}`")
    if output_format is DocFormat.JSON:
        payload = [rule_json(rule) for rule in chosen]
        write(json.dumps(payload if show_all else payload[0], indent=2) + "\n")
        return
    write("\n".join(rule_text(rule) for rule in chosen))


@app.command("rules")
def rules_cmd(
    output_format: DocFormatOpt = DocFormat.TEXT,
    profile: ProfileOpt = None,
) -> None:
    """List every rule with its code, fix mark, name, level under the profile, and summary."""
    from aiconf_lint.rule_table import render_rules

    settings = settings_from_options(profile=profile)
    write(render_rules(settings.profile, as_json=output_format is DocFormat.JSON))


@app.command("profiles")
def profiles_cmd(output_format: DocFormatOpt = DocFormat.TEXT) -> None:
    """List the AI Conformance profiles and their requirements."""
    from aiconf_lint.profiles import PROFILES

    if output_format is DocFormat.JSON:
        payload = [
            {
                "version": p.version,
                "requirements": [
                    {
                        "id": r.id,
                        "category": r.category,
                        "level": str(r.level),
                        "description": r.description,
                    }
                    for r in p.requirements
                ],
            }
            for p in PROFILES.values()
        ]
        write(json.dumps(payload, indent=2) + "\n")
        return
    for p in PROFILES.values():
        write(f"{p.version}\n")
        for r in p.requirements:
            write(f"  {r.id:<30} {r.category:<26} {r.level}\n")


@app.command("version")
def version_cmd() -> None:
    """Print the version."""
    write(f"aiconf-lint {__version__}\n")


def run_typer(argv: list[str]) -> int:
    """Run the Typer app (help, usage errors, every command); its exit code."""
    try:
        # Standalone mode lets typer print usage errors (exit 2) and turn `Exit` into SystemExit;
        # our own errors and bugs still propagate to `entry.guarded`.
        app(args=argv, prog_name="aiconf-lint", standalone_mode=True)
    except SystemExit as exc:
        if exc.code is None:
            return 0
        return exc.code if isinstance(exc.code, int) else 1
    return 0
