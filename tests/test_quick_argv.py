"""`quick_argv`: a plain `check` line parsed without Typer must mean what Typer makes of it."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

import pytest
import typer.main
from hypothesis import given, settings
from hypothesis import strategies as st

from aiconf_lint import check_command, cli
from aiconf_lint.check_command import CheckArgs
from aiconf_lint.quick_argv import KIND_OF, parse_check, spellings
from tests.fresh_process import last_line


def _typer_check() -> Any:
    return typer.main.get_command(cli.app).commands["check"]  # type: ignore[attr-defined]


def test_table_has_every_typer_option_spelled_the_same() -> None:
    params = {p.name: p for p in _typer_check().params if p.param_type_name == "option"}
    assert set(params) == set(KIND_OF)
    for name, kind in KIND_OF.items():
        param = params[name]
        assert set(spellings(name)) == set(param.opts), name
        assert bool(param.is_flag) == (kind in ("flag", "switch")), name
        assert bool(param.multiple) == (kind in ("texts", "paths")), name
        assert bool(param.secondary_opts) == (kind == "switch"), name


def test_check_args_are_the_typer_signature() -> None:
    signature = inspect.signature(cli.check)
    fields = inspect.signature(CheckArgs).parameters
    assert list(signature.parameters) == list(fields)
    for name, parameter in signature.parameters.items():
        assert parameter.default == fields[name].default, name


def _typer_args(argv: list[str], monkeypatch: pytest.MonkeyPatch) -> CheckArgs | None:
    """What Typer's `check` hands to `run_check` for `argv` (None for a usage error)."""
    seen: list[CheckArgs] = []

    def capture(args: CheckArgs) -> int:
        seen.append(args)
        return 0

    monkeypatch.setattr(check_command, "run_check", capture)
    code = cli.run_typer(argv)
    return seen[0] if seen and code == 0 else None


_VALUES = st.sampled_from(
    ["a.yaml", "json", "sarif", "JSON", "", "x=y", "ACC,SEC", "-", "-q", "--exit-zero", "ö ü"]
)
_OPTION = st.sampled_from(
    sorted({s for name in KIND_OF for s in spellings(name)} | {"--no-render", "-qv", "--help"})
)
_TOKEN = st.one_of(
    _VALUES,
    st.tuples(_OPTION, _VALUES).map(lambda pair: f"{pair[0]}={pair[1]}"),
    _OPTION,
    st.just("--"),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_TOKEN, max_size=8))
def test_accepted_lines_mean_what_typer_makes_of_them(tokens: list[str]) -> None:
    argv = ["check", *tokens]
    quick = parse_check(argv)
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
    ],
)
def test_usual_lines_are_parsed_as_typer_parses_them(
    argv: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    quick = parse_check(argv)
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
        ["--version"],
        ["fix", "a.yaml"],
        [],
    ],
)
def test_anything_else_is_left_to_typer(argv: list[str]) -> None:
    assert parse_check(argv) is None


def test_a_plain_check_never_imports_typer(tmp_path: Path) -> None:
    job = tmp_path / "job.yaml"
    job.write_text("apiVersion: batch/v1\nkind: Job\nmetadata: {name: a}\n")
    script = (
        "import sys\n"
        "from aiconf_lint.entry import main\n"
        f"code = main(['check', '-F', 'json', {str(job)!r}])\n"
        "print(code, 'typer' in sys.modules)\n"
    )
    assert last_line(script) == "0 False"
