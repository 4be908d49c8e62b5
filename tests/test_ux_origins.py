"""Template-line mapping: renamed chart folders, if/else branches, lines that start with `{{`."""

from __future__ import annotations

from pathlib import Path

from aiconf_lint.input.origins import chart_index, find_template, template_line

CONTAINER = ("spec", "template", "spec", "containers", 0)


def test_chart_folder_named_differently_from_the_chart(tmp_path: Path) -> None:
    chart = tmp_path / "helm"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: vllm-stack\nversion: 1.0.0\n")
    (chart / "templates" / "deploy.yaml").write_text("kind: Deployment\n")
    rendered = tmp_path / "out" / "rendered.yaml"
    rendered.parent.mkdir()
    rendered.write_text("---\n")
    chart_index.cache_clear()
    found = find_template("vllm-stack/templates/deploy.yaml", str(rendered), tmp_path)
    assert found == (chart / "templates" / "deploy.yaml").resolve()
    assert find_template("other/templates/deploy.yaml", str(rendered), tmp_path) is None


BRANCHES = """\
spec:
  template:
    spec:
      containers:
        - name: server
{{- if .Values.dra.enabled }}
          resources:
            claims:
              - name: gpu
{{- else }}
          resources:
            limits:
              nvidia.com/gpu: {{ .Values.gpus }}
{{- end }}
"""


def test_else_branch_is_chosen_when_it_spells_out_the_path() -> None:
    path = (*CONTAINER, "resources", "limits", "nvidia.com/gpu")
    assert template_line(BRANCHES, path) == (13, 15)


def test_if_branch_is_kept_when_it_spells_out_the_path() -> None:
    path = (*CONTAINER, "resources", "claims", 0, "name")
    assert template_line(BRANCHES, path) == (9, 17)


INCLUDE = """\
spec:
  template:
    spec:
      containers:
        - name: server
          resources:
            {{- include "server.resources" . | nindent 12 }}
          env:
            - name: A
"""


def test_include_that_emits_the_rest_is_the_line_chosen() -> None:
    path = (*CONTAINER, "resources", "limits", "nvidia.com/gpu")
    assert template_line(INCLUDE, path) == (7, 13)
    assert template_line(INCLUDE, (*CONTAINER, "env", 0, "name")) == (9, 15)
