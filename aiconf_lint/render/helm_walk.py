"""Walk a Helm template for a rendered YAML path, through what real charts do.

The template keeps the shape of what it renders, so the path's keys appear in order, each
indented under its parent (as in `input/origins.py`). This walk also understands the actions
between them:

- `range`/`with` over values: a list item inside a `range` stands for every rendered item, and
  the value the range iterates is remembered, so `.resources` inside `range .Values.workers`
  at rendered item 2 is the values path `workers[2].resources`.
- an emitter in the deepest block reached (`toYaml .Values.x | nindent N`,
  `include "chart.helper" . | nindent N`) produces the rest of the path: the walk returns it
  so the caller can follow it into the values file or the helper's `define`.
- `if`/`else`: both branches are walked, and the first that spells the path out wins.
"""

from __future__ import annotations

import re

from aiconf_lint.model import YamlPath
from aiconf_lint.records import field, record

_KEY_RE = re.compile(
    r"""^(?P<quote>["']?)(?P<key>[^"':{}#\s\-][^"':]*?|[^"':{}#\s][^"':]*?[^\s"':])(?P=quote)\s*:(?:\s|$)"""
)
_ACTION_RE = re.compile(r"^\{\{-?\s*(?P<body>.*?)\s*-?\}\}\s*$")
_RANGE_RE = re.compile(
    r"^range\s+(?:(?P<k>\$\w+)\s*,\s*)?(?:(?P<v>\$\w+)\s*:=\s*)?(?P<expr>[$.][\w.$]*)"
)
_WITH_RE = re.compile(r"^with\s+(?:(?P<v>\$\w+)\s*:=\s*)?(?P<expr>[$.][\w.$]*)")
_TOYAML_RE = re.compile(r"(?:toYaml\s+\(?\s*(?P<a>[$.][\w.$]*)|(?P<b>[$.][\w.$]*)\s*\|\s*toYaml)")
_INCLUDE_RE = re.compile(r"""(?:include|template)\s+"(?P<name>[^"]+)\"""")
_VALUE_RE = re.compile(
    r"\{\{-?\s*(?P<expr>[$.][\w.$]*)\s*(?:\|\s*(?:quote|int|toString)\s*)?-?\}\}"
)


@record(frozen=True)
class Scope:
    """A `range` or `with` block: what `.` (or `$v`) means inside it."""

    expr: str
    var: str | None
    is_range: bool
    index: int | None = None


@record
class Walk:
    """How far the template spells the path out, and what emits the rest."""

    depth: int = 0
    line: int = 0
    column: int = 0
    emitter: tuple[int, int, str] | None = None
    """(line, column, action text) of a toYaml/include in the deepest block reached."""
    scopes: list[Scope] = field(default_factory=list)
    value_expr: str | None = None
    """`{{ .Values.x }}` when the deepest line's value is a single value reference."""
    templated_key: tuple[int, int] | None = None
    """(line, column) of a `{{ $name }}: value` line in the deepest block: the key the path
    needs next when no literal key matches it."""


def _action(stripped: str) -> str | None:
    if not stripped.startswith("{{"):
        return None
    match = _ACTION_RE.match(stripped)
    return match.group("body") if match else stripped.strip("{}- ")


class _Walker:
    """The state of one walk: steps matched, open scopes, the list being counted."""

    def __init__(self, path: YamlPath) -> None:
        self.steps = list(path)
        self.best = Walk()
        self.scopes: list[Scope] = []
        self.opened: list[bool] = []  # per open action block: is it a range/with scope?
        self.parent = -1
        self.pos = 0
        self.item = -1
        self.item_indent: int | None = None

    @property
    def done(self) -> bool:
        return self.pos == len(self.steps)

    def action(self, number: int, indent: int, stripped: str, body: str) -> None:
        single = stripped.endswith("}}") and stripped.count("{{") == 1
        head = body.split(None, 1)[0] if body and single else ""
        if head in ("range", "with"):
            m = (_RANGE_RE if head == "range" else _WITH_RE).match(body)
            if m:
                self.scopes.append(Scope(m.group("expr"), m.group("v"), head == "range"))
            self.opened.append(m is not None)
        elif head in ("if", "define", "block"):
            self.opened.append(False)
        elif head == "end":
            if self.opened and self.opened.pop() and self.scopes:
                self.scopes.pop()
        elif head != "else":
            self.emitter(number, indent + 1, stripped)
            if (
                not self.done
                and self.best.templated_key is None
                and indent > self.parent
                and _TEMPLATED_KEY_RE.match(stripped)
            ):
                self.best.templated_key = (number, indent + 1)

    def emitter(self, number: int, column: int, text: str) -> None:
        if not self.done and self.best.emitter is None and _emits_below(text, self.parent):
            self.best.emitter = (number, column, text)
            self.best.scopes = list(self.scopes)

    def item_step(self, number: int, column: int, rest: str, step: int) -> str | None:
        """Match a `- ` list item; the rest of the line after it, or None."""
        if not rest.startswith("-") or (
            self.item_indent is not None and column != self.item_indent
        ):
            return None
        self.item_indent = column
        self.item += 1
        in_range = bool(self.scopes) and self.scopes[-1].is_range
        if self.item != step and not in_range:
            return None
        if in_range:
            top = self.scopes[-1]
            self.scopes[-1] = Scope(top.expr, top.var, True, step)
        self.pos += 1
        self.parent, self.item, self.item_indent = column, -1, None
        self.best = Walk(self.pos, number, column + 1, None, list(self.scopes))
        return rest[1:]

    def key_step(self, number: int, column: int, rest: str, step: str) -> None:
        match = _KEY_RE.match(rest)
        if match is None or match.group("key").strip() != step:
            self.emitter(number, column + 1, rest)
            return
        key_column = column + match.start("key") - len(match.group("quote"))
        self.pos += 1
        self.parent = key_column
        self.best = Walk(self.pos, number, key_column + 1, None, list(self.scopes))
        value = rest[match.end() :].strip()
        if value and not self.done and (_TOYAML_RE.search(value) or _INCLUDE_RE.search(value)):
            self.best.emitter = (number, key_column + 1, value)
        vm = _VALUE_RE.fullmatch(value) if value else None
        if vm:
            self.best.value_expr = vm.group("expr")

    def line(self, number: int, line: str) -> bool:
        """Take one YAML line; False when the walk left the deepest block."""
        indent = len(line) - len(line.lstrip())
        if indent <= self.parent:
            return False
        column, rest = indent, line[indent:]
        while not self.done:
            step = self.steps[self.pos]
            if isinstance(step, str):
                self.key_step(number, column, rest, step)
                break
            after = self.item_step(number, column, rest, step)
            if after is None:
                break
            column += 1 + len(after) - len(after.lstrip())
            rest = after.lstrip()
        return True


def walk(
    text: str,
    path: YamlPath,
    start: int = 0,
    end: int | None = None,
    skip: frozenset[int] = frozenset(),
) -> Walk:
    """Walk `text` for `path` from 0-based line `start`; see the module docstring.

    Lines before `start` (the documents of a multi-document template before the one that
    rendered the object) only open and close `range`/`with` scopes: a `range` around several
    `---` documents is still the scope of the one walked. Lines in `skip` are passed over
    (an `if` branch the values did not take).
    """
    walker = _Walker(path)
    for number, line in enumerate(text.splitlines(), start=1):
        if end is not None and number > end:
            break
        if number in skip:
            continue
        stripped = line.strip()
        if not stripped or stripped.startswith("#") or stripped.startswith("{{/*"):
            continue
        body = _action(stripped)
        if body is not None:
            walker.action(number, len(line) - len(line.lstrip()), stripped, body)
            continue
        if number <= start:
            continue
        if not walker.line(number, line) or walker.done:
            break
    return walker.best


_TEMPLATED_KEY_RE = re.compile(r"^\{\{[^}]*\}\}\s*:(?:\s|$)")
_NINDENT_RE = re.compile(r"\bn?indent\s+(\d+)")


def _emits_below(action: str, parent: int) -> bool:
    """A toYaml/include whose output lands inside the block of the deepest key found."""
    if not (_TOYAML_RE.search(action) or _INCLUDE_RE.search(action)):
        return False
    m = _NINDENT_RE.search(action)
    return m is None or int(m.group(1)) > parent


def emitter_expr(action: str) -> str | None:
    m = _TOYAML_RE.search(action)
    if m:
        return m.group("a") or m.group("b")
    return None


def include_name(action: str) -> str | None:
    m = _INCLUDE_RE.search(action)
    return m.group("name") if m else None


def values_path(expr: str, scopes: list[Scope]) -> YamlPath | None:
    """`.Values.a.b` (or `.c` inside `range .Values.list`) as a path into the values."""
    parts = [p for p in expr.split(".") if p]
    if expr.startswith("$."):
        parts = parts[1:] if parts and parts[0] == "$" else parts
        expr = "." + ".".join(parts)
    if expr.startswith("$") and not expr.startswith("$."):
        var = parts[0]
        scope = next((s for s in reversed(scopes) if s.var == var), None)
        if scope is None:
            return None
        base = values_path(scope.expr, scopes[: scopes.index(scope)])
        if base is None:
            return None
        index: tuple[int, ...] = (
            (scope.index,) if scope.is_range and scope.index is not None else ()
        )
        return (*base, *index, *parts[1:])
    if parts and parts[0] == "Values":
        return tuple(parts[1:])
    if not scopes:
        return None
    scope = scopes[-1]
    base = values_path(scope.expr, scopes[:-1])
    if base is None:
        return None
    if scope.is_range:
        if scope.index is None:
            return None
        return (*base, scope.index, *parts)
    return (*base, *parts)


_BLOCK_RE = re.compile(r"\{\{-?\s*(?P<word>if|range|with|define|block|end)\b")
_DEFINE_RE = re.compile(r"""\{\{-?\s*define\s+"(?P<name>[^"]+)"\s*-?\}\}""")


def define_body(text: str, name: str) -> tuple[str, int] | None:
    """The body of `{{ define "name" }}` and the 0-based line it starts on."""
    for match in _DEFINE_RE.finditer(text):
        if match.group("name") != name:
            continue
        start_line = text.count("\n", 0, match.end())
        rest = text[match.end() :]
        depth, stop = 1, len(rest)
        for action in _BLOCK_RE.finditer(rest):
            depth += -1 if action.group("word") == "end" else 1
            if depth == 0:
                stop = action.start()
                break
        body = rest[:stop]
        if body.startswith("\n"):
            body = body[1:]
            start_line += 1
        return body, start_line
    return None
