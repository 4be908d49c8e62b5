"""The pieces of mapping back, on small inputs: template walks, values layers, patches, config."""

from __future__ import annotations

from pathlib import Path

import pytest

from aiconf_lint.errors import ConfigError
from aiconf_lint.render import kustomize
from aiconf_lint.render.config import helm_options
from aiconf_lint.render.helm_map import find_value
from aiconf_lint.render.helm_walk import define_body, values_path, walk
from aiconf_lint.render.kustomize_map import map_kustomize, patches_of

RANGE = """\
spec:
  containers:
    {{- range $i, $w := .Values.workers }}
    - name: {{ $w.name }}
      {{- with $w.resources }}
      resources:
        {{- toYaml . | nindent 8 }}
      {{- end }}
    {{- end }}
"""


def test_range_item_stands_for_every_rendered_item_and_remembers_its_index() -> None:
    w = walk(RANGE, ("spec", "containers", 3, "resources", "limits"))
    assert (w.depth, w.line) == (4, 6)
    assert w.emitter is not None
    assert w.emitter[0] == 7
    assert values_path(".", w.scopes) == ("workers", 3, "resources")


def test_untaken_branch_lines_can_be_skipped() -> None:
    text = (
        "{{- if .Values.custom }}\n"
        "resources: {{ toYaml .Values.custom | nindent 2 }}\n"
        "{{- else }}\n"
        "resources:\n"
        "  limits:\n"
        "    nvidia.com/gpu: 1\n"
        "{{- end }}\n"
    )
    path = ("resources", "limits", "nvidia.com/gpu")
    first = walk(text, path)
    assert first.emitter is not None
    assert (first.line, first.emitter[0]) == (2, 2)
    second = walk(text, path, skip=frozenset({2}))
    assert (second.depth, second.line) == (3, 6)


def test_define_body_spans_nested_blocks() -> None:
    text = '{{- define "x" -}}\na: 1\n{{- if .b }}\nb: 2\n{{- end }}\nc: 3\n{{- end }}\n'
    body, start = define_body(text, "x") or ("", -1)
    assert start == 1
    assert body.splitlines() == ["a: 1", "{{- if .b }}", "b: 2", "{{- end }}", "c: 3"]


def test_a_values_file_that_sets_a_list_owns_it(tmp_path: Path) -> None:
    chart_values = tmp_path / "values.yaml"
    chart_values.write_text("models:\n  - name: a\n    resources: {}\n", "utf-8")
    override = tmp_path / "prod.yaml"
    override.write_text("models:\n  - name: b\n", "utf-8")
    layers: list[tuple[Path, tuple[str, ...]]] = [(override, ()), (chart_values, ())]
    # the override replaced the list: the chart's `resources: {}` is not what was rendered
    assert find_value(layers, ("models", 0, "resources"), 3) is None
    found = find_value(layers, ("models", 0, "name"), 3)
    assert found is not None
    assert (found.file, found.span.line) == (override, 2)


def test_maps_merge_so_the_deepest_file_wins(tmp_path: Path) -> None:
    chart_values = tmp_path / "values.yaml"
    chart_values.write_text("r:\n  limits:\n    gpu: 1\n", "utf-8")
    override = tmp_path / "prod.yaml"
    override.write_text("r:\n  requests:\n    cpu: 1\n", "utf-8")
    found = find_value([(override, ()), (chart_values, ())], ("r", "limits", "gpu"), 1)
    assert found is not None
    assert (found.file, found.span.line) == (chart_values, 3)


def test_inline_json6902_patch_lands_inside_the_kustomization(tmp_path: Path) -> None:
    base = tmp_path / "deploy.yaml"
    base.write_text(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: s\nspec:\n  replicas: 1\n",
        "utf-8",
    )
    k = tmp_path / "kustomization.yaml"
    k.write_text(
        "resources: [deploy.yaml]\n"
        "patches:\n"
        "  - target: {kind: Deployment}\n"
        "    patch: |-\n"
        "      - op: add\n"
        "        path: /spec/template/spec/nodeSelector\n"
        "        value:\n"
        "          nvidia.com/gpu.product: H100\n",
        "utf-8",
    )
    assert len(patches_of(k)) == 1
    built = kustomize.BuiltObject(base, [k])
    found = map_kustomize(
        built,
        "Deployment",
        "s",
        ("spec", "template", "spec", "nodeSelector", "nvidia.com/gpu.product"),
        None,
    )
    assert found is not None
    assert (found[0], found[1].line, found[1].column) == (k, 8, 11)


def test_unknown_chart_keys_and_bad_restrictor_are_config_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="unknown key `valuez`"):
        helm_options({"charts": {"c": {"valuez": []}}}, tmp_path)
    with pytest.raises(ConfigError, match="load-restrictor"):
        kustomize.restrictor_flags("everything")
    assert kustomize.restrictor_flags("none") == ["--load-restrictor", "LoadRestrictionsNone"]


def test_values_sets_from_config_and_cli(tmp_path: Path) -> None:
    chart = tmp_path / "c"
    options = helm_options(
        {"charts": {"c": {"values-sets": {"a": {"values": ["a.yaml"]}, "b": {"set": ["x=1"]}}}}},
        tmp_path,
    )
    assert [s.name for s in options.values_sets(chart, [chart])] == ["a", "b"]
    cli = helm_options({}, tmp_path, {"values": [str(chart / "v.yaml")]})
    (only,) = cli.values_sets(chart, [chart])
    assert only.name == "v.yaml"
    assert cli.values_sets(tmp_path / "other", [chart, tmp_path / "other"])[0].name == "default"


def test_a_computed_last_key_is_still_the_line_to_edit() -> None:
    text = "limits:\n  cpu: 1\n  {{ $gpuType }}: {{ .gpus }}\n"
    w = walk(text, ("limits", "nvidia.com/gpu"))
    assert w.depth == 1
    assert w.templated_key == (3, 3)
