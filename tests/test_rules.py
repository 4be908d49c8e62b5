"""The single fixture runner: one test per `tests/rules/fixtures/<CODE>/<case>.yaml` (or `.py`).

Each case states its expectations inline with `# expect: CODE` on the line a finding starts
on, and `<case>.out` pins the concise output (messages and columns). A case may select other
rules with a first-line `# aiconf-test: select=CODE,CODE profile=1.34`. Set
AICONF_UPDATE_SNAPSHOTS=1 to rewrite the `.out` files, then read every diff.
Cross-document cases can use a folder `<case>/` whose YAML files are linted together. A `.py`
case is a Python source that builds pods: the same rules judge it at the Python positions.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from aiconf_lint.engine import lint
from aiconf_lint.input.load import Limits, load_bytes
from aiconf_lint.input.python_source import load_python_bytes
from aiconf_lint.input.source import SourceFile
from aiconf_lint.output.text import render_concise
from aiconf_lint.runner import enabled_entries
from aiconf_lint.settings import Settings, with_overrides

FIXTURES = Path(__file__).parent / "rules" / "fixtures"
EXPECT_RE = re.compile(r"#\s*expect:\s*([A-Z]{3}\d{3}(?:\s*,\s*[A-Z]{3}\d{3})*)")
HEADER_RE = re.compile(r"#\s*aiconf-test:(.*)")
UPDATE = os.environ.get("AICONF_UPDATE_SNAPSHOTS") == "1"


def _cases() -> list[Path]:
    cases = [*FIXTURES.glob("*/*.yaml"), *FIXTURES.glob("*/*.py")]
    cases += [p for p in FIXTURES.glob("*/*") if p.is_dir()]
    return sorted(cases)


def _files(case: Path) -> list[Path]:
    if case.is_dir():
        return sorted([*case.rglob("*.yaml"), *case.rglob("*.py")])
    return [case]


def _settings(case: Path) -> Settings:
    code = case.parent.name
    options: dict[str, str] = {"select": code}
    first = _files(case)[0].read_text(encoding="utf-8", errors="replace").splitlines()[:1]
    match = HEADER_RE.search(first[0]) if first else None
    if match:
        for item in match.group(1).split():
            key, _, value = item.partition("=")
            options[key] = value
    config: dict[str, object] = {
        "select": tuple(options["select"].split(",")),
        "profile": options.get("profile"),
    }
    return with_overrides(Settings(), **config)


def _load(case: Path) -> list[SourceFile]:
    sources = []
    for file in _files(case):
        display = file.relative_to(FIXTURES.parent.parent.parent).as_posix()
        load = load_python_bytes if file.suffix == ".py" else load_bytes
        sources.append(load(display, file.read_bytes(), Limits()))
    return sources


def _expected(sources: list[SourceFile], case: Path) -> list[tuple[str, int, str]]:
    found: list[tuple[str, int, str]] = []
    for source, file in zip(sources, _files(case), strict=True):
        text = file.read_text(encoding="utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), start=1):
            match = EXPECT_RE.search(line)
            if match:
                found.extend(
                    (source.path, number, code.strip()) for code in match.group(1).split(",")
                )
    return sorted(found)


@pytest.mark.parametrize("case", _cases(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fixture(case: Path) -> None:
    settings = _settings(case)
    sources = _load(case)
    # Table entries, as `check` runs them: a rule the run does not wake is never imported, so a
    # `wakes` too narrow for a case fails here.
    report = lint(sources, settings, enabled_entries(settings))
    actual = sorted((f.location.file, f.location.span.line, f.code) for f in report.findings)
    assert actual == _expected(sources, case)
    golden = case.with_suffix(".out") if case.is_file() else case.parent / f"{case.name}.out"
    output = render_concise(report)
    if UPDATE:
        golden.write_text(output, encoding="utf-8")
    assert golden.exists(), f"missing golden file {golden}; run with AICONF_UPDATE_SNAPSHOTS=1"
    assert output == golden.read_text(encoding="utf-8")


def test_every_rule_has_positive_and_negative_fixtures() -> None:
    from aiconf_lint.rules import ALL_RULES

    for rule in ALL_RULES:
        folder = FIXTURES / rule.code
        assert folder.is_dir(), f"{rule.code} has no fixture folder"
        outs = [p.read_text(encoding="utf-8") for p in folder.glob("*.out")]
        assert any(f" {rule.code} " in out for out in outs), f"{rule.code}: no failing case"
        assert any(f" {rule.code} " not in out for out in outs), f"{rule.code}: no passing case"
