"""Unit tests of the DRA helpers: the CEL parser and checks, per-finding severities."""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aiconf_lint.engine import lint
from aiconf_lint.input.load import load_text
from aiconf_lint.k8s.dra import requests_of, selector_expressions, v1beta1_moves
from aiconf_lint.k8s.objects import K8sObject, objects_of
from aiconf_lint.model import Report, Severity
from aiconf_lint.rules.dra import _cel as cel
from aiconf_lint.rules.dra._cel import CelSyntaxError, parse
from aiconf_lint.rules.dra._cel_checks import result_type, undeclared, unguarded_reads
from aiconf_lint.runner import enabled_rules
from aiconf_lint.settings import Settings, with_overrides


def reference_parse_error(text: str) -> str | bool | None:
    """cel-python's verdict, the second opinion the tests hold the built-in parser to: an
    error message, None when it parses, False when the `cel` extra is not installed."""
    try:
        import celpy  # type: ignore[import-untyped,import-not-found,unused-ignore]
    except ImportError:
        return False
    try:
        celpy.Environment().compile(text)
    except Exception as exc:  # cel-python raises its own hierarchy and lark's
        first = str(exc).strip().splitlines()
        return first[0] if first else type(exc).__name__
    return None


FIXTURES = Path(__file__).parent / "rules" / "fixtures"

VALID = [
    "device.driver == 'gpu.nvidia.com'",
    "device.attributes['gpu.nvidia.com'].profile == \"1g.10gb\"",
    "device.capacity['gpu.nvidia.com'].memory.compareTo(quantity('40Gi')) >= 0",
    "has(device.attributes['d'].x) && device.attributes['d'].x > 3",
    "'x' in device.attributes['d'] ? device.attributes['d'].x : false",
    "cel.bind(a, device.attributes['d'], a.size() > 0)",
    "device.attributes['d'].list.exists(v, v == 1)",
    "!(device.driver in ['a', 'b'])",
    "device.attributes['d'].n == 0x1F && device.attributes['d'].u == 3u",
    "r'\\d+' == 'a' && b'x' == b'x' && '''multi\nline''' != ''",
    'device.attributes["d"]["with-dash"] == 1.5e3  // trailing comment',
    "{'a': 1, 'b': 2}.size() == 2 && [1, 2, 3].size() == 3",
]
OPTIONAL_SYNTAX = [
    # Kubernetes' CEL base environment has optional types; cel-python does not parse them.
    "device.attributes['d'].?x.orValue(1) == 1",
    "device.attributes['d'][?'x'].orValue('') == 'a'",
]
INVALID = [
    "",
    "device.driver ==",
    "(device.driver == 'a'",
    "device.driver == 'a')",
    "device.driver == 'a",
    "device.driver = 'a'",
    "device.driver == 'a' &&& true",
    "device..driver == 'a'",
    "device.driver == 'a' #",
    "device.attributes['d'].x ? true",
]
DIVERGENT = [
    # cel-go (Kubernetes) and cel-spec accept a trailing comma; cel-python rejects it.
    ("[1, 2, 3,].size() == 3", True),
    # cel-go and cel-spec reserve `if`; cel-python takes it as a name.
    ("if == 1", False),
]


@pytest.mark.parametrize("text", VALID)
def test_parses_valid_cel(text: str) -> None:
    parse(text)


@pytest.mark.parametrize("text", OPTIONAL_SYNTAX)
def test_optional_access_parses_and_guards(text: str) -> None:
    tree = parse(text)
    assert result_type(tree) == "bool"
    assert unguarded_reads(tree) == []


@pytest.mark.parametrize("text", INVALID)
def test_rejects_invalid_cel(text: str) -> None:
    with pytest.raises(CelSyntaxError):
        parse(text)


@pytest.mark.parametrize("text", VALID + INVALID)
def test_agrees_with_cel_python(text: str) -> None:
    verdict = reference_parse_error(text)
    if verdict is False:
        pytest.skip("the optional `cel` extra (cel-python) is not installed")
    try:
        parse(text)
        ours = True
    except CelSyntaxError:
        ours = False
    assert ours == (verdict is None), verdict


@pytest.mark.parametrize(("text", "valid"), DIVERGENT)
def test_known_divergence_from_cel_python(text: str, valid: bool) -> None:
    """Where cel-python differs from cel-go, we follow cel-go and never report on cel-python."""
    try:
        parse(text)
        ours = True
    except CelSyntaxError:
        ours = False
    assert ours == valid
    verdict = reference_parse_error(text)
    if verdict is not False:
        assert (verdict is None) != valid


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="device.atrbus[]()'\"!&|=<>?:,{}0123456789 \\xdrv_in", max_size=80))
def test_parser_only_raises_syntax_errors(text: str) -> None:
    try:
        tree = parse(text)
    except CelSyntaxError:
        return
    result_type(tree)
    undeclared(tree)
    unguarded_reads(tree)


def test_deep_nesting_is_an_error_not_a_crash() -> None:
    with pytest.raises(CelSyntaxError, match="deeply"):
        parse("(" * 1000 + "true" + ")" * 1000)
    long_chain = " || ".join(["device.driver == 'a'"] * 2000)
    assert result_type(parse(long_chain)) == "bool"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("device.driver", "a string (`device.driver`)"),
        ("device.attributes['gpu.example.com']", "a map of one domain's attributes or capacities"),
        ("1 + 2", "the result of `+` (a number, string or list)"),
        ("device.attributes['gpu.intel.com'].sriov", None),  # may be a bool attribute
        ("device.allowMultipleAllocations", "bool"),
        ("size(device.attributes['d']) ", "the value of `size()`"),
        ("device.attributes['d'].x.matches('^a')", "bool"),
    ],
)
def test_result_type(text: str, kind: str | None) -> None:
    assert result_type(parse(text)) == kind


def test_guards_and_published_attributes() -> None:
    tree = parse("device.attributes['gpu.nvidia.com'].profile == '1g.10gb'")
    assert [r.name for r in unguarded_reads(tree, "gpu.nvidia.com")] == ["profile"]
    assert unguarded_reads(tree, "mig.nvidia.com") == []
    guarded = parse("'foo' in device.attributes['d'] && device.attributes['d'].foo == 1")
    assert unguarded_reads(guarded) == []
    assert undeclared(parse("cel.bind(x, 1, x == y)")) == ["y"]


def _lint(path: Path, code: str) -> Report:
    settings_ = with_overrides(Settings(), select=(code,))
    source = load_text(path.name, path.read_text(encoding="utf-8"))
    return lint([source], settings_, enabled_rules(settings_))


def test_dra005_findings_do_not_depend_on_cel_python(monkeypatch: pytest.MonkeyPatch) -> None:
    """An installed cel-python (here one that accepts anything) changes no finding."""
    path = FIXTURES / "DRA005" / "bad_selectors.yaml"
    without = [(f.location.span, f.message) for f in _lint(path, "DRA005").findings]
    lenient = types.ModuleType("celpy")

    class Environment:
        def compile(self, text: str) -> object:
            return text

    lenient.Environment = Environment  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "celpy", lenient)
    with_lenient = [(f.location.span, f.message) for f in _lint(path, "DRA005").findings]
    assert with_lenient == without
    assert len(without) == 10
    assert any("does not parse" in message for _, message in without)


def test_dra005_severities() -> None:
    findings = _lint(FIXTURES / "DRA005" / "bad_selectors.yaml", "DRA005").findings
    unguarded = [f for f in findings if "guard" in f.message]
    assert unguarded
    assert {f.severity for f in unguarded} == {Severity.INFO}
    assert {f.severity for f in findings if f not in unguarded} == {Severity.ERROR}


def test_dra001_severities() -> None:
    findings = _lint(FIXTURES / "DRA001" / "old_versions.yaml", "DRA001").findings
    by_level = {f.severity: [] for f in findings}  # type: dict[Severity, list[str]]
    for finding in findings:
        by_level[finding.severity].append(finding.message)
    assert all("removed" in m or "shape" in m for m in by_level[Severity.ERROR])
    assert len(by_level[Severity.WARNING]) == 3
    assert all(f.fix is not None for f in findings if f.severity == Severity.WARNING)
    assert all(f.fix is None for f in findings if "removed" in f.message)


def test_cel_module_has_no_hard_dependency() -> None:
    assert "celpy" not in cel.__dict__


def _object(text: str) -> K8sObject:
    (source,) = [load_text("t.yaml", text)]
    return next(objects_of(source.documents[0]))


def test_requests_of_reads_every_shape() -> None:
    beta = _object(
        "apiVersion: resource.k8s.io/v1beta1\nkind: ResourceClaimTemplate\nmetadata: {name: t}\n"
        "spec:\n  spec:\n    devices:\n      requests:\n"
        "        - {name: flat, deviceClassName: gpu.nvidia.com, count: 2}\n"
        "        - name: alt\n          firstAvailable:\n"
        "            - {name: big, deviceClassName: gpu.nvidia.com}\n"
        "            - {name: small, deviceClassName: mig.nvidia.com}\n"
    )
    flat, alt = requests_of(beta)
    assert flat.exact is not None
    assert flat.exact.path == flat.path
    assert alt.exact is None
    assert [name for name, _ in alt.subrequests] == ["big", "small"]
    assert alt.device_classes() == ["gpu.nvidia.com", "mig.nvidia.com"]
    ga = _object(
        "apiVersion: resource.k8s.io/v1\nkind: ResourceClaim\nmetadata: {name: c}\n"
        "spec:\n  devices:\n    requests:\n"
        "      - name: gpu\n        exactly:\n          deviceClassName: gpu.nvidia.com\n"
        "          selectors: [{cel: {expression: \"device.driver == 'x'\"}}]\n"
    )
    (request,) = requests_of(ga)
    assert request.exact is not None
    assert request.exact.path == ("spec", "devices", "requests", 0, "exactly")
    assert [(p[-4:], c) for p, _, c in selector_expressions(ga)] == [
        (("selectors", 0, "cel", "expression"), "gpu.nvidia.com")
    ]
    assert v1beta1_moves(ga) == []
    (move,) = v1beta1_moves(beta)
    assert move.first_key == ("spec", "spec", "devices", "requests", 0, "deviceClassName")
