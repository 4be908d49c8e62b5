"""`--with-context` (the pre-commit hook's mode): staged files are checked with their bundle."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import REPO, Runner

PAIR = REPO / "tests" / "rules" / "fixtures" / "MET003" / "vllm_podmonitor"
SELECT = ("--select", "MET003,SYN", "--output-format", "concise")


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    shutil.copytree(PAIR, tmp_path / "app")
    (tmp_path / "app" / "broken.yaml").write_text("a: [\n")
    return tmp_path


def test_staged_file_alone_misses_its_monitor(run: Runner, repo: Path) -> None:
    assert "MET003" in run("check", "app/deployment.yaml", *SELECT).out


def test_staged_file_with_context_sees_its_monitor(run: Runner, repo: Path) -> None:
    result = run("check", "--with-context", "app/deployment.yaml", *SELECT)
    assert result.out == ""  # no MET003, and the unstaged broken sibling is not reported
    assert result.code == 0


def test_context_is_the_chart_or_overlay(run: Runner, repo: Path) -> None:
    overlay = repo / "overlay"
    (overlay / "workloads").mkdir(parents=True)
    (overlay / "kustomization.yaml").write_text("resources: [workloads/deployment.yaml]\n")
    shutil.move(repo / "app" / "deployment.yaml", overlay / "workloads" / "deployment.yaml")
    shutil.move(repo / "app" / "monitors.yaml", overlay / "monitors.yaml")
    staged = "overlay/workloads/deployment.yaml"
    # The folder context alone (rendering the overlay would judge what it deploys instead,
    # and its kustomization leaves the monitor out).
    plain = (*SELECT, "--no-render")
    assert "MET003" in run("check", staged, *plain).out
    assert run("check", "--with-context", staged, *plain).out == ""
    # Rendered, the overlay deploys no monitor: MET003 is right about what it ships.
    assert "MET003" in run("check", "--with-context", staged, *SELECT).out


def test_findings_in_staged_files_are_still_reported(run: Runner, repo: Path) -> None:
    (repo / "app" / "monitors.yaml").unlink()
    result = run("check", "--with-context", "app/deployment.yaml", *SELECT)
    assert {line.split(":")[0] for line in result.out.splitlines()} == {"app/deployment.yaml"}
