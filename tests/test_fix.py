"""Golden tests of the fix engine: `tests/fix/fixtures/<case>.yaml` becomes `<case>.fixed.yaml`.

The first line of a case says what to run: `# aiconf-fix: select=CODE,CODE [unsafe]
[force-rendered]`. Besides the golden text and summary (`<case>.out`), every case checks the
promises the engine makes whatever the rule: a second run changes nothing, comment lines
survive in order, documents no fix touched are byte-identical, and every fixed object is
valid against the strict Kubernetes 1.34 schema. AICONF_UPDATE_SNAPSHOTS=1 rewrites goldens.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from aiconf_lint.fix.apply import FORMATTING
from aiconf_lint.fix.loop import FixRun, run_fixes
from aiconf_lint.fix.slices import document_span
from aiconf_lint.fix.summary import render_summary
from aiconf_lint.input.load import load_text
from aiconf_lint.k8s.objects import is_k8s_object, objects_of
from aiconf_lint.rule import Rule
from aiconf_lint.selection import select_rules
from aiconf_lint.settings import Settings, with_overrides
from tests.fix_fake_rules import FAKE_RULES

FIXTURES = Path(__file__).parent / "fix" / "fixtures"
HEADER_RE = re.compile(r"#\s*aiconf-fix:(.*)")
UPDATE = os.environ.get("AICONF_UPDATE_SNAPSHOTS") == "1"


def _cases() -> list[Path]:
    return sorted(p for p in FIXTURES.glob("*.yaml") if not p.name.endswith(".fixed.yaml"))


def _options(text: str) -> tuple[list[str], bool, bool]:
    match = HEADER_RE.match(text)
    assert match, "a fix fixture starts with `# aiconf-fix: select=...`"
    words = match.group(1).split()
    select = next(w for w in words if w.startswith("select=")).removeprefix("select=").split(",")
    return select, "unsafe" in words, "force-rendered" in words


def _overrides(text: str) -> dict[str, object]:
    """`profile=1.33` and `kueue-queue=NAME` in the header, as settings."""
    match = HEADER_RE.match(text)
    words = dict(w.partition("=")[::2] for w in match.group(1).split()) if match else {}
    overrides: dict[str, object] = {}
    if "profile" in words:
        overrides["profile"] = words["profile"]
    if "kueue-queue" in words:
        overrides["sections"] = {"gang": {"kueue-queue": words["kueue-queue"]}}
    return overrides


def rules_for(select: list[str]) -> list[type[Rule]]:
    fake = [rule for rule in FAKE_RULES if rule.code in select]
    real = [code for code in select if code not in {rule.code for rule in fake}]
    return [*(select_rules(real) if real else []), *fake]


def fix_text(name: str, text: str, select: list[str], unsafe: bool, rendered: bool) -> FixRun:
    settings = with_overrides(Settings(), select=tuple(select), **_overrides(text))
    return run_fixes(
        {name: text}, settings, rules_for(select), unsafe=unsafe, allow_rendered=rendered
    )


def _comment_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip().startswith("#")]


def _is_subsequence(needles: list[str], haystack: list[str]) -> bool:
    it = iter(haystack)
    return all(any(n == h for h in it) for n in needles)


@pytest.mark.parametrize("case", _cases(), ids=lambda p: p.stem)
def test_fix_fixture(case: Path) -> None:
    text = case.read_text(encoding="utf-8")
    select, unsafe, rendered = _options(text)
    name = f"tests/fix/fixtures/{case.name}"
    run = fix_text(name, text, select, unsafe, rendered)
    fixed = run.texts[name]
    summary = render_summary(run)
    golden = case.with_name(f"{case.stem}.fixed.yaml")
    out = case.with_suffix(".out")
    if UPDATE:
        golden.write_text(fixed, encoding="utf-8")
        out.write_text(summary, encoding="utf-8")
    assert fixed == golden.read_text(encoding="utf-8")
    assert summary == out.read_text(encoding="utf-8")
    assert not run.errors

    again = fix_text(name, fixed, select, unsafe, rendered)
    assert again.texts[name] == fixed, "a second run must change nothing"
    assert not again.applied

    assert _is_subsequence(_comment_lines(text), _comment_lines(fixed)), "comments were lost"
    touched = {p.doc_index for p in run.applied}
    source = load_text(name, text)
    for doc in source.documents:
        if doc.index not in touched:
            start, end = document_span(text, doc.node)
            assert text[start:end] in fixed, f"document {doc.index} changed without a fix"


@pytest.mark.parametrize("case", _cases(), ids=lambda p: p.stem)
def test_fixed_objects_are_valid_kubernetes(case: Path) -> None:
    kv = pytest.importorskip("kubernetes_validate", reason="kubernetes-validate is not installed")
    fixed = case.with_name(f"{case.stem}.fixed.yaml").read_text(encoding="utf-8")
    checked = 0
    for doc in load_text(case.name, fixed).documents:
        if not is_k8s_object(doc.data):
            continue
        for obj in objects_of(doc):
            try:
                kv.validate(dict(obj.data), "1.34", strict=True)
            except kv.SchemaNotFoundError:
                continue
            except kv.ValidationError as exc:
                pytest.fail(f"{case.name}: {obj.kind} {obj.name}: {exc.message}")
            checked += 1
    assert checked, "no document was validated"


def test_helm_rendered_documents_are_left_alone() -> None:
    text = (FIXTURES / "acc002_helm_rendered.yaml").read_text(encoding="utf-8")
    run = fix_text("x.yaml", text, ["ACC002"], False, False)
    assert run.texts["x.yaml"] == text
    [(_, reason)] = run.skipped
    assert "fix the chart" in reason
    assert "aiconf-lint fix -" in reason


SPACED = """\
apiVersion: v1
kind: Pod
metadata:
  name: spaced
spec:
  containers:
    - name: a
      resources:
        requests:
          nvidia.com/gpu:   1
---
apiVersion: v1
kind: Pod
metadata:
  name: consistent
spec:
  containers:
  - name: a
    resources:
      requests:
        nvidia.com/gpu: 1
"""


def test_formatting_guard_skips_only_that_document() -> None:
    # ruamel writes `key: value` with one space: the line next to the edit matches nothing.
    run = fix_text("x.yaml", SPACED, ["ACC002"], False, False)
    assert [reason for _, reason in run.skipped] == [FORMATTING]
    assert len(run.applied) == 1


def test_unsafe_fixes_are_held_back_without_the_flag() -> None:
    text = (FIXTURES / "dra_migration.yaml").read_text(encoding="utf-8")
    run = fix_text("x.yaml", text, ["XFX001"], False, False)
    assert run.texts["x.yaml"] == text
    assert len(run.held_back) == 2
    assert "use --unsafe-fixes" in render_summary(run)
