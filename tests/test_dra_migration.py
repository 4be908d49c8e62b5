"""The device-plugin -> DRA migration builder: names, edits and the generated template."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from aiconf_lint.input.load import load_bytes
from aiconf_lint.k8s.accelerators import AcceleratorResource
from aiconf_lint.k8s.objects import objects_of
from aiconf_lint.k8s.workloads import PodTemplate, pod_templates
from aiconf_lint.model import Applicability, Edit
from aiconf_lint.rules.acc._dra_migration import (
    DNS_LABEL_MAX,
    claim_template,
    dns_label,
    dra_target,
    is_dns_label,
    migration_fix,
    validate_claim_template,
)

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: chat
  namespace: serving
spec:
  template:
    spec:
      tolerations:
        - {key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}
      containers:
        - name: server
          resources:
            limits:
              cpu: "8"
              nvidia.com/gpu: 2
            requests:
              nvidia.com/gpu: 2
"""


def _templates(text: str) -> list[PodTemplate]:
    source = load_bytes("t.yaml", text.encode())
    templates: list[PodTemplate] = []
    for doc in source.documents:
        for obj in objects_of(doc):
            templates.extend(pod_templates(obj))
    return templates


def _fix_edits(text: str, resource: str = "nvidia.com/gpu", index: int = 0) -> tuple[Edit, ...]:
    template = _templates(text)[index]
    fix = migration_fix(template, template.containers[0], resource)
    assert fix is not None
    assert fix.applicability is Applicability.UNSAFE
    return fix.edits


def _document(edits: tuple[Edit, ...]) -> dict[str, Any]:
    docs = [e for e in edits if e.op == "add_document"]
    assert len(docs) == 1
    assert isinstance(docs[0].value, dict)
    return docs[0].value


def test_deployment_migration_edits() -> None:
    edits = _fix_edits(DEPLOYMENT)
    container = ("spec", "template", "spec", "containers", 0, "resources")
    assert edits[0] == Edit("remove", (*container, "limits", "nvidia.com/gpu"))
    assert edits[1] == Edit("remove", (*container, "requests"))
    assert edits[2] == Edit("merge", container, key="claims", value=[{"name": "server-gpu"}])
    assert edits[3] == Edit(
        "merge",
        ("spec", "template", "spec"),
        key="resourceClaims",
        value=[{"name": "server-gpu", "resourceClaimTemplateName": "chat-server-gpu"}],
    )
    document = _document(edits)
    assert document == {
        "apiVersion": "resource.k8s.io/v1",
        "kind": "ResourceClaimTemplate",
        "metadata": {"name": "chat-server-gpu", "namespace": "serving"},
        "spec": {
            "spec": {
                "devices": {
                    "requests": [
                        {
                            "name": "gpu",
                            "exactly": {"deviceClassName": "gpu.nvidia.com", "count": 2},
                        }
                    ]
                }
            }
        },
    }
    assert validate_claim_template(document) == []
    # Tolerations stay: no edit touches them.
    assert not any("tolerations" in e.path for e in edits)


def test_resources_left_empty_hold_only_the_claim() -> None:
    text = DEPLOYMENT.replace('              cpu: "8"\n', "")
    edits = _fix_edits(text)
    resources = ("spec", "template", "spec", "containers", 0, "resources")
    assert edits[0] == Edit("set", resources, value={"claims": [{"name": "server-gpu"}]})
    assert not any(e.op == "remove" for e in edits)


def test_existing_empty_claim_list_is_appended_to() -> None:
    text = DEPLOYMENT.replace(
        "      tolerations:\n", "      resourceClaims: []\n      tolerations:\n"
    )
    edits = _fix_edits(text)
    assert (
        Edit(
            "append",
            ("spec", "template", "spec", "resourceClaims"),
            value={"name": "server-gpu", "resourceClaimTemplateName": "chat-server-gpu"},
        )
        in edits
    )


def test_list_items_get_document_root_paths() -> None:
    body = "\n".join("    " + line for line in DEPLOYMENT.splitlines())
    text = "apiVersion: v1\nkind: List\nitems:\n  -" + body[3:] + "\n"
    edits = _fix_edits(text)
    # The rule writes object-relative paths; the engine puts the item's base in front.
    assert not any(e.path[:1] == ("items",) for e in edits)
    from aiconf_lint.engine import lint
    from aiconf_lint.input.load import load_text
    from aiconf_lint.runner import enabled_rules
    from aiconf_lint.settings import Settings

    settings = Settings(select=("ACC001",))
    (finding,) = lint([load_text("l.yaml", text)], settings, enabled_rules(settings)).findings
    assert finding.fix is not None
    rebased = [e for e in finding.fix.edits if e.op != "add_document"]
    assert [e.path[2:] for e in rebased] == [e.path for e in edits if e.op != "add_document"]
    assert all(e.path[:2] == ("items", 0) for e in rebased)


def test_mig_profile_maps_to_mig_class_with_selector() -> None:
    text = DEPLOYMENT.replace("nvidia.com/gpu", "nvidia.com/mig-1g.5gb")
    document = _document(_fix_edits(text, "nvidia.com/mig-1g.5gb"))
    exactly = document["spec"]["spec"]["devices"]["requests"][0]["exactly"]
    assert exactly["deviceClassName"] == "mig.nvidia.com"
    assert exactly["selectors"] == [
        {"cel": {"expression": "device.attributes['gpu.nvidia.com'].profile == '1g.5gb'"}}
    ]
    assert document["metadata"]["name"] == "chat-server-mig-1g-5gb"
    assert validate_claim_template(document) == []


@pytest.mark.parametrize(
    ("name", "device_class"),
    [
        ("nvidia.com/gpu", "gpu.nvidia.com"),
        ("amd.com/gpu", "gpu.amd.com"),
        ("gpu.intel.com/i915", "gpu.intel.com"),
        ("gpu.intel.com/xe", "gpu.intel.com"),
        ("nvidia.com/mig-3g.40gb", "mig.nvidia.com"),
    ],
)
def test_targets(name: str, device_class: str) -> None:
    target = dra_target(name)
    assert target is not None
    assert target.device_class == device_class


@pytest.mark.parametrize(
    "name",
    [
        "google.com/tpu",
        "aws.amazon.com/neuron",
        "nvidia.com/gpucores",
        "nvidia.com/gpu.shared",
        "nvidia.com/mig-1g.5gb.shared",
        "habana.ai/gaudi",
        "cpu",
    ],
)
def test_no_target_without_a_device_class(name: str) -> None:
    assert dra_target(name) is None


def test_user_accelerator_with_class() -> None:
    extra = (
        AcceleratorResource("example.com/gpu", "custom", "custom device plugin", "gpu.example.com"),
    )
    target = dra_target("example.com/gpu", extra)
    assert target is not None
    assert target.device_class == "gpu.example.com"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (
            "nvidia.com/gpu: 2\n            requests:\n              nvidia.com/gpu: 2",
            "google.com/tpu: 4",
        ),
        (
            "nvidia.com/gpu: 2\n            requests:\n              nvidia.com/gpu: 2",
            "nvidia.com/gpu: ${GPUS}",
        ),
        (
            "nvidia.com/gpu: 2\n            requests:\n              nvidia.com/gpu: 2",
            "nvidia.com/gpu: 0.5",
        ),
    ],
)
def test_declines(old: str, new: str) -> None:
    template = _templates(DEPLOYMENT.replace(old, new))[0]
    name = new.split(":", maxsplit=1)[0]
    assert migration_fix(template, template.containers[0], name) is None


def test_declines_when_pod_already_uses_a_claim() -> None:
    text = DEPLOYMENT.replace(
        "      tolerations:\n",
        "      resourceClaims:\n"
        "        - {name: nic, resourceClaimTemplateName: rdma}\n"
        "      tolerations:\n",
    )
    template = _templates(text)[0]
    assert migration_fix(template, template.containers[0], "nvidia.com/gpu") is None


def test_second_container_after_first_was_migrated() -> None:
    text = DEPLOYMENT.replace(
        "      tolerations:\n",
        "      resourceClaims:\n"
        "        - {name: sidecar-gpu, resourceClaimTemplateName: chat-sidecar-gpu}\n"
        "      tolerations:\n",
    ) + (
        "        - name: sidecar\n"
        "          resources:\n"
        "            claims:\n"
        "              - name: sidecar-gpu\n"
    )
    template = _templates(text)[0]
    fix = migration_fix(template, template.containers[0], "nvidia.com/gpu")
    assert fix is not None
    assert any(e.op == "append" for e in fix.edits)


def test_declines_for_kserve_and_cluster_scoped_runtimes() -> None:
    isvc = """\
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata: {name: llama}
spec:
  predictor:
    containers:
      - name: kserve-container
        resources: {limits: {nvidia.com/gpu: 1}}
"""
    template = _templates(isvc)[0]
    assert migration_fix(template, template.containers[0], "nvidia.com/gpu") is None


def test_multi_template_workloads_get_distinct_names() -> None:
    job = """\
apiVersion: kubeflow.org/v1
kind: PyTorchJob
metadata: {name: finetune, namespace: ml}
spec:
  pytorchReplicaSpecs:
    Master:
      template:
        spec:
          containers:
            - name: pytorch
              resources: {limits: {nvidia.com/gpu: 1}}
    Worker:
      replicas: 2
      template:
        spec:
          containers:
            - name: pytorch
              resources: {limits: {nvidia.com/gpu: 4}}
"""
    names = []
    for template in _templates(job):
        fix = migration_fix(template, template.containers[0], "nvidia.com/gpu")
        assert fix is not None
        names.append(_document(fix.edits)["metadata"]["name"])
    assert names == ["finetune-master-pytorch-gpu", "finetune-worker-pytorch-gpu"]


def test_jobset_uses_replicated_job_name() -> None:
    jobset = """\
apiVersion: jobset.x-k8s.io/v1alpha2
kind: JobSet
metadata: {name: pretrain}
spec:
  replicatedJobs:
    - name: workers
      template:
        spec:
          template:
            spec:
              containers:
                - name: trainer
                  resources: {limits: {nvidia.com/gpu: 8}}
"""
    template = _templates(jobset)[0]
    fix = migration_fix(template, template.containers[0], "nvidia.com/gpu")
    assert fix is not None
    document = _document(fix.edits)
    assert document["metadata"] == {"name": "pretrain-workers-trainer-gpu"}


@pytest.mark.parametrize(
    "parts",
    [
        ("chat", "server", "gpu"),
        ("A" * 80, "server", "gpu"),
        ("my.app", "Server_1", "mig-1g.5gb"),
        ("x" * 40, "y" * 40, "mig-7g.80gb"),
        ("---", "...", "gpu"),
    ],
)
def test_dns_label_is_valid(parts: tuple[str, ...]) -> None:
    name = dns_label(*parts)
    assert is_dns_label(name), name
    assert len(name) <= DNS_LABEL_MAX


def test_dns_label_keeps_clean_names_and_separates_lookalikes() -> None:
    assert dns_label("chat", "server", "gpu") == "chat-server-gpu"
    assert dns_label("my.app", "server", "gpu") != dns_label("my-app", "server", "gpu")
    long_a = dns_label("a" * 70, "one", "gpu")
    long_b = dns_label("a" * 70, "two", "gpu")
    assert long_a != long_b


def test_generated_template_round_trips_through_yaml() -> None:
    target = dra_target("nvidia.com/gpu")
    assert target is not None
    document = claim_template("chat-server-gpu", None, target, 1)
    assert "namespace" not in document["metadata"]  # type: ignore[operator]
    reloaded = yaml.safe_load(yaml.safe_dump(document))
    assert validate_claim_template(reloaded) == []


def test_validator_rejects_bad_shapes() -> None:
    bad = {
        "apiVersion": "resource.k8s.io/v1beta1",
        "kind": "ResourceClaimTemplate",
        "metadata": {"name": "Bad_Name"},
        "spec": {
            "spec": {"devices": {"requests": [{"name": "gpu", "deviceClassName": "x", "count": 0}]}}
        },
    }
    problems = validate_claim_template(bad)
    assert len(problems) >= 4


def test_declines_for_unrendered_workload_names() -> None:
    text = DEPLOYMENT.replace("name: chat\n", "name: chat-${RUN_ID}\n")
    template = _templates(text)[0]
    assert migration_fix(template, template.containers[0], "nvidia.com/gpu") is None


def test_no_migration_when_the_pod_keeps_an_unmovable_request_of_the_same_vendor() -> None:
    from aiconf_lint.input.load import load_text
    from aiconf_lint.k8s.bundle import Bundle
    from aiconf_lint.k8s.objects import objects_of
    from aiconf_lint.rules.acc._dra_migration import migration_fix

    text = """\
apiVersion: v1
kind: Pod
metadata: {name: mixed}
spec:
  containers:
    - name: trainer
      resources: {limits: {nvidia.com/gpu: 1}}
    - name: eval
      resources: {limits: {nvidia.com/gpu.shared: 1}}
"""
    (obj,) = objects_of(load_text("f.yaml", text).documents[0])
    (template,) = Bundle().templates(obj)
    trainer = template.containers[0]
    assert migration_fix(template, trainer, "nvidia.com/gpu") is None
    alone = text.replace("nvidia.com/gpu.shared", "amd.com/gpu")
    (obj,) = objects_of(load_text("f.yaml", alone).documents[0])
    (template,) = Bundle().templates(obj)
    assert migration_fix(template, template.containers[0], "nvidia.com/gpu") is not None
