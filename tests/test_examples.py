"""The bundled examples are the README's demo: good/ lints clean, bad/ matches its report."""

from __future__ import annotations

import json
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


FILE = "examples/bad/quantity-errors.yaml"
# The README's demo finding: ACC002 at line 24, column 15 of this file, in every format.
EXPECTED = {
    "full": f"{FILE}:24:15: ACC002 [error] Container `trainer` requests",
    "concise": f"{FILE}:24:15: ACC002 Container `trainer` requests",
    "github": f"::error file={FILE},line=24,col=15,endLine=24,endColumn=29,"
    "title=aiconf-lint (ACC002)::ACC002 Container `trainer` requests",
}


@pytest.mark.parametrize("fmt", ["full", "concise", "github"])
def test_every_format_has_real_lines(run: Runner, in_repo: Path, fmt: str) -> None:
    result = run("check", "examples/bad", "--output-format", fmt)
    assert result.code == 1
    assert EXPECTED[fmt] in result.out


def test_json_has_real_lines(run: Runner, in_repo: Path) -> None:
    result = run("check", "examples/bad", "--output-format", "json")
    assert result.code == 1
    found = [
        (f["code"], f["line"], f["column"], f["end_column"])
        for f in json.loads(result.out)["findings"]
        if f["file"] == FILE and f["line"] == 24
    ]
    assert ("ACC002", 24, 15, 29) in found


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/corpus is not beside the project")
def test_corpus_loads_without_tracebacks(run: Runner, in_repo: Path) -> None:
    result = run("check", str(SHARED / "corpus"), "--output-format", "json", "--exit-zero")
    assert result.code == 0
    assert "Traceback" not in result.err
    assert "internal error" not in result.err
