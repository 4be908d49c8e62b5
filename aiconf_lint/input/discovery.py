"""Find the YAML files to check: files, directories (recursively), or `-` for stdin.

Excludes follow ruff: a pattern without `/` (`ci`, `*.tmp.yaml`) matches any file or folder
name below where the walk starts; a pattern with `/` (`charts/*/ci`) is anchored at the
directory of the config file that declares it (the working directory for command-line
patterns), so it means the same from a subfolder, for `check charts/`, with absolute paths and
under `--force-exclude`. Files named explicitly are always checked unless `--force-exclude` is
set, which pre-commit needs because it passes every staged file by name.

The walk takes `*.yaml`/`*.yml` in any letter case, and `*.json` files that hold a Kubernetes
object (kubectl reads both); other JSON (package.json, tsconfig.json) is skipped silently.
Pipes and character devices named explicitly (`check <(helm template ...)`) are read too.
"""

from __future__ import annotations

import glob
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path, PurePath

from aiconf_lint.model import InputProblem

YAML_SUFFIXES = (".yaml", ".yml")
# Python files are read too; only those that build pods become objects (`python_source`).
PYTHON_SUFFIXES = (".py",)
JSON_SUFFIX = ".json"
STDIN = "-"


@dataclass(frozen=True, slots=True)
class Input:
    """One thing to read: `display` is the path as the user gave it ("<stdin>" for stdin)."""

    display: str
    path: Path | None
    only_if_k8s: bool = False
    """Found by the walk as `*.json`: checked only when it holds a Kubernetes object."""


def anchor_pattern(pattern: str, base: Path) -> str:
    """`pattern` made absolute at `base` when it names a path (has a `/`), as ruff does."""
    stripped = pattern.rstrip("/")
    if "/" not in stripped or PurePath(stripped).is_absolute():
        return pattern
    return f"{glob.escape(Path(os.path.abspath(base)).as_posix())}/{stripped}"


def is_excluded(path: Path, patterns: Iterable[str], base: Path | None = None) -> bool:
    """Whether `path` (or a folder it is in) matches a pattern.

    Name patterns match any part of `path` relative to `base` (the folder the walk started
    from, or the path as given); path patterns match the absolute path or any of its folders.
    """
    relative = _rel(path, base) if base is not None else PurePath(path)
    absolute = PurePath(os.path.abspath(path))
    ancestry = [absolute.as_posix(), *(p.as_posix() for p in absolute.parents)]
    for pattern in patterns:
        stripped = pattern.rstrip("/")
        if "/" not in stripped:
            if any(fnmatch(part, stripped) for part in relative.parts):
                return True
            continue
        anchored = anchor_pattern(stripped, Path.cwd())
        if any(fnmatch(candidate, anchored) for candidate in ancestry):
            return True
    return False


def is_manifest_name(name: str) -> bool:
    return name.lower().endswith((*YAML_SUFFIXES, JSON_SUFFIX))


def _walk(root: Path, excludes: tuple[str, ...], notes: list[str]) -> Iterator[Path]:
    for folder, dirnames, filenames in os.walk(root):
        here = Path(folder)
        dirnames[:] = sorted(d for d in dirnames if not is_excluded(here / d, excludes, root))
        if "templates" in dirnames and (here / "Chart.yaml").is_file():
            dirnames.remove("templates")
            notes.append(
                f"{here}: Helm chart templates skipped; lint `helm template` output instead"
            )
        for name in sorted(filenames):
            if not (is_manifest_name(name) or name.endswith(PYTHON_SUFFIXES)):
                continue
            candidate = here / name
            if not is_excluded(candidate, excludes, root):
                yield candidate


def _rel(path: Path, root: Path) -> PurePath:
    try:
        return path.relative_to(root)
    except ValueError:
        return path


def _is_stream(path: Path) -> bool:
    """A pipe or character device (`<(helm template ...)`, /dev/stdin): read once, as given."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISCHR(mode)


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
                    json_only = found.name.lower().endswith(JSON_SUFFIX)
                    inputs.append(Input(str(found), found, only_if_k8s=json_only))
        elif path.is_file():
            if force_exclude and is_excluded(path, excludes):
                continue
            resolved = path.resolve()
            if resolved not in seen:
                seen.add(resolved)
                inputs.append(Input(raw, path))
        elif _is_stream(path):
            inputs.append(Input(raw, path))
        elif path.exists():
            problems.append(InputProblem(raw, None, "not a regular file or directory"))
        else:
            problems.append(InputProblem(raw, None, "no such file or directory"))
    return inputs, problems, notes
