"""Find the YAML files to check: files, directories (recursively), or `-` for stdin.

Excludes match a path's basename or any trailing part of it, as ruff's do. Files named
explicitly are always checked unless `--force-exclude` is set, which pre-commit needs because
it passes every staged file by name.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from fnmatch import translate
from pathlib import Path, PurePath

from aiconf_lint.model import InputProblem

YAML_SUFFIXES = (".yaml", ".yml")
STDIN = "-"


@dataclass(frozen=True, slots=True)
class Input:
    """One thing to read: `display` is the path as the user gave it ("<stdin>" for stdin)."""

    display: str
    path: Path | None


_Matcher = Callable[[str], "re.Match[str] | None"]


class Excluder:
    """Exclude globs compiled once into two expressions.

    A path is excluded when its basename or any of its parts matches a pattern, or when the
    whole relative path matches it (or ends with it, for a pattern that names a folder path).
    Walking a tree checks each folder's parts once, as the folder is entered, so a file costs
    one match on its name and one on its path, however deep it sits and however many patterns
    there are.
    """

    __slots__ = ("_part", "_path")

    def __init__(self, patterns: Iterable[str]) -> None:
        stripped = [pattern.rstrip("/") for pattern in patterns]
        paths = [*stripped, *(f"*/{p}" for p in stripped if "/" in p)]
        self._part = _union(stripped)
        self._path = _union(paths)

    def name_or_path(self, name: str, posix: str) -> bool:
        """The test for an entry whose folder is known not to be excluded."""
        return self._part(name) is not None or self._path(posix) is not None

    def excludes(self, path: PurePath) -> bool:
        """The full test, for a path whose folders were not checked on the way down."""
        if self.name_or_path(path.name, path.as_posix()):
            return True
        return any(self._part(part) is not None for part in path.parts)


def _union(patterns: list[str]) -> _Matcher:
    if not patterns:
        return _never
    return re.compile("|".join(f"(?:{translate(p)})" for p in patterns)).match


def _never(_: str) -> None:
    return None


def is_excluded(path: PurePath, patterns: Iterable[str]) -> bool:
    return Excluder(patterns).excludes(path)


def _walk(root: Path, excludes: tuple[str, ...], notes: list[str]) -> Iterator[tuple[Path, str]]:
    """YAML files under `root` in a stable order, each with its resolved path (for duplicates).

    Resolving costs one `realpath` per root and one `lstat` per file, not a walk up every
    file's path: `os.walk` does not enter symlinked folders, so every folder below the root
    is the resolved root joined with the folder's relative path.
    """
    excluder = Excluder(excludes)
    root_text = os.fspath(root)
    real_root = os.path.realpath(root_text)
    for folder, dirnames, filenames in os.walk(root):
        here = Path(folder)
        rel = folder[len(root_text) :].lstrip(os.sep).replace(os.sep, "/")
        prefix = rel + "/" if rel else ""
        dirnames[:] = sorted(d for d in dirnames if not excluder.name_or_path(d, prefix + d))
        if "templates" in dirnames and (here / "Chart.yaml").is_file():
            dirnames.remove("templates")
            notes.append(
                f"{here}: Helm chart templates skipped; lint `helm template` output instead"
            )
        for name in sorted(filenames):
            if not name.endswith(YAML_SUFFIXES) or excluder.name_or_path(name, prefix + name):
                continue
            full = os.path.join(folder, name)
            if os.path.islink(full):
                resolved = os.path.realpath(full)
            else:
                resolved = os.path.join(real_root, prefix + name)
            yield here / name, resolved


def discover(
    paths: Iterable[str],
    excludes: tuple[str, ...],
    force_exclude: bool,
    stdin_filename: str | None = None,
) -> tuple[list[Input], list[InputProblem], list[str]]:
    """Inputs in a stable order, problems with paths that cannot be read, and verbose notes."""
    inputs: list[Input] = []
    problems: list[InputProblem] = []
    notes: list[str] = []
    seen: set[str] = set()
    for raw in paths:
        if raw == STDIN:
            inputs.append(Input(stdin_filename or "<stdin>", None))
            continue
        path = Path(raw)
        if path.is_dir():
            for found, resolved in _walk(path, excludes, notes):
                if resolved not in seen:
                    seen.add(resolved)
                    inputs.append(Input(str(found), found))
        elif path.is_file():
            if force_exclude and is_excluded(path, excludes):
                continue
            resolved = os.path.realpath(path)
            if resolved not in seen:
                seen.add(resolved)
                inputs.append(Input(raw, path))
        elif path.exists():
            problems.append(InputProblem(raw, None, "not a regular file or directory"))
        else:
            problems.append(InputProblem(raw, None, "no such file or directory"))
    return inputs, problems, notes
