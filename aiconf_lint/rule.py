"""The base class every rule derives from, and the context rules read.

A rule overrides exactly one hook, keeps no state between calls, and yields `Violation`s.
Class attributes are validated at import time so that a malformed rule fails loudly in the
test suite rather than quietly in a user's CI.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, ClassVar

from aiconf_lint.model import FixAvailability, Severity, Violation
from aiconf_lint.profiles import Profile
from aiconf_lint.records import record

if TYPE_CHECKING:
    from aiconf_lint.k8s.accelerators import AcceleratorResource
    from aiconf_lint.k8s.bundle import Bundle
    from aiconf_lint.k8s.objects import K8sObject
    from aiconf_lint.k8s.workloads import ContainerView, PodTemplate
    from aiconf_lint.settings import Settings

CODE_RE = re.compile(r"^[A-Z]{3}\d{3}$")
NAME_RE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
HOOKS = ("check_object", "check_pod_template", "check_container", "check_bundle")


@record(frozen=True)
class Context:
    """What a hook may read besides its object: the run's settings and every other object."""

    settings: Settings
    bundle: Bundle

    @property
    def accelerators(self) -> tuple[AcceleratorResource, ...]:
        """Extra accelerator resource names from `[tool.aiconf-lint.accelerators]`."""
        return self.bundle.accelerators

    @property
    def profile(self) -> Profile:
        return self.settings.profile


class Rule:
    """Base of all rules; see `docs.py` for the docstring sections each rule must have."""

    code: ClassVar[str]
    name: ClassVar[str]
    summary: ClassVar[str]
    severity: ClassVar[Severity]
    requirements: ClassVar[tuple[str, ...]] = ()
    fix_availability: ClassVar[FixAvailability] = FixAvailability.NONE
    source_level: ClassVar[bool] = False
    """True for SYN rules: the loader, not a hook, finds their problems."""
    kinds: ClassVar[frozenset[str] | None] = None
    """The object kinds `check_object` reads; None for every object. The engine calls the hook
    only for these kinds. `check_pod_template` and `check_container` see every pod template;
    `check_bundle` looks objects up itself."""

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if not CODE_RE.match(getattr(cls, "code", "")):
            raise TypeError(f"{cls.__name__}: code must match {CODE_RE.pattern}")
        if not NAME_RE.match(getattr(cls, "name", "")):
            raise TypeError(f"{cls.__name__}: name must be kebab-case")
        summary = getattr(cls, "summary", "")
        if not summary or summary.endswith("."):
            raise TypeError(f"{cls.__name__}: summary must be non-empty with no trailing period")
        if not isinstance(getattr(cls, "severity", None), Severity):
            raise TypeError(f"{cls.__name__}: severity must be a Severity")
        hooks = [hook for hook in HOOKS if hook in cls.__dict__]
        if cls.source_level != (not hooks) or len(hooks) > 1:
            raise TypeError(f"{cls.__name__}: override exactly one hook (or none if source_level)")
        if cls.kinds is not None and "check_object" not in hooks:
            raise TypeError(f"{cls.__name__}: `kinds` narrows `check_object` only")
        if not cls.__doc__ or "## What it does" not in cls.__doc__:
            raise TypeError(f"{cls.__name__}: docstring must have a '## What it does' section")

    def severity_for(self, profile: Profile) -> Severity:
        """The level in `profile`. The catalog's level is fixed unless it says "profile".

        Rules whose catalog level depends on the profile override this (ACC001 is a warning
        where `dra_support` is a MUST and info elsewhere).
        """
        return self.severity

    def check_object(self, ctx: Context, obj: K8sObject) -> Iterator[Violation]:
        return iter(())

    def check_pod_template(self, ctx: Context, template: PodTemplate) -> Iterator[Violation]:
        return iter(())

    def check_container(
        self, ctx: Context, template: PodTemplate, container: ContainerView
    ) -> Iterator[Violation]:
        return iter(())

    def check_bundle(self, ctx: Context) -> Iterator[tuple[K8sObject, Violation]]:
        return iter(())

    @classmethod
    def hook(cls) -> str | None:
        for hook in HOOKS:
            for klass in cls.__mro__:
                if klass is Rule:
                    break
                if hook in klass.__dict__:
                    return hook
        return None
