"""`quick_argv`: a plain `check` or `fix` line parsed without Typer must mean what Typer makes
of it."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import typer.main
from hypothesis import given, settings
from hypothesis import strategies as st

from aiconf_lint import check_command, cli, fix_command
from aiconf_lint.check_command import CheckArgs
from aiconf_lint.fix_command import FixArgs
from aiconf_lint.quick_argv import CHECK_KINDS, FIX_KINDS, parse_check, parse_quick, spellings
from tests.fresh_process import last_line

# command -> (its option table, its Typer function, its args record, where Typer's body calls)
COMMANDS: dict[str, tuple[dict[str, str], Callable[..., None], type, Any, str]] = {
    "check": (CHECK_KINDS, cli.check, CheckArgs, check_command, "run_check"),
    "fix": (FIX_KINDS, cli.fix, FixArgs, fix_command, "run_fix"),
}


def _typer_params(command: str) -> dict[str, Any]:
    click = typer.main.get_command(cli.app).commands[command]  # type: ignore[attr-defined]
    return {p.name: p for p in click.params if p.param_type_name == "option"}


@pytest.mark.parametrize("command", COMMANDS)
def test_table_has_every_typer_option_spelled_the_same(command: str) -> None:
    kinds = COMMANDS[command][0]
    params = _typer_params(command)
    assert set(params) == set(kinds)
    for name, kind in kinds.items():
        param = params[name]
        assert set(spellings(name)) == set(param.opts), name
        assert bool(param.is_flag) == (kind in ("flag", "switch")), name
        assert bool(param.multiple) == (kind in ("texts", "paths")), name
        assert bool(param.secondary_opts) == (kind == "switch"), name


@pytest.mark.parametrize("command", COMMANDS)
def test_args_records_are_the_typer_signatures(command: str) -> None:
    _, function, record_type, _, _ = COMMANDS[command]
    signature = inspect.signature(function)
    fields = inspect.signature(record_type).parameters
    assert list(signature.parameters) == list(fields)
    for name, parameter in signature.parameters.items():
        assert parameter.default == fields[name].default, name


def _typer_args(argv: list[str], monkeypatch: pytest.MonkeyPatch) -> object | None:
    """What Typer's command hands to `run_check`/`run_fix` for `argv` (None: a usage error)."""
    seen: list[object] = []

    def capture(args: object) -> int:
        seen.append(args)
        return 0

    _, _, _, module, name = COMMANDS[argv[0]]
    monkeypatch.setattr(module, name, capture)
    code = cli.run_typer(argv)
    return seen[0] if seen and code == 0 else None


_VALUES = st.sampled_from(
    ["a.yaml", "json", "sarif", "JSON", "", "x=y", "ACC,SEC", "-", "-q", "--exit-zero", "ö ü"]
)
_EXTRA = {"-qv", "--help", "--no-exit-zero"}
_SPELLINGS = sorted(
    {s for kinds in (CHECK_KINDS, FIX_KINDS) for name in kinds for s in spellings(name)}
    | {"--no-render", "--no-unsafe-fixes"}
    | _EXTRA
)
_OPTION = st.sampled_from(_SPELLINGS)
_TOKEN = st.one_of(
    _VALUES,
    st.tuples(_OPTION, _VALUES).map(lambda pair: f"{pair[0]}={pair[1]}"),
    _OPTION,
    st.just("--"),
)


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(sorted(COMMANDS)), st.lists(_TOKEN, max_size=8))
def test_accepted_lines_mean_what_typer_makes_of_them(command: str, tokens: list[str]) -> None:
    argv = [command, *tokens]
    quick = parse_quick(argv)
    if quick is None:
        return
    with pytest.MonkeyPatch.context() as monkeypatch:
        assert _typer_args(argv, monkeypatch) == quick, argv


@pytest.mark.parametrize(
    "argv",
    [
        ["check", "--force-exclude", "--with-context", "a.yaml", "charts/x/templates/d.yaml"],
        ["check", "-F", "json", "--exit-zero", "small.yaml"],
        ["check", "--output-format=sarif", "-o", "out.sarif", "--select", "ACC", "--", "-"],
        ["check", "-f", "values-prod.yaml", "--set", "a=b", "--no-render", "charts/x"],
        ["check"],
        ["fix", "--force-exclude", "a.yaml", "b.yaml"],
        ["fix", "--diff", "--unsafe-fixes", "--select=ACC001", "-q", "a.yaml"],
        ["fix", "--emit-kustomize", "out", "--no-unsafe-fixes", "overlays/prod"],
    ],
)
def test_usual_lines_are_parsed_as_typer_parses_them(
    argv: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    quick = parse_quick(argv)
    assert quick is not None
    assert _typer_args(argv, monkeypatch) == quick


@pytest.mark.parametrize(
    "argv",
    [
        ["check", "--help"],
        ["check", "-qv", "a.yaml"],
        ["check", "--select"],
        ["check", "--select", "-q"],
        ["check", "-F", "JSON"],
        ["check", "--exit-zero=1"],
        ["check", "--sellect", "ACC"],
        ["check", "--diff"],
        ["fix", "-F", "json"],
        ["fix", "--no-diff"],
        ["--version"],
        ["report", "a.yaml"],
        [],
    ],
)
def test_anything_else_is_left_to_typer(argv: list[str]) -> None:
    assert parse_quick(argv) is None


def test_parse_check_takes_check_lines_only() -> None:
    assert isinstance(parse_check(["check", "a.yaml"]), CheckArgs)
    assert parse_check(["fix", "a.yaml"]) is None


@pytest.mark.parametrize("command", ["check", "fix"])
def test_a_plain_line_never_imports_typer(command: str, tmp_path: Path) -> None:
    job = tmp_path / "job.yaml"
    job.write_text("apiVersion: batch/v1\nkind: Job\nmetadata: {name: a}\n")
    script = (
        "import sys\n"
        "from aiconf_lint.entry import main\n"
        f"code = main([{command!r}, '--exit-zero', {str(job)!r}])\n"
        "print(code, 'typer' in sys.modules)\n"
    )
    assert last_line(script) == "0 False"
