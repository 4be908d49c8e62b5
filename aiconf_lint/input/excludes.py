"""Exclude globs, the way ruff reads them (see `discovery` for what they mean to a run).

Apart from discovery because every walker of a tree (discovery, the chart and overlay search,
`tree.scan`) tests entries with one compiled `Excluder`.
"""

from __future__ import annotations

import glob
import os
import re
from collections.abc import Callable, Iterable
from fnmatch import translate
from functools import lru_cache
from pathlib import Path, PurePath

_Matcher = Callable[[str], "re.Match[str] | None"]


def anchor_pattern(pattern: str, base: Path) -> str:
    """`pattern` made absolute at `base` when it names a path (has a `/`), as ruff does."""
    stripped = pattern.rstrip("/")
    if "/" not in stripped or PurePath(stripped).is_absolute():
        return pattern
    return f"{glob.escape(Path(os.path.abspath(base)).as_posix())}/{stripped}"


class Excluder:
    """Exclude globs compiled once into two expressions.

    A name pattern (no `/`) matches any file or folder name below where the walk starts; a path
    pattern is anchored (at its config file's folder, or the working directory) and matches an
    absolute path or any folder above it. Walking a tree checks each folder as it is entered,
    so a file costs one match on its name and one on its absolute path, however deep it sits
    and however many patterns there are.
    """

    __slots__ = ("_name", "_path")

    def __init__(self, patterns: Iterable[str]) -> None:
        stripped = [pattern.rstrip("/") for pattern in patterns]
        self._name = _union([p for p in stripped if "/" not in p])
        self._path = _union([anchor_pattern(p, Path.cwd()) for p in stripped if "/" in p])

    def entry(self, name: str, absolute: str) -> bool:
        """The test for an entry whose folders are known not to be excluded."""
        return self._name(name) is not None or self._path(absolute) is not None

    def excludes(self, path: Path, base: Path | None = None) -> bool:
        """The full test: every part of `path` below `base`, every folder of its absolute path."""
        relative = _rel(path, base) if base is not None else PurePath(path)
        if any(self._name(part) is not None for part in relative.parts):
            return True
        return self.excludes_path(path)

    def excludes_path(self, path: Path) -> bool:
        """Whether a path pattern matches `path` or a folder above it (a walk's root too)."""
        absolute = PurePath(os.path.abspath(path))
        ancestry = [absolute.as_posix(), *(p.as_posix() for p in absolute.parents)]
        return any(self._path(candidate) is not None for candidate in ancestry)


def _union(patterns: list[str]) -> _Matcher:
    if not patterns:
        return _never
    return re.compile("|".join(f"(?:{translate(p)})" for p in patterns)).match


def _never(_: str) -> None:
    return None


def is_excluded(path: Path, patterns: Iterable[str], base: Path | None = None) -> bool:
    """Whether `path` (or a folder it is in) matches a pattern (see `Excluder`)."""
    return _excluder(tuple(patterns), os.getcwd()).excludes(path, base)


@lru_cache(maxsize=16)
def _excluder(patterns: tuple[str, ...], cwd: str) -> Excluder:
    """One compiled `Excluder` per pattern list (and working directory, where path patterns
    are anchored): pre-commit names hundreds of files, and each used to compile the globs."""
    return Excluder(patterns)


def _rel(path: Path, root: Path) -> PurePath:
    try:
        return path.relative_to(root)
    except ValueError:
        return path
