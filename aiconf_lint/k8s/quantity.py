"""The one parser of Kubernetes resource quantities (`500m`, `1Gi`, `2`, `1e3`).

Returns `None` for anything the API server would reject, so callers can tell "not a quantity"
(a finding, or a template leftover) from zero.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

_SUFFIXES: dict[str, Decimal] = {
    "": Decimal(1),
    "n": Decimal("1e-9"),
    "u": Decimal("1e-6"),
    "m": Decimal("1e-3"),
    "k": Decimal("1e3"),
    "M": Decimal("1e6"),
    "G": Decimal("1e9"),
    "T": Decimal("1e12"),
    "P": Decimal("1e15"),
    "E": Decimal("1e18"),
    "Ki": Decimal(2**10),
    "Mi": Decimal(2**20),
    "Gi": Decimal(2**30),
    "Ti": Decimal(2**40),
    "Pi": Decimal(2**50),
    "Ei": Decimal(2**60),
}
_QUANTITY_RE = re.compile(
    r"^(?P<num>[+-]?(?:\d+\.?\d*|\.\d+))(?:(?P<exp>[eE][+-]?\d+)|(?P<suffix>Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]))?$"
)


def parse_quantity(value: object) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    if not isinstance(value, str):
        return None
    match = _QUANTITY_RE.match(value.strip())
    if match is None:
        return None
    try:
        number = Decimal(match.group("num"))
        if match.group("exp"):
            return number * (Decimal(10) ** int(match.group("exp")[1:]))
        return number * _SUFFIXES[match.group("suffix") or ""]
    except (InvalidOperation, OverflowError):
        return None


def parse_int(value: object) -> int | None:
    """An integer field (`replicas`, a port, a count annotation) from an int or digit string.

    None for booleans, templated and malformed values: callers treat those as unknown.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def is_unresolved(value: object) -> bool:
    """True for values a templating step has yet to fill (`${GPUS}`, `{{ .Values.gpus }}`)."""
    return isinstance(value, str) and ("${" in value or "{{" in value or value.startswith("$"))
