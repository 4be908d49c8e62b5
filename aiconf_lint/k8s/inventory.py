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
from pathlib import PurePosixPath
from typing import Any

from aiconf_lint.k8s.bundle import Bundle
from aiconf_lint.k8s.objects import K8sObject

MAX_FILES_SHOWN = 3


def in_scope(bundle: Bundle, workload: K8sObject, other: K8sObject) -> bool:
    """True when `other` ships with `workload`: same file, chart, or a folder at or above it."""
    if bundle.are_related(workload, other):
        return True
    folder = PurePosixPath(workload.file).parent
    return PurePosixPath(other.file).parent in folder.parents


def scoped(bundle: Bundle, workload: K8sObject, candidates: Iterable[K8sObject]) -> list[K8sObject]:
    return [other for other in candidates if in_scope(bundle, workload, other)]


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
