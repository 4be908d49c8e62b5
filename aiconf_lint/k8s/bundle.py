"""The index of every object in one run, for rules that relate objects to each other.

Lookups are by (kind, namespace, name) and by label; selector matching starts from the
shortest posting list of its `matchLabels`, so cross-document rules stay near linear in the
number of objects instead of comparing every selector with every object.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any, TypeVar

from aiconf_lint.k8s.objects import K8sObject, as_list, as_map
from aiconf_lint.k8s.workloads import PodTemplate, pod_templates

LabelsOf = Callable[[K8sObject], Iterable[Mapping[str, str]]]
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
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


@dataclass(slots=True)
class Bundle:
    """All objects of one invocation. Absent namespaces count as the run's default namespace."""

    objects: list[K8sObject] = field(default_factory=list)
    default_namespace: str = "default"
    _by_kind: dict[str, list[K8sObject]] = field(default_factory=lambda: defaultdict(list))
    _by_id: dict[tuple[str, str, str], list[K8sObject]] = field(
        default_factory=lambda: defaultdict(list)
    )
    _templates: dict[int, list[PodTemplate]] = field(default_factory=dict)
    _label_index: dict[str, dict[tuple[str, str], list[K8sObject]]] = field(default_factory=dict)
    _by_file: dict[str, list[K8sObject]] | None = None
    _by_chart: dict[str, list[K8sObject]] | None = None
    _by_folder: dict[str, list[K8sObject]] | None = None
    _memo: dict[str, Any] = field(default_factory=dict)

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

    def templates(self, obj: K8sObject) -> list[PodTemplate]:
        """Pod templates of an object, computed once per run and shared by every rule."""
        key = id(obj)
        cached = self._templates.get(key)
        if cached is None:
            cached = pod_templates(obj)
            self._templates[key] = cached
        return cached

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

    def are_related(self, a: K8sObject, b: K8sObject) -> bool:
        """Same file, same Helm chart, or same directory: evidence the objects ship together."""
        if a.file == b.file:
            return True
        chart = _chart_of(a)
        if chart is not None and chart == _chart_of(b):
            return True
        return _folder(a) == _folder(b)

    def related_sources(self, obj: K8sObject) -> Iterator[K8sObject]:
        """Objects that share `obj`'s file, Helm chart or directory: evidence for "not found".

        Served from per-file, per-chart and per-folder indexes, so asking for the first one is
        constant time however large the run is.
        """
        if self._by_file is None:
            self._index_sources()
        assert self._by_file is not None
        assert self._by_chart is not None
        assert self._by_folder is not None
        seen = {id(obj)}
        chart = _chart_of(obj)
        groups = [self._by_file.get(obj.file, [])]
        if chart is not None:
            groups.append(self._by_chart.get(chart, []))
        groups.append(self._by_folder.get(_folder(obj), []))
        for group in groups:
            for other in group:
                if id(other) not in seen:
                    seen.add(id(other))
                    yield other

    def _index_sources(self) -> None:
        self._by_file, self._by_chart, self._by_folder = {}, {}, {}
        for obj in self.objects:
            self._by_file.setdefault(obj.file, []).append(obj)
            chart = _chart_of(obj)
            if chart is not None:
                self._by_chart.setdefault(chart, []).append(obj)
            self._by_folder.setdefault(_folder(obj), []).append(obj)

    def cached(self, key: str, compute: Callable[[], T]) -> T:
        """A value computed once per run and shared by every rule (indexes, group tables)."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]  # type: ignore[no-any-return]


def _chart_of(obj: K8sObject) -> str | None:
    origin = obj.doc.origin
    return origin.split("/", 1)[0] if origin else None


@functools.lru_cache(maxsize=65536)
def folder_of(path: str) -> str:
    """The folder of a file as reported (`a/b.yaml` -> `a`, `b.yaml` -> `.`).

    Pure in the path, so computed once per file and not once per pair of objects compared.
    """
    return str(PurePosixPath(path).parent)


def _folder(obj: K8sObject) -> str:
    return folder_of(obj.file)
