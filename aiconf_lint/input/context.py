"""`--with-context`: check named files together with the manifests they ship with.

pre-commit passes only the staged files, so a cross-file rule sees half a bundle: a Deployment
staged without its (unchanged) ServiceMonitor looks unscraped. With this option each named
file brings in its context, the Helm chart or kustomize overlay it belongs to (the nearest
folder above it with a `Chart.yaml` or `kustomization.yaml`, searched no higher than the
working directory), else the other manifests in its own folder. Findings are reported for the
named files only; the context is read, never judged.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from aiconf_lint.input.discovery import STDIN, is_manifest_name
from aiconf_lint.input.excludes import is_excluded
from aiconf_lint.model import Report

BUNDLE_MARKERS = ("Chart.yaml", "kustomization.yaml", "kustomization.yml", "Kustomization")


def bundle_root(file: Path, top: Path) -> Path | None:
    """The chart or overlay folder `file` belongs to, if any, no higher than `top`."""
    folder = Path(os.path.abspath(file)).parent
    top = Path(os.path.abspath(top))
    while folder == top or top in folder.parents:
        if any((folder / marker).is_file() for marker in BUNDLE_MARKERS):
            return folder
        folder = folder.parent
    return None


def context_files(paths: Sequence[str], excludes: Iterable[str]) -> list[str]:
    """Manifests that share a bundle with the named files (the named files excluded)."""
    excludes = tuple(excludes)
    named = {Path(os.path.abspath(p)) for p in paths if p != STDIN}
    extra: dict[Path, None] = {}
    cwd = Path.cwd()
    for path in sorted(named):
        if not path.is_file():
            continue
        root = bundle_root(path, cwd)
        candidates = _walk(root) if root is not None else _folder(path.parent)
        for candidate in candidates:
            if candidate not in named and not is_excluded(candidate, excludes, root or cwd):
                extra[candidate] = None
    return [_display(candidate, cwd) for candidate in extra]


def _folder(folder: Path) -> list[Path]:
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return []
    return [folder / name for name in names if is_manifest_name(name) and (folder / name).is_file()]


def _walk(root: Path) -> list[Path]:
    found: list[Path] = []
    for folder, dirnames, filenames in os.walk(root):
        # Chart templates are not manifests; hidden folders hold tooling, not workloads.
        dirnames[:] = sorted(d for d in dirnames if d != "templates" and not d.startswith("."))
        here = Path(folder)
        found.extend(here / name for name in sorted(filenames) if is_manifest_name(name))
    return found


def _display(path: Path, cwd: Path) -> str:
    try:
        return path.relative_to(cwd).as_posix()
    except ValueError:
        return str(path)


def drop_context(report: Report, context: Sequence[str]) -> None:
    """Drop findings and errors about context files: only the named files are reported."""
    skip = {os.path.abspath(p) for p in context}
    report.findings = [f for f in report.findings if os.path.abspath(f.location.file) not in skip]
    report.errors = [e for e in report.errors if os.path.abspath(e.file) not in skip]
