"""Charts and overlays count as evidence the way they deploy: their renders join the bundle."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Runner
from tests.render.test_render import REPO, needs_helm, needs_kustomize


@needs_helm
@needs_kustomize
def test_rendered_objects_are_evidence(run: Runner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    done = run("report", ".", "--output-format", "json", "--exit-zero")
    data = json.loads(done.out)
    secure = next(r for r in data["requirements"] if r["id"] == "secure_accelerator_access")
    files = {item["file"] for item in secure["evidence"]}
    assert "<helm charts/trainer (default)>" in files
    assert "<kustomize deploy/overlays/prod>" in files
    assert "plain/pod.yaml" in files
    origins = {item["origin"] for item in secure["evidence"]}
    assert "trainer-chart/templates/workers.yaml" in origins
    # The chart's findings block the requirement as `check` reports them: on the source line.
    assert any(Path(b["file"]).name == "values.yaml" for b in secure["blockers"])
