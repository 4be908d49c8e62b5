"""Records: slotted classes whose `__init__`, `__eq__`, `__hash__` and `__repr__` are generated.

Why not `dataclasses.dataclass`: on Python 3.11 it compiles each generated method with an `exec`
of its own and, for `slots=True`, builds the class twice; that costs about half a millisecond a
class, and the sixty-odd classes a check of one small file imports cost 30 ms, a fifth of what a
pre-commit user waits for. A record compiles all of its methods with one `exec`, at a sixth of
that cost. Only what the package uses is supported, with `dataclass(slots=True)` semantics:
fields are the class's own annotations in order (`ClassVar`s excluded), with class-level
defaults or `field(default_factory=...)`; records are equal when their class and compared fields
are; a frozen record is hashable and refuses assignment; `replace` copies with changes. Type
checkers treat `record` as `dataclass` (PEP 681).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, dataclass_transform, overload

_T = TypeVar("_T")
_MISSING: Any = object()


class FrozenRecordError(AttributeError):
    """Assignment to a field of a frozen record."""


class _Field:
    __slots__ = ("compare", "default", "factory", "shown")

    def __init__(
        self, default: Any, factory: Callable[[], Any] | None, shown: bool, compare: bool
    ) -> None:
        self.default = default
        self.factory = factory
        self.shown = shown
        self.compare = compare


def field(
    *,
    default: Any = _MISSING,
    default_factory: Callable[[], Any] | None = None,
    repr: bool = True,
    compare: bool = True,
) -> Any:
    """A field's default (`default_factory` is called once per record) and whether it takes
    part in `repr` and equality."""
    return _Field(default, default_factory, repr, compare)


@overload
@dataclass_transform(field_specifiers=(field,))
def record(cls: type[_T], /) -> type[_T]: ...


@overload
def record(*, frozen: bool = False) -> Callable[[type[_T]], type[_T]]: ...


def record(cls: type[_T] | None = None, /, *, frozen: bool = False) -> Any:
    """Make `cls` a record (see the module docstring); `frozen=True` for an immutable one."""
    if cls is None:
        return lambda inner: _build(inner, frozen)
    return _build(cls, frozen)


def replace(obj: _T, /, **changes: Any) -> _T:
    """A copy of record `obj` with `changes` (fields by name), as `dataclasses.replace`."""
    values = {name: getattr(obj, name) for name in type(obj).__record_fields__}  # type: ignore[attr-defined]
    values.update(changes)
    return type(obj)(**values)


def _is_class_var(annotation: object) -> bool:
    text = annotation if isinstance(annotation, str) else getattr(annotation, "__name__", "")
    return str(text).startswith(("ClassVar", "typing.ClassVar"))


def _fields(cls: type, namespace: dict[str, Any]) -> list[tuple[str, _Field]]:
    """The fields in order, each with its default; the defaults leave the class namespace."""
    annotations = namespace.get("__annotations__", {})
    found: list[tuple[str, _Field]] = []
    defaulted = False
    for name, kind in annotations.items():
        if _is_class_var(kind):
            continue
        value = namespace.pop(name, _MISSING)
        spec = value if isinstance(value, _Field) else _Field(value, None, True, True)
        has_default = spec.factory is not None or spec.default is not _MISSING
        if defaulted and not has_default:
            raise TypeError(f"{cls.__name__}: field {name!r} without a default follows one")
        defaulted = defaulted or has_default
        found.append((name, spec))
    return found


def _methods(fields: list[tuple[str, _Field]], frozen: bool) -> dict[str, Any]:
    """`__init__`, `__eq__`, `__repr__` (and `__hash__` when frozen), compiled in one `exec`."""
    env: dict[str, Any] = {"_MISSING": _MISSING, "_set": object.__setattr__}
    params: list[str] = []
    body: list[str] = []
    for name, spec in fields:
        value = name
        if spec.factory is not None:
            env[f"_f_{name}"] = spec.factory
            params.append(f"{name}=_MISSING")
            value = f"_f_{name}() if {name} is _MISSING else {name}"
        elif spec.default is not _MISSING:
            env[f"_d_{name}"] = spec.default
            params.append(f"{name}=_d_{name}")
        else:
            params.append(name)
        body.append(f"  _set(self, {name!r}, {value})" if frozen else f"  self.{name} = {value}")
    compared = [name for name, spec in fields if spec.compare]
    ours = f"({', '.join(f'self.{n}' for n in compared)},)"
    theirs = f"({', '.join(f'other.{n}' for n in compared)},)"
    shown = ", ".join(f"{n}={{self.{n}!r}}" for n, spec in fields if spec.shown)
    lines = [
        f"def __init__(self, {', '.join(params)}):" if params else "def __init__(self):",
        *(body or ["  pass"]),
        "def __eq__(self, other):",
        "  if other.__class__ is self.__class__:",
        f"    return {ours} == {theirs}",
        "  return NotImplemented",
        "def __repr__(self):",
        f"  return f'{{type(self).__qualname__}}({shown})'",
    ]
    if frozen:
        lines += ["def __hash__(self):", f"  return hash({ours})"]
    exec("\n".join(lines), env)
    methods = {name: env[name] for name in ("__init__", "__eq__", "__repr__")}
    methods["__hash__"] = env["__hash__"] if frozen else None
    if frozen:
        methods |= {
            "__setattr__": _refuse_set,
            "__delattr__": _refuse_delete,
            "__getstate__": _state,
            "__setstate__": _restore,
        }
    return methods


def _build(cls: type[_T], frozen: bool) -> type[_T]:
    if any(hasattr(base, "__record_fields__") for base in cls.__mro__[1:]):
        raise TypeError(f"{cls.__name__}: a record cannot extend a record (fields would be lost)")
    namespace = dict(cls.__dict__)
    fields = _fields(cls, namespace)
    names = tuple(name for name, _ in fields)
    namespace |= _methods(fields, frozen)
    namespace |= {"__slots__": names, "__record_fields__": names}
    namespace.pop("__dict__", None)
    namespace.pop("__weakref__", None)
    made: type[_T] = type(cls.__name__, cls.__bases__, namespace)
    for method in ("__init__", "__eq__", "__repr__", "__hash__"):
        function = namespace.get(method)
        if function is not None:
            function.__qualname__ = f"{made.__qualname__}.{method}"
    return made


def _refuse_set(self: object, name: str, value: object) -> None:
    raise FrozenRecordError(f"cannot assign to field {name!r} of a frozen record")


def _refuse_delete(self: object, name: str) -> None:
    raise FrozenRecordError(f"cannot delete field {name!r} of a frozen record")


def _state(self: object) -> tuple[object, ...]:
    return tuple(getattr(self, name) for name in type(self).__record_fields__)  # type: ignore[attr-defined]


def _restore(self: object, state: tuple[object, ...]) -> None:
    for name, value in zip(type(self).__record_fields__, state, strict=True):  # type: ignore[attr-defined]
        object.__setattr__(self, name, value)
