"""Property tests: whatever bytes arrive, the loader and engine only ever report findings."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aiconf_lint.engine import lint
from aiconf_lint.input.load import Limits, load_bytes
from aiconf_lint.runner import enabled_rules
from aiconf_lint.settings import Settings

_YAMLISH = st.text(
    alphabet=st.sampled_from(list("abc:-[]{}&*!|>'\"#%@`,?\n\t 0123456789.")), max_size=200
)
_MANIFEST = """apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
    - name: c
      resources:
        limits:
          nvidia.com/gpu: %s
"""


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.binary(max_size=300))
def test_loader_never_raises_on_bytes(raw: bytes) -> None:
    source = load_bytes("fuzz.yaml", raw, Limits(max_depth=50, max_alias_expansion=1000))
    for problem in source.problems:
        assert problem.code in {"SYN001", "SYN002", "SYN003"}
        assert problem.line >= 1


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(_YAMLISH)
def test_lint_never_raises_on_yamlish_text(text: str) -> None:
    source = load_bytes("fuzz.yaml", text.encode())
    settings_ = Settings()
    lint([source], settings_, enabled_rules(settings_))


@settings(max_examples=200, deadline=None)
@given(_YAMLISH)
def test_rules_accept_any_value_in_a_manifest(value: str) -> None:
    source = load_bytes("fuzz.yaml", (_MANIFEST % value).encode())
    settings_ = Settings()
    report = lint([source], settings_, enabled_rules(settings_))
    for finding in report.findings:
        assert finding.location.span.line >= 1
