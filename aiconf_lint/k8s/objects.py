"""A thin, typed view of a Kubernetes object over its plain data.

Rules read `obj.data` freely; the view only answers what every rule asks (identity, labels,
annotations) and remembers where the object sits in its document (`base`), which is not the
root for the items of a `kind: List`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from aiconf_lint.input.source import Document
from aiconf_lint.model import ObjectKey, ObjectRef, YamlPath
from aiconf_lint.records import field, record

JsonMap = Mapping[str, Any]


def as_map(value: object) -> JsonMap:
    """The value if it is a mapping, else an empty one: manifests are often half-filled.

    YAML data is always plain `dict`s here; checking the concrete type avoids the ABC machinery
    that made `isinstance(x, Mapping)` a top cost in profiles.
    """
    return value if isinstance(value, dict) else {}


def as_list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def as_str(value: object) -> str | None:
    """The value if it is a string, else None: a list or mapping where a name belongs (a
    half-edited manifest, a Helm value rendered in the wrong place) must not reach a set,
    a dict key or string methods."""
    return value if isinstance(value, str) else None


def get_path(data: object, path: YamlPath) -> object:
    node = data
    for step in path:
        if isinstance(step, int):
            if not isinstance(node, list) or not 0 <= step < len(node):
                return None
            node = node[step]
        else:
            if not isinstance(node, dict):
                return None
            node = node.get(step)
    return node


def string_map(value: object) -> dict[str, str]:
    """Labels or annotations as strings; a key without a value is left out."""
    return {str(k): str(v) for k, v in as_map(value).items() if v is not None}


@record
class K8sObject:
    doc: Document
    base: YamlPath
    data: JsonMap
    api_version: str
    kind: str
    name: str
    namespace: str | None
    labels: dict[str, str] = field(default_factory=dict)
    annotations: dict[str, str] = field(default_factory=dict)
    group: str = ""
    """API group, "" for the core group; split once because every rule asks."""
    version: str = ""

    @property
    def file(self) -> str:
        return self.doc.file

    @property
    def origin(self) -> str | None:
        """Where the user edits this object: the Helm template, else the kustomize origin."""
        if self.doc.origin:
            return self.doc.origin
        raw = self.annotations.get("config.kubernetes.io/origin")
        if raw:
            for line in raw.splitlines():
                key, _, value = line.partition(":")
                if key.strip() == "path" and value.strip():
                    return value.strip()
        return None

    @property
    def spec(self) -> JsonMap:
        return as_map(self.data.get("spec"))

    @property
    def key(self) -> ObjectKey:
        """How findings refer to this object (`Violation.related_objects`)."""
        return ObjectKey(self.doc.file, self.doc.index, self.base)

    def ref(self) -> ObjectRef:
        return ObjectRef(self.api_version, self.kind, self.name, self.namespace)

    def display(self) -> str:
        return f"{self.kind} `{self.name}`"


def is_k8s_object(data: object) -> bool:
    return (
        isinstance(data, dict)
        and isinstance(data.get("apiVersion"), str)
        and isinstance(data.get("kind"), str)
        and bool(data["kind"])
    )


def _make(doc: Document, base: YamlPath, data: JsonMap) -> K8sObject:
    meta = as_map(data.get("metadata"))
    name = meta.get("name") or meta.get("generateName") or ""
    namespace = meta.get("namespace")
    api_version = str(data["apiVersion"])
    group, _, version = api_version.rpartition("/")
    return K8sObject(
        doc=doc,
        base=base,
        data=data,
        api_version=api_version,
        kind=str(data["kind"]),
        name=str(name),
        namespace=str(namespace) if namespace else None,
        labels=string_map(meta.get("labels")),
        annotations=string_map(meta.get("annotations")),
        group=group,
        version=version,
    )


def objects_of(doc: Document) -> Iterator[K8sObject]:
    """The objects a document holds: itself, or each item of a `kind: List`."""
    data = doc.data
    if not is_k8s_object(data):
        return
    assert isinstance(data, dict)
    if str(data["kind"]).endswith("List") and isinstance(data.get("items"), list):
        for i, item in enumerate(data["items"]):
            if is_k8s_object(item):
                yield _make(doc, ("items", i), item)
        return
    yield _make(doc, (), data)
