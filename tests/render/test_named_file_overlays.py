"""Which overlays a named file (pre-commit) belongs to, found without walking a large checkout.

Under kustomize's default load restrictor only a kustomization in the file's folder or a folder
above it can list the file, so the checkout is walked only when one of those reaches it; with
`load-restrictor = "none"` a kustomization anywhere may, and the checkout is always searched.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from aiconf_lint.input.discovery import discover
from aiconf_lint.render import targets
from aiconf_lint.render.plan import plan_renders
from aiconf_lint.settings import Settings

POD = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _no_walk(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Record every walk of the overlay search, which then finds nothing."""
    walked: list[Path] = []

    def walk(root: Path, excludes: tuple[str, ...]) -> Iterator[tuple[Path, list[str]]]:
        walked.append(root)
        return iter(())

    monkeypatch.setattr(targets, "_walk", walk)
    return walked


def test_named_file_with_no_kustomization_reaching_it_walks_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".git").mkdir()
    for i in range(40):
        (tmp_path / "apps" / f"team-{i}" / "deploy").mkdir(parents=True)
    _write(
        tmp_path,
        {
            "apps/team-3/deploy/pod.yaml": POD,
            # a kustomization above the file that lists something else does not reach it
            "apps/kustomization.yaml": "resources: [team-1/deploy/other.yaml]\n",
            "apps/team-1/deploy/other.yaml": POD,
            "overlays/prod/kustomization.yaml": "resources: [../../apps]\n",
        },
    )
    monkeypatch.chdir(tmp_path)
    walked = _no_walk(monkeypatch)
    assert targets.targets_for_files([Path("apps/team-3/deploy/pod.yaml")], ()) == ([], set())
    assert walked == []


def test_base_file_is_claimed_by_the_overlay_in_a_sibling_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".git").mkdir()
    _write(
        tmp_path,
        {
            "base/deploy.yaml": POD,
            "base/nested/gpu.yaml": POD,  # listed from the folder above its own
            "base/kustomization.yaml": "resources: [deploy.yaml, nested/gpu.yaml]\n",
            "overlays/prod/kustomization.yaml": "resources: [../../base]\n",
            "unrelated/kustomization.yaml": "resources: [cm.yaml]\n",
            "unrelated/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n",
        },
    )
    monkeypatch.chdir(tmp_path)
    named = [Path("base/deploy.yaml"), Path("base/nested/gpu.yaml")]
    found, claimed = targets.targets_for_files(named, ())
    assert found == [targets.Target("kustomize", Path("overlays/prod"))]
    assert claimed == {path.resolve() for path in named}


def _sibling_listing(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    _write(
        tmp_path,
        {
            "other/file.yaml": POD,
            "sibling/kustomization.yaml": "resources: [../other/file.yaml]\n",
        },
    )


def test_load_restrictor_none_searches_overlays_that_list_files_from_elsewhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _sibling_listing(tmp_path)
    monkeypatch.chdir(tmp_path)
    settings = Settings(sections={"kustomize": {"load-restrictor": "none"}})
    plan = plan_renders(["other/file.yaml"], settings)
    assert plan.targets == [targets.Target("kustomize", Path("sibling"))]
    assert plan.covered == {(tmp_path / "other" / "file.yaml").resolve()}
    assert plan.plain == []


def test_default_load_restrictor_lints_a_file_listed_from_a_sibling_as_plain(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # kustomize itself refuses `../other/file.yaml` under LoadRestrictionsRootOnly
    _sibling_listing(tmp_path)
    monkeypatch.chdir(tmp_path)
    walked = _no_walk(monkeypatch)
    plan = plan_renders(["other/file.yaml"], Settings())
    assert (plan.targets, plan.covered, plan.plain) == ([], set(), ["other/file.yaml"])
    assert walked == []


def test_overlay_search_skips_the_folders_discovery_skips(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kustomization = "resources: [pod.yaml]\n"
    layout = {
        "deploy/app/kustomization.yaml": kustomization,
        "deploy/ci/kustomization.yaml": kustomization,  # path pattern `deploy/ci`
        "deploy/app/vendor/kustomization.yaml": kustomization,  # name pattern `vendor`
        "ci/kustomization.yaml": kustomization,  # `deploy/ci` is anchored: not this one
    }
    _write(tmp_path, {**layout, **{k.replace("kustomization", "pod"): POD for k in layout}})
    monkeypatch.chdir(tmp_path)
    excludes = ("vendor", f"{tmp_path.as_posix()}/deploy/ci")
    for root in (".", "deploy", str(tmp_path / "deploy")):
        found = {t.folder.resolve() for t in targets.find_targets(Path(root), excludes)[0]}
        inputs = discover([root], excludes, force_exclude=False)[0]
        read = {Path(i.display).resolve().parent for i in inputs}
        assert found == read, root
        assert (tmp_path / "deploy" / "app").resolve() in found
        assert (tmp_path / "deploy" / "ci").resolve() not in found
    assert targets.find_targets(Path("deploy/ci"), excludes) == ([], set())


def test_unreadable_kustomization_reaches_nothing(tmp_path: Path) -> None:
    _write(tmp_path, {"kustomization.yaml": "resources: [a.yaml\n\t- b: {"})
    found = targets.read_kustomization(tmp_path)
    assert found is not None
    assert (found.data, found.files, found.dirs) == ({}, [], [])
