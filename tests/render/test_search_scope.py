"""A named file's overlay search stays inside its checkout or the working directory."""

from __future__ import annotations

from pathlib import Path

import pytest

from aiconf_lint.render import targets


def test_file_outside_checkout_and_cwd_searches_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scratch, work = tmp_path / "scratch", tmp_path / "work"
    scratch.mkdir()
    work.mkdir()
    manifest = scratch / "pod.yaml"
    manifest.write_text("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n", encoding="utf-8")
    monkeypatch.chdir(work)

    def walked(root: Path, excludes: tuple[str, ...]) -> object:
        raise AssertionError(f"searched {root}")

    monkeypatch.setattr(targets, "find_targets", walked)
    assert targets.targets_for_files([manifest], ()) == ([], set())


def test_file_in_cwd_without_checkout_searches_cwd(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "base").mkdir()
    manifest = tmp_path / "base" / "pod.yaml"
    manifest.write_text("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n", encoding="utf-8")
    # a kustomization above the file reaches it, so overlays including it are searched for
    (tmp_path / "base" / "kustomization.yaml").write_text("resources: [pod.yaml]\n")
    monkeypatch.chdir(tmp_path)
    searched: list[Path] = []

    def walked(root: Path, excludes: tuple[str, ...]) -> tuple[list[targets.Target], set[Path]]:
        searched.append(root)
        return [], set()

    monkeypatch.setattr(targets, "find_targets", walked)
    targets.targets_for_files([manifest], ())
    assert searched == [tmp_path.resolve()]
