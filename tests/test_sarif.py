"""`--output-format sarif`: valid SARIF 2.1.0 that GitHub code scanning reads the way we mean.

Schema validity is necessary but not sufficient (checkov's temp-dir URIs validate too), so each
GitHub rule is asserted on its own: the rule list, `ruleIndex`, relative URIs, full regions,
fingerprints that survive moved lines, the caps, the category. The schema is the one
`github/codeql-action/upload-sarif` validates with; it lives outside the project and the tests
that need it skip when it is absent.
"""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from aiconf_lint.cli import main
from aiconf_lint.model import Finding, Location, ObjectRef, Report, Severity, Span
from aiconf_lint.output import rule_docs as docs
from aiconf_lint.output.sarif import FINGERPRINT_KEY, SarifOptions, category_id, render_sarif
from aiconf_lint.output.sarif_identity import documents, identity_path, yaml_path_text
from aiconf_lint.output.sarif_json import to_sarif_json
from aiconf_lint.output.sarif_locations import artifact_uri
from aiconf_lint.output.sarif_rules import MAX_DESCRIPTION
from aiconf_lint.records import replace
from aiconf_lint.rules import ALL_RULES, RULES_BY_CODE
from aiconf_lint.runner import enabled_rules, lint_paths
from aiconf_lint.settings import Settings, with_overrides

SHARED = Path(__file__).parents[2] / "shared"
SCHEMA = SHARED / "schemas" / "sarif-schema-2.1.0.json"
CORPUS = SHARED / "corpus"
EXAMPLES = Path(__file__).parents[1] / "examples"

JOB = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: train
  namespace: ml
spec:
  template:
    spec:
      containers:
        - name: trainer
          image: trainer:1
          resources:
            requests:
              nvidia.com/gpu: 2
        - name: helper
          image: helper:1
          resources:
            limits:
              nvidia.com/gpu: 0.5
"""


def _validate(log: dict[str, Any]) -> None:
    if not SCHEMA.is_file():
        pytest.skip(f"SARIF schema not found at {SCHEMA} (the shared folder beside the project)")
    import jsonschema

    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.validators.validator_for(schema)(schema)
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]


def _lint(root: Path, files: dict[str, str], select: str = "ALL") -> tuple[Report, Settings]:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    settings = with_overrides(Settings(), select=tuple(select.split(",")))
    return lint_paths([str(root / name) for name in files], settings), settings


def _sarif(
    root: Path,
    files: dict[str, str],
    select: str = "ALL",
    **options: Any,
) -> dict[str, Any]:
    report, settings = _lint(root, files, select)
    sarif = SarifOptions(
        rules=enabled_rules(settings), profile=settings.profile, root=root, **options
    )
    log: dict[str, Any] = json.loads(render_sarif(report, sarif))
    return log


def _run(log: dict[str, Any]) -> dict[str, Any]:
    (run,) = log["runs"]
    result: dict[str, Any] = run
    return result


# --- the log as a whole ------------------------------------------------------------------------


def test_log_is_valid_against_the_upload_action_schema(tmp_path: Path) -> None:
    chart = tmp_path / "charts" / "trainer"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("name: trainer\n", encoding="utf-8")
    (chart / "templates" / "job.yaml").write_text("# template\n", encoding="utf-8")
    files = {
        "deploy/job.yaml": JOB,
        "rendered/all.yaml": "---\n# Source: trainer/templates/job.yaml\n" + JOB,
        "broken.yaml": "a: [\n",
    }
    log = _sarif(tmp_path, files, select="ACC002,SYN001", category="charts/trainer")
    _validate(log)
    assert log["version"] == "2.1.0"
    assert list(log)[:2] == ["$schema", "version"]
    assert len(_run(log)["results"]) == 5


def test_empty_run_still_has_results_and_rules(tmp_path: Path) -> None:
    log = _sarif(tmp_path, {"ok.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n"})
    _validate(log)
    run = _run(log)
    assert run["results"] == []
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == sorted(r.code for r in ALL_RULES)


def test_output_is_deterministic(tmp_path: Path) -> None:
    report, settings = _lint(tmp_path, {"job.yaml": JOB})
    options = SarifOptions(rules=enabled_rules(settings), root=tmp_path)
    assert render_sarif(report, options) == render_sarif(report, options)


# --- tool.driver.rules -------------------------------------------------------------------------


def test_driver_lists_exactly_the_enabled_rules_sorted(tmp_path: Path) -> None:
    log = _sarif(tmp_path, {"job.yaml": JOB}, select="ACC002")
    driver = _run(log)["tool"]["driver"]
    assert [r["id"] for r in driver["rules"]] == ["ACC002"]
    assert driver["name"] == "aiconf-lint"
    assert driver["semanticVersion"]


def test_rule_entry_carries_what_github_reads() -> None:
    rule = RULES_BY_CODE["ACC002"]
    report = Report()
    log = json.loads(render_sarif(report, SarifOptions(rules=[rule])))
    (entry,) = _run(log)["tool"]["driver"]["rules"]
    sections = docs.sections(rule)
    assert entry["id"] == "ACC002"
    assert entry["name"] == rule.name
    assert entry["shortDescription"] == {"text": rule.summary}
    full = entry["fullDescription"]["text"]
    assert full == " ".join(sections["What it does"].split())
    assert entry["help"]["markdown"] == docs.markdown(rule)
    assert entry["help"]["text"].startswith("What it does\n")
    assert "Why is this bad?" in entry["help"]["text"]
    assert entry["helpUri"] == f"{docs.DOCS_BASE_URL}ACC002.md"
    assert entry["defaultConfiguration"] == {"level": "error"}
    props = entry["properties"]
    assert props["tags"] == ["accelerators", "dra_support", "secure_accelerator_access"]
    assert props["precision"] == "high"
    assert props["problem.severity"] == "error"
    assert "security-severity" not in props


def test_rule_level_follows_the_selected_profile(monkeypatch: pytest.MonkeyPatch) -> None:
    rule = RULES_BY_CODE["ACC002"]
    profile = Settings().profile

    def info_in(self: object, given: object) -> Severity:
        return Severity.INFO if given is profile else Severity.ERROR

    monkeypatch.setattr(rule, "severity_for", info_in)
    log = json.loads(render_sarif(Report(), SarifOptions(rules=[rule], profile=profile)))
    (entry,) = _run(log)["tool"]["driver"]["rules"]
    assert entry["defaultConfiguration"] == {"level": "note"}
    assert entry["properties"]["problem.severity"] == "recommendation"


def test_source_level_rules_are_very_high_precision_notes_map_to_note() -> None:
    log = json.loads(render_sarif(Report(), SarifOptions(rules=list(ALL_RULES))))
    rules = {r["id"]: r for r in _run(log)["tool"]["driver"]["rules"]}
    assert rules["SYN001"]["properties"]["precision"] == "very-high"
    levels = {"error", "warning", "note"}
    assert all(r["defaultConfiguration"]["level"] in levels for r in rules.values())
    for rule in ALL_RULES:
        assert len(rules[rule.code]["fullDescription"]["text"]) <= MAX_DESCRIPTION
        assert len(rules[rule.code]["properties"]["tags"]) <= 20


def test_rule_of_a_finding_is_listed_even_if_not_passed(tmp_path: Path) -> None:
    report, _ = _lint(tmp_path, {"job.yaml": JOB}, select="ACC002")
    log = json.loads(render_sarif(report, SarifOptions(rules=[], root=tmp_path)))
    assert [r["id"] for r in _run(log)["tool"]["driver"]["rules"]] == ["ACC002"]


# --- results -----------------------------------------------------------------------------------


def test_rule_index_points_at_the_rule_with_the_same_id(tmp_path: Path) -> None:
    log = _sarif(tmp_path, {"job.yaml": JOB, "broken.yaml": "a: [\n"}, select="SYN001,ACC002")
    run = _run(log)
    rules = run["tool"]["driver"]["rules"]
    assert {r["ruleId"] for r in run["results"]} == {"ACC002", "SYN001"}
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]


def test_levels_follow_finding_severity(tmp_path: Path) -> None:
    log = _sarif(tmp_path, {"job.yaml": JOB}, select="ACC002")
    assert {r["level"] for r in _run(log)["results"]} == {"error"}
    finding = _manual_finding(Severity.INFO)
    log = json.loads(render_sarif(Report(findings=[finding]), SarifOptions(root=Path.cwd())))
    assert _run(log)["results"][0]["level"] == "note"


def test_region_is_full_and_exact(tmp_path: Path) -> None:
    log = _sarif(tmp_path, {"job.yaml": JOB}, select="ACC002")
    first, second = _run(log)["results"]
    assert len(first["locations"]) == 1
    region = first["locations"][0]["physicalLocation"]["region"]
    assert region["startLine"] == 14
    assert region["startColumn"] == 15
    assert region["endLine"] == 14
    assert region["endColumn"] == 29
    assert region["snippet"] == {"text": "nvidia.com/gpu"}
    region = second["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"], region["endColumn"]) == (19, 31, 34)
    assert region["snippet"] == {"text": "0.5"}


def test_uri_is_relative_to_root_with_srcroot(tmp_path: Path) -> None:
    log = _sarif(tmp_path, {"deploy/ml/job.yaml": JOB}, select="ACC002")
    run = _run(log)
    artifact = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert artifact == {"uri": "deploy/ml/job.yaml", "uriBaseId": "%SRCROOT%"}
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tmp_path.as_uri() + "/"


def test_artifact_uri_cases(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # relative paths are as typed: relative to the cwd
    inside = tmp_path / "a b" / "job.yaml"
    inside.parent.mkdir()
    inside.write_text(JOB, encoding="utf-8")
    assert artifact_uri(str(inside), tmp_path) == "a%20b/job.yaml"
    assert artifact_uri("./a b/job.yaml", tmp_path) == "a%20b/job.yaml"
    outside = tmp_path.parent / "elsewhere.yaml"
    assert artifact_uri(str(outside), tmp_path) == outside.as_uri()
    assert artifact_uri("../elsewhere.yaml", tmp_path) == outside.as_uri()
    link = tmp_path / "link.yaml"
    link.symlink_to(inside)
    assert artifact_uri(str(link), tmp_path) == "a%20b/job.yaml"


def test_uri_outside_root_is_absolute_without_base(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    report, settings = _lint(tmp_path, {"job.yaml": JOB}, select="ACC002")
    log = json.loads(render_sarif(report, SarifOptions(rules=enabled_rules(settings), root=root)))
    _validate(log)
    artifact = _run(log)["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert artifact == {"uri": (tmp_path / "job.yaml").as_uri()}


def test_logical_location_names_the_object(tmp_path: Path) -> None:
    log = _sarif(tmp_path, {"job.yaml": JOB}, select="ACC002")
    location = _run(log)["results"][0]["locations"][0]
    assert location["logicalLocations"] == [
        {"fullyQualifiedName": "batch/v1/Job/ml/train", "kind": "resource", "name": "train"}
    ]


def test_result_properties_name_the_yaml_path_and_fix(tmp_path: Path) -> None:
    log = _sarif(tmp_path, {"job.yaml": JOB}, select="ACC002")
    first, second = _run(log)["results"]
    assert first["properties"] == {
        "aiconf/path": 'spec.template.spec.containers[0].resources.requests["nvidia.com/gpu"]',
        "aiconf/fix": "safe",
    }
    assert "aiconf/fix" not in second["properties"]


def _manual_finding(severity: Severity = Severity.WARNING, line: int = 3) -> Finding:
    obj = ObjectRef("autoscaling/v2", "HorizontalPodAutoscaler", "web", "ml")
    target = ObjectRef("apps/v1", "Deployment", "web", "ml")
    related = (
        Location("hpa.yaml", 0, ("spec", "scaleTargetRef"), Span(9, 3, 9, 17), None, obj, ""),
        Location("deploy.yaml", 0, ("spec",), Span(6, 1, 6, 6), None, target, "the target"),
    )
    loc = Location("hpa.yaml", 0, ("spec", "metrics"), Span(line, 3, line, 10), None, obj)
    return Finding("ACC002", "invalid-accelerator-quantity", severity, "Bad", loc, (), related)


def test_related_locations_are_listed_with_ids_and_notes() -> None:
    log = json.loads(render_sarif(Report(findings=[_manual_finding()]), SarifOptions()))
    (result,) = _run(log)["results"]
    # GitHub only shows related locations that the message links to.
    assert result["message"]["text"] == (
        "Bad (see [HorizontalPodAutoscaler ml/web](1), [the target](2))"
    )
    related = result["relatedLocations"]
    assert [r["id"] for r in related] == [1, 2]
    assert related[0]["message"]["text"] == "HorizontalPodAutoscaler ml/web"
    assert related[1]["message"]["text"] == "the target"
    assert related[1]["physicalLocation"]["artifactLocation"]["uri"] == "deploy.yaml"
    assert related[1]["physicalLocation"]["region"] == {
        "startLine": 6,
        "startColumn": 1,
        "endLine": 6,
        "endColumn": 6,
    }
    _validate(log)


def test_link_text_escapes_brackets() -> None:
    finding = _manual_finding()
    note = replace(finding.related[1], note=r"list[0] \ x")
    finding = replace(finding, related=(note,))
    log = json.loads(render_sarif(Report(findings=[finding]), SarifOptions()))
    assert _run(log)["results"][0]["message"]["text"] == r"Bad (see [list\[0\] \\ x](1))"


def test_helm_origin_goes_into_message_properties_and_a_related_location(tmp_path: Path) -> None:
    # The chart's directory name differs from its name, as kube-linter#212 reports.
    chart = tmp_path / "charts" / "trainer-chart"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("name: trainer\n", encoding="utf-8")
    (chart / "templates" / "job.yaml").write_text("# template\n", encoding="utf-8")
    rendered = "---\n# Source: trainer/templates/job.yaml\n" + JOB
    report, settings = _lint(chart, {"rendered.yaml": rendered}, select="ACC002")
    log = json.loads(
        render_sarif(report, SarifOptions(rules=enabled_rules(settings), root=tmp_path))
    )
    result = _run(log)["results"][0]
    assert result["message"]["text"].endswith(
        "without a limit (rendered from [trainer/templates/job.yaml](1))"
    )
    assert result["properties"]["aiconf/origin"] == "trainer/templates/job.yaml"
    (template,) = result["relatedLocations"]
    assert template["id"] == 1
    assert template["physicalLocation"]["artifactLocation"] == {
        "uri": "charts/trainer-chart/templates/job.yaml",
        "uriBaseId": "%SRCROOT%",
    }
    physical = result["locations"][0]["physicalLocation"]["artifactLocation"]
    assert physical["uri"] == "charts/trainer-chart/rendered.yaml"
    _validate(log)


def test_unresolvable_origin_is_named_without_a_link(tmp_path: Path) -> None:
    rendered = "---\n# Source: gone/templates/job.yaml\n" + JOB
    log = _sarif(tmp_path, {"rendered.yaml": rendered}, select="ACC002")
    result = _run(log)["results"][0]
    assert result["message"]["text"].endswith(" (rendered from gone/templates/job.yaml)")
    assert "relatedLocations" not in result
    assert result["properties"]["aiconf/origin"] == "gone/templates/job.yaml"


def test_suppressed_findings_are_omitted_not_marked(tmp_path: Path) -> None:
    suppressed = JOB.replace(
        "  namespace: ml\n", "  namespace: ml\n  annotations:\n    aiconf-lint.io/ignore: ACC002\n"
    )
    log = _sarif(tmp_path, {"job.yaml": suppressed}, select="ACC002")
    assert _run(log)["results"] == []
    assert "suppressions" not in json.dumps(log)


def test_input_errors_become_tool_notifications(tmp_path: Path) -> None:
    settings = with_overrides(Settings(), select=("ACC002",))
    report = lint_paths([str(tmp_path / "missing.yaml")], settings)
    assert report.errors
    log = json.loads(render_sarif(report, SarifOptions(root=tmp_path)))
    _validate(log)
    (invocation,) = _run(log)["invocations"]
    assert invocation["executionSuccessful"] is False
    (note,) = invocation["toolExecutionNotifications"]
    assert note["level"] == "error"
    assert note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "missing.yaml"


# --- fingerprints ------------------------------------------------------------------------------


def _prints(log: dict[str, Any]) -> list[str]:
    return [r["partialFingerprints"][FINGERPRINT_KEY] for r in _run(log)["results"]]


def test_fingerprints_survive_a_blank_line_inserted_above(tmp_path: Path) -> None:
    files = {"job.yaml": JOB, "broken.yaml": "a: 1\nb: [\n"}
    before = _sarif(tmp_path, files)
    moved = {"job.yaml": "\n# a comment\n" + JOB, "broken.yaml": "\n" + files["broken.yaml"]}
    after = _sarif(tmp_path, moved)
    lines = [
        r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in _run(after)["results"]
    ]
    old_lines = [
        r["locations"][0]["physicalLocation"]["region"]["startLine"]
        for r in _run(before)["results"]
    ]
    assert lines != old_lines  # the findings did move
    assert _prints(before) == _prints(after)
    assert "primaryLocationLineHash" not in json.dumps(after)  # left to upload-sarif


def test_fingerprints_differ_per_finding_and_per_file(tmp_path: Path) -> None:
    log = _sarif(tmp_path, {"a.yaml": JOB, "b.yaml": JOB}, select="ACC002")
    prints = _prints(log)
    assert len(prints) == 4
    assert len(set(prints)) == 4


def test_fingerprint_survives_an_api_version_bump(tmp_path: Path) -> None:
    before = _prints(_sarif(tmp_path, {"job.yaml": JOB}, select="ACC002"))
    bumped = JOB.replace("batch/v1", "batch/v2")
    after = _prints(_sarif(tmp_path, {"job.yaml": bumped}, select="ACC002"))
    assert before == after


def test_fingerprints_follow_containers_by_name_not_index(tmp_path: Path) -> None:
    before = _prints(_sarif(tmp_path, {"job.yaml": JOB}, select="ACC002"))
    sidecar = "        - name: proxy\n          image: proxy:1\n"
    moved = JOB.replace("      containers:\n", "      containers:\n" + sidecar)
    after_log = _sarif(tmp_path, {"job.yaml": moved}, select="ACC002")
    paths = [r["properties"]["aiconf/path"] for r in _run(after_log)["results"]]
    assert paths[0].startswith("spec.template.spec.containers[1]")  # the index did move
    assert _prints(after_log) == before


def test_identity_path_names_list_items() -> None:
    (node,) = documents(JOB)
    path = ("spec", "template", "spec", "containers", 1, "resources", "limits", "nvidia.com/gpu")
    assert identity_path(node, path) == (
        'spec.template.spec.containers[name="helper"].resources.limits["nvidia.com/gpu"]'
    )
    assert identity_path(None, path) == yaml_path_text(path)
    assert identity_path(node, ("spec", "missing", 3)) == "spec.missing[3]"


def test_identical_identities_are_numbered_in_file_order() -> None:
    findings = [_manual_finding(line=3), _manual_finding(line=30)]
    log = json.loads(render_sarif(Report(findings=findings), SarifOptions()))
    first, second = _prints(log)
    assert first.endswith(":1")
    assert second.endswith(":2")
    assert first.split(":")[0] == second.split(":")[0]


# --- caps --------------------------------------------------------------------------------------


def test_result_cap_keeps_the_most_severe_and_warns() -> None:
    findings = [
        _manual_finding(Severity.INFO, line=1),
        _manual_finding(Severity.ERROR, line=2),
        _manual_finding(Severity.WARNING, line=3),
    ]
    warnings: list[str] = []
    options = SarifOptions(max_results=2, warn=warnings.append)
    log = json.loads(render_sarif(Report(findings=findings), options))
    results = _run(log)["results"]
    assert [r["level"] for r in results] == ["error", "warning"]  # still in file order
    assert len(warnings) == 1
    assert "2 most severe of 3" in warnings[0]


def test_gzip_cap_drops_results_until_the_upload_fits() -> None:
    findings = [_manual_finding(line=n) for n in range(1, 400)]
    rules = [RULES_BY_CODE["ACC002"]]
    unlimited = render_sarif(Report(findings=findings), SarifOptions(rules=rules))
    limit = len(gzip.compress(unlimited.encode())) // 2
    warnings: list[str] = []
    options = SarifOptions(rules=rules, max_gzip_bytes=limit, warn=warnings.append)
    text = render_sarif(Report(findings=findings), options)
    assert len(gzip.compress(text.encode())) <= limit
    kept = len(_run(json.loads(text))["results"])
    assert 0 < kept < len(findings)
    assert warnings
    assert f"keeps {kept} of {len(findings)}" in warnings[0]


def test_cap_warnings_go_to_stderr_by_default(capsys: pytest.CaptureFixture[str]) -> None:
    findings = [_manual_finding(line=1), _manual_finding(line=2)]
    text = render_sarif(Report(findings=findings), SarifOptions(max_results=1))
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("warning: SARIF output keeps the 1 most severe of 2 findings")
    assert len(_run(json.loads(text))["results"]) == 1


def test_no_warning_under_the_caps(tmp_path: Path) -> None:
    warnings: list[str] = []
    _sarif(tmp_path, {"job.yaml": JOB}, warn=warnings.append)
    assert warnings == []


# --- category and CLI --------------------------------------------------------------------------


def test_category_becomes_automation_details_id(tmp_path: Path) -> None:
    log = _sarif(tmp_path, {"job.yaml": JOB}, category="charts/llm")
    assert _run(log)["automationDetails"] == {"id": "charts/llm/"}
    assert "automationDetails" not in _run(_sarif(tmp_path, {"job.yaml": JOB}))
    assert category_id("aiconf-lint/") == "aiconf-lint/"
    assert "automationDetails" not in _run(_sarif(tmp_path, {"job.yaml": JOB}, category=" "))


def test_cli_sarif_with_category_and_exit_zero(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "job.yaml").write_text(JOB, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    args = ["check", "job.yaml", "--select", "ACC002", "--output-format", "sarif"]
    code = main([*args, "--sarif-category", "charts/trainer", "--exit-zero"])
    log = json.loads(capsys.readouterr().out)
    assert code == 0
    run = _run(log)
    assert run["automationDetails"] == {"id": "charts/trainer/"}
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == ["ACC002"]
    assert run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == (
        "job.yaml"
    )
    assert main(args) == 1


def test_cli_absolute_path_below_cwd_is_made_relative(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "job.yaml").write_text(JOB, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    main(["check", str(tmp_path / "sub" / "job.yaml"), "--output-format", "sarif"])
    log = json.loads(capsys.readouterr().out)
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in _run(log)["results"]
    }
    assert uris == {"sub/job.yaml"}


def test_category_with_another_format_warns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "job.yaml").write_text(JOB, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    main(["check", "job.yaml", "--output-format", "concise", "--sarif-category", "x"])
    assert "--sarif-category applies to --output-format sarif only" in capsys.readouterr().err


def test_check_without_sarif_does_not_import_sarif_om(tmp_path: Path) -> None:
    (tmp_path / "job.yaml").write_text(JOB, encoding="utf-8")
    code = (
        "import sys\n"
        "from aiconf_lint.cli import main\n"
        f"main(['check', {str(tmp_path / 'job.yaml')!r}, '--output-format', 'concise'])\n"
        "assert 'sarif_om' not in sys.modules, 'sarif_om imported'\n"
        "assert 'aiconf_lint.output.sarif' not in sys.modules\n"
    )
    root = Path(__file__).parents[1]
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr


# --- the sarif-om serialiser -------------------------------------------------------------------


def test_serializer_drops_generator_defaults_but_keeps_levels() -> None:
    import sarif_om as om  # type: ignore[import-untyped]

    result = om.Result(message=om.Message(text="m"), level="warning")
    assert to_sarif_json(result) == {"message": {"text": "m"}, "level": "warning"}
    region = om.Region(start_line=1)
    assert to_sarif_json(region) == {"startLine": 1}  # no byteOffset/charOffset -1
    location = om.Location(id=0)
    assert to_sarif_json(location) == {"id": 0}


def test_serializer_refuses_the_pre_final_suppression_state() -> None:
    import sarif_om as om

    with pytest.raises(ValueError, match=r"Suppression\.state"):
        to_sarif_json(om.Suppression(kind="inSource", state="accepted"))
    assert to_sarif_json(om.Suppression(kind="inSource")) == {"kind": "inSource"}


def test_property_bag_keeps_keys_that_are_not_identifiers() -> None:
    import sarif_om as om

    bag = om.PropertyBag(tags=["a"])
    setattr(bag, "problem.severity", "warning")
    assert to_sarif_json(bag) == {"tags": ["a"], "problem.severity": "warning"}


# --- real inputs -------------------------------------------------------------------------------


@pytest.mark.parametrize("folder", [EXAMPLES, CORPUS], ids=["examples", "corpus"])
def test_real_inputs_give_valid_sarif(folder: Path) -> None:
    if not folder.is_dir():
        pytest.skip(f"{folder} is absent")
    report = lint_paths([str(folder)], Settings())
    log = json.loads(render_sarif(report, SarifOptions(rules=list(ALL_RULES), root=folder)))
    _validate(log)
    run = _run(log)
    for result in run["results"]:
        physical = result["locations"][0]["physicalLocation"]
        assert not physical["artifactLocation"]["uri"].startswith(("file:", "/"))
        assert (folder / physical["artifactLocation"]["uri"]).is_file()
        region = physical["region"]
        assert region["startLine"] >= 1
        assert region["startColumn"] >= 1
        assert region["endLine"] >= region["startLine"]
        assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
