"""Writing a fixed file: hard links kept, a file saved meanwhile kept, the rename made durable."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from aiconf_lint.fix import command
from aiconf_lint.fix.loop import FixRun, run_fixes
from aiconf_lint.fix.write import NotWritten, write_atomic
from tests.conftest import Runner

BAD = """\
apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: c
      resources:
        requests:
          nvidia.com/gpu: 1
"""


def test_a_hard_linked_file_is_written_through(
    run: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.yaml").write_text(BAD, encoding="utf-8")
    os.link(tmp_path / "a.yaml", tmp_path / "b.yaml")
    inode = (tmp_path / "a.yaml").stat().st_ino
    result = run("fix", "a.yaml", "--select", "ACC002")
    assert result.code == 0, result.err
    assert (tmp_path / "a.yaml").stat().st_ino == inode
    assert (tmp_path / "a.yaml").stat().st_nlink == 2
    assert "limits:" in (tmp_path / "b.yaml").read_text(encoding="utf-8")
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_a_file_changed_since_it_was_read_is_not_replaced(
    run: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    target = tmp_path / "a.yaml"
    target.write_text(BAD, encoding="utf-8")
    saved = BAD.replace("name: p", "name: edited-meanwhile")
    real = run_fixes

    def editor_saves_meanwhile(*args: object, **kwargs: object) -> FixRun:
        done = real(*args, **kwargs)  # type: ignore[arg-type]
        target.write_text(saved, encoding="utf-8")
        return done

    monkeypatch.setattr(command, "run_fixes", editor_saves_meanwhile)
    result = run("fix", "a.yaml", "--select", "ACC002")
    assert result.code == 2
    assert "a.yaml: changed since it was read" in result.err
    assert target.read_text(encoding="utf-8") == saved


def test_write_atomic_refuses_a_stale_original(tmp_path: Path) -> None:
    target = tmp_path / "a.yaml"
    target.write_bytes(b"\xef\xbb\xbfa: 1\n")
    with pytest.raises(NotWritten):
        write_atomic(target, "a: 2\n", original="a: 0\n")
    write_atomic(target, "a: 2\n", original="a: 1\n")  # the BOM is not part of the text
    assert target.read_bytes() == b"\xef\xbb\xbfa: 2\n"


def test_the_directory_is_flushed_after_the_rename(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "a.yaml"
    target.write_text("a: 1\n", encoding="utf-8")
    synced: list[bool] = []
    real = os.fsync

    def record(fd: int) -> None:
        synced.append(stat.S_ISDIR(os.fstat(fd).st_mode))
        real(fd)

    monkeypatch.setattr(os, "fsync", record)
    write_atomic(target, "a: 2\n", original="a: 1\n")
    assert synced == [False, True]  # the data, then the directory holding the new name
