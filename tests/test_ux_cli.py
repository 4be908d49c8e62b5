"""CLI conventions a new user expects: say when nothing was checked, no option accepted and then
ignored, the usual short options, colour, and readable summaries."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from aiconf_lint.model import Applicability, Edit, Finding, Fix, Location, Report, Severity, Span
from aiconf_lint.output.text import render_full
from tests.conftest import GPU_JOB, Runner

CONCISE = ("--output-format", "concise")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    (tmp_path / "k8s").mkdir()
    (tmp_path / "k8s" / "train.yaml").write_text(GPU_JOB)
    (tmp_path / "pyproject.toml").write_text('[tool.aiconf-lint]\nselect = ["SYN", "ACC002"]\n')
    return tmp_path


# item 5: nothing checked is never "All checks passed"
def test_empty_stdin_is_exit_2(run: Runner, project: Path) -> None:
    result = run("check", "-", stdin=b"")
    assert result.code == 2
    assert "stdin is empty" in result.out + result.err
    assert "All checks passed" not in result.out


def test_folder_without_yaml_says_so(run: Runner, project: Path) -> None:
    (project / "empty").mkdir()
    result = run("check", "empty")
    assert result.code == 0
    assert "All checks passed" not in result.out
    assert "Nothing checked" in result.out
    assert "no YAML or JSON manifests found" in result.err


def test_ignore_all_says_no_rules_ran(run: Runner, project: Path) -> None:
    result = run("check", "k8s", "--ignore", "ALL")
    assert "All checks passed" not in result.out
    assert "no rules are enabled" in result.err


def test_stdin_filename_without_dash(run: Runner, project: Path) -> None:
    warned = run("check", "k8s", "--stdin-filename", "x.yaml", *CONCISE)
    assert "`-` is not among the paths" in warned.err
    alone = run("check", "--stdin-filename", "k8s/x.yaml", *CONCISE, stdin=GPU_JOB.encode())
    assert alone.out.startswith("k8s/x.yaml:12:15: ACC002")


# item 7: summary wording, JSON statistics
def _finding(applicability: Applicability) -> Finding:
    fix = Fix("f", (Edit("set", ("a",), value=1),), applicability)
    where = Location("f.yaml", 0, (), Span(1, 1, 1, 2))
    return Finding("ACC002", "n", Severity.WARNING, "m", where, fix=fix)


def test_summary_separates_safe_and_unsafe_fixes() -> None:
    report = Report(
        findings=[_finding(Applicability.SAFE)] * 3 + [_finding(Applicability.UNSAFE)] * 7
    )
    assert render_full(report).endswith(
        "Found 10 findings (3 fixable with `aiconf-lint fix`; 7 more with `--unsafe-fixes`).\n"
    )


# item 8: -q hides the summary
def test_quiet_hides_the_summary(run: Runner, project: Path) -> None:
    result = run("check", "k8s", "-q")
    assert "Found 1 finding" not in result.out
    assert "ACC002" in result.out


# item 10: rules under a profile, header, legend
def test_rules_has_profile_header_and_legend(run: Runner, project: Path) -> None:
    newest = run("rules").out
    oldest = run("rules", "--profile", "1.34").out
    assert newest.splitlines()[2].split()[:4] == ["CODE", "FIX", "NAME", "LEVEL"]
    assert "[*] always fixable" in newest
    acc001 = [line for line in newest.splitlines() if line.startswith("ACC001")]
    acc001_old = [line for line in oldest.splitlines() if line.startswith("ACC001")]
    # The level `check` uses under that profile, not the catalog's fixed level.
    assert " info " in acc001[0]
    assert " warning " in acc001_old[0]


# item 16: options accepted and then ignored
def test_statistics_with_sarif_is_an_error(run: Runner, project: Path) -> None:
    assert run("check", "k8s", "--statistics", "--output-format", "sarif").code == 2


def test_doc_commands_reject_unknown_formats(run: Runner, project: Path) -> None:
    for command in (["rules"], ["rule", "ACC002"], ["profiles"]):
        assert run(*command, "--output-format", "yaml").code == 2
    assert run("check", "k8s", "--output-format", "text").out == run("check", "k8s").out


# item 17: conventions
def test_version_short_and_long(run: Runner, project: Path) -> None:
    for flag in ("--version", "-V"):
        result = run(flag)
        assert result.code == 0
        assert result.out.startswith("aiconf-lint ")


def test_output_file_and_short_format(run: Runner, project: Path) -> None:
    result = run("check", "k8s", "-F", "json", "-o", "report.json")
    assert result.out == ""
    assert json.loads((project / "report.json").read_text())["findings"][0]["code"] == "ACC002"


def test_colour_follows_force_color_and_no_color(
    run: Runner, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert "\x1b[" in run("check", "k8s").out
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in run("check", "k8s").out
    monkeypatch.delenv("NO_COLOR")
    assert "\x1b[" not in run("check", "k8s", "-F", "json").out


def test_rule_all_and_statistics_total(run: Runner, project: Path) -> None:
    every = run("rule", "--all").out
    assert "(ACC002)" in every
    assert "(SYN001)" in every
    assert run("check", "k8s", "--statistics").out.splitlines()[-1] == "1\ttotal"


def test_profile_spellings(run: Runner, project: Path) -> None:
    for spelling in ("1.34", "v1.34", "1.34.0", "v1.34.0"):
        assert run("check", "k8s", "--profile", spelling).code == 1


# item 18: --ignore and --extend-ignore add to the config
def test_ignore_adds_to_config(run: Runner, project: Path) -> None:
    (project / "pyproject.toml").write_text(
        '[tool.aiconf-lint]\nselect = ["SYN", "ACC"]\nignore = ["ACC002"]\n'
    )
    (project / "k8s" / "broken.yaml").write_text("a: [\n")
    assert "ACC002" not in run("check", "k8s", "--ignore", "SYN", *CONCISE).out
    assert run("check", "k8s", "--ignore", "SYN", *CONCISE).out.count("SYN001") == 0
    assert "ACC002" not in run("check", "k8s", "--extend-ignore", "SYN", *CONCISE).out


# item 19: pipes, UTF-16, *.YAML and Kubernetes JSON
@pytest.mark.skipif(not Path("/dev/fd").is_dir(), reason="no /dev/fd here")
def test_pipe_given_as_a_path_is_read(run: Runner, project: Path) -> None:
    # What `check <(helm template ...)` passes: /dev/fd/N, a pipe.
    read_end, write_end = os.pipe()
    os.write(write_end, GPU_JOB.encode())
    os.close(write_end)
    try:
        result = run("check", f"/dev/fd/{read_end}", *CONCISE)
    finally:
        os.close(read_end)
    assert "ACC002" in result.out


def test_utf16_is_named(run: Runner, project: Path) -> None:
    (project / "k8s" / "win.yaml").write_bytes(GPU_JOB.encode("utf-16"))
    assert "UTF-16 text: save the file as UTF-8" in run("check", "k8s", *CONCISE).out


def test_walk_takes_upper_case_yaml_and_kubernetes_json(run: Runner, project: Path) -> None:
    (project / "k8s" / "train.yaml").rename(project / "k8s" / "TRAIN.YAML")
    job = {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": {"name": "j"},
        "spec": {
            "template": {
                "spec": {
                    "containers": [
                        {
                            "name": "c",
                            "image": "x",
                            "resources": {"requests": {"nvidia.com/gpu": 1}},
                        }
                    ]
                }
            }
        },
    }
    (project / "k8s" / "job.json").write_text(json.dumps(job))
    (project / "k8s" / "package.json").write_text('{"name": "x", "version": "1.0.0"}')
    (project / "k8s" / "broken.json").write_text("{not json")
    result = run("check", "k8s", *CONCISE)
    assert {line.split(":")[0] for line in result.out.splitlines()} == {
        "k8s/TRAIN.YAML",
        "k8s/job.json",
    }


# item 22: plural forms, long lines
def test_plurals_and_long_lines(run: Runner, project: Path) -> None:
    (project / "k8s" / "train.yaml").write_text(
        GPU_JOB.replace("pytorch:2.4.0", "pytorch:2.4.0\n          args: [" + "x, " * 300 + "]")
    )
    (project / "k8s" / "cm.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n"
    )
    assert run("check", "k8s/cm.yaml").out == "All checks passed (1 file, 1 object).\n"
    long_line = "z" * 2000
    (project / "k8s" / "long.yaml").write_text(f"a: {long_line}\nb: [\n")
    out = run("check", "k8s/long.yaml").out
    assert max(len(line) for line in out.splitlines()) < 200


# item 13: the pre-commit snippet names a rev that exists
def test_precommit_snippets_do_not_name_an_untagged_release() -> None:
    import re

    repo = Path(__file__).parents[1]
    for doc in (repo / "README.md", repo / "docs" / "code-scanning.md"):
        text = doc.read_text(encoding="utf-8")
        revs = re.findall(r"^\s*rev:\s*(\S+)", text, re.MULTILINE)
        assert revs, doc
        for rev in revs:
            assert re.fullmatch(r"[0-9a-f]{40}", rev), f"{doc.name}: rev {rev} is no commit SHA"
        assert "--bleeding-edge" in text
