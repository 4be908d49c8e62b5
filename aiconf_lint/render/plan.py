"""Which charts and overlays a run renders, and which inputs it still reads as plain YAML.

Kept apart from `render.lint` so that a run with no chart or overlay pays for finding out and
nothing more: the renderers, the mappers and their imports load only when there is a target.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from aiconf_lint.input.excludes import is_excluded
from aiconf_lint.records import field, record
from aiconf_lint.render.targets import Target, find_targets, targets_for_files
from aiconf_lint.settings import Settings

STDIN = "-"


@record
class Plan:
    """What the run renders, what it still reads as plain YAML, and what renders cover."""

    targets: list[Target] = field(default_factory=list)
    plain: list[str] = field(default_factory=list)
    covered: set[Path] = field(default_factory=set)
    charts: list[Path] = field(default_factory=list)
    """Chart folders found by walking: every file in them reaches the run through the render
    (values files, `files/` read with `.Files.Get | tpl`, subcharts), none as plain YAML."""

    def keeps(self, source_path: str) -> bool:
        if not self.covered and not self.charts:
            return True
        resolved = Path(source_path).resolve()
        if resolved in self.covered:
            return False
        return not any(resolved.is_relative_to(chart) for chart in self.charts)


def plan_renders(paths: Sequence[str], settings: Settings) -> Plan:
    excludes = (*settings.exclude, *settings.extend_exclude)
    plan = Plan()
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if raw == STDIN or not path.exists():
            plan.plain.append(raw)
        elif path.is_dir():
            found, covered = find_targets(path, excludes)
            plan.targets.extend(found)
            plan.covered |= covered
            plan.charts.extend(t.folder.resolve() for t in found if t.kind == "helm")
            plan.plain.append(raw)
        elif not (settings.force_exclude and is_excluded(path, excludes)):
            files.append(path)
    claimed: set[Path] = set()
    if files:
        # kustomize's default load restrictor bounds where an overlay may list a file from.
        root_only = settings.section("kustomize").get("load-restrictor") != "none"
        found, claimed = targets_for_files(files, excludes, root_only=root_only)
        plan.targets.extend(found)
        plan.covered |= claimed
    # A helper (`.tpl`) outside every chart is no manifest: nothing renders or reads it.
    plan.plain.extend(str(f) for f in files if f.resolve() not in claimed and f.suffix != ".tpl")
    unique: dict[tuple[str, Path], Target] = {}
    for target in plan.targets:
        unique.setdefault((target.kind, target.folder.resolve()), target)
    plan.targets = list(unique.values())
    return plan
