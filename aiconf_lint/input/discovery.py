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
import re
import stat
from collections.abc import Callable, Iterable, Iterator
from fnmatch import translate
from pathlib import Path, PurePath

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
    return Excluder(patterns).excludes(path, base)


def is_python_path(path: str) -> bool:
    """A Python source (`python_source` reads it; the YAML loader and fix loop never do)."""
    return path.endswith(PYTHON_SUFFIXES)


def is_manifest_name(name: str) -> bool:
    return name.lower().endswith((*YAML_SUFFIXES, JSON_SUFFIX))


def _walk(root: Path, excludes: tuple[str, ...], notes: list[str]) -> Iterator[tuple[Path, str]]:
    """Files to read under `root` in a stable order, each with its resolved path (duplicates).

    Resolving costs one `realpath` per root and one `lstat` per file, not a walk up every
    file's path: `os.walk` does not enter symlinked folders, so every folder below the root
    is the resolved root joined with the folder's relative path.
    """
    excluder = Excluder(excludes)
    if excluder.excludes_path(root):
        return  # `charts/*/ci` excludes everything below `charts/x/ci`, however it is named
    root_text = os.fspath(root)
    real_root = os.path.realpath(root_text)
    for folder, dirnames, filenames in os.walk(root):
        here = Path(folder)
        rel = folder[len(root_text) :].lstrip(os.sep).replace(os.sep, "/")
        prefix = rel + "/" if rel else ""
        absolute = Path(os.path.abspath(folder)).as_posix().rstrip("/") + "/"
        dirnames[:] = sorted(d for d in dirnames if not excluder.entry(d, absolute + d))
        if "templates" in dirnames and (here / "Chart.yaml").is_file():
            dirnames.remove("templates")
            notes.append(
                f"{here}: Helm chart templates skipped; lint `helm template` output instead"
            )
        for name in sorted(filenames):
            if not (is_manifest_name(name) or name.endswith(PYTHON_SUFFIXES)):
                continue
            if excluder.entry(name, absolute + name):
                continue
            full = os.path.join(folder, name)
            if os.path.islink(full):
                resolved = os.path.realpath(full)
            else:
                resolved = os.path.join(real_root, prefix + name)
            yield here / name, resolved


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
