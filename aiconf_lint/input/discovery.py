"""Find the YAML files to check: files, directories (recursively), or `-` for stdin.

Excludes match a path's basename or any trailing part of it, as ruff's do. Files named
explicitly are always checked unless `--force-exclude` is set, which pre-commit needs because
it passes every staged file by name.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path, PurePath

from aiconf_lint.model import InputProblem

YAML_SUFFIXES = (".yaml", ".yml")
# Python files are read too; only those that build pods become objects (`python_source`).
PYTHON_SUFFIXES = (".py",)
STDIN = "-"


@dataclass(frozen=True, slots=True)
class Input:
    """One thing to read: `display` is the path as the user gave it ("<stdin>" for stdin)."""

    display: str
    path: Path | None


def is_excluded(path: PurePath, patterns: Iterable[str]) -> bool:
    posix = path.as_posix()
    parts = path.parts
    for pattern in patterns:
        stripped = pattern.rstrip("/")
        if fnmatch(path.name, stripped) or fnmatch(posix, stripped):
            return True
        if any(fnmatch(part, stripped) for part in parts):
            return True
        if "/" in stripped and fnmatch(posix, f"*/{stripped}"):
            return True
    return False


def _walk(root: Path, excludes: tuple[str, ...], notes: list[str]) -> Iterator[Path]:
    for folder, dirnames, filenames in os.walk(root):
        here = Path(folder)
        dirnames[:] = sorted(d for d in dirnames if not is_excluded(_rel(here / d, root), excludes))
        if "templates" in dirnames and (here / "Chart.yaml").is_file():
            dirnames.remove("templates")
            notes.append(
                f"{here}: Helm chart templates skipped; lint `helm template` output instead"
            )
        for name in sorted(filenames):
            if not name.endswith(YAML_SUFFIXES + PYTHON_SUFFIXES):
                continue
            candidate = here / name
            if not is_excluded(_rel(candidate, root), excludes):
                yield candidate


def _rel(path: Path, root: Path) -> PurePath:
    try:
        return path.relative_to(root)
    except ValueError:
        return path


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
    seen: set[Path] = set()
    for raw in paths:
        if raw == STDIN:
            inputs.append(Input(stdin_filename or "<stdin>", None))
            continue
        path = Path(raw)
        if path.is_dir():
            for found in _walk(path, excludes, notes):
                resolved = found.resolve()
                if resolved not in seen:
                    seen.add(resolved)
                    inputs.append(Input(str(found), found))
        elif path.is_file():
            if force_exclude and is_excluded(path, excludes):
                continue
            resolved = path.resolve()
            if resolved not in seen:
                seen.add(resolved)
                inputs.append(Input(raw, path))
        elif path.exists():
            problems.append(InputProblem(raw, None, "not a regular file or directory"))
        else:
            problems.append(InputProblem(raw, None, "no such file or directory"))
    return inputs, problems, notes
