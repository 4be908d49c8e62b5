"""From a finding in `helm template` output back to the template line the user edits."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aiconf_lint.input.origins import find_template, locate_in_template, template_line
from tests.conftest import Runner

TEMPLATE = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: {{ include "trainer.fullname" . }}
  labels:
    {{- include "trainer.labels" . | nindent 4 }}
spec:
  template:
    spec:
      containers:
        - name: prepare
          image: busybox
          resources:
            {{- toYaml .Values.prepare.resources | nindent 12 }}
        - name: trainer
          image: "{{ .Values.image }}"
          resources:
            requests:
              "nvidia.com/gpu": {{ .Values.gpus }}
"""

RENDERED = """\
---
# Source: trainer/templates/job.yaml
apiVersion: batch/v1
kind: Job
metadata:
  name: release-trainer
spec:
  template:
    spec:
      containers:
        - name: prepare
          image: busybox
          resources:
            requests:
              nvidia.com/gpu: 1
        - name: trainer
          image: "pytorch/pytorch:2.4.0"
          resources:
            requests:
              "nvidia.com/gpu": 2
"""

CONTAINERS = ("spec", "template", "spec", "containers")


def test_key_spelled_out_in_the_template() -> None:
    path = (*CONTAINERS, 1, "resources", "requests", "nvidia.com/gpu")
    assert template_line(TEMPLATE, path) == (19, 15)


def test_key_from_a_helper_points_at_the_line_that_pulls_it_in() -> None:
    path = (*CONTAINERS, 0, "resources", "requests", "nvidia.com/gpu")
    assert template_line(TEMPLATE, path) == (14, 13)


def test_list_items_are_counted() -> None:
    assert template_line(TEMPLATE, (*CONTAINERS, 1, "image")) == (16, 11)
    assert template_line(TEMPLATE, (*CONTAINERS, 5, "image")) == (10, 7)


def test_multi_document_template_uses_the_document_of_that_kind() -> None:
    text = "kind: Service\nspec:\n  ports: []\n---\nkind: Deployment\nspec:\n  replicas: 2\n"
    assert locate_in_template(text, "Deployment", ("spec", "replicas")) == (7, 3)
    assert locate_in_template(text, "Service", ("spec", "ports")) == (3, 3)


def test_find_template_when_the_chart_folder_is_named_otherwise(tmp_path: Path) -> None:
    chart = tmp_path / "charts" / "trainer-chart"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("name: trainer\n")
    (chart / "templates" / "job.yaml").write_text(TEMPLATE)
    rendered = chart / "rendered.yaml"
    rendered.write_text(RENDERED)
    found = find_template("trainer/templates/job.yaml", str(rendered), tmp_path)
    assert found == (chart / "templates" / "job.yaml").resolve()
    assert find_template("../etc/passwd", str(rendered), tmp_path) is None


@pytest.fixture
def chart(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "charts" / "trainer"
    (folder / "templates").mkdir(parents=True)
    (folder / "Chart.yaml").write_text("apiVersion: v2\nname: trainer\nversion: 0.1.0\n")
    (folder / "templates" / "job.yaml").write_text(TEMPLATE)
    return tmp_path


def test_findings_name_the_template_line(run: Runner, chart: Path) -> None:
    result = run(
        "check",
        "-",
        "--stdin-filename",
        "rendered.yaml",
        "--select",
        "ACC002",
        "--output-format",
        "concise",
        stdin=RENDERED.encode(),
    )
    assert result.out.splitlines() == [
        "rendered.yaml:15:15: ACC002 Container `prepare` requests `nvidia.com/gpu: 1` without "
        "a limit [from charts/trainer/templates/job.yaml:14]",
        "rendered.yaml:20:15: ACC002 Container `trainer` requests `nvidia.com/gpu: 2` without "
        "a limit [from charts/trainer/templates/job.yaml:19]",
    ]
    payload = json.loads(
        run(
            "check",
            "-",
            "--stdin-filename",
            "rendered.yaml",
            "--select",
            "ACC002",
            "--output-format",
            "json",
            stdin=RENDERED.encode(),
        ).out
    )
    first = payload["findings"][1]
    assert first["origin"] == "trainer/templates/job.yaml"
    assert first["origin_file"] == "charts/trainer/templates/job.yaml"
    assert first["origin_line"] == 19


def test_sarif_points_at_the_template_and_relates_the_rendered_line(
    run: Runner, chart: Path
) -> None:
    (chart / "rendered.yaml").write_text(RENDERED)
    out = run("check", "rendered.yaml", "--select", "ACC002", "--output-format", "sarif").out
    result = json.loads(out)["runs"][0]["results"][1]
    physical = result["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"]["uri"] == "charts/trainer/templates/job.yaml"
    assert physical["region"]["startLine"] == 19
    (related,) = result["relatedLocations"]
    assert related["physicalLocation"]["artifactLocation"]["uri"] == "rendered.yaml"
    assert related["physicalLocation"]["region"]["startLine"] == 20
    assert "(rendered as [rendered.yaml:20](1))" in result["message"]["text"]
