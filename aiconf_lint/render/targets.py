"""Which charts and overlays a run renders, and which files they cover.

A chart is a folder with a `Chart.yaml`; its subcharts (`charts/<name>/`) render with it and
never alone. An overlay is a folder with a `kustomization.yaml`, `kustomization.yml` or
`Kustomization`. Every file a kustomization reaches (resources, patches, components, bases,
recursively) is *covered*: it is linted through the render, not a second time as plain YAML.
A kustomization that another one found in the same run includes is not rendered on its own
either, since its objects are reached through the overlays that include it; naming it on the
command line renders it alone.

A named file (what pre-commit passes) is looked up without walking the checkout unless it can
be covered at all: kustomize's default load restrictor (`LoadRestrictionsRootOnly`) lets a
kustomization list files only at or below its own folder, so a file is covered only if a
kustomization in its folder or a folder above it reaches it. Only then is the checkout walked
for the top overlays that include it; with `load-restrictor = "none"` it always is.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Literal

import yaml

from aiconf_lint.input.excludes import Excluder
from aiconf_lint.input.tree import scan
from aiconf_lint.records import field, record

KUSTOMIZATION_FILES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
# libyaml when PyYAML was built with it: a checkout can hold hundreds of kustomizations.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_REMOTE_PREFIXES = ("http://", "https://", "git@", "ssh://", "git::", "github.com/", "oci://")


@record(frozen=True)
class Target:
    """One chart or overlay to render: `folder` as the user would write it."""

    kind: Literal["helm", "kustomize"]
    folder: Path

    @property
    def display(self) -> str:
        text = self.folder.as_posix()
        return text if text not in ("", ".") else "."

    @property
    def marker(self) -> Path:
        """The file that makes the folder a chart or an overlay."""
        if self.kind == "helm":
            return self.folder / "Chart.yaml"
        return kustomization_file(self.folder) or self.folder / "kustomization.yaml"


def is_chart(folder: Path) -> bool:
    return (folder / "Chart.yaml").is_file()


def kustomization_file(folder: Path) -> Path | None:
    for name in KUSTOMIZATION_FILES:
        candidate = folder / name
        if candidate.is_file():
            return candidate
    return None


def outer_chart(path: Path) -> Path | None:
    """The top chart a file or folder belongs to: subcharts render only with their parent."""
    start = path if path.is_dir() else path.parent
    chart = next((f for f in (start, *start.parents) if is_chart(f)), None)
    while chart is not None and chart.parent.name == "charts" and is_chart(chart.parent.parent):
        chart = chart.parent.parent
    return chart


@record
class Kustomization:
    """What one kustomization file refers to, resolved against its folder."""

    folder: Path
    file: Path
    data: dict[str, Any]
    dirs: list[Path] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    remote: list[str] = field(default_factory=list)


def _entries(data: dict[str, Any]) -> Iterator[str]:
    for key in ("resources", "bases", "components", "crds", "patchesStrategicMerge"):
        for item in data.get(key) or ():
            if isinstance(item, str):
                yield item
    for key in ("patches", "patchesJson6902"):
        for item in data.get(key) or ():
            if isinstance(item, dict) and isinstance(item.get("path"), str):
                yield item["path"]
    for key in ("configMapGenerator", "secretGenerator"):
        for item in data.get(key) or ():
            if isinstance(item, dict):
                for source in item.get("files") or ():
                    if isinstance(source, str):
                        yield source.rpartition("=")[2]
                for source in item.get("envs") or ([item["env"]] if item.get("env") else []):
                    if isinstance(source, str):
                        yield source


def read_kustomization(folder: Path) -> Kustomization | None:
    path = kustomization_file(folder)
    if path is None:
        return None
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        data = None
    found = Kustomization(folder, path, data if isinstance(data, dict) else {})
    for entry in _entries(found.data):
        if entry.startswith(_REMOTE_PREFIXES) or "://" in entry or "?ref=" in entry:
            found.remote.append(entry)
            continue
        target = folder / entry
        if target.is_dir():
            found.dirs.append(target)
        else:
            found.files.append(target)
    return found


Reads = dict[Path, tuple[Kustomization | None, set[Path]]]
"""Kustomizations already read in one search, by resolved folder, with the files each lists."""


def closure(folder: Path, reads: Reads | None = None) -> tuple[set[Path], list[Kustomization]]:
    """Every file an overlay reaches (resolved) and every kustomization on the way.

    `reads` lets the closures of one search share what they read: overlays of a checkout
    include the same bases, read once instead of once per overlay.
    """
    files: set[Path] = set()
    seen: set[Path] = set()
    found: list[Kustomization] = []
    stack = [folder]
    while stack:
        current = stack.pop()
        key = current.resolve()
        if key in seen:
            continue
        seen.add(key)
        cached = reads.get(key) if reads is not None else None
        if cached is None:
            k = read_kustomization(current)
            listed = set() if k is None else {k.file.resolve(), *(f.resolve() for f in k.files)}
            cached = (k, listed)
            if reads is not None:
                reads[key] = cached
        k, listed = cached
        if k is None:
            continue
        found.append(k)
        files |= listed
        stack.extend(k.dirs)
    return files, found


def _walk(root: Path, excludes: tuple[str, ...]) -> Iterator[tuple[Path, tuple[str, ...]]]:
    """Folders below `root` with their file names, excluded folders pruned as discovery does
    (the same listing: `tree.scan`), and a chart's subcharts and templates left to the chart."""
    if Excluder(excludes).excludes_path(root):
        return  # as in discovery: nothing below an excluded folder is read
    skipped: tuple[str, ...] = ()
    for folder in scan(os.fspath(root), excludes):
        prefix = folder.rel + "/" if folder.rel else ""
        if skipped and prefix.startswith(skipped):
            continue
        if "Chart.yaml" in folder.files:
            # Subcharts and templates render with the chart.
            skipped = (*skipped, prefix + "charts/", prefix + "templates/")
        yield Path(folder.path), folder.files


def find_targets(root: Path, excludes: tuple[str, ...]) -> tuple[list[Target], set[Path]]:
    """Charts and top overlays below `root`, and the files the overlays cover."""
    charts: list[Target] = []
    overlays: list[Path] = []
    for here, filenames in _walk(root, excludes):
        if "Chart.yaml" in filenames:
            charts.append(Target("helm", here))
        if any(name in filenames for name in KUSTOMIZATION_FILES):
            overlays.append(here)
    covered: set[Path] = set()
    included: set[Path] = set()
    reads: Reads = {}
    for folder in overlays:
        files, kustomizations = closure(folder, reads)
        covered |= files
        for k in kustomizations:
            if k.folder.resolve() != folder.resolve():
                included.add(k.folder.resolve())
    tops = [Target("kustomize", f) for f in overlays if f.resolve() not in included]
    return charts + tops, covered


def _search_root(file: Path, cwd: Path) -> Path | None:
    """Where overlays that may include `file` are searched: its checkout; outside any
    checkout, the working directory when the file is in it; else nowhere (a file in a large
    scratch folder must not make every run walk that folder)."""
    for folder in (file.parent, *file.parent.parents):
        if (folder / ".git").exists():
            return folder
    return cwd if file.is_relative_to(cwd) else None


def _display(path: Path, cwd: Path) -> Path:
    try:
        return path.relative_to(cwd)
    except ValueError:
        return path


def _reached_from_above(file: Path, root: Path, reach: dict[Path, set[Path]], reads: Reads) -> bool:
    """Whether a kustomization in `file`'s folder or a folder above it, up to `root`, reaches it.

    Under kustomize's default load restrictor only these can list the file (a folder outside a
    kustomization's root is listed only as another kustomization), so when none does, no
    overlay of the checkout covers it and the checkout need not be walked. `reach` keeps each
    folder's closure for the other files of the run.
    """
    for folder in (file.parent, *file.parent.parents):
        files = reach.get(folder)
        if files is None:
            files = reach[folder] = closure(folder, reads)[0]
        if file in files:
            return True
        if folder == root:
            break
    return False


def targets_for_files(
    files: Iterable[Path], excludes: tuple[str, ...], *, root_only: bool = True
) -> tuple[list[Target], set[Path]]:
    """Charts and overlays that render named files (what pre-commit passes), once each.

    Also the files that reach the run through those renders only: templates and helpers of
    charts, and files of overlays. Other files of a chart (values files, a rendered manifest
    kept beside it) are still read as plain YAML, where a values file is no object and skipped.
    `root_only` is kustomize's default load restrictor; with `load-restrictor = "none"` (false)
    an overlay anywhere in the checkout may list a file, so the checkout is always searched.
    """
    cwd = Path.cwd().resolve()
    targets: dict[Path, Target] = {}
    claimed: set[Path] = set()
    roots: dict[Path, Path | None] = {}
    reach: dict[Path, set[Path]] = {}
    reads: Reads = {}
    indexes: dict[Path, list[tuple[Target, set[Path]]]] = {}
    for file in files:
        resolved = file.resolve()
        chart = outer_chart(resolved)
        if chart is not None and resolved.name not in KUSTOMIZATION_FILES:
            targets.setdefault(chart, Target("helm", _display(chart, cwd)))
            if "templates" in resolved.relative_to(chart).parts or resolved.suffix == ".tpl":
                claimed.add(resolved)  # a template is no manifest until rendered
            continue
        if resolved.parent not in roots:
            roots[resolved.parent] = _search_root(resolved, cwd)
        root = roots[resolved.parent]
        if root is None or (root_only and not _reached_from_above(resolved, root, reach, reads)):
            continue
        index = indexes.get(root)
        if index is None:
            found = find_targets(root, excludes)[0]
            index = [(t, closure(t.folder, reads)[0]) for t in found if t.kind == "kustomize"]
            indexes[root] = index
        for target, covered in index:
            if resolved in covered:
                key = target.folder.resolve()
                targets.setdefault(key, Target("kustomize", _display(key, cwd)))
                claimed.add(resolved)
    return list(targets.values()), claimed
