"""The published `.pre-commit-hooks.yaml`, run by the real pre-commit against a copy of us.

The project is copied into a temporary git repository and committed, and a second temporary
repository plays the user's: `pre-commit try-repo <copy> <hook> --files ...` then installs the
hook exactly as users get it (a virtualenv, `pip install` of the package) and runs its `entry`.

Offline: the hook's virtualenv sees this interpreter's site-packages and pip gets setuptools
from the wheels virtualenv embeds, so on a plain interpreter nothing is downloaded. Inside a
virtualenv (CI) the hook's dependencies come from the package index instead.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

PROJECT = Path(__file__).parents[1]
HOOKS = PROJECT / ".pre-commit-hooks.yaml"

GOOD = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: train
spec:
  template:
    spec:
      containers:
        - name: trainer
          image: trainer:1
          resources:
            limits:
              nvidia.com/gpu: 2
"""
BAD = GOOD.replace("limits:", "requests:")
TEMPLATE = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: {{ .Release.Name }}
spec:
{{- with .Values.spec }}
  {{- toYaml . | nindent 2 }}
{{- end }}
"""

CHART = "apiVersion: v2\nname: chart\nversion: 0.1.0\n"
VALUES = """\
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: trainer
          image: trainer:1
          resources:
            requests:
              cpu: 1
              nvidia.com/gpu: 2
"""


def _missing_tools() -> str | None:
    if shutil.which("git") is None:
        return "git is not installed"
    try:
        import pre_commit  # type: ignore[import-untyped]  # noqa: F401
    except ImportError:
        return "pre-commit is not installed (pip install 'aiconf-lint[test]')"
    return None


pytestmark = pytest.mark.skipif(_missing_tools() is not None, reason=str(_missing_tools()))


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(
        [
            "git",
            "-c",
            "user.name=aiconf-lint tests",
            "-c",
            "user.email=tests@example.invalid",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
            "-c",
            "core.hooksPath=/dev/null",
            *args,
        ],
        cwd=cwd,
        check=True,
        capture_output=True,
        # Inside a git hook (pytest run by pre-commit) GIT_DIR and GIT_INDEX_FILE point at the
        # outer repository; the temporary repositories must not see them.
        env={k: v for k, v in os.environ.items() if not k.startswith("GIT_")},
    )


def _copy_project(dest: Path) -> None:
    """What a user's `repo:` clone holds: the package, its metadata, the hook manifest."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    shutil.copytree(PROJECT / "aiconf_lint", dest / "aiconf_lint", ignore=ignore)
    for name in ("pyproject.toml", ".pre-commit-hooks.yaml", "README.md", "LICENSE"):
        if (PROJECT / name).is_file():
            shutil.copy2(PROJECT / name, dest / name)
    if not (dest / "README.md").exists():  # pyproject names it; the build needs the file
        (dest / "README.md").write_text("# aiconf-lint\n", encoding="utf-8")
    _git(dest, "init", "-q")
    _git(dest, "add", "-A")
    _git(dest, "commit", "-q", "-m", "snapshot for the pre-commit test")


def _environment(home: Path) -> dict[str, str]:
    import virtualenv

    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PIP_", "VIRTUALENV_", "PRE_COMMIT", "GIT_"))
    }
    env["PRE_COMMIT_HOME"] = str(home)
    env["VIRTUALENV_SYSTEM_SITE_PACKAGES"] = "1"
    env["PIP_FIND_LINKS"] = str(Path(virtualenv.__file__).parent / "seed" / "wheels" / "embed")
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    if sys.prefix == sys.base_prefix:
        env["PIP_NO_INDEX"] = "1"  # every dependency is already in the base site-packages
    return env


@dataclass(frozen=True)
class Sandbox:
    project: Path
    user: Path
    env: dict[str, str]

    def try_repo(self, hook: str, *files: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [
                sys.executable,
                "-m",
                "pre_commit",
                "try-repo",
                str(self.project),
                hook,
                "--files",
                *files,
            ],
            cwd=self.user,
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
            timeout=600,
        )


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Sandbox:
    root = tmp_path_factory.mktemp("precommit")
    project, user = root / "project", root / "user"
    project.mkdir()
    user.mkdir()
    _copy_project(project)
    _git(user, "init", "-q")
    (user / "good.yaml").write_text(GOOD, encoding="utf-8")
    (user / "bad.yaml").write_text(BAD, encoding="utf-8")
    (user / "chart" / "templates").mkdir(parents=True)
    (user / "chart" / "templates" / "job.yaml").write_text(TEMPLATE, encoding="utf-8")
    (user / "chart" / "Chart.yaml").write_text(CHART, encoding="utf-8")
    (user / "chart" / "values.yaml").write_text(VALUES, encoding="utf-8")
    _git(user, "add", "-A")
    return Sandbox(project, user, _environment(root / "store"))


def test_manifest_declares_both_hooks_like_ruff() -> None:
    hooks = {hook["id"]: hook for hook in yaml.safe_load(HOOKS.read_text(encoding="utf-8"))}
    assert hooks["aiconf-lint"]["entry"] == "aiconf-lint check --force-exclude --with-context"
    assert hooks["aiconf-lint-fix"]["entry"] == "aiconf-lint fix --force-exclude"
    # Charts: `.tpl` helpers have no `yaml` tag, so the check hook selects files by name.
    assert hooks["aiconf-lint"]["files"] == r"(\.ya?ml|\.tpl|(^|/)Kustomization)$"
    assert "exclude" not in hooks["aiconf-lint"]
    assert hooks["aiconf-lint"]["additional_dependencies"] == ["helm-python-sdk>=0.2.2"]
    assert hooks["aiconf-lint-fix"]["types_or"] == ["yaml"]
    assert hooks["aiconf-lint-python"]["entry"] == "aiconf-lint check --force-exclude"
    assert hooks["aiconf-lint-python"]["types"] == ["python"]
    for hook in hooks.values():
        assert hook["language"] == "python"
        assert hook["require_serial"] is True
        assert hook["minimum_pre_commit_version"] == "2.9.2"


def test_manifest_passes_pre_commit_validation() -> None:
    from pre_commit.clientlib import load_manifest  # type: ignore[import-untyped]

    assert [hook["id"] for hook in load_manifest(str(HOOKS))] == [
        "aiconf-lint",
        "aiconf-lint-fix",
        "aiconf-lint-python",
    ]


def test_hook_fails_on_a_bad_manifest(sandbox: Sandbox) -> None:
    done = sandbox.try_repo("aiconf-lint", "bad.yaml")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "aiconf-lint" in done.stdout
    assert "Failed" in done.stdout
    assert "bad.yaml:13:" in done.stdout
    assert "ACC002" in done.stdout


def test_hook_passes_on_a_good_manifest(sandbox: Sandbox) -> None:
    done = sandbox.try_repo("aiconf-lint", "good.yaml")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Passed" in done.stdout


def test_hook_renders_the_chart_of_a_staged_template(sandbox: Sandbox) -> None:
    done = sandbox.try_repo("aiconf-lint", "chart/templates/job.yaml", "chart/values.yaml")
    assert done.returncode == 1, done.stdout + done.stderr
    # `toYaml .Values.spec`: the finding is on the values line that sets the request
    assert "chart/values.yaml:11:15: ACC002" in done.stdout, done.stdout
    assert "= rendered: helm chart (default)" in done.stdout
    assert done.stdout.count("ACC002") == 1  # two staged files of one chart: one render


def test_fix_hook_leaves_helm_templates_alone(sandbox: Sandbox) -> None:
    done = sandbox.try_repo("aiconf-lint-fix", "chart/templates/job.yaml")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no files to check" in done.stdout


def test_fix_hook_applies_the_safe_fix(sandbox: Sandbox) -> None:
    import typer

    from aiconf_lint.cli import app

    commands: dict[str, object] = getattr(typer.main.get_command(app), "commands", {})
    if "fix" not in commands:
        pytest.skip("the `fix` command is not part of this build yet")
    target = sandbox.user / "fixable.yaml"
    target.write_text(BAD, encoding="utf-8")
    _git(sandbox.user, "add", "fixable.yaml")
    done = sandbox.try_repo("aiconf-lint-fix", "fixable.yaml")
    fixed = target.read_text(encoding="utf-8")
    assert "limits:" in fixed, done.stdout + done.stderr
    assert sandbox.try_repo("aiconf-lint", "fixable.yaml").returncode == 0
