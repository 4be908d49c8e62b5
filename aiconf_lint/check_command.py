"""`check` apart from the command-line framework: what it does with its options.

Why apart from cli.py: the pre-commit hook runs `check` on a few files, and importing Typer and
building its commands was 40 ms of a 130 ms run. `quick_argv` parses the usual argument lists
of `check` itself and calls `run_check`; everything else (help, usage errors, the other
commands) goes through Typer in cli.py, whose `check` calls `run_check` as well. The helpers
below are shared with the other commands.

Exit codes are the same for every output format: 0 nothing at or above `--fail-on`, 1 findings,
2 a usage, config or input error.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from aiconf_lint.errors import AiconfError
from aiconf_lint.output.render import OutputFormat, renderer
from aiconf_lint.records import record
from aiconf_lint.settings import Settings

if TYPE_CHECKING:
    from aiconf_lint.fix_command import FixArgs


@record(frozen=True)
class CheckArgs:
    """`check`'s options, named and defaulted as in its Typer signature (a test compares)."""

    paths: list[str] | None = None
    output_format: OutputFormat = OutputFormat.FULL
    output_file: Path | None = None
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
    statistics: bool = False
    quiet: bool = False
    verbose: bool = False
    stdin_filename: str | None = None
    config: Path | None = None
    sarif_category: str | None = None
    sarif_root: Path | None = None
    with_context: bool = False
    render: bool | None = None
    values: list[Path] | None = None
    set_values: list[str] | None = None
    release_name: str | None = None
    namespace: str | None = None
    kube_version: str | None = None
    api_versions: list[str] | None = None


def run_check(args: CheckArgs) -> int:
    """Check manifests, Helm charts and kustomize overlays, print the report; the exit code."""
    from aiconf_lint.check_options import check_usage, nothing_checked_warnings, sarif_root_for
    from aiconf_lint.runner import lint_run

    paths = check_usage(args.paths, args.output_format, args.statistics, args.stdin_filename)
    settings = settings_of(
        args,
        render=args.render,
        helm_cli={
            "values": args.values or [],
            "set": args.set_values or [],
            "release_name": args.release_name,
            "namespace": args.namespace,
            "kube_version": args.kube_version,
            "api_versions": args.api_versions or [],
        },
    )
    if args.with_context:
        from aiconf_lint.input.context import context_files, drop_context

        context = context_files(paths, (*settings.exclude, *settings.extend_exclude))
        run = lint_run([*paths, *context], settings, stdin_filename=args.stdin_filename)
        drop_context(run.report, context)
    else:
        run = lint_run(paths, settings, stdin_filename=args.stdin_filename)
    report = run.report
    # SARIF fingerprints read the position tables; the objects' data is freed before printing.
    trees = run.trees() if args.output_format is OutputFormat.SARIF else None
    del run
    sarif_options = None
    if args.output_format is OutputFormat.SARIF:
        from aiconf_lint.output.sarif import SarifOptions
        from aiconf_lint.runner import enabled_rules

        sarif_options = SarifOptions(
            rules=enabled_rules(settings),
            profile=settings.profile,
            category=args.sarif_category,
            root=sarif_root_for(args.sarif_root),
            trees=trees,
        )
    else:
        sarif_only = (("--sarif-category", args.sarif_category), ("--sarif-root", args.sarif_root))
        for name, value in sarif_only:
            if value is not None:
                sys.stderr.write(f"warning: {name} applies to --output-format sarif only\n")
    for warning in nothing_checked_warnings(report):
        sys.stderr.write(f"warning: {warning}\n")
    if args.verbose:
        for note in report.notes:
            sys.stderr.write(f"note: {note}\n")
        for file, line, why in report.skipped_documents:
            sys.stderr.write(f"skipped: {file}:{line}: {why}\n")
    if args.statistics:
        from aiconf_lint.output.statistics import render_statistics

        text = render_statistics(report, as_json=args.output_format is OutputFormat.JSON)
    else:
        text = renderer(args.output_format, sarif_options, quiet=args.quiet)(report)
    emit(text, args.output_file, args.output_format)
    if report.errors:
        return 2
    return 1 if not args.exit_zero and report.failing(settings.fail_on) else 0


def write(text: str) -> None:
    sys.stdout.write(text)


def emit(text: str, output_file: Path | None, fmt: OutputFormat) -> None:
    """Write the report to `--output-file` (plain) or stdout (coloured on a terminal)."""
    if output_file is not None:
        try:
            output_file.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise AiconfError(f"cannot write {output_file}: {exc.strerror or exc}") from None
        return
    from aiconf_lint.output.color import colorize, use_color

    if fmt in (OutputFormat.FULL, OutputFormat.TEXT, OutputFormat.CONCISE) and use_color(
        sys.stdout
    ):
        text = colorize(text)
    write(text)


def csv(values: list[str] | None) -> tuple[str, ...] | None:
    if values is None:
        return None
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


def settings_of(args: CheckArgs | FixArgs, **extra: object) -> Settings:
    """The settings a `check` or `fix` command line asks for (config file, then options)."""
    return settings_from_options(
        config=args.config,
        select=args.select,
        extend_select=args.extend_select,
        ignore=args.ignore,
        extend_ignore=args.extend_ignore,
        exclude=args.exclude,
        extend_exclude=args.extend_exclude,
        force_exclude=args.force_exclude,
        profile=args.profile,
        fail_on=args.fail_on,
        **extra,
    )


def settings_from_options(
    *,
    config: Path | None = None,
    select: list[str] | None = None,
    extend_select: list[str] | None = None,
    ignore: list[str] | None = None,
    exclude: list[str] | None = None,
    extend_exclude: list[str] | None = None,
    force_exclude: bool | None = None,
    profile: str | None = None,
    fail_on: str | None = None,
    extend_ignore: list[str] | None = None,
    **extra: object,
) -> Settings:
    from aiconf_lint.settings import DEFAULT_EXCLUDE, load_settings, with_overrides

    loaded = load_settings(config)
    added = (*(csv(ignore) or ()), *(csv(extend_ignore) or ()))
    return with_overrides(
        loaded,
        select=csv(select),
        extend_select=csv(extend_select),
        # ruff's rule: the command line adds to the config's `ignore`, it never replaces it.
        ignore=(*loaded.ignore, *added) if added else None,
        exclude=None if exclude is None else (*DEFAULT_EXCLUDE, *(csv(exclude) or ())),
        extend_exclude=csv(extend_exclude),
        force_exclude=force_exclude,
        profile=profile,
        fail_on=fail_on,
        **extra,
    )
