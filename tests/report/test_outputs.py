"""The report's formats: the CNCF checklist draft, JSON against its schema, HTML, Markdown,
the command's exit codes, stdin, and the GitHub workflow example."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import jsonschema
import pytest
import yaml

from aiconf_lint.profiles import PROFILES
from tests.conftest import REPO, Runner

FIXTURES = Path(__file__).parent / "fixtures"
PLATFORM = str(FIXTURES / "platform")
BARE = str(FIXTURES / "bare")
STATUSES = {"", "Implemented", "Not Implemented", "Partially Implemented", "N/A"}


def _checklist(run: Runner, path: str, version: str, *extra: str) -> dict[str, Any]:
    result = run("report", path, "--profile", version, "--output-format", "checklist", *extra)
    assert result.code in (0, 1), result.err
    data: dict[str, Any] = yaml.safe_load(result.out)
    return data


@pytest.mark.parametrize("version", list(PROFILES))
@pytest.mark.parametrize("path", [PLATFORM, BARE])
def test_checklist_keeps_the_cncf_ids_levels_and_descriptions(
    run: Runner, path: str, version: str
) -> None:
    data = _checklist(run, path, version)
    assert data["metadata"]["kubernetesVersion"] == f"v{version}"
    items = [(cat, i) for cat, group in data["spec"].items() for i in group]
    expected = [
        (r.category, r.id, str(r.level), r.description) for r in PROFILES[version].requirements
    ]
    assert [(c, i["id"], i["level"], i["description"]) for c, i in items] == expected
    for _, item in items:
        assert set(item) == {"id", "description", "level", "status", "evidence", "notes"}
        assert item["status"] in STATUSES
        if not item["evidence"]:  # never a claim without evidence
            assert item["status"] == ""
        assert isinstance(item["notes"], str)
        assert item["notes"]


def test_checklist_fills_status_and_evidence_from_the_repository(run: Runner) -> None:
    base = "https://github.com/example/platform/blob/main"
    data = _checklist(run, PLATFORM, "1.36", "--evidence-base-url", base)
    items = {i["id"]: i for group in data["spec"].values() for i in group}
    assert {i["status"] for i in items.values()} == {"Implemented"}
    refs = items["accelerator_metrics"]["evidence"]
    assert all(re.fullmatch(rf"{base}/\S+\.yaml#L\d+", ref) for ref in refs)
    assert any("dcgm-exporter.yaml" in ref for ref in refs)
    bare = {i["id"]: i for g in _checklist(run, BARE, "1.36")["spec"].values() for i in g}
    assert bare["gang_scheduling"]["status"] == ""
    assert "found no evidence" in bare["gang_scheduling"]["notes"]


def test_checklist_marks_blocked_evidence_partially_implemented(run: Runner) -> None:
    data = _checklist(run, PLATFORM, "1.35")
    (dra,) = [i for i in data["spec"]["accelerators"] if i["id"] == "dra_support"]
    assert dra["status"] == "Partially Implemented"
    assert "blocked by ACC001" in dra["notes"]


def test_json_matches_published_schema(run: Runner) -> None:
    schema = json.loads((REPO / "schemas" / "report-v1.schema.json").read_text())
    for path in (PLATFORM, BARE):
        result = run("report", path, "--output-format", "json", "--profile", "1.35")
        payload = json.loads(result.out)
        jsonschema.validate(payload, schema)
        assert payload["summary"]["requirements"] == len(PROFILES["1.35"].requirements)


def test_markdown_starts_with_a_table_and_details_follow(run: Runner) -> None:
    result = run("report", PLATFORM)
    assert result.code == 0, result.out
    lines = result.out.splitlines()
    table = lines.index(
        "| Requirement | Level | Category | Status | Evidence | Blocking findings |"
    )
    first_section = next(i for i, line in enumerate(lines) if line.startswith("### "))
    assert table < first_section
    assert (
        "| `gang_scheduling` | MUST | schedulingOrchestration | ✅ Evidence found |" in result.out
    )
    assert (
        "kueue/training-job.yaml:8` Job `finetune-llama` is gang-scheduled by Kueue" in result.out
    )


def test_html_is_self_contained_with_a_chart(run: Runner) -> None:
    page = run("report", BARE, "--output-format", "html").out
    assert page.startswith("<!DOCTYPE html>")
    assert page.rstrip().endswith("</html>")
    assert "<svg" in page
    assert "<script" not in page.lower()
    assert not re.search(r"""(src|href)=["']?https?:""", page)
    assert page.count('<section id="') == len(PROFILES["1.36"].requirements)
    svg = ElementTree.fromstring(page[page.index("<svg") : page.index("</svg>") + 6])
    bars = [e for e in svg.iter() if e.tag.endswith("rect") and e.get("height") == "20"]
    assert len(bars) == len({r.category for r in PROFILES["1.36"].requirements})


def test_exit_codes(run: Runner) -> None:
    assert run("report", PLATFORM).code == 0
    assert run("report", BARE).code == 1
    assert run("report", BARE, "--exit-zero").code == 0
    assert run("report", PLATFORM, "--profile", "1.35").code == 1  # dra_support blocked
    assert run("report", PLATFORM, "--profile", "1.35", "--block-on", "error").code == 0
    assert run("report", PLATFORM, "--profile", "1.35", "--ignore", "ACC001").code == 0
    bad = run("report", PLATFORM, "--output-format", "pdf")
    assert bad.code == 2
    assert "--output-format" in bad.err
    bad = run("report", PLATFORM, "--block-on", "fatal")
    assert bad.code == 2
    assert "--block-on" in bad.err
    assert run("report", str(FIXTURES / "missing")).code == 2


def test_rendered_stream_on_stdin_names_the_template(run: Runner) -> None:
    """`helm template ... | aiconf-lint report -`: evidence names the chart's template."""
    manifest = (FIXTURES / "platform" / "serving" / "vllm.yaml").read_bytes()
    stream = b"---\n# Source: serving/templates/vllm.yaml\n" + manifest
    result = run("report", "-", "--stdin-filename", "rendered.yaml", "--exit-zero", stdin=stream)
    assert (
        "`rendered.yaml:3` Deployment `vllm` runs vLLM (from `serving/templates/vllm.yaml`)"
        in result.out
    )


WORKFLOW = REPO / "examples" / "github" / "readiness-report.yml"


def _report_options() -> set[str]:
    import typer

    from aiconf_lint.cli import app

    commands: dict[str, Any] = getattr(typer.main.get_command(app), "commands", {})
    return {opt for param in commands["report"].params for opt in getattr(param, "opts", [])}


def test_workflow_example_appends_markdown_to_the_job_summary() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    (job,) = workflow["jobs"].values()
    scripts = [step["run"] for step in job["steps"] if "run" in step]
    assert any('>> "$GITHUB_STEP_SUMMARY"' in s and "markdown" in s for s in scripts)
    known = _report_options()
    calls = [
        shlex.split(m.group(1))
        for s in scripts
        for m in re.finditer(r"aiconf-lint report ([^>;&|\n]*)", s.replace("\\\n", " "))
    ]
    assert calls
    for words in calls:
        assert {w for w in words if w.startswith("--")} <= known


def test_unreadable_input_is_reported_not_ignored(run: Runner, tmp_path: Path) -> None:
    (tmp_path / "broken.yaml").write_text("kind: Deployment\nmetadata: {name: [unclosed\n")
    (tmp_path / "web.yaml").write_text((FIXTURES / "bare" / "web.yaml").read_text())
    markdown = run("report", str(tmp_path)).out
    assert "1 input finding**" in markdown
    assert "broken.yaml:3` **SYN001** (error) invalid YAML" in markdown
    payload = json.loads(run("report", str(tmp_path), "--output-format", "json").out)
    assert [f["code"] for f in payload["unreadable"]] == ["SYN001"]
    jsonschema.validate(
        payload, json.loads((REPO / "schemas" / "report-v1.schema.json").read_text())
    )
    checklist = run("report", str(tmp_path), "--output-format", "checklist").out
    assert "# Not readable, so not searched for evidence:" in checklist
    yaml.safe_load(checklist)


def test_docs_excerpt_is_what_the_report_prints(run: Runner) -> None:
    """docs/report.md shows the fixture's 1.35 report; its table and evidence lines stay true."""
    docs = (REPO / "docs" / "report.md").read_text(encoding="utf-8")
    excerpt = docs[docs.index("````markdown\n") : docs.index("\n````\n")]
    out = run("report", PLATFORM, "--profile", "1.35").out.replace(PLATFORM + "/", "")
    shown = [line for line in excerpt.splitlines()[1:] if line.startswith(("|", "  - ", "- ✅"))]
    assert len(shown) > 15
    for line in shown:
        assert line in out.splitlines(), line
