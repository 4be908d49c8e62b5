"""One rule failing on one object costs that rule on that object, never the run.

A bug in a rule (a value of a type nobody expected) used to turn the whole run into
"internal error", exit 2, with every other finding lost. Now the engine reports one error
naming the rule, the file and the object, keeps every other finding, and exits 2 at the end.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from aiconf_lint.engine import lint
from aiconf_lint.input.load import load_text
from aiconf_lint.k8s.workloads import ContainerView, PodTemplate
from aiconf_lint.model import Violation
from aiconf_lint.rule import Context
from aiconf_lint.rules import RULES_BY_CODE
from aiconf_lint.runner import enabled_rules
from aiconf_lint.settings import Settings
from tests.conftest import Runner

TWO_PODS = """\
apiVersion: v1
kind: Pod
metadata: {name: boom}
spec:
  containers:
    - name: c
      resources:
        requests: {nvidia.com/gpu: 1}
---
apiVersion: v1
kind: Pod
metadata: {name: fine}
spec:
  containers:
    - name: c
      resources:
        requests: {nvidia.com/gpu: 1}
"""


@pytest.fixture
def acc002_crashes_on_boom(monkeypatch: pytest.MonkeyPatch) -> None:
    rule = RULES_BY_CODE["ACC002"]
    original = rule.check_container

    def check_container(
        self: object, ctx: Context, template: PodTemplate, container: ContainerView
    ) -> Iterator[Violation]:
        if template.obj.name == "boom":
            raise TypeError("unhashable type: 'list'")
        return original(self, ctx, template, container)  # type: ignore[arg-type]

    monkeypatch.setattr(rule, "check_container", check_container)


@pytest.mark.usefixtures("acc002_crashes_on_boom")
def test_a_crash_is_one_error_naming_rule_file_and_object() -> None:
    settings = Settings()
    report = lint([load_text("pods.yaml", TWO_PODS)], settings, enabled_rules(settings))
    (error,) = report.errors
    assert error.file == "pods.yaml"
    assert error.line == 1
    assert "ACC002" in error.message
    assert "Pod boom" in error.message
    assert "TypeError" in error.message
    # The same rule still reports on the other object; other rules still report on both.
    acc002 = [f for f in report.findings if f.code == "ACC002"]
    assert [f.location.span.line for f in acc002] == [17]
    assert {f.location.span.line for f in report.findings if f.code == "ACC001"} == {8, 17}


@pytest.mark.usefixtures("acc002_crashes_on_boom")
def test_a_crash_exits_2_after_printing_every_finding(
    run: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pods.yaml").write_text(TWO_PODS, encoding="utf-8")
    result = run("check", "pods.yaml", "--output-format", "concise")
    assert result.code == 2
    assert "pods.yaml:17:" in result.out
    assert "ACC002" in result.out
    assert "internal error in rule ACC002" in result.out + result.err
    assert "Traceback" not in result.out + result.err


@pytest.mark.usefixtures("acc002_crashes_on_boom")
def test_a_crash_during_fix_is_an_error_not_a_traceback(
    run: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pods.yaml").write_text(TWO_PODS, encoding="utf-8")
    result = run("fix", "pods.yaml", "--select", "ACC002")
    assert result.code == 2
    assert "internal error in rule ACC002" in result.err
    # The other object was still fixed.
    assert (tmp_path / "pods.yaml").read_text(encoding="utf-8").count("limits") == 1
