"""Shared helpers: run the CLI in-process, as pre-commit and editors do."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from aiconf_lint.cli import main

REPO = Path(__file__).resolve().parents[1]

# A GPU Job that asks by request only (ACC002): the smallest manifest with a finding.
GPU_JOB = """\
apiVersion: batch/v1
kind: Job
metadata: {name: trainer}
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
SHARED = REPO.parent / "shared"


@dataclass
class Result:
    code: int
    out: str
    err: str


Runner = Callable[..., Result]


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch) -> Runner:
    def invoke(*args: str, stdin: bytes = b"") -> Result:
        out, err = io.StringIO(), io.StringIO()
        monkeypatch.setattr(sys, "stdout", out)
        monkeypatch.setattr(sys, "stderr", err)
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
        code = main(list(args))
        return Result(code, out.getvalue(), err.getvalue())

    return invoke


# --- skips CI may see --------------------------------------------------------------------------
# A skipped test passes silently, so in CI (`AICONF_STRICT_SKIPS=1`, set by `.ci/run`) a skip
# whose reason is not listed here fails the run. Each entry says why that skip is acceptable
# on a CI machine; everything the project's own files can install must be installed instead.
ALLOWED_SKIPS = {
    "kubectl is not installed": "kubectl is a system binary, not a Python package; the "
    "kustomize round trip needs a real one and CI machines may not have it",
}
_skipped: list[tuple[str, str]] = []


def _skip_reason(report: pytest.TestReport) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2]).removeprefix("Skipped: ")
    return str(longrepr)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped and not hasattr(report, "wasxfail"):
        _skipped.append((report.nodeid, _skip_reason(report)))


def unexpected_skips(skipped: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(test, why) for test, why in skipped if not any(ok in why for ok in ALLOWED_SKIPS)]


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if os.environ.get("AICONF_STRICT_SKIPS") != "1" or hasattr(session.config, "workerinput"):
        return
    unexpected = unexpected_skips(_skipped)
    if not unexpected:
        return
    lines = [f"  {test}: {why}" for test, why in unexpected]
    sys.stderr.write("unexpected skips (AICONF_STRICT_SKIPS=1):\n" + "\n".join(lines) + "\n")
    session.exitstatus = pytest.ExitCode.TESTS_FAILED
