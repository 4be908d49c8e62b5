"""`aiconf-lint fix` from the command line: in place, --diff, stdin stream, kustomize."""

from __future__ import annotations

import io
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from aiconf_lint.cli import main
from aiconf_lint.fix.command import FixOptions, fix_paths
from aiconf_lint.fix.loop import run_fixes
from aiconf_lint.settings import Settings
from tests.fix_fake_rules import FAKE_RULES

FIXTURES = Path(__file__).parent / "fix" / "fixtures"
REQUEST_ONLY = """\
apiVersion: v1
kind: Pod
metadata:
  name: p   # a pod
spec:
  containers:
  - name: c
    image: busybox:1.36
    resources:
      requests:
        nvidia.com/gpu: 1
"""


def _stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(text.encode())))


def test_fix_in_place_keeps_mode_and_is_idempotent(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "pod.yaml"
    target.write_text(REQUEST_ONLY)
    target.chmod(0o640)
    assert main(["fix", str(target)]) == 0
    fixed = target.read_text()
    assert "limits:\n        nvidia.com/gpu: 1\n" in fixed
    assert "# a pod" in fixed
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert "Fixed 1 finding (ACC002)" in capsys.readouterr().err
    assert main(["fix", str(target)]) == 0
    assert target.read_text() == fixed
    assert [p.name for p in tmp_path.iterdir()] == ["pod.yaml"], "no temporary file left behind"


def test_diff_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "pod.yaml"
    target.write_text(REQUEST_ONLY)
    assert main(["fix", "--diff", str(target)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"--- {target}\n+++ {target}\n")
    assert "+      limits:\n+        nvidia.com/gpu: 1\n" in out
    assert target.read_text() == REQUEST_ONLY


def test_ignore_limits_the_fixes(tmp_path: Path) -> None:
    target = tmp_path / "pod.yaml"
    target.write_text(REQUEST_ONLY)
    assert main(["fix", "--ignore", "ACC002", str(target)]) == 0
    assert target.read_text() == REQUEST_ONLY


def test_stream_mode_prints_only_the_stream(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    rendered = (FIXTURES / "acc002_helm_rendered.yaml").read_text()
    _stdin(monkeypatch, rendered)
    assert main(["fix", "-"]) == 0
    captured = capsys.readouterr()
    assert captured.out == (FIXTURES / "acc002_helm_force_rendered.fixed.yaml").read_text().replace(
        " force-rendered", "", 1
    )
    assert "Fixed 1 finding" in captured.err


def test_rendered_file_is_not_edited_in_place(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "rendered.yaml"
    shutil.copy(FIXTURES / "acc002_helm_rendered.yaml", target)
    before = target.read_text()
    assert main(["fix", str(target)]) == 1
    assert target.read_text() == before
    assert "fix the chart" in capsys.readouterr().err
    assert main(["fix", "--force-rendered", str(target)]) == 0
    assert target.read_text() != before


def test_missing_path_is_an_error(tmp_path: Path) -> None:
    assert main(["fix", str(tmp_path / "missing.yaml")]) == 2


def test_remaining_findings_fail(tmp_path: Path) -> None:
    target = tmp_path / "pod.yaml"
    target.write_text(REQUEST_ONLY.replace("nvidia.com/gpu: 1", "nvidia.com/gpu: 0.5"))
    assert main(["fix", str(target)]) == 1


def _objects(text: str) -> dict[tuple[str, str], object]:
    return {(d["kind"], d["metadata"]["name"]): d for d in yaml.safe_load_all(text) if d}


@pytest.mark.parametrize("case", ["dra_migration", "dra_api_version", "queue_label", "add_and_set"])
def test_emit_kustomize_builds_to_the_fixed_objects(tmp_path: Path, case: str) -> None:
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        pytest.skip("kubectl is not installed")
    base = tmp_path / "base"
    base.mkdir()
    app = base / "app.yaml"
    shutil.copy(FIXTURES / f"{case}.yaml", app)
    (base / "kustomization.yaml").write_text("resources: [app.yaml]\ncomponents: [../fix]\n")
    options = FixOptions(unsafe=True, emit_kustomize=tmp_path / "fix")
    result = fix_paths([str(app)], Settings(), options, rules=list(FAKE_RULES))
    assert result.written
    assert app.read_text() == (FIXTURES / f"{case}.yaml").read_text(), "inputs are never edited"
    kustomization = yaml.safe_load((tmp_path / "fix" / "kustomization.yaml").read_text())
    assert kustomization["kind"] == "Component"
    built = subprocess.run(
        [kubectl, "kustomize", str(base)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        env={**os.environ, "KUBECONFIG": os.devnull},
    ).stdout
    expected = run_fixes(
        {"x": app.read_text()}, Settings(), list(FAKE_RULES), unsafe=True, allow_rendered=True
    ).texts["x"]
    assert _objects(built) == _objects(expected)


def test_stream_passes_unfixable_input_through(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = "a: [1\n---\n# only a comment\n"
    _stdin(monkeypatch, broken)
    assert main(["fix", "--exit-zero", "-"]) == 0
    assert capsys.readouterr().out == broken


def test_check_does_not_import_ruamel() -> None:
    code = (
        "import sys; from aiconf_lint.cli import main; "
        "main(['check', '--quiet', '-']); print('ruamel' in ' '.join(sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        check=False,
        input=REQUEST_ONLY,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).parent.parent,
    )
    assert done.stdout.strip().splitlines()[-1] == "False"
