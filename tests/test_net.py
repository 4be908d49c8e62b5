"""NET rules beyond the fixtures: the InferencePool migration against the GAIE v1 schema.

The schema in `tests/schemas/inferencepool-v1.schema.json` is the v1 CRD's OpenAPI schema
(its `$comment` names the commit it was read from), so what NET007's fix writes is checked
against what the API server would accept, without the network.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from aiconf_lint.engine import lint
from aiconf_lint.fix.loop import run_fixes
from aiconf_lint.input.load import load_text
from aiconf_lint.runner import enabled_rules
from aiconf_lint.selection import select_rules
from aiconf_lint.settings import Settings, with_overrides

HERE = Path(__file__).parent
SCHEMA = json.loads((HERE / "schemas" / "inferencepool-v1.schema.json").read_text("utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)
PRE_GA = HERE / "rules" / "fixtures" / "NET007" / "pre_ga.yaml"
QUICKSTART = HERE / "fix" / "fixtures" / "net007_pool_migration.yaml"


def _fixed(name: str, text: str, unsafe: bool) -> str:
    settings = with_overrides(Settings(), select=("NET007",))
    run = run_fixes({name: text}, settings, select_rules(["NET007"]), unsafe=unsafe)
    assert not run.errors
    return run.texts[name]


def _pools(text: str) -> list[dict[str, Any]]:
    docs = [d for d in yaml.safe_load_all(text) if isinstance(d, dict)]
    return [d for d in docs if d.get("kind") == "InferencePool"]


def _errors(doc: dict[str, Any]) -> list[str]:
    return [e.message for e in VALIDATOR.iter_errors(doc)]


def test_schema_is_valid_json_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def test_schema_rejects_the_v1alpha2_shape() -> None:
    """The check below can fail: the pre-GA pool is not a valid v1 pool, even relabelled."""
    pool = _pools(QUICKSTART.read_text("utf-8"))[0]
    assert _errors(pool)
    pool["apiVersion"] = "inference.networking.k8s.io/v1"
    assert _errors(pool)


@pytest.mark.parametrize("unsafe", [False, True])
def test_quickstart_pool_migrates_to_a_valid_v1_pool(unsafe: bool) -> None:
    text = QUICKSTART.read_text("utf-8")
    before = _pools(text)[0]
    after = _pools(_fixed("q.yaml", text, unsafe))[0]
    assert _errors(after) == []
    assert after["spec"]["selector"]["matchLabels"] == before["spec"]["selector"]
    assert after["spec"]["targetPorts"] == [{"number": before["spec"]["targetPortNumber"]}]
    assert after["spec"]["endpointPickerRef"]["name"] == before["spec"]["extensionRef"]["name"]
    assert after["metadata"] == before["metadata"]


def test_every_fixable_pre_ga_pool_becomes_valid() -> None:
    text = PRE_GA.read_text("utf-8")
    fixed = _pools(_fixed("p.yaml", text, unsafe=True))
    migrated = [p for p in fixed if p["apiVersion"] == "inference.networking.k8s.io/v1"]
    assert {p["metadata"]["name"] for p in migrated} == {"llama", "qwen"}
    for pool in migrated:
        assert _errors(pool) == [], pool["metadata"]["name"]
    by_name = {p["metadata"]["name"]: p for p in migrated}
    assert by_name["llama"]["spec"]["endpointPickerRef"] == {
        "name": "llama-epp",
        "port": {"number": 9002},
        "failureMode": "FailClose",
    }


def test_unconfirmed_default_port_is_held_back_without_unsafe() -> None:
    text = PRE_GA.read_text("utf-8")
    fixed = {p["metadata"]["name"]: p for p in _pools(_fixed("p.yaml", text, unsafe=False))}
    assert fixed["llama"]["apiVersion"] == "inference.networking.k8s.io/v1"
    assert fixed["qwen"]["apiVersion"] == "inference.networking.x-k8s.io/v1alpha2"
    assert fixed["gemma"]["apiVersion"] == "inference.networking.x-k8s.io/v1alpha2"


def _codes(text: str, *codes: str) -> list[str]:
    settings = with_overrides(Settings(), select=codes)
    report = lint([load_text("t.yaml", text)], settings, enabled_rules(settings))
    return [f.code for f in report.findings]


def test_opr001_leaves_inference_pools_to_net007() -> None:
    text = PRE_GA.read_text("utf-8")
    assert "OPR001" not in _codes(text, "OPR001")
    assert "NET007" in _codes(text, "NET007")


def test_kserve_generated_pool_is_not_missing() -> None:
    route = """
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: r, namespace: llm}
spec:
  rules:
    - backendRefs:
        - {group: inference.networking.k8s.io, kind: InferencePool, name: chat-inference-pool}
---
apiVersion: inference.networking.k8s.io/v1
kind: InferencePool
metadata: {name: chat-inference-pools, namespace: llm}
spec:
  selector: {matchLabels: {app: x}}
  targetPorts: [{number: 8000}]
  endpointPickerRef: {name: e, port: {number: 9002}}
"""
    assert _codes(route, "NET001") == ["NET001"]
    operator = """
---
apiVersion: serving.kserve.io/v1alpha2
kind: LLMInferenceService
metadata: {name: chat, namespace: llm}
spec:
  router: {scheduler: {}, route: {}}
"""
    assert _codes(route + operator, "NET001") == []


def test_profile_sets_the_disaggregation_level() -> None:
    text = (HERE / "rules" / "fixtures" / "NET009" / "decode_only.yaml").read_text("utf-8")
    for profile, level in (("1.36", "warning"), ("1.35", "info")):
        settings = with_overrides(Settings(), select=("NET009",), profile=profile)
        report = lint([load_text("t.yaml", text)], settings, enabled_rules(settings))
        assert [str(f.severity) for f in report.findings] == [level]


MALFORMED = """
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: r}
spec:
  parentRefs: "x"
  rules:
    - backendRefs: [1, "a", {name: 3}, {name: s, port: "abc", weight: "x"}, {name: s, port: [1]}]
    - "rule"
    - backendRefs: {a: b}
---
apiVersion: inference.networking.k8s.io/v1
kind: InferencePool
metadata: {name: p}
spec:
  selector: [1]
  targetPorts: [{number: "x"}, 5, {number: 8000}]
  endpointPickerRef: {name: 5, port: 7}
---
apiVersion: inference.networking.x-k8s.io/v1alpha2
kind: InferencePool
metadata: {name: q}
spec:
  selector: {app: [1, 2]}
  targetPortNumber: 8000
  extensionRef: {name: e, portNumber: 99999}
---
apiVersion: inference.networking.x-k8s.io/v1alpha2
kind: InferencePool
metadata: {name: q2}
spec: "oops"
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: g}
spec: {gatewayClassName: [1]}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: i}
spec: {rules: [{http: {paths: [{backend: {service: {name: 7}}}]}}], defaultBackend: 3}
"""


def test_malformed_objects_get_findings_not_tracebacks() -> None:
    codes = [f"NET{i:03}" for i in range(1, 11)]
    found = _codes(MALFORMED, *codes)
    assert found == ["NET007", "NET007"]  # both pre-GA pools, neither with a fix
    assert _fixed("m.yaml", MALFORMED, unsafe=True) == MALFORMED
