"""`tree.scan`: one listing per run, the order and pruning `os.walk` gave discovery."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from aiconf_lint.input.discovery import discover
from aiconf_lint.input.tree import scan, shared_scans
from aiconf_lint.render.targets import find_targets


def _layout(root: Path) -> None:
    for rel in ("b/x.yaml", "a/y.yaml", "a/deep/z.yml", "node_modules/n.yaml", "skip/s.yaml"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("kind: ConfigMap\n")
    (root / "chart").mkdir()
    (root / "chart" / "Chart.yaml").write_text("name: c\n")
    (root / "chart" / "templates").mkdir()
    (root / "chart" / "templates" / "t.yaml").write_text("kind: ConfigMap\n")
    (root / "linked").symlink_to(root / "a")
    (root / "alias.yaml").symlink_to(root / "b" / "x.yaml")


def test_scan_is_sorted_top_down_and_prunes_like_os_walk(tmp_path: Path) -> None:
    _layout(tmp_path)
    folders = scan(str(tmp_path), ("node_modules", "skip"))
    assert [f.rel for f in folders] == ["", "a", "a/deep", "b", "chart", "chart/templates"]
    top = folders[0]
    assert top.dirs == ("a", "b", "chart", "linked")  # a linked folder is listed, not entered
    assert top.files == ("alias.yaml",)
    assert top.links == frozenset({"alias.yaml"})
    assert top.absolute == tmp_path.as_posix() + "/"
    walked = []
    for folder, dirs, _ in os.walk(tmp_path):
        walked.append(os.path.relpath(folder, tmp_path))
        dirs[:] = sorted(d for d in dirs if d not in ("node_modules", "skip"))
    assert [f.rel or "." for f in folders] == walked


def test_one_run_lists_a_tree_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _layout(tmp_path)
    listed: list[str] = []
    real = os.scandir

    def counting(path: str) -> object:
        listed.append(path)
        return real(path)

    monkeypatch.setattr(os, "scandir", counting)
    with shared_scans():
        find_targets(tmp_path, ())
        inputs, _, notes = discover([str(tmp_path)], (), False)
    assert len(listed) == len(set(listed)) == 8
    names = sorted(Path(i.display).relative_to(tmp_path).as_posix() for i in inputs)
    # the symbolic link is the same file as b/x.yaml: read once; chart templates are skipped
    assert names == [
        "a/deep/z.yml",
        "a/y.yaml",
        "alias.yaml",
        "chart/Chart.yaml",
        "node_modules/n.yaml",
        "skip/s.yaml",
    ]
    assert any("templates skipped" in note for note in notes)
    listed.clear()
    discover([str(tmp_path)], (), False)  # outside a run nothing is kept
    assert len(listed) == 8
