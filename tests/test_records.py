"""`records.record`: dataclass semantics for what the package uses, at a fraction of the cost."""

from __future__ import annotations

import copy
import pickle
from pathlib import Path
from typing import ClassVar

import pytest

from aiconf_lint.records import FrozenRecordError, field, record, replace
from tests.fresh_process import last_line


@record(frozen=True)
class Point:
    x: int
    y: int
    label: str = ""
    LIMIT: ClassVar[int] = 3

    @property
    def norm(self) -> int:
        return abs(self.x) + abs(self.y)


@record
class Bag:
    items: list[int] = field(default_factory=list)
    text: str = field(default="", repr=False, compare=False)


def test_frozen_record_is_a_value() -> None:
    p = Point(1, 2)
    assert p == Point(1, 2, "")
    assert p != Point(2, 1)
    assert hash(p) == hash(Point(1, 2))
    assert len({p, Point(1, 2), Point(1, 3)}) == 2
    assert repr(p) == "Point(x=1, y=2, label='')"
    assert p.norm == 3
    assert Point.LIMIT == 3
    assert vars(Point)["__slots__"] == ("x", "y", "label")
    with pytest.raises(FrozenRecordError):
        p.x = 5  # type: ignore[misc]
    with pytest.raises(AttributeError):
        p.z = 1  # type: ignore[attr-defined]


def test_mutable_record_defaults_are_fresh_and_unhashable() -> None:
    a, b = Bag(), Bag()
    a.items.append(1)
    assert b.items == []
    assert Bag([1], "x") == Bag([1], "y")  # `compare=False` leaves `text` out
    assert repr(Bag([1], "x")) == "Bag(items=[1])"
    with pytest.raises(TypeError):
        hash(Bag())


def test_replace_copy_and_pickle_keep_every_field() -> None:
    p = Point(1, 2, "a")
    assert replace(p, y=7) == Point(1, 7, "a")
    with pytest.raises(TypeError):
        replace(p, z=1)
    assert copy.copy(p) == p
    assert copy.deepcopy(p) == p
    assert pickle.loads(pickle.dumps(p)) == p


def test_a_field_without_default_after_one_is_refused() -> None:
    with pytest.raises(TypeError, match="without a default"):

        @record
        class Wrong:
            a: int = 0
            b: int  # type: ignore[misc]


def test_a_record_cannot_extend_a_record() -> None:
    with pytest.raises(TypeError, match="cannot extend"):

        @record(frozen=True)
        class Deeper(Point):
            z: int = 0


def test_a_small_check_creates_no_dataclass(tmp_path: Path) -> None:
    """The reason records exist: dataclass creation cost a small run 30 ms at start-up."""
    job = tmp_path / "job.yaml"
    job.write_text("apiVersion: batch/v1\nkind: Job\nmetadata: {name: a}\n")
    script = (
        "import dataclasses, sys\n"
        "made = []\n"
        "original = dataclasses._process_class\n"
        "dataclasses._process_class = lambda cls, *a: made.append(cls) or original(cls, *a)\n"
        "from aiconf_lint.cli import main\n"
        f"sys.argv = ['aiconf-lint', 'check', '--exit-zero', {str(job)!r}]\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "print([c.__module__ + '.' + c.__qualname__ for c in made\n"
        "       if c.__module__.startswith('aiconf_lint')])\n"
    )
    assert last_line(script) == "[]"
