"""Scoped inventory: what a rule may conclude is absent from the objects of one run.

A run is rarely the whole cluster. A rule that says "no NodePool can host this pod" or "the
claim template is missing" must have seen the inventory the workload ships with: objects in
the same file, the same Helm chart release, or a folder at or above the workload's (a
kustomization renders into one file; a repository's shared NodePools sit in a parent
folder). Objects in a sibling example folder say nothing about this workload's cluster.

Objects that exist outside the run are declared in `[tool.aiconf-lint.inventory]`
(`claim-templates`, `resource-claims`, `node-pools`, each a list of `[namespace/]name`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import PurePosixPath
from typing import Any

from aiconf_lint.k8s.bundle import Bundle, folder_of, release_of
from aiconf_lint.k8s.objects import K8sObject

MAX_FILES_SHOWN = 3


def in_scope(bundle: Bundle, workload: K8sObject, other: K8sObject) -> bool:
    """True when `other` ships with `workload`: same file, chart, or a folder at or above it."""
    if bundle.are_related(workload, other):
        return True
    return folder_of(other) in _folders_above(folder_of(workload))


@lru_cache(maxsize=4096)
def _folders_above(folder: str) -> frozenset[str]:
    return frozenset(str(parent) for parent in PurePosixPath(folder).parents)


class Scope:
    """`in_scope` for one list of candidates, answered from indexes, once per workload scope.

    Whether a candidate ships with a workload depends on the workload's file and Helm release
    only, so the workloads of one file share one answer, looked up by file, release,
    kustomization and folder (the workload's and the folders above it) instead of testing
    every candidate: a run of many copies (overlays per cluster) grew with the square of the
    copies when each file was tested against every pool and claim of every copy.
    """

    __slots__ = ("_answers", "_index", "bundle", "candidates")

    def __init__(self, bundle: Bundle, candidates: Iterable[K8sObject]) -> None:
        self.bundle = bundle
        self.candidates = list(candidates)
        self._answers: dict[tuple[str, str | None], list[K8sObject]] = {}
        self._index: dict[tuple[str, object], list[int]] = {}
        for i, candidate in enumerate(self.candidates):
            for key in self._keys(candidate):
                self._index.setdefault(key, []).append(i)

    def _keys(self, obj: K8sObject) -> list[tuple[str, object]]:
        """The index keys `obj` shares with anything deployed with it (`Bundle.are_related`)."""
        keys: list[tuple[str, object]] = [("file", obj.file), ("folder", folder_of(obj))]
        release = release_of(obj)
        if release is not None:
            keys.append(("release", release))
        kustomization = self.bundle.kustomization_of(obj)
        if kustomization is not None:
            keys.append(("kustomization", kustomization))
        return keys

    def of(self, workload: K8sObject) -> list[K8sObject]:
        """The candidates that ship with `workload` (`in_scope`), in candidate order."""
        key = (workload.file, release_of(workload))
        found = self._answers.get(key)
        if found is None:
            keys = self._keys(workload)
            keys += [("folder", above) for above in _folders_above(folder_of(workload))]
            hits = {i for k in keys for i in self._index.get(k, ())}
            found = self._answers[key] = [self.candidates[i] for i in sorted(hits)]
        return found


def files_of(objects: Iterable[K8sObject]) -> str:
    """`a.yaml`, `b.yaml` and 2 more: the files an inventory came from, for a message."""
    files = sorted({obj.file for obj in objects})
    shown = ", ".join(f"`{PurePosixPath(f).name}`" for f in files[:MAX_FILES_SHOWN])
    if len(files) > MAX_FILES_SHOWN:
        shown += f" and {len(files) - MAX_FILES_SHOWN} more"
    return shown


def declared(section: Mapping[str, Any], key: str, namespace: str, name: str) -> bool:
    """Whether `[tool.aiconf-lint.inventory] key` lists `name` (in `namespace`, or any)."""
    for item in section.get(key, ()):
        text = str(item)
        space, _, bare = text.rpartition("/")
        if bare == name and space in ("", namespace):
            return True
    return False


def declares_any(section: Mapping[str, Any], key: str) -> bool:
    return bool(section.get(key))
