"""The command line, in-process: formats, exit codes, selection, config, suppression, stdin."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from tests.conftest import REPO, Runner

BAD_JOB = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: trainer
  namespace: ml
spec:
  template:
    spec:
      containers:
        - name: trainer
          image: pytorch/pytorch:2.4.0
          resources:
            requests:
              nvidia.com/gpu: 2
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "k8s").mkdir()
    (tmp_path / "k8s" / "train.yaml").write_text(BAD_JOB)
    (tmp_path / "k8s" / "values.yaml").write_text("replicaCount: 1\n")
    # The CLI is under test here, not the rules: keep the findings to one well-known rule.
    (tmp_path / "pyproject.toml").write_text('[tool.aiconf-lint]\nselect = ["SYN", "ACC002"]\n')
    return tmp_path


def test_concise_output_and_exit_code(run: Runner, project: Path) -> None:
    result = run("check", "k8s/", "--output-format", "concise")
    assert result.code == 1
    assert result.out == (
        "k8s/train.yaml:14:15: ACC002 Container `trainer` requests `nvidia.com/gpu: 2` "
        "without a limit\n"
    )


def test_full_output_has_snippet_object_and_fix(run: Runner, project: Path) -> None:
    result = run("check", "k8s")
    assert result.code == 1
    assert "14 |               nvidia.com/gpu: 2" in result.out
    assert "^^^^^^^^^^^^^^" in result.out
    assert "= object: Job ml/trainer" in result.out
    assert "= fix (safe): Add `limits.nvidia.com/gpu: 2`" in result.out


def test_json_output_matches_published_schema(run: Runner, project: Path) -> None:
    result = run("check", "k8s", "--output-format", "json")
    payload = json.loads(result.out)
    schema = json.loads((REPO / "schemas" / "output-v1.schema.json").read_text())
    jsonschema.validate(payload, schema)
    finding = payload["findings"][0]
    assert finding["file"] == "k8s/train.yaml"
    assert (finding["line"], finding["column"], finding["end_column"]) == (14, 15, 29)
    assert finding["object"] == {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "name": "trainer",
        "namespace": "ml",
    }
    assert finding["fix"] == {"title": "Add `limits.nvidia.com/gpu: 2`", "applicability": "safe"}


def test_github_output(run: Runner, project: Path) -> None:
    result = run("check", "k8s", "--output-format", "github")
    assert result.out.startswith(
        "::error file=k8s/train.yaml,line=14,col=15,endLine=14,endColumn=29,"
        "title=aiconf-lint (ACC002)::ACC002 Container"
    )


def test_exit_zero_fail_on_and_quiet(run: Runner, project: Path) -> None:
    assert run("check", "k8s", "--exit-zero").code == 0
    (project / "k8s" / "train.yaml").write_text(BAD_JOB.replace("requests", "limits"))
    clean = run("check", "k8s", "--quiet")
    assert clean.code == 0
    assert clean.out == ""
    assert "All checks passed" in run("check", "k8s").out


def test_fail_on_error_lets_warnings_pass(run: Runner, project: Path) -> None:
    (project / "k8s" / "train.yaml").write_text(
        BAD_JOB + "          # aiconf-lint: ignore[XYZ123]\n"
    )
    result = run("check", "k8s", "--select", "SYN004", "--fail-on", "error")
    assert "SYN004" in result.out
    assert result.code == 0
    assert run("check", "k8s", "--select", "SYN004").code == 1


def test_statistics(run: Runner, project: Path) -> None:
    result = run("check", "k8s", "--statistics")
    assert result.out == "1\tACC002\t[*] invalid-accelerator-quantity\n1\ttotal\n"
    as_json = json.loads(run("check", "k8s", "--statistics", "--output-format", "json").out)
    assert as_json == [
        {
            "code": "ACC002",
            "name": "invalid-accelerator-quantity",
            "count": 1,
            "fixable": True,
            "safe_fixes": 1,
            "unsafe_fixes": 0,
        }
    ]


def test_select_ignore_by_name_and_prefix(run: Runner, project: Path) -> None:
    assert run("check", "k8s", "--ignore", "invalid-accelerator-quantity").code == 0
    assert run("check", "k8s", "--select", "SYN").code == 0
    assert run("check", "k8s", "--select", "ACC0").code == 1


def test_unknown_selector_is_usage_error(run: Runner, project: Path) -> None:
    result = run("check", "k8s", "--select", "NOPE42")
    assert result.code == 2
    assert "unknown rule selector `NOPE42`" in result.err


def test_missing_path_is_reported_and_others_still_checked(run: Runner, project: Path) -> None:
    result = run("check", "missing.yaml", "k8s", "--output-format", "concise")
    assert result.code == 2
    assert "missing.yaml: error: no such file or directory" in result.out
    assert "ACC002" in result.out


def test_bad_files_do_not_stop_other_files(run: Runner, project: Path) -> None:
    (project / "k8s" / "binary.yaml").write_bytes(b"\x00\x01")
    (project / "k8s" / "broken.yml").write_text("a: [\n")
    result = run("check", "k8s", "--output-format", "concise")
    assert "k8s/binary.yaml:1:1: SYN001 binary file" in result.out
    assert "k8s/broken.yml:2:1: SYN001" in result.out
    assert "k8s/train.yaml:14:15: ACC002" in result.out
    assert "Traceback" not in result.out + result.err


def test_stdin_with_filename(run: Runner, project: Path) -> None:
    result = run(
        "check",
        "-",
        "--stdin-filename",
        "rendered.yaml",
        "--output-format",
        "concise",
        stdin=BAD_JOB.encode(),
    )
    assert result.out.startswith("rendered.yaml:14:15: ACC002")


def test_config_in_pyproject_and_unknown_key(run: Runner, project: Path) -> None:
    (project / "pyproject.toml").write_text('[tool.aiconf-lint]\nignore = ["ACC002"]\n')
    assert run("check", "k8s").code == 0
    (project / "pyproject.toml").write_text("[tool.aiconf-lint]\nignroe = []\n")
    result = run("check", "k8s")
    assert result.code == 2
    assert "unknown key `ignroe`" in result.err


def test_nearest_config_wins(run: Runner, project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (project / "pyproject.toml").write_text('[tool.aiconf-lint]\nignore = ["ACC002"]\n')
    (project / "k8s" / ".aiconf-lint.toml").write_text('select = ["ACC"]\n')
    monkeypatch.chdir(project / "k8s")
    assert run("check", ".").code == 1


def test_per_file_ignores_and_excludes(run: Runner, project: Path) -> None:
    (project / ".aiconf-lint.toml").write_text('[per-file-ignores]\n"k8s/train.yaml" = ["ACC"]\n')
    assert run("check", "k8s").code == 0
    (project / ".aiconf-lint.toml").write_text('extend-exclude = ["train.yaml"]\n')
    assert run("check", "k8s").code == 0
    # named explicitly, the file is checked unless --force-exclude
    assert run("check", "k8s/train.yaml").code == 1
    assert run("check", "k8s/train.yaml", "--force-exclude").code == 0


def test_object_annotation_suppresses(run: Runner, project: Path) -> None:
    text = BAD_JOB.replace(
        "  namespace: ml\n",
        '  namespace: ml\n  annotations:\n    aiconf-lint.io/ignore: "ACC002"\n',
    )
    (project / "k8s" / "train.yaml").write_text(text)
    assert run("check", "k8s").code == 0


def test_inline_suppression_on_span_line(run: Runner, project: Path) -> None:
    text = BAD_JOB.replace(
        "nvidia.com/gpu: 2", "nvidia.com/gpu: 2  # aiconf-lint: ignore[ACC002] ok"
    )
    (project / "k8s" / "train.yaml").write_text(text)
    assert run("check", "k8s").code == 0


def test_profile_option_and_unknown_profile(run: Runner, project: Path) -> None:
    assert run("check", "k8s", "--profile", "1.34").code == 1
    result = run("check", "k8s", "--profile", "9.99")
    assert result.code == 2
    assert "unknown profile" in result.err


def test_profiles_json(run: Runner) -> None:
    payload = json.loads(run("profiles", "--output-format", "json").out)
    assert [p["version"] for p in payload] == ["1.33", "1.34", "1.35", "1.36"]
    levels = {p["version"]: {r["id"]: r["level"] for r in p["requirements"]} for p in payload}
    assert levels["1.33"]["dra_support"] == "SHOULD"
    assert levels["1.34"]["dra_support"] == "MUST"
    assert "dra_support" not in levels["1.36"]
    assert levels["1.36"]["advanced_inference_ingress"] == "SHOULD"
    assert all(r["category"] for p in payload for r in p["requirements"])
    descriptions = {r["id"]: r["description"] for p in payload for r in p["requirements"]}
    assert descriptions["dra_support"] == (
        "Support Dynamic Resource Allocation (DRA) APIs to enable more flexible and fine-grained "
        "resource requests beyond simple counts."
    )


def test_rule_and_rules_commands(run: Runner) -> None:
    doc = run("rule", "ACC002")
    assert doc.code == 0
    assert doc.out.startswith("# invalid-accelerator-quantity (ACC002)")
    assert "## Why is this bad?" in doc.out
    listing = json.loads(run("rules", "--output-format", "json").out)
    assert {"code": "SYN001", "name": "invalid-yaml"}.items() <= listing[0].items()
    assert run("rule", "NOPE999").code == 2


def test_version(run: Runner) -> None:
    assert run("version").out.startswith("aiconf-lint ")


def test_kustomize_origin_and_list_item_positions(run: Runner, project: Path) -> None:
    text = """\
apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: Pod
    metadata:
      name: p
      annotations:
        config.kubernetes.io/origin: |
          path: base/pod.yaml
    spec:
      containers:
        - name: c
          image: busybox
          resources:
            limits: {nvidia.com/gpu: 1.5}
"""
    (project / "k8s" / "train.yaml").write_text(text)
    result = run("check", "k8s", "--output-format", "concise")
    assert result.out == (
        "k8s/train.yaml:16:38: ACC002 Container `c` sets `limits.nvidia.com/gpu: 1.5`, which is "
        "not a whole number (accelerators cannot be split by quantity) [from base/pod.yaml]\n"
    )
