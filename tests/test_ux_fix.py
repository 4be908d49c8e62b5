"""`fix --diff` and `--emit-kustomize` write nothing, so what they report points at the original."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Runner

JOB = """\
apiVersion: batch/v1
kind: Job
metadata: {{name: {name}}}
spec:
  template:
    spec:
      containers:
        - name: trainer
          image: pytorch/pytorch:2.4.0
          env:
            - {{name: NVIDIA_VISIBLE_DEVICES, value: all}}
          resources:
            requests:
              nvidia.com/gpu: 2
"""


@pytest.mark.parametrize("mode", [["--diff"], ["--emit-kustomize", "component"]])
def test_remaining_findings_point_into_the_original_text(
    run: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mode: list[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    text = JOB.format(name="a") + "---\n" + JOB.format(name="b")
    Path("jobs.yaml").write_text(text)
    checked = run("check", "jobs.yaml", "--output-format", "concise", "--select", "ACC,SEC")
    before = set(checked.out.splitlines())
    result = run("fix", *mode, "jobs.yaml", "--select", "ACC,SEC")
    remaining = [line for line in result.err.splitlines() if line.startswith("jobs.yaml:")]
    assert len(remaining) == 4  # SEC001 and ACC001 on each job; ACC002 is fixed
    assert set(remaining) <= before
    assert Path("jobs.yaml").read_text() == text
