"""The readiness report on a platform repository written for these tests.

`fixtures/platform/` is what a platform team keeps in Git (GPU Operator policy, DCGM exporter
and its ServiceMonitor, Kueue queues and a queued Job, a Karpenter GPU NodePool,
prometheus-adapter and an HPA, DRA DeviceClasses and a claim, a Gateway with routes and an
InferencePool, KubeRay, vLLM, prefill/decode serving, a Multus network): every requirement has
evidence. Each requirement is then checked *without* its evidence by deleting the files that
carry it from a copy, and `fixtures/bare/` has none at all.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from aiconf_lint.model import Finding, Location, Severity, Span
from aiconf_lint.profiles import ALL_REQUIREMENT_IDS, PROFILES
from aiconf_lint.report.api import readiness
from aiconf_lint.report.assess import assess
from aiconf_lint.report.collect import collect
from aiconf_lint.report.detectors import DETECTORS
from aiconf_lint.report.model import Readiness, RequirementResult, Status
from aiconf_lint.settings import Settings

FIXTURES = Path(__file__).parent / "fixtures"
PLATFORM = FIXTURES / "platform"
BARE = FIXTURES / "bare"

# Requirement id -> files (relative to the platform fixture) whose removal leaves no evidence,
# and the status expected then (partial where something else still shows part of it).
WITHOUT: dict[str, tuple[tuple[str, ...], Status]] = {
    "dra_support": (("dra",), Status.NONE),
    "driver_runtime_management": (("gpu-operator/cluster-policy.yaml",), Status.NONE),
    "gpu_sharing": (("gpu-operator", "dra/deviceclasses.yaml"), Status.NONE),
    "virtualized_accelerator": (("dra/deviceclasses.yaml",), Status.NONE),
    "ai_inference": (("gateway",), Status.NONE),
    "advanced_inference_ingress": (("gateway/inference-pool.yaml",), Status.NONE),
    "high_performance_networking": (("networking", "kueue/training-job.yaml"), Status.NONE),
    "disaggregated_inference": (("serving/prefill-decode.yaml",), Status.NONE),
    "gang_scheduling": (("kueue/queues.yaml",), Status.PARTIAL),
    "cluster_autoscaling": (("karpenter",), Status.NONE),
    "pod_autoscaling": (("autoscaling/vllm-hpa.yaml",), Status.PARTIAL),
    "accelerator_metrics": (("gpu-operator",), Status.NONE),
    "ai_service_metrics": (("serving",), Status.NONE),
    "secure_accelerator_access": (
        ("serving", "kueue", "kuberay", "dra/batch-inference.yaml"),
        Status.NONE,
    ),
    "robust_controller": (("kuberay",), Status.NONE),
}


def _run(paths: list[str], version: str = "1.36") -> Readiness:
    return readiness(paths, Settings(profile=PROFILES[version]))


def _result(found: Readiness, rid: str) -> RequirementResult:
    (result,) = [r for r in found.results if r.requirement.id == rid]
    return result


def _version_with(rid: str) -> str:
    return next(v for v in reversed(PROFILES) if PROFILES[v].level(rid) is not None)


def test_every_requirement_of_every_profile_has_a_detector() -> None:
    assert set(DETECTORS) == set(ALL_REQUIREMENT_IDS)
    assert set(WITHOUT) == set(ALL_REQUIREMENT_IDS)


def test_platform_shows_every_requirement_of_1_36() -> None:
    found = _run([str(PLATFORM)])
    assert [r.requirement.id for r in found.results] == [
        r.id for r in PROFILES["1.36"].requirements
    ]
    assert {r.requirement.id: r.status for r in found.results} == dict.fromkeys(
        (r.id for r in PROFILES["1.36"].requirements), Status.MET
    )
    assert not found.failing


@pytest.mark.parametrize("rid", sorted(ALL_REQUIREMENT_IDS))
def test_requirement_with_evidence(rid: str) -> None:
    # dra_support is only in 1.33-1.35, where ACC001 (device plugin instead of DRA) is a
    # warning on the device-plugin workloads: its own folder shows it unblocked.
    paths = [str(PLATFORM / "dra")] if rid == "dra_support" else [str(PLATFORM)]
    result = _result(_run(paths, _version_with(rid)), rid)
    assert result.status is Status.MET, result.missing
    assert result.evidence
    assert all(e.line >= 1 for e in result.evidence)
    assert not result.missing


@pytest.mark.parametrize("rid", sorted(ALL_REQUIREMENT_IDS))
def test_requirement_without_evidence(rid: str, tmp_path: Path) -> None:
    copy = tmp_path / "platform"
    shutil.copytree(PLATFORM, copy)
    removed, expected = WITHOUT[rid]
    for name in removed:
        target = copy / name
        shutil.rmtree(target) if target.is_dir() else target.unlink()
    result = _result(_run([str(copy)], _version_with(rid)), rid)
    if rid == "dra_support":  # 1.35: ACC001 warnings on the remaining GPU requests block it
        assert result.status is Status.BLOCKED
        assert {f.code for f in result.blockers} == {"ACC001"}
        assert not result.evidence
        return
    assert result.status is expected
    assert result.missing


@pytest.mark.parametrize("version", list(PROFILES))
def test_bare_repository_has_no_evidence_and_fails(version: str) -> None:
    found = _run([str(BARE)], version)
    assert {r.status for r in found.results} == {Status.NONE}
    assert found.failing
    assert all(r.failing == (r.requirement.level == "MUST") for r in found.results)


def test_device_plugin_requests_block_dra_support_where_it_is_a_must() -> None:
    result = _result(_run([str(PLATFORM)], "1.35"), "dra_support")
    assert result.status is Status.BLOCKED
    assert result.evidence  # the DRA claim and DeviceClasses are still shown
    assert {f.code for f in result.blockers} == {"ACC001"}
    assert result.failing


def test_security_findings_block_secure_accelerator_access() -> None:
    stream = b"""
apiVersion: apps/v1
kind: Deployment
metadata: {name: notebook, namespace: ml}
spec:
  selector: {matchLabels: {app: notebook}}
  template:
    metadata: {labels: {app: notebook}}
    spec:
      containers:
        - name: jupyter
          image: jupyter/base-notebook
          securityContext: {privileged: true}
          resources: {limits: {nvidia.com/gpu: 1}}
"""
    found = readiness(["-"], Settings(), stdin_bytes=stream)
    result = _result(found, "secure_accelerator_access")
    assert result.status is Status.BLOCKED
    assert [f.code for f in result.blockers] == ["SEC002"]
    assert result.evidence  # the request itself is still evidence of mediated access


def test_exporter_without_monitor_is_partial() -> None:
    stream = (PLATFORM / "gpu-operator" / "dcgm-exporter.yaml").read_bytes().split(b"---")[0]
    result = _result(readiness(["-"], Settings(), stdin_bytes=stream), "accelerator_metrics")
    assert result.status is Status.PARTIAL
    assert result.missing == [
        "a ServiceMonitor or PodMonitor that selects the exporter (or its Service)"
    ]


def test_findings_of_any_rule_count_by_their_declared_requirement() -> None:
    """A NET rule (another family) blocks `ai_inference` through `Finding.requirements`."""
    collected = collect([str(PLATFORM)], Settings())
    span = Span(1, 1, 1, 2)
    for severity, blocking in ((Severity.INFO, False), (Severity.WARNING, True)):
        collected.report.findings = [
            Finding(
                "NET001",
                "route-backend-not-found",
                severity,
                "HTTPRoute `llama` sends traffic to Service `gone`, which is not in the bundle",
                Location("gateway.yaml", 0, (), span),
                requirements=("ai_inference",),
            )
        ]
        found = assess(collected, PROFILES["1.36"], [str(PLATFORM)], Severity.WARNING)
        result = _result(found, "ai_inference")
        assert (result.status is Status.BLOCKED) is blocking
        assert len(result.blockers if blocking else result.advice) == 1


def test_profiles_are_the_published_checklists_verbatim() -> None:
    """Versions, categories, ids, levels and descriptions, in order, as in the CNCF YAML.

    The digest was computed over `cncf/k8s-ai-conformance:docs/AIConformance-1.3x.yaml`
    (commit b2c8969) with the same line format; a checklist is frozen once published, so any
    difference is an edit to `profiles.py` that a submitted checklist would be rejected for.
    """
    lines = [
        f"{version}|{r.category}|{r.id}|{r.level}|{r.description}"
        for version, profile in PROFILES.items()
        for r in profile.requirements
    ]
    digest = hashlib.sha256("\n".join(lines).encode()).hexdigest()
    assert digest == "f2370c5354ba877af825431c376eeb859dd67609395fbf2a54bd9601e94347bb"
