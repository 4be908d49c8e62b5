"""SARIF at scale and where its URIs point (GitHub must be able to place every result)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from aiconf_lint.model import Report
from aiconf_lint.output import lines
from aiconf_lint.output.sarif import SarifOptions, render_sarif
from aiconf_lint.runner import lint_paths
from tests.conftest import Runner
from tests.scaling import growth

POD = """\
apiVersion: v1
kind: Pod
metadata: {{name: p{i}}}
spec:
  containers:
    - name: c
      image: x
      resources: {{limits: {{nvidia.com/gpu: 1}}}}
"""
PADDING = "# a comment line: splitting the text once per finding grows with its size\n" * 40


def _report(tmp_path: Path, count: int, padding: str = "") -> Report:
    path = tmp_path / f"many{count}.yaml"
    path.write_text("---\n".join(POD.format(i=i) + padding for i in range(count)))
    return lint_paths([str(path)])


def test_sarif_splits_each_file_once(tmp_path: Path) -> None:
    report = _report(tmp_path, 300)
    assert len(report.findings) == 300
    lines.text_lines.cache_clear()
    render_sarif(report, SarifOptions(root=tmp_path))
    assert lines.text_lines.cache_info().misses == 1


def test_sarif_render_time_is_linear_in_findings(tmp_path: Path) -> None:
    reports = {n: _report(tmp_path, n, PADDING) for n in (250, 1000)}

    def prepare(n: int) -> Callable[[], object]:
        return lambda: render_sarif(reports[n], SarifOptions(root=tmp_path))

    # Linear is 4x; the quadratic version measured 19x here (CPU time, so a busy neighbour
    # does not count).
    assert growth(prepare, 250) < 10


JOB = POD.format(i=0)


def _uris(log: str) -> list[str]:
    import json

    data = json.loads(log)
    return [
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in data["runs"][0]["results"]
    ]


def test_uris_are_relative_to_the_git_top_level(
    run: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "deploy").mkdir()
    (tmp_path / "deploy" / "pod.yaml").write_text(JOB)
    monkeypatch.chdir(tmp_path / "deploy")
    result = run("check", "pod.yaml", "--output-format", "sarif", "--exit-zero")
    assert set(_uris(result.out)) == {"deploy/pod.yaml"}
    assert result.err == ""
    rooted = run("check", "pod.yaml", "-F", "sarif", "--exit-zero", "--sarif-root", ".")
    assert set(_uris(rooted.out)) == {"pod.yaml"}


def test_files_outside_the_root_and_bare_stdin_warn(
    run: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    (tmp_path / "elsewhere.yaml").write_text(JOB)
    monkeypatch.chdir(tmp_path / "repo")
    outside = run("check", str(tmp_path / "elsewhere.yaml"), "-F", "sarif", "--exit-zero")
    assert "is outside" in outside.err
    piped = run("check", "-", "-F", "sarif", "--exit-zero", stdin=JOB.encode())
    assert "--stdin-filename" in piped.err
    for i in range(5):
        (tmp_path / "far" / f"job{i}.yaml").parent.mkdir(exist_ok=True)
        (tmp_path / "far" / f"job{i}.yaml").write_text(JOB)
    many = run("check", str(tmp_path / "far"), "-F", "sarif", "--exit-zero")
    assert many.err.count("is outside") == 3  # the first few by name, then one count
    assert "2 more files are outside" in many.err
