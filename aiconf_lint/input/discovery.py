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

import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

from aiconf_lint.input.excludes import Excluder, is_excluded
from aiconf_lint.input.tree import scan
from aiconf_lint.model import InputProblem
from aiconf_lint.records import record

YAML_SUFFIXES = (".yaml", ".yml")
# Python files are read too; only those that build pods become objects (`python_source`).
PYTHON_SUFFIXES = (".py",)
JSON_SUFFIX = ".json"
STDIN = "-"


@record(frozen=True)
class Input:
    """One thing to read: `display` is the path as the user gave it ("<stdin>" for stdin)."""

    display: str
    path: Path | None
    only_if_k8s: bool = False
    """Found by the walk as `*.json`: checked only when it holds a Kubernetes object."""


def is_python_path(path: str) -> bool:
    """A Python source (`python_source` reads it; the YAML loader and fix loop never do)."""
    return path.endswith(PYTHON_SUFFIXES)


def is_manifest_name(name: str) -> bool:
    return name.lower().endswith((*YAML_SUFFIXES, JSON_SUFFIX))


def _walk(root: Path, excludes: tuple[str, ...], notes: list[str]) -> Iterator[tuple[Path, str]]:
    """Files to read under `root` in a stable order, each with its resolved path (duplicates).

    Resolving costs one `realpath` per root and per symbolic link, not a walk up every file's
    path: folders that are links are never entered, so every folder below the root is the
    resolved root joined with the folder's relative path.
    """
    if Excluder(excludes).excludes_path(root):
        return  # `charts/*/ci` excludes everything below `charts/x/ci`, however it is named
    real_root = os.path.realpath(root)
    skipped: tuple[str, ...] = ()  # chart template folders: `rel + "/"` prefixes
    for folder in scan(os.fspath(root), excludes):
        prefix = folder.rel + "/" if folder.rel else ""
        if skipped and prefix.startswith(skipped):
            continue
        if "templates" in folder.dirs and "Chart.yaml" in folder.files:
            skipped = (*skipped, prefix + "templates/")
            notes.append(
                f"{Path(folder.path)}: Helm chart templates skipped; lint `helm template` "
                "output instead"
            )
        here: Path | None = None
        for name in folder.files:
            if not (is_manifest_name(name) or name.endswith(PYTHON_SUFFIXES)):
                continue
            here = here or Path(folder.path)
            if name in folder.links:
                resolved = os.path.realpath(os.path.join(folder.path, name))
            else:
                resolved = os.path.join(real_root, prefix + name)
            yield here / name, resolved


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
                    json_only = found.name.lower().endswith(JSON_SUFFIX)
                    inputs.append(Input(str(found), found, only_if_k8s=json_only))
        elif path.is_file():
            if force_exclude and is_excluded(path, excludes):
                continue
            resolved = os.path.realpath(path)
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
