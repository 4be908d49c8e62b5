"""Values of the wrong type where a rule reads a name: no crash, no finding about them.

Each case was a crash (a list or mapping used as a set member or dict key, an empty string
indexed): found by the structural fuzzer (`tests/test_fuzz.py`) mutating real fixtures.
"""

from __future__ import annotations

import pytest

from aiconf_lint.engine import lint
from aiconf_lint.input.load import load_text
from aiconf_lint.runner import enabled_rules
from aiconf_lint.settings import Settings

POD = """\
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  resourceClaims:
    - {name: gpu, resourceClaimTemplateName: one-gpu}
  containers:
    - name: c
      env:
        - {name: %(env)s, value: all}
      resources:
        claims:
          - {name: %(claim)s}
"""
VOLCANO = """\
apiVersion: batch.volcano.sh/v1alpha1
kind: Job
metadata: {name: train}
spec:
  schedulerName: %s
  minAvailable: 2
  tasks:
    - replicas: 2
      template: {spec: {containers: [{name: c, image: t:1}]}}
"""
HPA = """\
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: h}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: d}
  maxReplicas: 2
  metrics:
    - type: %s
"""
WRONG = ("[a, b]", "{a: b}", "[]", "{}")


def _errors(text: str) -> list[str]:
    settings = Settings()
    report = lint([load_text("odd.yaml", text)], settings, enabled_rules(settings))
    return [e.message for e in report.errors]


@pytest.mark.parametrize("value", WRONG)
def test_sec001_env_name_of_the_wrong_type(value: str) -> None:
    assert _errors(POD % {"env": value, "claim": "gpu"}) == []


@pytest.mark.parametrize("value", WRONG)
def test_dra003_container_claim_name_of_the_wrong_type(value: str) -> None:
    assert _errors(POD % {"env": "NVIDIA_VISIBLE_DEVICES", "claim": value}) == []


@pytest.mark.parametrize("value", WRONG)
def test_gang_scheduler_name_of_the_wrong_type(value: str) -> None:
    assert _errors(VOLCANO % value) == []


@pytest.mark.parametrize("value", ['""', "[Pods]", "{a: b}"])
def test_hpa_metric_type_empty_or_of_the_wrong_type(value: str) -> None:
    assert _errors(HPA % value) == []
