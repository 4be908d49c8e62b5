"""What every evidence detector reads: the bundle, the run's context, and helpers over both.

Detectors ask the same questions of the bundle (which pod templates request accelerators,
which objects are of these kinds, where is this key in its file), so the answers are computed
here once per run and kept on the bundle's memo.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from aiconf_lint.k8s.accelerator_use import is_accelerator_template
from aiconf_lint.k8s.bundle import Bundle
from aiconf_lint.k8s.device_infra import is_device_infrastructure
from aiconf_lint.k8s.objects import K8sObject
from aiconf_lint.k8s.workloads import PodTemplate
from aiconf_lint.model import YamlPath
from aiconf_lint.records import record
from aiconf_lint.report.model import Evidence
from aiconf_lint.rule import Context


@record(frozen=True)
class KindSignal:
    """Objects of these kinds in these API groups show something; `what` says what."""

    groups: tuple[str, ...]
    kinds: tuple[str, ...]
    what: str


@record
class Probe:
    bundle: Bundle
    ctx: Context

    def evidence(self, obj: K8sObject, note: str, path: YamlPath = ()) -> Evidence:
        """Evidence at `path` inside `obj` (its first line when `path` is empty)."""
        span, _ = obj.doc.span((*obj.base, *path), key_only=bool(path))
        return Evidence(obj.file, span.line, span.column, obj.ref(), note, obj.origin)

    def of_kinds(self, signals: Iterable[KindSignal]) -> Iterator[tuple[K8sObject, KindSignal]]:
        for signal in signals:
            for obj in self.bundle.of_kind(*signal.kinds):
                if obj.group in signal.groups:
                    yield obj, signal

    def kind_evidence(self, signals: Iterable[KindSignal]) -> list[Evidence]:
        found = []
        for obj, signal in self.of_kinds(signals):
            what = signal.what if obj.kind in signal.what else f"{signal.what} {obj.kind}"
            found.append(self.evidence(obj, f"{what} `{obj.name}`"))
        return found

    def templates(self) -> list[PodTemplate]:
        """Every pod template of every workload in the run, in bundle order."""
        return self.bundle.cached("report:templates", self._templates)

    def _templates(self) -> list[PodTemplate]:
        return [t for obj in self.bundle.objects for t in self.bundle.templates(obj)]

    def accelerator_templates(self) -> list[PodTemplate]:
        """Templates that ask for accelerators, without the device plugins and exporters."""
        return self.bundle.cached("report:accelerator-templates", self._accelerator_templates)

    def _accelerator_templates(self) -> list[PodTemplate]:
        security = self.ctx.settings.section("security")
        return [
            t
            for t in self.templates()
            if is_accelerator_template(t, self.ctx.accelerators)
            and not is_device_infrastructure(t, security)
        ]
