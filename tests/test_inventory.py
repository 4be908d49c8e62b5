"""Scoped inventory: SCL008 and DRA004 conclude absence only from objects shipped with the
workload, name the files, say "in this run", and honour `[tool.aiconf-lint.inventory]`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aiconf_lint.engine import build_bundle, lint
from aiconf_lint.input.load import load_bytes
from aiconf_lint.input.source import SourceFile
from aiconf_lint.k8s.inventory import Scope, in_scope
from aiconf_lint.model import Finding, Report
from aiconf_lint.runner import enabled_rules
from aiconf_lint.settings import Settings, with_overrides
from tests.scaling import LINEAR_ENOUGH, growth

CPU_POOL = """\
apiVersion: karpenter.sh/v1
kind: NodePool
metadata: {name: general}
spec:
  template:
    spec:
      nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: default}
      requirements:
        - {key: karpenter.k8s.aws/instance-category, operator: In, values: [c, m, r]}
"""
GPU_JOB = """\
apiVersion: batch/v1
kind: Job
metadata: {name: train}
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: c
          image: nvcr.io/nvidia/pytorch:24.08-py3
          resources:
            limits: {nvidia.com/gpu: 1}
"""
CLAIMS = """\
apiVersion: resource.k8s.io/v1
kind: ResourceClaimTemplate
metadata: {name: one-gpu}
spec:
  spec:
    devices:
      requests:
        - name: gpu
          exactly: {deviceClassName: gpu.nvidia.com}
"""
CLAIM_POD = """\
apiVersion: v1
kind: Pod
metadata: {name: probe}
spec:
  resourceClaims:
    - name: gpu
      resourceClaimTemplateName: two-gpus
  containers:
    - name: c
      image: busybox
      resources:
        claims: [{name: gpu}]
"""


def _run(files: dict[str, str], select: str, **inventory: Any) -> list[Finding]:
    sections = {"inventory": inventory} if inventory else {}
    settings = with_overrides(Settings(sections=sections), select=(select,))
    sources = [load_bytes(path, text.encode()) for path, text in files.items()]
    return lint(sources, settings, enabled_rules(settings)).findings


def test_scl008_ignores_pools_from_a_sibling_folder() -> None:
    files = {"repo/examples/pools/pool.yaml": CPU_POOL, "repo/examples/jobs/job.yaml": GPU_JOB}
    assert _run(files, "SCL008") == []


def test_scl008_uses_pools_from_a_parent_folder_and_names_their_files() -> None:
    files = {"repo/cluster/pool.yaml": CPU_POOL, "repo/cluster/team/job.yaml": GPU_JOB}
    (finding,) = _run(files, "SCL008")
    assert "no Karpenter NodePool in this run (`pool.yaml`) can host its pods" in finding.message


def test_scl008_silent_when_pools_exist_outside_the_run() -> None:
    files = {"repo/pool.yaml": CPU_POOL, "repo/job.yaml": GPU_JOB}
    assert len(_run(files, "SCL008")) == 1
    assert _run(files, "SCL008", **{"node-pools": ["gpu-a100"]}) == []


def test_dra004_ignores_claims_from_a_sibling_folder() -> None:
    files = {"repo/a/claims.yaml": CLAIMS, "repo/b/pod.yaml": CLAIM_POD}
    assert _run(files, "DRA004") == []


def test_dra004_wording_for_a_workload_without_namespace() -> None:
    files = {"repo/claims.yaml": CLAIMS, "repo/app/pod.yaml": CLAIM_POD}
    (finding,) = _run(files, "DRA004")
    assert finding.message == (
        "Claim `gpu` of Pod `probe` names ResourceClaimTemplate `two-gpus`, which is not in "
        "this run (looked in namespace `default`, as the workload sets none) (the claims "
        "shipped with it are in `claims.yaml`)"
    )


def test_dra004_honours_declared_claim_templates() -> None:
    files = {"repo/claims.yaml": CLAIMS + "---\n" + CLAIM_POD}
    assert len(_run(files, "DRA004")) == 1
    assert _run(files, "DRA004", **{"claim-templates": ["two-gpus"]}) == []
    assert _run(files, "DRA004", **{"claim-templates": ["default/two-gpus"]}) == []
    assert len(_run(files, "DRA004", **{"claim-templates": ["other/two-gpus"]})) == 1


def test_scoping_grows_with_the_copies_not_their_square() -> None:
    """Overlays per cluster: n copies of a folder of pools, claims and workloads. Each workload
    is scoped once per file, not against every pool and claim of every copy."""
    settings = with_overrides(Settings(), select=("SCL008", "DRA004"))

    def sources(copies: int) -> list[SourceFile]:
        files = {}
        for i in range(copies):
            files[f"env-{i}/pools.yaml"] = CPU_POOL
            files[f"env-{i}/job.yaml"] = GPU_JOB
            files[f"env-{i}/claims.yaml"] = CLAIMS
            files[f"env-{i}/pod.yaml"] = CLAIM_POD
        return [load_bytes(path, text.encode()) for path, text in files.items()]

    def prepare(copies: int) -> Callable[[], object]:
        loaded = sources(copies)
        return lambda: lint(loaded, settings, enabled_rules(settings))

    codes = sorted(f.code for f in lint(sources(3), settings, enabled_rules(settings)).findings)
    assert codes == ["DRA004"] * 3 + ["SCL008"] * 3
    assert growth(prepare, 60) < LINEAR_ENOUGH


def test_scope_answers_what_in_scope_answers() -> None:
    """The indexed lookup agrees with the pairwise test on files, folders above, Helm releases
    and kustomizations."""
    rendered = "---\n# Source: gpu-chart/templates/a.yaml\n" + CLAIMS
    kustomization = (
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
        "resources: [x/job.yaml, y]\n"
    )
    files = {
        "pool.yaml": CPU_POOL,
        "a/pool.yaml": CPU_POOL,
        "a/b/job.yaml": GPU_JOB + "---\n" + CPU_POOL,
        "a/b/c/job.yaml": GPU_JOB,
        "d/job.yaml": GPU_JOB,
        "d/rendered.yaml": rendered + "---\n# Source: gpu-chart/templates/j.yaml\n" + GPU_JOB,
        "e/rendered.yaml": rendered,
        "o/kustomization.yaml": kustomization,
        "o/x/job.yaml": GPU_JOB,
        "o/y/pool.yaml": CPU_POOL,
        "o/z/pool.yaml": CPU_POOL,
        "shared/pool.yaml": CPU_POOL,
    }
    sources = [load_bytes(path, text.encode()) for path, text in files.items()]
    bundle = build_bundle(sources, Settings(), Report())
    candidates = [o for o in bundle.objects if o.kind != "Job"]
    scope = Scope(bundle, candidates)
    for workload in bundle.objects:
        expected = [c for c in candidates if in_scope(bundle, workload, c)]
        assert scope.of(workload) == expected, workload.file
    assert {len(scope.of(w)) for w in bundle.objects} != {len(candidates)}
