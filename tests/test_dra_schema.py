"""The DRA fixtures against the Kubernetes 1.34 OpenAPI schemas (kubernetes-validate, strict).

What the DRA rules accept must be schema-valid, what DRA001 calls removed must not exist in
1.34, and what DRA001's fix writes must validate as `resource.k8s.io/v1`. Limits, counts,
qualified names, CEL and cross-references are enforced by the API server's Go validation,
not by the OpenAPI schema: the schema cannot tell those, so they are not asserted here.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml

from aiconf_lint.engine import lint
from aiconf_lint.input.load import load_text
from aiconf_lint.model import Edit, Finding, Report
from aiconf_lint.runner import enabled_rules
from aiconf_lint.settings import Settings, with_overrides

kv = pytest.importorskip("kubernetes_validate", reason="kubernetes-validate (test extra) missing")

K8S = "1.34.0"
ROOT = Path(__file__).parent.parent
FIXTURES = Path(__file__).parent / "rules" / "fixtures"
GOOD = [
    FIXTURES / "DRA001" / "current_versions.yaml",
    FIXTURES / "DRA002" / "good_references.yaml",
    FIXTURES / "DRA003" / "used_claims.yaml",
    FIXTURES / "DRA004" / "template_present.yaml",
    FIXTURES / "DRA005" / "good_selectors.yaml",
    FIXTURES / "DRA006" / "qualified.yaml",
    FIXTURES / "DRA007" / "within_limits.yaml",
    FIXTURES / "DRA008" / "not_mixed.yaml",
    ROOT / "examples" / "good" / "dra-claims.yaml",
]
CORE_GROUPS = ("v1", "apps/", "batch/", "resource.k8s.io/", "scheduling.k8s.io/")


def lint_text(text: str, *codes: str, path: str = "test.yaml") -> Report:
    settings = with_overrides(Settings(), select=codes)
    return lint([load_text(path, text)], settings, enabled_rules(settings))


def _parent(root: Any, path: tuple[str | int, ...]) -> Any:
    node = root
    for step in path:
        node = node[step]
    return node


def apply_edits(document: Mapping[str, Any], edits: tuple[Edit, ...]) -> dict[str, Any]:
    """The plain-data result of a fix: enough to validate what the fix engine will write."""
    data: dict[str, Any] = copy.deepcopy(dict(document))
    for edit in edits:
        if edit.op == "set":
            _parent(data, edit.path[:-1])[edit.path[-1]] = copy.deepcopy(edit.value)
        elif edit.op == "remove":
            del _parent(data, edit.path[:-1])[edit.path[-1]]
        elif edit.op in ("add", "merge"):
            target = _parent(data, edit.path)
            assert edit.key is not None
            assert edit.op == "merge" or edit.key not in target, f"add over existing {edit.key}"
            target[edit.key] = copy.deepcopy(edit.value)
        elif edit.op == "append":
            _parent(data, edit.path).append(copy.deepcopy(edit.value))
        else:
            raise AssertionError(f"unexpected op {edit.op} in a DRA fix")
    return data


def _has_schema() -> None:
    try:
        kv.validate(
            {
                "apiVersion": "resource.k8s.io/v1",
                "kind": "DeviceClass",
                "metadata": {"name": "x"},
                "spec": {},
            },
            K8S,
            strict=True,
        )
    except (kv.SchemaNotFoundError, kv.VersionNotSupportedError):
        pytest.skip(f"kubernetes-validate lacks the {K8S} resource.k8s.io/v1 schemas")


def _documents(path: Path) -> list[dict[str, Any]]:
    return [doc for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")) if doc]


def _by_ref(path: Path) -> dict[tuple[str, str], dict[str, Any]]:
    return {(d["kind"], d["metadata"]["name"]): d for d in _documents(path)}


def _key(finding: Finding) -> tuple[str, str]:
    assert finding.location.obj is not None
    return finding.location.obj.kind, finding.location.obj.name


def _unresolved(value: object) -> bool:
    if isinstance(value, str):
        return "${" in value or "{{" in value
    if isinstance(value, dict):
        return any(_unresolved(v) for v in value.values())
    if isinstance(value, list):
        return any(_unresolved(v) for v in value)
    return False


def _resolved(value: Any) -> Any:
    """Without the values a templating step would fill: keys dropped, list items dropped."""
    if isinstance(value, dict):
        return {
            k: _resolved(v) for k, v in value.items() if not (isinstance(v, str) and _unresolved(v))
        }
    if isinstance(value, list):
        return [_resolved(v) for v in value if not _unresolved(v)]
    return value


def _error(doc: dict[str, Any]) -> str | None:
    try:
        kv.validate(doc, K8S, strict=True)
    except kv.ValidationError as exc:
        return f"{exc.message} at {list(exc.path)}"
    return None


@pytest.mark.parametrize("path", GOOD, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_accepted_dra_manifests_are_schema_valid(path: Path) -> None:
    _has_schema()
    checked = 0
    for doc in _documents(path):
        if not str(doc["apiVersion"]).startswith(CORE_GROUPS):
            continue  # CRDs (ComputeDomain, RayCluster)
        resolved = _resolved(doc)
        assert _error(resolved) is None, (doc["kind"], _error(resolved))
        checked += 1
    assert checked


def test_removed_versions_do_not_exist_in_1_34() -> None:
    _has_schema()
    text = (FIXTURES / "DRA001" / "old_versions.yaml").read_text(encoding="utf-8")
    report = lint_text(text, "DRA001")
    docs = _by_ref(FIXTURES / "DRA001" / "old_versions.yaml")
    removed = {_key(f) for f in report.findings if "removed" in f.message}
    assert len(removed) == 2
    for key in removed:
        with pytest.raises(kv.SchemaNotFoundError):
            kv.validate(docs[key], K8S, strict=True)
    # DRA001 leaves DeviceTaintRule v1alpha3 alone: 1.34 still serves it.
    taint_rule = next(
        d
        for d in _documents(FIXTURES / "DRA001" / "current_versions.yaml")
        if d["kind"] == "DeviceTaintRule"
    )
    assert _error(taint_rule) is None


def test_dra001_fixes_produce_valid_v1() -> None:
    _has_schema()
    path = FIXTURES / "DRA001" / "old_versions.yaml"
    docs = _by_ref(path)
    report = lint_text(path.read_text(encoding="utf-8"), "DRA001")
    fixed = 0
    for finding in report.findings:
        if finding.fix is None:
            continue
        doc = docs[_key(finding)]
        result = apply_edits(doc, finding.fix.edits)
        if result["apiVersion"] != "resource.k8s.io/v1" and doc["apiVersion"].endswith("v1beta2"):
            result["apiVersion"] = "resource.k8s.io/v1"
        assert _error(result) is None, (doc["metadata"]["name"], _error(result))
        fixed += 1
    assert fixed >= 4


def test_renaming_a_v1beta1_claim_is_not_enough() -> None:
    """Why DRA001 moves the request fields: `v1` rejects the flat `v1beta1` shape."""
    _has_schema()
    doc = _documents(FIXTURES / "DRA001" / "old_versions.yaml")[0]
    assert doc["apiVersion"] == "resource.k8s.io/v1beta1"
    assert _error(doc) is None  # valid where v1beta1 is enabled
    doc["apiVersion"] = "resource.k8s.io/v1"
    assert _error(doc) is not None
    report = lint_text(yaml.safe_dump(doc), "DRA001")
    assert any("`v1beta1` shape" in f.message for f in report.findings)


def test_bad_example_is_flagged_where_the_schema_rejects_it() -> None:
    _has_schema()
    path = ROOT / "examples" / "bad" / "dra-claims.yaml"
    report = lint_text(path.read_text(encoding="utf-8"), "DRA")
    flagged = {_key(f) for f in report.findings}
    for key, doc in _by_ref(path).items():
        if not str(doc["apiVersion"]).startswith(CORE_GROUPS):
            continue
        try:
            invalid = _error(doc) is not None
        except kv.SchemaNotFoundError:
            invalid = True
        if invalid:
            assert key in flagged, f"{key} is invalid in {K8S} but no DRA rule flags it"


def test_dra001_fix_paths_include_the_list_item() -> None:
    text = """\
apiVersion: v1
kind: List
items:
  - apiVersion: resource.k8s.io/v1beta1
    kind: ResourceClaim
    metadata:
      name: listed
    spec:
      devices:
        requests:
          - name: gpu
            deviceClassName: gpu.nvidia.com
            count: 1
"""
    (finding,) = lint_text(text, "DRA001").findings
    assert finding.location.path == ("items", 0, "apiVersion")
    assert finding.fix is not None
    result = apply_edits(yaml.safe_load(text), finding.fix.edits)
    item = result["items"][0]
    assert item["apiVersion"] == "resource.k8s.io/v1"
    assert item["spec"]["devices"]["requests"][0] == {
        "name": "gpu",
        "exactly": {"deviceClassName": "gpu.nvidia.com", "count": 1},
    }
    _has_schema()
    assert _error(item) is None
