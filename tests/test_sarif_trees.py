"""SARIF fingerprints read from the run's position tables equal those of the composed tree.

The table path exists for speed (a 14 MB stream was composed a second time just for them); a
fingerprint that changed would close every open alert on GitHub and open a new one.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from aiconf_lint.output import sarif_identity
from aiconf_lint.output.sarif_identity import fingerprints
from aiconf_lint.runner import lint_run
from aiconf_lint.settings import Settings

ROOT = Path(__file__).parent.parent
FIXTURES = ROOT / "tests" / "rules" / "fixtures"

CONTAINER = """\
        - {name}
          image: vllm/vllm-openai:v0.6.3
          resources:
            limits: {{nvidia.com/gpu: 1}}
"""
ODD_NAMES = (
    "name: trainer",
    "name: 'quoted'",
    'name: "dq\\u00e9"',
    "name: 123",
    "name: yes",
    "name: ~",
    "name: &a anchored",
    "name: !!str tagged",
    "name:\n          name: second",
    "name: plain with spaces",
    "name: caf\u00e9",
)


def _deployment(names: tuple[str, ...]) -> str:
    containers = "".join(CONTAINER.format(name=name) for name in names)
    return (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: odd}\nspec:\n  template:\n"
        "    spec:\n      containers:\n" + containers
    )


def _both(paths: list[str]) -> tuple[list[str], list[str], int]:
    run = lint_run(paths, Settings(select=("ALL",)))
    report = run.report
    answered = 0
    real = sarif_identity._TreeReader.path

    def counting(self: sarif_identity._TreeReader, *args: object) -> str | None:
        nonlocal answered
        found = real(self, *args)  # type: ignore[arg-type]
        answered += found is not None
        return found

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sarif_identity._TreeReader, "path", counting)
        fast = fingerprints(report.findings, str, report.texts, run.trees())
    slow = fingerprints(report.findings, str, report.texts)
    return fast, slow, answered


DUPLICATE_KEYS = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: twice}
spec:
  template:
    spec:
      containers:
        - name: first
          image: busybox
      containers:
        - name: second
          image: vllm/vllm-openai:v0.6.3
          resources:
            limits: {nvidia.com/gpu: 1}
"""


@pytest.mark.parametrize("breaks", ["\n", "\r\n", "\r"])
def test_odd_item_names_fingerprint_alike(tmp_path: Path, breaks: str) -> None:
    file = tmp_path / "odd.yaml"
    text = _deployment(ODD_NAMES) + "---\n" + DUPLICATE_KEYS
    file.write_bytes(text.replace("\n", breaks).encode())
    fast, slow, answered = _both([str(file)])
    assert len(fast) >= len(ODD_NAMES)
    assert fast == slow
    if breaks != "\r":  # a lone CR breaks lines for libyaml only: composed again
        assert answered > 0  # the plain names were read from the table


def test_every_fixture_and_example_fingerprints_alike() -> None:
    cases = sorted(p for p in FIXTURES.glob("*/*") if p.is_dir() or p.suffix == ".yaml")
    total = answered_total = 0
    for case in [*cases, ROOT / "examples"]:
        fast, slow, answered = _both([str(case)])
        assert fast == slow, case
        total += len(fast)
        answered_total += answered
    assert answered_total > total // 2  # most findings never compose their file again
