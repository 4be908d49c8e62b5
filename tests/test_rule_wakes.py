"""`wakes` in the rule table: a rule the run does not wake must be one that would find nothing.

The engine imports a rule only when the run holds something the rule reads (`RuleEntry.wakes`).
A `wakes` too narrow would silently drop findings, so every fixture case and the examples are
linted with all rules twice, gated and ungated, and the findings must be the same; the table
is also checked against what the rule classes declare.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aiconf_lint.engine import build_bundle, lint, run_presence
from aiconf_lint.input.load import Limits, load_bytes
from aiconf_lint.input.python_source import load_python_bytes
from aiconf_lint.input.source import SourceFile
from aiconf_lint.k8s.gang import GANG_KINDS
from aiconf_lint.model import Report
from aiconf_lint.rules import CATALOG, POD_TEMPLATES, RuleEntry
from aiconf_lint.selection import select_entries, select_rules
from aiconf_lint.settings import Settings
from tests.conftest import GPU_JOB
from tests.fresh_process import last_line

ROOT = Path(__file__).parent.parent
FIXTURES = ROOT / "tests" / "rules" / "fixtures"


def _cases() -> list[Path]:
    return sorted(p for p in FIXTURES.glob("*/*") if p.is_dir() or p.suffix in (".yaml", ".py"))


def _sources(case: Path) -> list[SourceFile]:
    files = sorted([*case.rglob("*.yaml"), *case.rglob("*.py")]) if case.is_dir() else [case]
    return [
        (load_python_bytes if f.suffix == ".py" else load_bytes)(f.name, f.read_bytes(), Limits())
        for f in files
    ]


def _findings(sources: list[SourceFile], gated: bool) -> list[tuple[object, ...]]:
    settings = Settings(select=("ALL",))
    rules = select_entries(["ALL"]) if gated else select_rules(["ALL"])
    report = lint(sources, settings, rules)
    return [(f.code, f.location.file, f.location.span, f.message) for f in report.findings]


@pytest.mark.parametrize("case", _cases(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_gated_run_finds_what_every_rule_finds(case: Path) -> None:
    sources = _sources(case)
    assert _findings(sources, gated=True) == _findings(sources, gated=False)


def test_examples_gated_and_ungated_agree() -> None:
    for folder in (ROOT / "examples").iterdir():
        files = sorted(folder.rglob("*.yaml")) if folder.is_dir() else [folder]
        sources = [load_bytes(f.name, f.read_bytes(), Limits()) for f in files]
        assert _findings(sources, gated=True) == _findings(sources, gated=False), folder


def test_presence_names_kinds_groups_and_pod_templates() -> None:
    bundle = build_bundle(
        [load_bytes("job.yaml", GPU_JOB.encode(), Limits())], Settings(), Report()
    )
    assert run_presence(bundle) == frozenset({"Job", "group:batch", POD_TEMPLATES})


def test_a_job_file_does_not_import_monitor_route_or_autoscaler_rules(tmp_path: Path) -> None:
    (tmp_path / "job.yaml").write_text(GPU_JOB)
    script = (
        "import sys\n"
        "from aiconf_lint.runner import lint_paths\n"
        f"report = lint_paths([{str(tmp_path / 'job.yaml')!r}])\n"
        "assert [f.code for f in report.findings] == ['ACC001', 'ACC002'], report.findings\n"
        "import json\n"
        "print(json.dumps(sorted(m.split('.')[3][:6] for m in sys.modules\n"
        "             if m.startswith('aiconf_lint.rules.') and m.count('.') == 3\n"
        "             and not m.split('.')[3].startswith('_'))))"
    )
    loaded = set(json.loads(last_line(script)))
    assert {"acc001", "gng001", "sec001"} <= loaded
    assert not loaded & {"met001", "met002", "net001", "scl001", "scl008", "dra005"}, loaded


def _entry(code: str) -> RuleEntry:
    return next(entry for entry in CATALOG if entry.code == code)


def test_wakes_cover_what_the_classes_declare() -> None:
    for entry in CATALOG:
        rule = entry.load()
        hook = rule.hook()
        if entry.wakes is None:
            continue
        assert entry.wakes, entry.code
        if hook in ("check_pod_template", "check_container"):
            assert POD_TEMPLATES in entry.wakes, entry.code
        if hook == "check_object" and rule.kinds is not None:
            assert rule.kinds <= set(entry.wakes), (entry.code, rule.kinds - set(entry.wakes))
    assert set(_entry("GNG001").wakes or ()) == GANG_KINDS


def test_problem_rules_wake_on_every_run() -> None:
    """SYN findings come from the loader, not from objects: nothing in the run can gate them."""
    assert all(entry.wakes is None for entry in CATALOG if entry.code.startswith("SYN"))


def test_a_volcano_task_without_template_still_wakes_gng002() -> None:
    """`wakes` is a necessary condition: a finding that needs no pod template must not
    depend on one being present."""
    task = """\
apiVersion: batch.volcano.sh/v1alpha1
kind: Job
metadata: {name: broken}
spec:
  tasks:
    - {name: worker, replicas: 2, minAvailable: 3}
"""
    sources = [load_bytes("volcano.yaml", task.encode(), Limits())]
    gated = _findings(sources, gated=True)
    assert [code for code, *_ in gated] == ["GNG002"]
    assert gated == _findings(sources, gated=False)
