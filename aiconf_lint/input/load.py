"""Load YAML streams with libyaml, keeping node trees for positions and plain data for rules.

Why compose-then-construct with PyYAML's C loader and not ruamel: on 11k real documents libyaml
composes in 0.83 s where a ruamel round-trip load takes 27.7 s, and pre-commit runs us on every
commit. ruamel is used only by the fix engine.

Every limit here exists so that hostile or accidental input becomes a finding instead of a hang
or a traceback: file size, alias expansion (billion laughs) and nesting depth.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from typing import Any

import yaml

from aiconf_lint.input.construct import Builder, TooComplexError, UnhashableKeyError
from aiconf_lint.input.gcpause import paused_gc
from aiconf_lint.input.positions import Positions
from aiconf_lint.input.source import Document, SourceFile, SourceProblem

_SCALAR_TAGS: dict[str, str] = {}
"""Plain scalar -> resolved tag. Resolution depends on the text alone, and manifests repeat the
same keys and values thousands of times; bounded so a hostile file cannot grow it."""
_SCALAR_TAGS_MAX = 200_000


class _CachingResolver(yaml.resolver.Resolver):
    """PyYAML's resolver, with what manifests never use taken off the per-node path.

    libyaml parses in C but calls back into this Python resolver for every node; memoizing
    plain-scalar tags and skipping path resolvers (no one registers any) took 15-20% off
    composing a 12,000-document stream.
    """

    def descend_resolver(self, current_node: object, current_index: object) -> None:
        return None

    def ascend_resolver(self) -> None:
        return None

    def resolve(self, kind: type, value: object, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode and implicit[0] and isinstance(value, str):
            tag = _SCALAR_TAGS.get(value)
            if tag is None:
                tag = str(super().resolve(kind, value, implicit))  # type: ignore[no-untyped-call]
                if len(_SCALAR_TAGS) < _SCALAR_TAGS_MAX:
                    _SCALAR_TAGS[value] = tag
            return tag
        return str(super().resolve(kind, value, implicit))  # type: ignore[no-untyped-call]


_Loader: type[Any] = yaml.SafeLoader  # PyYAML built without libyaml: pure Python, slower
try:
    from yaml.cyaml import CParser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    pass
else:

    class _CLoader(CParser, yaml.constructor.SafeConstructor, _CachingResolver):
        """`CSafeLoader` with the caching resolver: libyaml's speed, PyYAML's safe semantics."""

        def __init__(self, stream: str | bytes) -> None:
            CParser.__init__(self, stream)
            yaml.constructor.SafeConstructor.__init__(self)
            _CachingResolver.__init__(self)

    _Loader = _CLoader

_TEMPLATE_RE = re.compile(r"\{\{-?\s*[.$a-zA-Z/(]")
_MiB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds on what one file may cost; the defaults are far above any real manifest."""

    max_bytes: int = 20 * _MiB
    max_depth: int = 200
    max_alias_expansion: int = 100_000


def decode(path: str, raw: bytes, limits: Limits) -> tuple[str | None, SourceProblem | None]:
    """Bytes to text, or the reason why this file is not YAML text at all."""
    if len(raw) > limits.max_bytes:
        size = len(raw) / _MiB
        return None, SourceProblem(
            "SYN003",
            f"file is {size:.1f} MiB, above the limit of {limits.max_bytes // _MiB} MiB",
            1,
            1,
        )
    nul = raw.find(b"\x00")
    if nul != -1:
        line = raw.count(b"\n", 0, nul) + 1
        return None, SourceProblem("SYN001", f"binary file (NUL byte on line {line})", line, 1)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, SourceProblem(
            "SYN001", f"invalid UTF-8 (byte 0x{raw[exc.start]:02x})", line, column
        )
    return text, None


def _templated_near(text: str, line: int) -> bool:
    lines = text.splitlines()
    window = lines[max(0, line - 3) : line + 2]
    return any(_TEMPLATE_RE.search(candidate) for candidate in window)


def _parse_error(source: SourceFile, exc: yaml.YAMLError) -> SourceProblem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + 1 if mark is not None else 1
    column = mark.column + 1 if mark is not None else 1
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context = getattr(exc, "context", None)
    message = f"{context}, {problem}" if context else str(problem)
    if "nesting depth" in message:  # libyaml >= 0.2.6 bounds nesting itself
        return SourceProblem("SYN003", f"nesting too deep ({message})", line, column)
    if mark is not None and source.line_text(line)[column - 1 : column] == "\t":
        message = f"tab character where YAML allows only spaces ({message})"
    return _syntax_problem(source, message, line, column)


def _syntax_problem(source: SourceFile, message: str, line: int, column: int) -> SourceProblem:
    """SYN001, or SYN002 when template syntax near the error explains it better."""
    if _templated_near(source.text, line):
        return SourceProblem(
            "SYN002",
            f"unrendered Helm/Go template syntax: lint `helm template` output instead ({message})",
            line,
            column,
        )
    return SourceProblem("SYN001", f"invalid YAML: {message}", line, column)


class _AnchorScan:
    """Whether a document may hold `&anchor`s, so that the others take the fast paths.

    Anchors are scoped to their document, and libyaml starts a node's marks at its anchor, so
    a document without `&` between the line before its root's start and the line after its
    end has no aliases: its data is built without alias accounting and its positions without
    a memo. Line numbers are libyaml's, which also breaks lines at `\r`, NEL, LS and PS: a
    file with any of those is judged as a whole, as is a file without `&` at all.
    """

    __slots__ = ("source", "whole")

    def __init__(self, source: SourceFile) -> None:
        text = source.text
        self.source = source
        self.whole: bool | None = None
        if "&" not in text:
            self.whole = False
        elif any(brk in text for brk in ("\r", "\x85", "\u2028", "\u2029")):
            self.whole = True

    def within(self, first: int, last: int) -> bool:
        """Whether `&` occurs on 0-based lines `first - 1` to `last + 1`."""
        if self.whole is not None:
            return self.whole
        start = self.source.line_start(max(first - 1, 0))
        end = self.source.line_start(last + 2)
        return self.source.text.find("&", start, end) != -1


def parse(source: SourceFile, limits: Limits, utf8: bytes | None = None) -> None:
    """Fill `source.documents` and `source.problems`; documents before a parse error are kept.

    `utf8`: the file's bytes, when they are exactly `source.text` encoded (no BOM). libyaml
    reads UTF-8 either way; given the text, PyYAML encodes a copy first, the size of the file.
    """
    with paused_gc():
        _parse(source, limits, utf8)


def _parse(source: SourceFile, limits: Limits, utf8: bytes | None = None) -> None:
    loader = _Loader(source.text if utf8 is None else utf8)
    helm_sources = source.helm_sources()
    anchors = _AnchorScan(source)
    next_source = 0
    index = -1
    try:
        while loader.check_node():
            node = loader.get_node()
            index += 1
            if node is None:
                continue
            start = node.start_mark.line
            # `# Source:` comments and documents both come in file order: one forward pass.
            origin = None
            while next_source < len(helm_sources) and helm_sources[next_source][0] <= start:
                origin = helm_sources[next_source][1]
                next_source += 1
            builder = Builder(loader, limits.max_depth, limits.max_alias_expansion)
            has_anchors = anchors.within(start, node.end_mark.line)
            try:
                data = builder.build(node, has_anchors)
            except TooComplexError as exc:
                source.problems.append(
                    SourceProblem("SYN003", str(exc), start + 1, node.start_mark.column + 1)
                )
                continue
            except UnhashableKeyError as exc:
                source.problems.append(
                    _syntax_problem(source, str(exc), exc.mark.line + 1, exc.mark.column + 1)
                )
                continue
            if data is None:
                continue
            positions = Positions.of(node, has_anchors)
            source.documents.append(
                Document(source.path, index, positions, data, origin, source.text)
            )
    except yaml.YAMLError as exc:
        source.problems.append(_parse_error(source, exc))
    except (TypeError, ValueError, OverflowError) as exc:  # bad timestamps, odd scalars
        source.problems.append(SourceProblem("SYN001", f"invalid YAML: {exc}", 1, 1))
    finally:
        loader.dispose()


def compose_nodes(text: str) -> list[yaml.Node | None]:
    """The node of every document of a text that `parse` accepted, by document index."""
    loader = _Loader(text)
    nodes: list[yaml.Node | None] = []
    try:
        with paused_gc():
            while loader.check_node():
                nodes.append(loader.get_node())
    except yaml.YAMLError:
        pass  # documents after a parse error were not kept either
    finally:
        loader.dispose()
    return nodes


def load_text(path: str, text: str, limits: Limits | None = None) -> SourceFile:
    source = SourceFile(path, text)
    parse(source, limits or Limits())
    return source


def load_bytes(path: str, raw: bytes, limits: Limits | None = None) -> SourceFile:
    limits = limits or Limits()
    text, problem = decode(path, raw, limits)
    if text is None:
        source = SourceFile(path, "")
        if problem is not None:
            source.problems.append(problem)
        return source
    source = SourceFile(path, text)
    parse(source, limits, None if raw.startswith(codecs.BOM_UTF8) else raw)
    return source
