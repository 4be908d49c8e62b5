"""What every fix keeps besides the data: comments, line endings, the BOM, key order.

The golden cases in `tests/fix/fixtures/` named after a real rule (`dra001_*`, `acc001_*`,
...) are run again here through the command line on disk, as CRLF files with a BOM, and must
come out as the same golden text in CRLF with the BOM.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from aiconf_lint.fix import apply as apply_module
from tests.conftest import Runner
from tests.test_fix import FIXTURES, HEADER_RE, fix_text

REAL_FIXES = ("dra001", "acc001", "acc002", "gng001", "scl006", "met004")
BOM = b"\xef\xbb\xbf"


def _real_cases() -> list[Path]:
    return sorted(
        p
        for p in FIXTURES.glob("*.yaml")
        if not p.name.endswith(".fixed.yaml") and p.name.startswith(REAL_FIXES)
    )


def test_every_real_fix_has_a_golden_case_with_comments() -> None:
    cases = _real_cases()
    for code in REAL_FIXES:
        mine = [c for c in cases if c.name.startswith(code)]
        assert mine, f"no golden fix case for {code.upper()}"
        text = "".join(c.read_text(encoding="utf-8") for c in mine)
        assert re.search(r"\S  # ", text), f"{code.upper()}: no trailing comment in its cases"


def _cli_args(header: str) -> list[str]:
    words = dict(w.partition("=")[::2] for w in header.split())
    args = ["--select", words["select"]]
    if "unsafe" in words:
        args.append("--unsafe-fixes")
    if "profile" in words:
        args += ["--profile", words["profile"]]
    if "force-rendered" in words:
        args.append("--force-rendered")
    return args


@pytest.mark.parametrize("case", _real_cases(), ids=lambda p: p.stem)
def test_real_fixes_keep_crlf_and_bom(
    case: Path, run: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = case.read_text(encoding="utf-8")
    match = HEADER_RE.match(text)
    assert match
    words = dict(w.partition("=")[::2] for w in match.group(1).split())
    if "kueue-queue" in words:
        config = f'[gang]\nkueue-queue = "{words["kueue-queue"]}"\n'
        (tmp_path / ".aiconf-lint.toml").write_text(config, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    target = tmp_path / "manifest.yaml"
    target.write_bytes(BOM + text.replace("\n", "\r\n").encode("utf-8"))
    result = run("fix", "manifest.yaml", *_cli_args(match.group(1)))
    assert result.code in (0, 1), result.err
    golden = case.with_name(f"{case.stem}.fixed.yaml").read_text(encoding="utf-8")
    assert target.read_bytes() == BOM + golden.replace("\n", "\r\n").encode("utf-8"), result.err


NVIDIA_V1BETA1 = """\
apiVersion: resource.k8s.io/v1beta1
kind: ResourceClaimTemplate
metadata:
  name: one-gpu
spec:
  spec:
    devices:
      requests:
        - name: gpu
          deviceClassName: gpu.nvidia.com # NVIDIA
          count: 1 # exactly one
          allocationMode: ExactCount
          # selectors below
          selectors:
            - cel:
                expression: device.driver == "gpu.nvidia.com"
"""


def test_dra001_moves_comments_with_the_keys_it_moves() -> None:
    fixed = fix_text("x.yaml", NVIDIA_V1BETA1, ["DRA001"], False, False).texts["x.yaml"]
    for comment in ("# NVIDIA", "# exactly one", "# selectors below"):
        assert comment in fixed
    assert "deviceClassName: gpu.nvidia.com # NVIDIA" in fixed
    assert "count: 1 # exactly one" in fixed
    assert fixed.index("# selectors below") < fixed.index("selectors:")


def test_dra001_keeps_the_key_order_under_exactly() -> None:
    fixed = fix_text("x.yaml", NVIDIA_V1BETA1, ["DRA001"], False, False).texts["x.yaml"]
    exactly = yaml.safe_load(fixed)["spec"]["spec"]["devices"]["requests"][0]["exactly"]
    assert list(exactly) == ["deviceClassName", "count", "allocationMode", "selectors"]


def test_dra001_under_profile_133_writes_v1beta2() -> None:
    text = NVIDIA_V1BETA1
    settings_text = "# aiconf-fix: select=DRA001 profile=1.33\n" + text
    run = fix_text("x.yaml", settings_text, ["DRA001"], False, False)
    fixed = run.texts["x.yaml"]
    assert "apiVersion: resource.k8s.io/v1beta2" in fixed
    assert "resource.k8s.io/v1\n" not in fixed
    assert "exactly:" in fixed  # v1beta2 has the v1 shape
    again = fix_text("x.yaml", fixed, ["DRA001"], False, False)
    assert not again.applied  # v1beta2 is current under its profile


def test_a_fix_that_would_lose_a_comment_is_skipped_with_that_reason(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = apply_module._edit

    def lossy(*args: object, **kwargs: object) -> tuple[str, str | None]:
        edited, new_text = real(*args, **kwargs)  # type: ignore[arg-type]
        return edited, None if new_text is None else new_text.replace(" # exactly one", "")

    monkeypatch.setattr(apply_module, "_edit", lossy)
    run = fix_text("x.yaml", NVIDIA_V1BETA1, ["DRA001"], False, False)
    assert run.texts["x.yaml"] == NVIDIA_V1BETA1
    assert not run.errors
    ((_, reason),) = run.skipped
    assert reason == "it would lose the comment `# exactly one`"


def test_a_removed_key_takes_only_its_own_comment() -> None:
    text = """\
apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: c
      resources:
        limits:
          memory: 1Gi  # host
          nvidia.com/gpu: 1  # the GPU
          # CPU is left to the default
          cpu: "1"
"""
    run = fix_text("x.yaml", "# aiconf-fix: select=ACC001 unsafe\n" + text, ["ACC001"], True, False)
    fixed = run.texts["x.yaml"]
    assert "# the GPU" not in fixed
    assert "# host" in fixed
    assert "# CPU is left to the default" in fixed


def test_crlf_file_is_fixed_in_place_with_crlf(
    run: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    text = (
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p # the pod\nspec:\n  containers:\n"
        "    - name: c\n      resources:\n        requests:\n          nvidia.com/gpu: 1\n"
    )
    (tmp_path / "p.yaml").write_bytes(text.replace("\n", "\r\n").encode())
    result = run("fix", "p.yaml", "--select", "ACC002")
    assert result.code == 0, result.err
    fixed = (tmp_path / "p.yaml").read_bytes()
    assert b"limits:\r\n" in fixed
    assert fixed.count(b"\n") == fixed.count(b"\r\n")


MIXED_INDENT = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: train
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: trainer
          image: trainer:1
          resources:
            limits:
              nvidia.com/gpu: 2
          volumeMounts:
          - name: data
            mountPath: /data
      volumes:
      - name: data
        emptyDir: {}
"""


def test_dra_migration_works_in_place_on_inconsistently_indented_lists(
    run: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "job.yaml").write_text(MIXED_INDENT, encoding="utf-8")
    result = run("fix", "job.yaml", "--unsafe-fixes", "--select", "ACC001")
    assert result.code == 0, result.err
    fixed = (tmp_path / "job.yaml").read_text(encoding="utf-8")
    # Untouched lines keep their own indentation, each list its own style.
    assert "          volumeMounts:\n          - name: data\n" in fixed
    assert "      volumes:\n      - name: data\n        emptyDir: {}\n" in fixed
    job, template = yaml.safe_load_all(fixed)
    pod = job["spec"]["template"]["spec"]
    assert pod["containers"][0]["resources"] == {"claims": [{"name": "trainer-gpu"}]}
    assert pod["resourceClaims"][0]["resourceClaimTemplateName"] == template["metadata"]["name"]
    assert pod["volumes"] == [{"name": "data", "emptyDir": {}}]
