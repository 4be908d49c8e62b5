"""The frozen data that flows from rules to the engine to the reporters.

Rules only ever build `Violation`s (a message and a YAML path); the engine alone turns them
into `Finding`s with a code, severity, file and span, so no rule can get a line number, a file
name or a severity wrong.
"""

from __future__ import annotations

import enum
from typing import Literal

from aiconf_lint.records import field, record

YamlPath = tuple[str | int, ...]


class Severity(enum.IntEnum):
    """Ordered so that `--fail-on` is a simple comparison."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    def __str__(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        return cls[text.strip().upper()]


class Applicability(enum.StrEnum):
    """Whether a fix keeps the workload's meaning (safe) or changes how it schedules (unsafe)."""

    SAFE = "safe"
    UNSAFE = "unsafe"
    DISPLAY_ONLY = "display-only"


class FixAvailability(enum.StrEnum):
    NONE = "none"
    SOMETIMES = "sometimes"
    ALWAYS = "always"


@record(frozen=True)
class Span:
    """1-based lines and columns; `end_column` is exclusive, the SARIF convention."""

    line: int
    column: int
    end_line: int
    end_column: int


@record(frozen=True)
class ObjectRef:
    """The Kubernetes identity of the object a finding is about (a SARIF logical location)."""

    api_version: str
    kind: str
    name: str
    namespace: str | None

    def display(self) -> str:
        ns = f"{self.namespace}/" if self.namespace else ""
        return f"{self.kind} {ns}{self.name}"


@record(frozen=True)
class ObjectKey:
    """Where an object sits in the input: its file, document and path inside the document.

    Findings name other objects by key, never by a live view, so they stay plain data; the
    engine resolves the key against the run's objects.
    """

    file: str
    doc_index: int
    base: YamlPath = ()
    """`()` for a document that is one object; `("items", i)` for an item of a `kind: List`."""


@record(frozen=True)
class Rendered:
    """Where a finding on a rendered chart or overlay sat in the render, which is never a file.

    `target` is the chart or overlay folder as displayed, `values_set` the Helm values set it was
    rendered with (None for kustomize), `span` the position in the rendered stream.
    """

    target: str
    renderer: str
    values_set: str | None
    span: Span
    marker: str = ""
    """A real file that stands for the target (`Chart.yaml`, `kustomization.yaml`), for SARIF."""


@record(frozen=True)
class Location:
    file: str
    doc_index: int
    path: YamlPath
    span: Span
    origin: str | None = None
    obj: ObjectRef | None = None
    note: str = ""
    origin_file: str | None = None
    """The Helm template in the checkout that `origin` names, when it could be found."""
    origin_span: Span | None = None
    """Where in that template to edit, when the template spells the key out."""
    rendered: Rendered | None = None
    """Set when `file` and `span` were mapped back from a chart or overlay aiconf-lint rendered."""


@record(frozen=True)
class Edit:
    """A structural edit on a YAML path; the fix engine turns it into a comment-keeping change.

    A rule writes paths relative to its object, like `Violation.path`; the engine rebases them
    onto the document root (a `kind: List` item's `items.<i>` first) when it makes the
    `Finding`, so the fix engine always sees document-relative paths.

    `set` replaces the value at `path`; `add` adds `key: value` to the mapping at `path` (the
    key must be absent); `merge` sets `key: value` in the mapping at `path`, creating the
    mapping if missing; `remove` deletes the key or item at `path`; `append` adds `value` to
    the sequence at `path`; `add_document` emits `value` (a new
    object) as a document right after this one.
    """

    op: Literal["set", "add", "merge", "remove", "append", "add_document"]
    path: YamlPath
    key: str | None = None
    value: object = None


@record(frozen=True)
class TextEdit:
    """A replacement of exact source text, for sources the YAML edits cannot address (Python).

    Lines and columns are 1-based, the end exclusive, as `Span`s are; every byte outside the
    range is kept, so a fix is byte-exact by construction.
    """

    line: int
    column: int
    end_line: int
    end_column: int
    replacement: str


@record(frozen=True)
class Fix:
    title: str
    edits: tuple[Edit, ...]
    applicability: Applicability = Applicability.UNSAFE
    text_edits: tuple[TextEdit, ...] = ()


@record(frozen=True)
class Violation:
    """What a rule reports: a message and the path of the key or value to change.

    `severity` is set only by rules whose catalog level depends on the case (for example an
    error for `NVIDIA_VISIBLE_DEVICES=all` but a warning otherwise); everything else takes the
    rule's level for the selected profile.
    """

    message: str
    path: YamlPath
    key_only: bool = False
    related: tuple[tuple[YamlPath, str], ...] = ()
    fix: Fix | None = None
    severity: Severity | None = None
    related_objects: tuple[tuple[ObjectKey, YamlPath, str], ...] = ()
    """Places in *other* objects (the HPA's target, the selected Service), for SARIF; each
    object by its `K8sObject.key`, paths relative to that object."""


@record(frozen=True)
class Finding:
    code: str
    name: str
    severity: Severity
    message: str
    location: Location
    requirements: tuple[str, ...] = ()
    related: tuple[Location, ...] = ()
    fix: Fix | None = None

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.location.file, self.location.span.line, self.location.span.column, self.code)


@record(frozen=True)
class InputProblem:
    """A path that could not be read at all (missing, unreadable): reported under `errors`."""

    file: str
    line: int | None
    message: str


@record
class Report:
    """Everything one run produced, in the order the reporters print it."""

    findings: list[Finding] = field(default_factory=list)
    errors: list[InputProblem] = field(default_factory=list)
    files_checked: int = 0
    documents: int = 0
    objects: int = 0
    rules_enabled: int = -1
    """How many rules ran; -1 when the caller did not say (the engine's own callers)."""
    skipped_documents: list[tuple[str, int, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)
    """The text of each checked file, for snippets; never serialised."""

    def failing(self, fail_on: Severity) -> bool:
        return any(f.severity >= fail_on for f in self.findings)
