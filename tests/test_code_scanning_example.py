"""`examples/github/code-scanning.yml` stays a workflow that works with today's CLI.

Users copy this file verbatim, so a renamed option or a missing permission would break their CI
silently; the test reads the workflow and checks every `aiconf-lint` option it uses against the
real `check` command.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import yaml

WORKFLOW = Path(__file__).parents[1] / "examples" / "github" / "code-scanning.yml"
DOCS = Path(__file__).parents[1] / "docs" / "code-scanning.md"


def _workflow() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    return data


def _steps() -> list[dict[str, Any]]:
    (job,) = _workflow()["jobs"].values()
    steps: list[dict[str, Any]] = job["steps"]
    return steps


def _check_options() -> set[str]:
    import typer

    from aiconf_lint.cli import app

    commands: dict[str, Any] = getattr(typer.main.get_command(app), "commands", {})
    return {opt for param in commands["check"].params for opt in getattr(param, "opts", [])}


def _invocations(text: str) -> list[list[str]]:
    """Every `aiconf-lint check ...` in shell text, split into words (up to `>` or `;`)."""
    flat = text.replace("\\\n", " ")
    pattern = r"aiconf-lint check ([^>;&|\n]*)"
    return [shlex.split(match.group(1)) for match in re.finditer(pattern, flat)]


def test_job_can_upload_to_code_scanning() -> None:
    (job,) = _workflow()["jobs"].values()
    assert job["permissions"]["security-events"] == "write"
    uses = [step.get("uses", "") for step in _steps()]
    assert any(u.startswith("actions/checkout@") for u in uses)
    assert any(u.startswith("actions/setup-python@") for u in uses)
    action = "github/codeql-action/upload-sarif@"
    upload = next(s for s in _steps() if s.get("uses", "").startswith(action))
    assert upload["with"]["sarif_file"] == "sarif"


def test_every_check_writes_sarif_with_its_own_category_and_exit_zero() -> None:
    runs = "\n".join(step.get("run", "") for step in _steps())
    invocations = _invocations(runs)
    assert len(invocations) == 2
    categories = []
    for words in invocations:
        assert "--exit-zero" in words
        assert words[words.index("--output-format") + 1] == "sarif"
        categories.append(words[words.index("--sarif-category") + 1])
    assert len(set(categories)) == len(categories)


def test_options_in_the_example_and_docs_exist() -> None:
    known = _check_options()
    texts = [step.get("run", "") for step in _steps()]
    texts.append(DOCS.read_text(encoding="utf-8"))
    used = {
        word
        for text in texts
        for words in _invocations(text)
        for word in words
        if word.startswith("--")
    }
    assert used
    assert used <= known, used - known
