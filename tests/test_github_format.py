"""`--output-format github`: workflow commands that the Actions runner turns into annotations.

The runner parses `::<command> <k>=<v>,<k>=<v>::<message>` and unescapes `%25 %0D %0A %3A %2C`;
`_parse` below does the same, so each test checks what GitHub will read, not just our string.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from aiconf_lint.cli import main
from aiconf_lint.model import Finding, InputProblem, Location, ObjectRef, Report, Severity, Span
from aiconf_lint.output.github import escape_data, escape_property, render_github

_COMMAND_RE = re.compile(r"^::(?P<cmd>[a-z]+) (?P<props>[^:]*)::(?P<data>.*)$")


def _unescape(text: str) -> str:
    # `%25` last, so an escaped percent sign can never form a new escape (`%253A` -> `%3A`).
    for escaped, raw in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(escaped, raw)
    return text


def _parse(line: str) -> tuple[str, dict[str, str], str]:
    match = _COMMAND_RE.match(line)
    assert match, line
    props = {}
    for pair in match["props"].split(","):
        key, _, value = pair.partition("=")
        props[key] = _unescape(value)
    return match["cmd"], props, _unescape(match["data"])


_SPAN = Span(7, 15, 7, 29)


def _finding(
    severity: Severity = Severity.ERROR,
    span: Span = _SPAN,
    file: str = "deploy/job.yaml",
    message: str = "Container `trainer` requests `nvidia.com/gpu: 2` without a limit",
    origin: str | None = None,
) -> Finding:
    obj = ObjectRef("batch/v1", "Job", "train", "ml")
    loc = Location(file, 0, ("spec",), span, origin, obj)
    return Finding("ACC002", "invalid-accelerator-quantity", severity, message, loc)


def _render(*findings: Finding, errors: tuple[InputProblem, ...] = ()) -> list[str]:
    report = Report(findings=list(findings), errors=list(errors))
    return render_github(report).splitlines()


def test_error_command_has_every_position_property_in_order() -> None:
    (line,) = _render(_finding())
    assert line == (
        "::error file=deploy/job.yaml,line=7,col=15,endLine=7,endColumn=29,"
        "title=aiconf-lint (ACC002)::ACC002 Container `trainer` requests "
        "`nvidia.com/gpu: 2` without a limit"
    )


@pytest.mark.parametrize(
    ("severity", "command"),
    [(Severity.ERROR, "error"), (Severity.WARNING, "warning"), (Severity.INFO, "notice")],
)
def test_command_follows_severity(severity: Severity, command: str) -> None:
    (line,) = _render(_finding(severity=severity))
    assert _parse(line)[0] == command


def test_multi_line_span_sends_lines_only() -> None:
    # @actions/core: columns "cannot be sent when startLine and endLine are different values".
    (line,) = _render(_finding(span=Span(3, 5, 9, 2)))
    _, props, _ = _parse(line)
    assert props == {
        "file": "deploy/job.yaml",
        "line": "3",
        "endLine": "9",
        "title": "aiconf-lint (ACC002)",
    }


def test_property_values_escape_separators() -> None:
    (line,) = _render(_finding(file="odd,dir/a:b%c.yaml"))
    assert "file=odd%2Cdir/a%3Ab%25c.yaml," in line
    assert _parse(line)[1]["file"] == "odd,dir/a:b%c.yaml"


def test_message_escapes_newlines_and_percent_but_not_colons() -> None:
    message = "50% of `a: b`, then\r\nmore"
    (line,) = _render(_finding(message=message))
    data = line.split("::", 2)[2]
    assert data == "ACC002 50%25 of `a: b`, then%0D%0Amore"
    assert "\n" not in line
    assert "\r" not in line
    assert _parse(line)[2] == f"ACC002 {message}"


def test_escape_functions_match_actions_core() -> None:
    assert escape_data("%\r\n:,") == "%25%0D%0A:,"
    assert escape_property("%\r\n:,") == "%25%0D%0A%3A%2C"
    # `%` first, or `%0A` in the input would be unescaped to a newline by the runner.
    assert _unescape(escape_data("literal %0A")) == "literal %0A"


def test_origin_is_named_in_the_message() -> None:
    (line,) = _render(_finding(origin="trainer/templates/job.yaml"))
    assert _parse(line)[2].endswith(" [from trainer/templates/job.yaml]")


def test_input_errors_are_error_commands() -> None:
    lines = _render(errors=(InputProblem("missing.yaml", None, "No such file or directory"),))
    assert lines == ["::error file=missing.yaml,title=aiconf-lint::No such file or directory"]
    lines = _render(errors=(InputProblem("big.yaml", 4, "too big"),))
    assert _parse(lines[0])[1] == {"file": "big.yaml", "line": "4", "title": "aiconf-lint"}


def test_no_findings_prints_nothing() -> None:
    assert render_github(Report()) == ""


def test_cli_emits_annotations_for_a_real_finding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    manifest = tmp_path / "job.yaml"
    manifest.write_text(
        "apiVersion: batch/v1\n"
        "kind: Job\n"
        "metadata:\n"
        "  name: train\n"
        "spec:\n"
        "  template:\n"
        "    spec:\n"
        "      containers:\n"
        "        - name: trainer\n"
        "          image: trainer:1\n"
        "          resources:\n"
        "            requests:\n"
        "              nvidia.com/gpu: 2\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    code = main(["check", "job.yaml", "--select", "ACC002", "--output-format", "github"])
    out = capsys.readouterr().out.splitlines()
    assert code == 1
    assert len(out) == 1
    command, props, data = _parse(out[0])
    assert command == "error"
    assert props == {
        "file": "job.yaml",
        "line": "13",
        "col": "15",
        "endLine": "13",
        "endColumn": "29",
        "title": "aiconf-lint (ACC002)",
    }
    assert data.startswith("ACC002 Container `trainer` requests `nvidia.com/gpu: 2`")
