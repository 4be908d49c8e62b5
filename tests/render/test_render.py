"""Charts and overlays rendered for real and findings mapped back to the lines users edit.

The fixtures in `fixtures/repo` exercise what real charts and overlays do: a chart whose folder
and `Chart.yaml` names differ, an `include`d helper, `toYaml .Values...`, `range` and `with`
over values, a subchart reading the parent's values, a values file override; a base, a
component, a strategic-merge patch and a JSON6902 patch. Helm renders through the `helm`
binary or helm-python-sdk (in the test extra), kustomize through `kustomize` or `kubectl`.
"""

from __future__ import annotations

import importlib.util
import io
import json
import os
import shutil
import sys
from pathlib import Path

import pytest

from aiconf_lint.render import helm, kustomize
from aiconf_lint.runner import lint_paths
from aiconf_lint.settings import Settings
from tests.conftest import Runner

REPO = Path(__file__).parent / "fixtures" / "repo"

needs_helm = pytest.mark.skipif(
    helm.renderer() is None, reason="no Helm renderer: neither `helm` nor helm-python-sdk"
)
needs_kustomize = pytest.mark.skipif(
    kustomize.renderer() is None, reason="no kustomize renderer: neither `kustomize` nor `kubectl`"
)


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)


def _found(*paths: str, **settings: object) -> set[tuple[str, str, int]]:
    report = lint_paths(list(paths), Settings(**settings))  # type: ignore[arg-type]
    assert not report.errors, report.errors
    return {(f.code, f.location.file, f.location.span.line) for f in report.findings}


@needs_helm
def test_chart_findings_land_on_template_helper_and_values_lines() -> None:
    found = _found("charts/trainer")
    assert found == {
        # include "trainer.placement" | nindent: the line inside the helper's define
        ("ACC005", "charts/trainer/templates/_helpers.tpl", 4),
        # a literal key inside `range .Values.workers`: both rendered items, one template line
        ("ACC001", "charts/trainer/templates/workers.yaml", 24),
        # `with .env` + `toYaml .` inside the range: the values line of workers[1].env
        ("SEC001", "charts/trainer/values.yaml", 13),
        # the subchart's `toYaml .Values.resources`: the parent's `monitor:` values
        ("ACC001", "charts/trainer/values.yaml", 17),
    }


@needs_helm
def test_values_file_override_is_where_the_value_is_set(run: Runner) -> None:
    done = run(
        "check",
        "charts/trainer",
        "-f",
        "charts/trainer/values-prod.yaml",
        "--select",
        "ACC001",
        "--output-format",
        "json",
    )
    findings = json.loads(done.out)["findings"]
    prod = [f for f in findings if f["file"] == "charts/trainer/values-prod.yaml"]
    assert len(prod) == 1
    assert (prod[0]["line"], prod[0]["column"]) == (4, 5)
    rendered = prod[0]["rendered"]
    assert rendered["target"] == "charts/trainer"
    assert rendered["values_set"] == "values-prod.yaml"
    assert rendered["via"] == [
        {
            "file": "charts/trainer/templates/job.yaml",
            "line": 14,
            "note": "rendered by this line",
        }
    ]
    assert all(f["fix"] is None for f in findings)  # a render is never edited in place


@needs_helm
def test_each_values_set_is_its_own_bundle(tmp_path: Path) -> None:
    config = tmp_path / ".aiconf-lint.toml"
    config.write_text(
        f'[helm.charts."{REPO / "charts/trainer"}".values-sets]\n'
        "default = {}\n"
        f'prod = {{ values = ["{REPO / "charts/trainer/values-prod.yaml"}"] }}\n',
        encoding="utf-8",
    )
    from aiconf_lint.settings import load_settings

    report = lint_paths(["charts/trainer"], load_settings(config))
    sets = {
        (f.location.file, f.location.rendered.values_set)
        for f in report.findings
        if f.location.rendered is not None and f.code == "ACC001"
    }
    assert ("charts/trainer/values-prod.yaml", "prod") in sets
    assert ("charts/trainer/templates/workers.yaml", "default") in sets
    assert ("charts/trainer/templates/workers.yaml", "prod") in sets


@needs_kustomize
def test_overlay_findings_land_on_patch_and_component_lines() -> None:
    found = _found("deploy/overlays/prod")
    assert found == {
        ("ACC001", "deploy/overlays/prod/gpu.yaml", 12),  # strategic-merge patch
        ("ACC005", "deploy/overlays/prod/placement.yaml", 4),  # JSON6902 patch value
        ("SEC001", "deploy/components/visible-devices/all-devices.yaml", 12),  # component
    }


@needs_helm
@needs_kustomize
def test_check_dot_renders_everything_once_and_lints_plain_yaml_around() -> None:
    found = _found(".")
    files = {file for _, file, _ in found}
    assert "plain/pod.yaml" in files
    # the base is reached through the overlay only: its CUDA_VISIBLE_DEVICES finding is gone,
    # because the overlay's patch gives that container a GPU
    assert not any(file.startswith("deploy/base/") for file in files)
    assert ("ACC001", "deploy/overlays/prod/gpu.yaml", 12) in found
    assert ("ACC005", "charts/trainer/templates/_helpers.tpl", 4) in found


@needs_helm
@needs_kustomize
def test_staged_files_render_their_chart_or_overlay() -> None:
    found = _found("charts/trainer/templates/job.yaml", "deploy/base/server.yaml")
    assert ("ACC005", "charts/trainer/templates/_helpers.tpl", 4) in found
    assert ("ACC001", "deploy/overlays/prod/gpu.yaml", 12) in found
    assert not any(code.startswith("SYN") for code, _, _ in found)


def test_no_render_keeps_the_plain_behaviour() -> None:
    found = _found("deploy", render=False)
    assert ("SEC001", "deploy/base/server.yaml", 21) in found


@needs_kustomize
def test_build_metadata_is_read_then_stripped_from_the_objects() -> None:
    from aiconf_lint.input.load import load_text

    built = kustomize.build("prod", REPO / "deploy/overlays/prod", 60)
    source = load_text("<render>", built.text)
    kustomize.take_origins(built, [(d.index, d.data) for d in source.documents])
    data = source.documents[0].data
    assert isinstance(data, dict)
    assert "annotations" not in data["metadata"]
    origin = built.objects[source.documents[0].index]
    assert origin.resource == (REPO / "deploy/base/server.yaml").resolve()
    assert (REPO / "deploy/overlays/prod/kustomization.yaml").resolve() in origin.kustomizations


@needs_kustomize
def test_overlay_error_names_the_overlay_not_the_temporary_wrapper(
    tmp_path: Path, run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    overlay = tmp_path / "overlays" / "prod"
    overlay.mkdir(parents=True)
    (overlay / "kustomization.yaml").write_text(
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
        "resources: [deploy.yaml]\npatches: [{path: missing_patch.yaml}]\n",
        encoding="utf-8",
    )
    (overlay / "deploy.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n", encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    done = run("check", "overlays/prod")
    assert done.code == 2
    assert "missing_patch.yaml" in done.out
    assert "'overlays/prod'" in done.out
    assert "../" not in done.out


@needs_helm
def test_missing_subchart_is_a_clear_error(tmp_path: Path, run: Runner) -> None:
    chart = tmp_path / "app"
    chart.mkdir()
    (chart / "Chart.yaml").write_text(
        "apiVersion: v2\nname: app\nversion: 0.1.0\ndependencies:\n"
        "  - name: redis\n    version: 1.2.3\n    repository: https://charts.example.com\n",
        encoding="utf-8",
    )
    done = run("check", str(chart))
    assert done.code == 2
    assert "redis 1.2.3 from https://charts.example.com" in done.out
    assert "never fetches" in done.out
    assert "Traceback" not in done.out + done.err


@needs_helm
def test_template_error_names_the_chart_and_keeps_helms_message(
    tmp_path: Path, run: Runner
) -> None:
    chart = tmp_path / "bad"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: bad\nversion: 0.1.0\n", "utf-8")
    (chart / "templates" / "a.yaml").write_text("kind: {{ .Values.x.y }}\n", "utf-8")
    (tmp_path / "ok.yaml").write_text((REPO / "plain/pod.yaml").read_text("utf-8"), "utf-8")
    done = run("check", str(chart), str(tmp_path / "ok.yaml"), "--output-format", "concise")
    assert done.code == 2
    assert f"{chart}: error: " in done.out
    assert "nil pointer" in done.out
    assert "ok.yaml:11:11: ACC001" in done.out  # the other input is still checked


@needs_kustomize
def test_overlays_that_would_fetch_or_run_plugins_are_refused(tmp_path: Path, run: Runner) -> None:
    remote = tmp_path / "remote"
    remote.mkdir()
    (remote / "kustomization.yaml").write_text(
        "resources:\n  - https://github.com/example/repo//base?ref=v1\n", "utf-8"
    )
    charts = tmp_path / "charts"
    charts.mkdir()
    (charts / "kustomization.yaml").write_text(
        "helmCharts:\n  - name: x\n    repo: https://example.com\n", "utf-8"
    )
    done = run("check", str(remote), str(charts), "--output-format", "concise")
    assert done.code == 2
    assert "never fetches: https://github.com/example/repo//base?ref=v1" in done.out
    assert "--enable-helm" in done.out


def test_missing_renderers_name_both_install_options(
    monkeypatch: pytest.MonkeyPatch, run: Runner
) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    done = run("check", "charts/trainer", "deploy/overlays/prod", "--output-format", "concise")
    assert done.code == 2
    assert "`helm` binary on PATH or the helm-python-sdk package" in done.out
    assert "`kustomize` or `kubectl`" in done.out


@needs_helm
def test_sarif_result_is_on_the_source_line_with_the_render_related(run: Runner) -> None:
    # The fixture repository is the SARIF root here, not the project's git top level.
    done = run("check", "charts/trainer", "--select", "ACC005", "-F", "sarif", "--sarif-root", ".")
    result = json.loads(done.out)["runs"][0]["results"][0]
    physical = result["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"]["uri"] == "charts/trainer/templates/_helpers.tpl"
    assert physical["region"]["startLine"] == 4
    from tests.test_sarif import _validate

    _validate(json.loads(done.out))
    related = result["relatedLocations"][-1]
    assert related["physicalLocation"]["artifactLocation"]["uri"] == "charts/trainer/Chart.yaml"
    assert "rendered by helm from charts/trainer" in related["message"]["text"]


@needs_helm
@needs_kustomize
def test_progress_goes_to_stderr_on_a_terminal_only(
    monkeypatch: pytest.MonkeyPatch, run: Runner
) -> None:
    quiet = run("check", ".", "--output-format", "json")
    assert quiet.err == ""
    json.loads(quiet.out)

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    err = Terminal()
    monkeypatch.setattr(sys, "stderr", err)
    report = lint_paths(["."], Settings())
    assert report.findings
    assert "rendered 2/2" in err.getvalue()


def _fake_helm(folder: Path, script: str) -> None:
    folder.mkdir()
    helm_bin = folder / "helm"
    helm_bin.write_text("#!/bin/sh\n" + script, "utf-8")
    helm_bin.chmod(0o755)


def test_the_helm_binary_is_preferred_and_called_offline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Runner
) -> None:
    log = tmp_path / "argv"
    _fake_helm(
        tmp_path / "bin",
        f'echo "$@" > {log}\nenv | grep -E "^(HELM_PLUGINS|KUBECONFIG)=" >> {log}\n'
        'printf -- "---\\n# Source: trainer-chart/templates/job.yaml\\n'
        'apiVersion: batch/v1\\nkind: Job\\nmetadata:\\n  name: x\\n"\n',
    )
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}:{os.environ['PATH']}")
    done = run(
        "check",
        "charts/trainer",
        "-f",
        "charts/trainer/values-prod.yaml",
        "--set",
        "a=1",
        "--kube-version",
        "1.33.0",
        "--api-versions",
        "x/v1",
        "--namespace",
        "ml",
        "--release-name",
        "r",
    )
    assert done.code == 0, done.out + done.err
    argv, *env = log.read_text("utf-8").splitlines()
    assert argv.startswith(f"template r {(REPO / 'charts/trainer').resolve()} --namespace ml")
    assert f"--values {(REPO / 'charts/trainer/values-prod.yaml').resolve()}" in argv
    assert "--set a=1 --kube-version 1.33.0 --api-versions x/v1" in argv
    assert "--dependency-update" not in argv
    assert "--post-renderer" not in argv
    assert all("aiconf-helm-" in line for line in env)  # plugins and kubeconfig: temporary


def test_a_hanging_renderer_times_out_with_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Runner
) -> None:
    _fake_helm(tmp_path / "bin", "exec sleep 30\n")
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}:{os.environ['PATH']}")
    config = tmp_path / "aiconf.toml"
    config.write_text("[helm]\ntimeout = 1\n", "utf-8")
    done = run("check", "charts/trainer", "--config", str(config))
    assert done.code == 2
    assert "charts/trainer: error: helm timed out after 1 s" in done.out


@needs_kustomize
def test_kustomize_plugins_are_refused(tmp_path: Path, run: Runner) -> None:
    overlay = tmp_path / "overlay"
    overlay.mkdir()
    (overlay / "kustomization.yaml").write_text("generators:\n  - gen.yaml\n", "utf-8")
    (overlay / "gen.yaml").write_text(
        "apiVersion: example.com/v1\nkind: Secrets\nmetadata:\n  name: g\n", "utf-8"
    )
    done = run("check", str(overlay))
    assert done.code == 2
    assert "needs kustomize plugins" in done.out


@needs_helm
def test_per_file_ignores_apply_to_the_mapped_source_file() -> None:
    ignores = (("charts/trainer/templates/*", ("ACC001",)),)
    found = _found("charts/trainer", per_file_ignores=ignores)
    assert ("ACC001", "charts/trainer/templates/workers.yaml", 24) not in found
    assert ("ACC001", "charts/trainer/values.yaml", 17) in found
