"""The published `.pre-commit-hooks.yaml`, run by the real pre-commit against a copy of us.

The project is copied into a temporary git repository and committed, and a second temporary
repository plays the user's, with a `.pre-commit-config.yaml` naming that copy at its commit,
as users name our tag. pre-commit then installs the hooks exactly as users get them (a
virtualenv, `pip install` of the package from the checkout), once, and runs their `entry`.

Offline, always: pip gets no index (`PIP_NO_INDEX`), builds the package with the setuptools
wheel virtualenv embeds, and finds the dependencies already installed where this test runs
(`PYTHONPATH` names this interpreter's site-packages). The end-to-end test takes about twenty
seconds, so the default run leaves it out (`-m "not precommit"` in `addopts`); CI runs it
as its own step with `python -m pytest -m precommit`.
"""

from __future__ import annotations

import os
import shutil
import site
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
        if not key.startswith(("PIP_", "VIRTUALENV_", "PRE_COMMIT", "GIT_", "PYTHON"))
    }
    env["PRE_COMMIT_HOME"] = str(home)
    env["PIP_NO_INDEX"] = "1"  # never the network: everything comes from this machine
    env["PIP_FIND_LINKS"] = str(Path(virtualenv.__file__).parent / "seed" / "wheels" / "embed")
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    # The hook's virtualenv sees the dependencies installed here (a venv in CI, whose
    # site-packages `--system-site-packages` would not reach).
    env["PYTHONPATH"] = os.pathsep.join(site.getsitepackages())
    return env


@dataclass(frozen=True)
class Sandbox:
    user: Path
    env: dict[str, str]

    def run(self, hook: str, *files: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "pre_commit", "run", hook, "--files", *files],
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
    rev = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=project, capture_output=True, text=True, check=True
    ).stdout.strip()
    config = {
        "repos": [
            {
                "repo": str(project),
                "rev": rev,
                "hooks": [{"id": "aiconf-lint"}, {"id": "aiconf-lint-fix"}],
            }
        ]
    }
    _git(user, "init", "-q")
    (user / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    (user / "good.yaml").write_text(GOOD, encoding="utf-8")
    (user / "bad.yaml").write_text(BAD, encoding="utf-8")
    (user / "fixable.yaml").write_text(BAD, encoding="utf-8")
    (user / "chart" / "templates").mkdir(parents=True)
    (user / "chart" / "templates" / "job.yaml").write_text(TEMPLATE, encoding="utf-8")
    (user / "chart" / "Chart.yaml").write_text(CHART, encoding="utf-8")
    (user / "chart" / "values.yaml").write_text(VALUES, encoding="utf-8")
    _git(user, "add", "-A")
    return Sandbox(user, _environment(root / "store"))


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


@pytest.mark.precommit
def test_hooks_end_to_end_offline(sandbox: Sandbox) -> None:
    """One install, four uses: fail, pass, render a staged chart, fix (never a template)."""
    done = sandbox.run("aiconf-lint", "bad.yaml")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Failed" in done.stdout
    assert "bad.yaml:13:" in done.stdout
    assert "ACC002" in done.stdout

    done = sandbox.run("aiconf-lint", "good.yaml")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Passed" in done.stdout

    # A staged template and values file of one chart: the chart renders once, and the
    # finding sits on the values line that `toYaml .Values.spec` pulls in.
    done = sandbox.run("aiconf-lint", "chart/templates/job.yaml", "chart/values.yaml")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "chart/values.yaml:11:15: ACC002" in done.stdout, done.stdout
    assert "= rendered: helm chart (default)" in done.stdout
    assert done.stdout.count("ACC002") == 1

    done = sandbox.run("aiconf-lint-fix", "chart/templates/job.yaml")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no files to check" in done.stdout

    done = sandbox.run("aiconf-lint-fix", "fixable.yaml")
    fixed = (sandbox.user / "fixable.yaml").read_text(encoding="utf-8")
    assert "limits:" in fixed, done.stdout + done.stderr
    assert sandbox.run("aiconf-lint", "fixable.yaml").returncode == 0
