"""The bundled examples are the README's demo: good/ lints clean, bad/ matches its report."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import REPO, SHARED, Runner

GOLDEN = REPO / "tests" / "golden" / "examples-bad.txt"


@pytest.fixture
def in_repo(monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(REPO)
    return REPO


def test_good_examples_are_clean(run: Runner, in_repo: Path) -> None:
    result = run("check", "examples/good", "--output-format", "concise", "--fail-on", "info")
    assert result.out == ""
    assert result.code == 0


def test_bad_examples_match_golden_report(run: Runner, in_repo: Path) -> None:
    result = run("check", "examples/bad", "--output-format", "concise")
    assert result.code == 1
    if os.environ.get("AICONF_UPDATE_SNAPSHOTS") == "1":
        GOLDEN.write_text(result.out, encoding="utf-8")
    assert result.out == GOLDEN.read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", ["full", "concise", "json", "github"])
def test_every_format_has_real_lines(run: Runner, in_repo: Path, fmt: str) -> None:
    result = run("check", "examples/bad", "--output-format", fmt)
    assert result.code == 1
    assert ":24:" in result.out or '"line": 24' in result.out or "line=24" in result.out


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/corpus is not beside the project")
def test_corpus_loads_without_tracebacks(run: Runner, in_repo: Path) -> None:
    result = run("check", str(SHARED / "corpus"), "--output-format", "json", "--exit-zero")
    assert result.code == 0
    assert "Traceback" not in result.err
    assert "internal error" not in result.err
