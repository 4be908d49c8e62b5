"""Fixes of different rules on one container are applied one after the other, each derived
from the text the previous one left (ACC002 adds the limit that ACC001 then moves)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.conftest import Runner

REQUEST_ONLY = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: trainer
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: trainer
          image: pytorch/pytorch:2.4.0
          resources:
            requests:
              cpu: "4"
              nvidia.com/gpu: 2  # the request the migration must move
"""


def test_acc002_then_acc001_leave_no_device_plugin_request(
    run: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "job.yaml").write_text(REQUEST_ONLY)
    result = run("fix", "--unsafe-fixes", "--select", "ACC001,ACC002,DRA008", "job.yaml")
    assert result.code == 0, result.err
    text = (tmp_path / "job.yaml").read_text()
    job, claim_template = list(yaml.safe_load_all(text))
    resources = job["spec"]["template"]["spec"]["containers"][0]["resources"]
    assert resources == {"requests": {"cpu": "4"}, "claims": [{"name": "trainer-gpu"}]}
    assert claim_template["spec"]["spec"]["devices"]["requests"][0]["exactly"] == {
        "deviceClassName": "gpu.nvidia.com",
        "count": 2,
    }
    again = run("fix", "--unsafe-fixes", "--select", "ACC001,ACC002,DRA008", "job.yaml")
    assert again.code == 0
    assert (tmp_path / "job.yaml").read_text() == text
