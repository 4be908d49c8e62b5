"""Levels, fixes and configuration of the ACC and SEC rules, which golden files cannot show."""

from __future__ import annotations

from typing import Any

import pytest

from aiconf_lint.engine import lint
from aiconf_lint.input.load import load_bytes
from aiconf_lint.model import Finding, Severity
from aiconf_lint.runner import enabled_rules
from aiconf_lint.settings import Settings, with_overrides

GPU_DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: chat, namespace: serving}
spec:
  template:
    spec:
      containers:
        - name: server
          image: vllm/vllm-openai:v0.6.3
          resources:
            limits:
              nvidia.com/gpu: 1
"""


def _run(text: str, select: str, profile: str | None = None, **sections: Any) -> list[Finding]:
    settings = with_overrides(Settings(sections=sections), select=(select,), profile=profile)
    report = lint([load_bytes("t.yaml", text.encode())], settings, enabled_rules(settings))
    return report.findings


@pytest.mark.parametrize(
    ("profile", "level"),
    [
        ("1.33", Severity.INFO),
        ("1.34", Severity.WARNING),
        ("1.35", Severity.WARNING),
        ("1.36", Severity.INFO),
    ],
)
def test_acc001_level_follows_dra_support(profile: str, level: Severity) -> None:
    (finding,) = _run(GPU_DEPLOYMENT, "ACC001", profile)
    assert finding.severity is level


def test_acc001_offers_the_migration() -> None:
    (finding,) = _run(GPU_DEPLOYMENT, "ACC001")
    assert finding.fix is not None
    assert finding.fix.title == (
        "Move `nvidia.com/gpu: 1` to ResourceClaimTemplate `chat-server-gpu` (`gpu.nvidia.com`)"
    )


@pytest.mark.parametrize(
    ("request_line", "words"),
    [
        ("google.com/tpu: 4", "beta APIs that are off by default"),
        ("aws.amazon.com/neuron: 1", "Neuron DRA driver (`neuron.aws.com`"),
        ("nvidia.com/gpumem: 4000", "HAMi has no DRA driver"),
        ("vpc.amazonaws.com/efa: 1", "EFA interfaces exist on AWS only"),
    ],
)
def test_platform_bound_requests_get_one_remedy_from_acc004(request_line: str, words: str) -> None:
    text = GPU_DEPLOYMENT.replace("nvidia.com/gpu: 1", request_line)
    assert _run(text, "ACC001") == []
    (finding,) = _run(text, "ACC004")
    assert words in finding.message


def test_user_accelerator_names_are_checked_and_migrated() -> None:
    text = GPU_DEPLOYMENT.replace("nvidia.com/gpu", "example.com/gpu")
    assert _run(text, "ACC001") == []
    (finding,) = _run(
        text, "ACC001", accelerators={"resources": {"example.com/gpu": "gpu.example.com"}}
    )
    assert finding.fix is not None
    assert "`gpu.example.com`" in finding.fix.title


VISIBLE = """\
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
    - name: c
      image: busybox
      env:
        - {name: NVIDIA_VISIBLE_DEVICES, value: VALUE}
"""


@pytest.mark.parametrize(
    ("value", "level"), [("all", Severity.ERROR), ("ALL", Severity.ERROR), ("0", Severity.WARNING)]
)
def test_sec001_error_only_for_all_without_request(value: str, level: Severity) -> None:
    (finding,) = _run(VISIBLE.replace("VALUE", value), "SEC001")
    assert finding.severity is level


def test_sec001_all_with_request_is_a_warning() -> None:
    text = VISIBLE + "      resources: {limits: {nvidia.com/gpu: 1}}\n"
    (finding,) = _run(text.replace("VALUE", "all"), "SEC001")
    assert finding.severity is Severity.WARNING


PRIVILEGED = """\
apiVersion: apps/v1
kind: KIND
metadata: {name: NAME}
spec:
  template:
    spec:
      containers:
        - name: c
          image: IMAGE
          securityContext: {privileged: true}
"""


def _privileged(kind: str, name: str, image: str, **security: Any) -> list[Finding]:
    text = PRIVILEGED.replace("KIND", kind).replace("NAME", name).replace("IMAGE", image)
    if security:
        return _run(text, "SEC002", security=security)
    return _run(text, "SEC002")


def test_sec002_default_exemptions_cover_daemonsets_only() -> None:
    assert _privileged("DaemonSet", "gpu-feature-discovery", "busybox") == []
    assert _privileged("DaemonSet", "agent", "nvcr.io/nvidia/k8s-device-plugin:v0.16.2") == []
    assert len(_privileged("Deployment", "gpu-feature-discovery", "busybox")) == 1
    assert len(_privileged("DaemonSet", "agent", "busybox")) == 1


def test_sec002_configured_lists_replace_defaults_and_apply_to_every_kind() -> None:
    assert _privileged("Deployment", "node-tuner", "busybox", **{"exempt-names": ["node-*"]}) == []
    replaced = _privileged(
        "DaemonSet", "agent", "nvcr.io/nvidia/k8s-device-plugin:v0.16.2", **{"exempt-images": []}
    )
    assert len(replaced) == 1
    assert (
        _privileged(
            "Deployment",
            "x",
            "registry.example.com/tools/gpu-probe:1",
            **{"exempt-images": ["*/gpu-probe:*"]},
        )
        == []
    )
