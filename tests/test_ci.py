"""CI runs what the README says, installs what the tests need, and fails on a silent skip."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

from tests.conftest import ALLOWED_SKIPS, REPO, unexpected_skips

CI = REPO / ".ci" / "run"


def _readme_commands() -> list[str]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    setup = readme.split("## Set up", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.*?)\n```", setup, re.DOTALL)


def test_ci_runs_the_readme_test_command_and_the_precommit_step() -> None:
    script = CI.read_text(encoding="utf-8")
    install_and_test = _readme_commands()[1]
    assert "pytest" in install_and_test
    assert install_and_test in script.splitlines()
    assert "python3 -m pytest -m precommit" in script.splitlines()
    assert "export AICONF_STRICT_SKIPS=1" in script


def test_the_test_extra_installs_what_the_tests_skip_without() -> None:
    extras = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "optional-dependencies"
    ]
    test = " ".join(extras["test"])
    for needed in ("aiconf-lint[cel]", "pytest-xdist", "jsonschema", "pre-commit"):
        assert needed in test


def test_only_listed_skips_are_expected() -> None:
    assert unexpected_skips([("t::a", "kubectl is not installed")]) == []
    assert unexpected_skips([("t::b", "the optional `cel` extra (cel-python) is not installed")])
    assert all(why.strip() for why in ALLOWED_SKIPS.values())


def _pytest(tmp_path: Path, body: str, strict: bool) -> subprocess.CompletedProcess[str]:
    (tmp_path / "test_sample.py").write_text(body, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "AICONF_STRICT_SKIPS"}
    if strict:
        env["AICONF_STRICT_SKIPS"] = "1"
    env["PYTHONPATH"] = str(REPO)
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "tests.conftest",
            "--rootdir",
            str(tmp_path),
            "-c",
            os.devnull,
            str(tmp_path / "test_sample.py"),
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


SKIPS = """\
import pytest

def test_needs_kubectl():
    pytest.skip("kubectl is not installed")

def test_needs_an_extra():
    pytest.skip("the optional `cel` extra (cel-python) is not installed")
"""


def test_an_unlisted_skip_fails_a_strict_run(tmp_path: Path) -> None:
    strict = _pytest(tmp_path, SKIPS, strict=True)
    assert strict.returncode == 1, strict.stdout + strict.stderr
    assert "test_needs_an_extra" in strict.stderr
    assert "test_needs_kubectl" not in strict.stderr
    listed = SKIPS.split("def test_needs_an_extra", maxsplit=1)[0]
    listed_only = _pytest(tmp_path, listed, strict=True)
    assert listed_only.returncode == 0, listed_only.stdout + listed_only.stderr
