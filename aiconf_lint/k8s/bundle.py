"""The index of every object in one run, for rules that relate objects to each other.

Lookups are by (kind, namespace, name) and by label; selector matching starts from the
shortest posting list of its `matchLabels`, so cross-document rules stay near linear in the
number of objects instead of comparing every selector with every object.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from aiconf_lint.k8s.objects import K8sObject, as_list, as_map
from aiconf_lint.k8s.workloads import PodTemplate, pod_templates

LabelsOf = Callable[[K8sObject], Iterable[Mapping[str, str]]]


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
            if not isinstance(key, str) or operator not in ("In", "NotIn", "Exists", "DoesNotExist"):
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
            candidates: Iterable[K8sObject] = min(
                (index.get(pair, []) for pair in selector.match_labels), key=len
            )
        else:
            candidates = self.of_kind(*kinds)
        hits: list[K8sObject] = []
        for obj in candidates:
            if namespaces is not None and self.namespace_of(obj) not in namespaces:
                continue
            if any(selector.matches(labels) for labels in labels_of(obj)):
                hits.append(obj)
        return hits

    def related_sources(self, obj: K8sObject) -> Iterator[K8sObject]:
        """Objects that share `obj`'s file, Helm chart or directory: evidence for "not found"."""
        chart = _chart_of(obj)
        folder = PurePosixPath(obj.file).parent
        for other in self.objects:
            if other is obj:
                continue
            if other.file == obj.file or (chart and _chart_of(other) == chart) or PurePosixPath(other.file).parent == folder:
                yield other


def _chart_of(obj: K8sObject) -> str | None:
    origin = obj.doc.origin
    return origin.split("/", 1)[0] if origin else None
