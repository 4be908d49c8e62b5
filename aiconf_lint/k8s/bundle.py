"""The index of every object in one run, for rules that relate objects to each other.

Lookups are by (kind, namespace, name) and by label; selector matching starts from the
shortest posting list of its `matchLabels`, so cross-document rules stay near linear in the
number of objects instead of comparing every selector with every object.
"""

from __future__ import annotations

import functools
import posixpath
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import PurePosixPath
from typing import Any, TypeVar

from aiconf_lint.k8s.accelerators import AcceleratorResource
from aiconf_lint.k8s.facts import ObjectFacts, RunFacts
from aiconf_lint.k8s.objects import K8sObject, as_list, as_map
from aiconf_lint.k8s.workloads import PodTemplate, pod_templates
from aiconf_lint.model import ObjectKey
from aiconf_lint.records import field, record

_NONE: list[K8sObject] = []
"""The one empty group: source groups are shared, never mutated by callers."""
LabelsOf = Callable[[K8sObject], Iterable[Mapping[str, str]]]
T = TypeVar("T")


@record(frozen=True)
class Selector:
    """A parsed `LabelSelector`; `None` from `parse` means the selector is malformed."""

    match_labels: tuple[tuple[str, str], ...] = ()
    expressions: tuple[tuple[str, str, frozenset[str]], ...] = ()

    @property
    def empty(self) -> bool:
        return not self.match_labels and not self.expressions

    @classmethod
    def parse(cls, raw: object, plain_map: bool = False) -> Selector | None:
        """`plain_map` for Service-style selectors, which are a bare label map."""
        data = as_map(raw)
        if plain_map:
            return cls(tuple((str(k), str(v)) for k, v in data.items()))
        labels = tuple((str(k), str(v)) for k, v in as_map(data.get("matchLabels")).items())
        expressions: list[tuple[str, str, frozenset[str]]] = []
        for item in as_list(data.get("matchExpressions")):
            item_map = as_map(item)
            key, operator = item_map.get("key"), item_map.get("operator")
            if not isinstance(key, str) or operator not in (
                "In",
                "NotIn",
                "Exists",
                "DoesNotExist",
            ):
                return None
            values = frozenset(str(v) for v in as_list(item_map.get("values")))
            expressions.append((key, str(operator), values))
        return cls(labels, tuple(expressions))

    def matches(self, labels: Mapping[str, str]) -> bool:
        for key, value in self.match_labels:
            if labels.get(key) != value:
                return False
        for key, operator, values in self.expressions:
            present = key in labels
            if operator == "In" and (not present or labels[key] not in values):
                return False
            if operator == "NotIn" and present and labels[key] in values:
                return False
            if operator == "Exists" and not present:
                return False
            if operator == "DoesNotExist" and present:
                return False
        return True


@record
class _SourceIndex:
    by_file: dict[str, list[K8sObject]] = field(default_factory=dict)
    by_release: dict[str, list[K8sObject]] = field(default_factory=dict)
    by_kustomization: dict[PurePosixPath, list[K8sObject]] = field(default_factory=dict)
    by_folder: dict[str, list[K8sObject]] = field(default_factory=dict)


@record
class Bundle:
    """All objects of one invocation. Absent namespaces count as the run's default namespace."""

    objects: list[K8sObject] = field(default_factory=list)
    default_namespace: str = "default"
    accelerators: tuple[AcceleratorResource, ...] = ()
    """Extra accelerator resource names from `[tool.aiconf-lint.accelerators]`."""
    _by_kind: dict[str, list[K8sObject]] = field(default_factory=lambda: defaultdict(list))
    _by_id: dict[tuple[str, str, str], list[K8sObject]] = field(
        default_factory=lambda: defaultdict(list)
    )
    _templates: dict[int, list[PodTemplate]] = field(default_factory=dict)
    _label_index: dict[str, dict[tuple[str, str], list[K8sObject]]] = field(default_factory=dict)
    _memo: dict[str, Any] = field(default_factory=dict)
    _facts: dict[int, ObjectFacts] = field(default_factory=dict)
    _run: RunFacts | None = None

    def add(self, obj: K8sObject) -> None:
        self.objects.append(obj)
        self._by_kind[obj.kind].append(obj)
        self._by_id[(obj.kind, self.namespace_of(obj), obj.name)].append(obj)

    def namespace_of(self, obj: K8sObject) -> str:
        return obj.namespace or self.default_namespace

    def of_kind(self, *kinds: str) -> Iterator[K8sObject]:
        for kind in kinds:
            yield from self._by_kind.get(kind, ())

    def get(self, kind: str, namespace: str | None, name: str) -> list[K8sObject]:
        return self._by_id.get((kind, namespace or self.default_namespace, name), [])

    def resolve(self, key: ObjectKey) -> K8sObject | None:
        """The object a finding names by key."""
        index = self.cached("bundle.by_key", lambda: {o.key: o for o in self.objects})
        return index.get(key)

    def named(self, kind: str, name: str, group: str | None = None) -> list[K8sObject]:
        """Objects of `kind` called `name` in any namespace (of API `group` when given).

        For references whose namespace is not known for sure: an object applied without a
        namespace may land in any of them, so a lookup by (kind, namespace, name) alone would
        report as missing what is only unplaced. Indexed once per kind and run.
        """
        index = self.cached(f"bundle:named:{kind}", lambda: _by_name(self.of_kind(kind)))
        found = index.get(name, [])
        return found if group is None else [obj for obj in found if obj.group == group]

    def templates(self, obj: K8sObject) -> list[PodTemplate]:
        """Pod templates of an object, computed once per run and shared by every rule."""
        key = id(obj)
        cached = self._templates.get(key)
        if cached is None:
            cached = pod_templates(obj)
            self._templates[key] = cached
        return cached

    def facts(self, obj: K8sObject) -> ObjectFacts:
        """The object's facts record (`k8s/facts.py`), created on first use and kept."""
        found = self._facts.get(id(obj))
        if found is None:
            if self._run is None:
                self._run = RunFacts(self.accelerators, self._by_kind["DeviceClass"])
            found = self._facts[id(obj)] = ObjectFacts(obj, self.templates(obj), self._run)
        return found

    def select(
        self,
        selector: Selector,
        kinds: tuple[str, ...],
        namespaces: frozenset[str] | None,
        labels_of: LabelsOf,
        index_name: str,
    ) -> list[K8sObject]:
        """Objects of `kinds` in `namespaces` (None: any) having a label set the selector matches.

        An empty selector matches everything, as in Kubernetes.
        """
        index = self._label_index.get(index_name)
        if index is None:
            index = defaultdict(list)
            for obj in self.of_kind(*kinds):
                seen: set[tuple[str, str]] = set()
                for labels in labels_of(obj):
                    for pair in labels.items():
                        if pair not in seen:
                            seen.add(pair)
                            index[pair].append(obj)
            self._label_index[index_name] = index
        if selector.match_labels:
            postings: list[list[K8sObject]] = [
                index.get(pair, []) for pair in selector.match_labels
            ]
            candidates: list[K8sObject] = min(postings, key=len)
        else:
            candidates = list(self.of_kind(*kinds))
        hits: list[K8sObject] = []
        for obj in candidates:
            if namespaces is not None and self.namespace_of(obj) not in namespaces:
                continue
            if any(selector.matches(labels) for labels in labels_of(obj)):
                hits.append(obj)
        return hits

    # ------------------------------------------------------------ deployed together
    # One answer for every family to "do these objects ship together?": the same file, the
    # same Helm chart release, the same kustomization, or the same folder. A finding that
    # pairs two objects (an HPA and its target, a monitor and a pod) or says one is missing
    # needs that evidence; precision beats recall there, so nothing wider (a parent folder,
    # a shared namespace) counts.

    def are_related(self, a: K8sObject, b: K8sObject) -> bool:
        """Whether `a` and `b` are deployed together (see `related_sources`)."""
        if a.file == b.file:
            return True
        release = release_of(a)
        if release is not None and release == release_of(b):
            return True
        kustomization = self.kustomization_of(a)
        if kustomization is not None and kustomization == self.kustomization_of(b):
            return True
        return folder_of(a) == folder_of(b)

    def related_sources(self, obj: K8sObject) -> Iterator[K8sObject]:
        """Objects deployed with `obj`: its file, Helm chart release, kustomization or folder.

        Served from per-file, per-release, per-kustomization and per-folder indexes, so asking
        for the first one is constant time however large the run is.
        """
        seen = {id(obj)}
        for group in (
            self.same_file(obj),
            self.same_release(obj),
            self.same_kustomization(obj),
            self.same_folder(obj),
        ):
            for other in group:
                if id(other) not in seen:
                    seen.add(id(other))
                    yield other

    def same_file(self, obj: K8sObject) -> list[K8sObject]:
        """Every object of `obj`'s file, `obj` included."""
        return self._sources().by_file.get(obj.file, _NONE)

    def same_release(self, obj: K8sObject) -> list[K8sObject]:
        """Every object rendered from `obj`'s Helm chart; empty when it was not rendered."""
        release = release_of(obj)
        return _NONE if release is None else self._sources().by_release.get(release, _NONE)

    def same_kustomization(self, obj: K8sObject) -> list[K8sObject]:
        """Every object under the folder of the nearest `kustomization.yaml` above `obj`."""
        root = self.kustomization_of(obj)
        return _NONE if root is None else self._sources().by_kustomization.get(root, _NONE)

    def same_folder(self, obj: K8sObject) -> list[K8sObject]:
        return self._sources().by_folder.get(folder_of(obj), _NONE)

    def kustomization_of(self, obj: K8sObject) -> PurePosixPath | None:
        """The folder of the outermost Kustomization above `obj` that deploys it, if any.

        A Kustomization deploys what its `resources` (and `components`) list: a file, or a
        folder and everything a Kustomization there lists in turn. An object in a folder below
        a Kustomization that does not list it (a `samples/` folder beside the overlay) is not
        part of it. Only Kustomizations in folders above the object are followed.
        """
        listed = self._kustomizations()
        if not listed:
            return None
        by_file: dict[str, PurePosixPath | None] = self.cached("bundle.kustomization_of", dict)
        if obj.file not in by_file:  # asked for both objects of every pair compared
            by_file[obj.file] = self._kustomization_of_file(obj.file, listed)
        return by_file[obj.file]

    @staticmethod
    def _kustomization_of_file(
        file: str, listed: dict[PurePosixPath, tuple[PurePosixPath, ...]]
    ) -> PurePosixPath | None:
        path = PurePosixPath(posixpath.normpath(file))
        found: PurePosixPath | None = None
        for folder in path.parents:
            entries = listed.get(folder)
            if entries is not None and any(e == path or e in path.parents for e in entries):
                found = path = folder
        return found

    def _kustomizations(self) -> dict[PurePosixPath, tuple[PurePosixPath, ...]]:
        """Folder of each Kustomization of the run -> the paths it lists, normalised."""
        return self.cached("bundle.kustomizations", self._index_kustomizations)

    def _index_kustomizations(self) -> dict[PurePosixPath, tuple[PurePosixPath, ...]]:
        found: dict[PurePosixPath, tuple[PurePosixPath, ...]] = {}
        for kustomization in self.of_kind("Kustomization"):
            if kustomization.group != "kustomize.config.k8s.io":
                continue
            folder = PurePosixPath(posixpath.normpath(kustomization.file)).parent
            entries = [
                PurePosixPath(posixpath.normpath(f"{folder}/{entry}"))
                for key in ("resources", "components")
                for entry in as_list(kustomization.data.get(key))
                if isinstance(entry, str) and "://" not in entry
            ]
            found[folder] = (*found.get(folder, ()), *entries)
        return found

    def _sources(self) -> _SourceIndex:
        return self.cached("bundle.sources", self._index_sources)

    def _index_sources(self) -> _SourceIndex:
        index = _SourceIndex()
        for obj in self.objects:
            index.by_file.setdefault(obj.file, []).append(obj)
            release = release_of(obj)
            if release is not None:
                index.by_release.setdefault(release, []).append(obj)
            root = self.kustomization_of(obj)
            if root is not None:
                index.by_kustomization.setdefault(root, []).append(obj)
            index.by_folder.setdefault(folder_of(obj), []).append(obj)
        return index

    def cached(self, key: str, compute: Callable[[], T]) -> T:
        """A value computed once per run and shared by every rule (indexes, group tables)."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]  # type: ignore[no-any-return]

    def per_list(self, table: str, objs: list[K8sObject], compute: Callable[[], T]) -> T:
        """`compute()` once per run-long list (a memoized selection, shared by every Service or
        monitor with the same selector). Keyed by identity: only for lists the run keeps."""
        memo: dict[int, T] = self.cached(table, dict)
        key = id(objs)
        if key not in memo:
            memo[key] = compute()
        return memo[key]

    def per_object(self, table: str, obj: K8sObject, compute: Callable[[K8sObject], T]) -> T:
        """`compute(obj)` once per object and run: what every Service, route, pool or claim
        that reaches the object would otherwise work out again (copies of a chart reach every
        copy). Keyed by identity: the bundle keeps its objects alive for the run."""
        memo: dict[int, T] = self.cached(table, dict)
        key = id(obj)
        if key not in memo:
            memo[key] = compute(obj)
        return memo[key]


def _by_name(objs: Iterable[K8sObject]) -> dict[str, list[K8sObject]]:
    index: dict[str, list[K8sObject]] = defaultdict(list)
    for obj in objs:
        index[obj.name].append(obj)
    return index


def release_of(obj: K8sObject) -> str | None:
    """The Helm chart a rendered document came from (its `# Source: <chart>/...` line)."""
    origin = obj.doc.origin
    return origin.split("/", 1)[0] if origin else None


def folder_of(obj: K8sObject) -> str:
    """The folder of the object's file as reported (`a/b.yaml` -> `a`, `b.yaml` -> `.`)."""
    return _folder(obj.file)


@functools.lru_cache(maxsize=65536)
def _folder(path: str) -> str:
    """Pure in the path, so computed once per file and not once per pair of objects compared."""
    return str(PurePosixPath(path).parent)
