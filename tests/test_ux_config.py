"""Config: one key table behind validator and schema, globs relative to the config file."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import jsonschema
import pytest

from aiconf_lint.errors import ConfigError
from aiconf_lint.schemas import config_schema
from aiconf_lint.settings import load_settings, settings_from_table
from tests.conftest import GPU_JOB, Runner

VALID = [
    "",
    'select = ["ACC", "invalid-accelerator-quantity"]\nignore = ["ALL"]\n',
    "max-file-size-mib = 1\n",
    'profile = "v1.34"\n',
    'profile = "1.34.0"\n',
    '[per-file-ignores]\n"charts/*/ci/*.yaml" = ["ACC002"]\n',
    '[accelerators.resources]\n"example.com/npu" = "npu.example.com"\n',
    '[security]\nexempt-images = ["nvcr.io/nvidia/k8s-device-plugin*"]\n',
]
INVALID = [
    "max-file-size-mib = 0\n",
    "max-file-size-mib = true\n",
    "preview = 1\n",
    'profile = "1.20"\n',
    'fail-on = "fatal"\n',
    "select = [1]\n",
    'nope = "x"\n',
    '[per-file-ignores]\n"*.yaml" = "ACC002"\n',
    '[accelerators.resources]\n"example.com/npu" = 5\n',
    '[gang]\nqueue = "x"\n',
]
UNKNOWN_CODES = [
    'select = ["XYZ"]\n',
    '[per-file-ignores]\n"*.yaml" = ["NOPE999"]\n',
]


@pytest.mark.parametrize("text", VALID)
def test_valid_configs_pass_validator_and_schema(text: str, tmp_path: Path) -> None:
    table = tomllib.loads(text)
    jsonschema.validate(table, config_schema())
    settings_from_table(tmp_path / ".aiconf-lint.toml", table)


@pytest.mark.parametrize("text", INVALID)
def test_invalid_configs_fail_validator_and_schema(text: str, tmp_path: Path) -> None:
    table = tomllib.loads(text)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(table, config_schema())
    with pytest.raises(ConfigError):
        settings_from_table(tmp_path / ".aiconf-lint.toml", table)


@pytest.mark.parametrize("text", UNKNOWN_CODES)
def test_unknown_codes_name_the_config_file(text: str, tmp_path: Path) -> None:
    path = tmp_path / ".aiconf-lint.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    assert str(path) in str(caught.value)
    assert "unknown rule selector" in str(caught.value)


def test_published_schema_is_the_generated_one() -> None:
    published = Path(__file__).parents[1] / "schemas" / "config.schema.json"
    assert json.loads(published.read_text()) == config_schema()


def test_tool_table_in_dot_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / ".aiconf-lint.toml"
    path.write_text('[tool.aiconf-lint]\nselect = ["ACC002"]\n')
    assert load_settings(path).select == ("ACC002",)
    path.write_text('ignore = ["SYN"]\n[tool.aiconf-lint]\nselect = ["ACC002"]\n')
    with pytest.raises(ConfigError, match=r"unknown key `tool`.*top level"):
        load_settings(path)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for folder in ("charts/trainer/ci", "charts/trainer/k8s", "examples"):
        (tmp_path / folder).mkdir(parents=True)
    (tmp_path / "charts/trainer/ci/values-job.yaml").write_text(GPU_JOB)
    (tmp_path / "charts/trainer/k8s/job.yaml").write_text(GPU_JOB)
    (tmp_path / "examples/job.yaml").write_text(GPU_JOB)
    (tmp_path / "pyproject.toml").write_text(
        "[tool.aiconf-lint]\n"
        'select = ["ACC002"]\n'
        'extend-exclude = ["charts/*/ci"]\n'
        '[tool.aiconf-lint.per-file-ignores]\n"examples/*.yaml" = ["ACC002"]\n'
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _files(out: str) -> set[str]:
    return {line.split(":")[0] for line in out.splitlines() if line}


def test_exclude_is_relative_to_the_config_file(run: Runner, repo: Path) -> None:
    concise = ("--output-format", "concise")
    assert _files(run("check", ".", *concise).out) == {"charts/trainer/k8s/job.yaml"}
    assert _files(run("check", "charts/", *concise).out) == {"charts/trainer/k8s/job.yaml"}
    forced = run("check", "--force-exclude", "charts/trainer/ci/values-job.yaml", *concise)
    assert forced.out == ""
    absolute = run("check", "--force-exclude", str(repo / "charts/trainer/ci"), *concise)
    assert absolute.out == ""


def test_per_file_ignores_from_a_subfolder_and_absolute(
    run: Runner, repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    concise = ("--output-format", "concise")
    assert run("check", "examples/job.yaml", *concise).out == ""
    assert run("check", str(repo / "examples/job.yaml"), *concise).out == ""
    monkeypatch.chdir(repo / "examples")
    assert run("check", "job.yaml", *concise).out == ""
    assert run("check", "../charts/trainer/k8s/job.yaml", *concise).code == 1
