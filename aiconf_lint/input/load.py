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
from collections.abc import Callable
from typing import Any

import yaml

from aiconf_lint.input.construct import Builder, TooComplexError, UnhashableKeyError
from aiconf_lint.input.crd_schemas import drop_crd_schemas
from aiconf_lint.input.gcpause import paused_gc
from aiconf_lint.input.positions import Positions
from aiconf_lint.input.source import Document, SourceFile, SourceProblem
from aiconf_lint.records import record

_SCALAR_TAGS: dict[str, str] = {}
"""Plain scalar -> resolved tag. Resolution depends on the text alone, and manifests repeat the
same keys and values thousands of times; bounded so a hostile file cannot grow it."""
_SCALAR_TAGS_MAX = 200_000


_DEFAULT_SCALAR = str(yaml.resolver.Resolver.DEFAULT_SCALAR_TAG)
_DEFAULT_MAPPING = str(yaml.resolver.Resolver.DEFAULT_MAPPING_TAG)
_DEFAULT_SEQUENCE = str(yaml.resolver.Resolver.DEFAULT_SEQUENCE_TAG)


class _CachingResolver(yaml.resolver.Resolver):
    """PyYAML's resolver, with what manifests never use taken off the per-node path.

    libyaml parses in C but calls back into this Python resolver for every node; memoizing
    plain-scalar tags and skipping path resolvers (no one registers any) took 15-20% off
    composing a 12,000-document stream. Collections and quoted scalars get the default tags
    directly, which is what PyYAML's resolver answers for them without path resolvers.
    """

    def descend_resolver(self, current_node: object, current_index: object) -> None:
        return None

    def ascend_resolver(self) -> None:
        return None

    def resolve(self, kind: type, value: object, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode:
            if not (implicit[0] and isinstance(value, str)):
                return _DEFAULT_SCALAR  # quoted or tagged: PyYAML's answer without a path
            tag = _SCALAR_TAGS.get(value)
            if tag is None:
                tag = str(super().resolve(kind, value, implicit))  # type: ignore[no-untyped-call]
                if len(_SCALAR_TAGS) < _SCALAR_TAGS_MAX:
                    _SCALAR_TAGS[value] = tag
            return tag
        if kind is yaml.MappingNode:
            return _DEFAULT_MAPPING  # what PyYAML answers when no path resolver is registered
        if kind is yaml.SequenceNode:
            return _DEFAULT_SEQUENCE
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

_VALUE_TAG = "tag:yaml.org,2002:value"


def _construct_value(loader: Any, node: yaml.ScalarNode) -> str:
    """YAML 1.1's `=` (the `value` tag) is a plain string to Kubernetes and to us.

    kube-prometheus CRDs contain it (`- =` in an enum of operators); PyYAML resolves the tag but
    has no constructor for it, which made the whole document "invalid YAML".
    """
    return str(node.value)


_Loader.add_constructor(_VALUE_TAG, _construct_value)

_TEMPLATE_RE = re.compile(r"\{\{-?\s*[.$a-zA-Z/(]")
_MiB = 1024 * 1024


@record(frozen=True)
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
    if _looks_utf16(raw):
        return None, SourceProblem("SYN001", "UTF-16 text: save the file as UTF-8", 1, 1)
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


def _looks_utf16(raw: bytes) -> bool:
    """A UTF-16 byte-order mark, or ASCII text with every other byte NUL (UTF-16 without one).

    Windows editors and PowerShell's `>` write UTF-16; calling it "binary" sent users looking
    for a corrupt file instead of an encoding setting.
    """
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return not raw.startswith(b"\xff\xfe\x00\x00")  # that is UTF-32
    head = raw[:64]
    if len(head) < 4 or len(head) % 2:
        head = head[: len(head) - len(head) % 2]
    if len(head) < 4:
        return False
    even, odd = head[0::2], head[1::2]
    return (not odd.strip(b"\x00") and b"\x00" not in even) or (
        not even.strip(b"\x00") and b"\x00" not in odd
    )


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


def _construct_problem(source: SourceFile, exc: Exception, node: yaml.Node) -> SourceProblem:
    """The problem for one document whose values cannot be built; later documents still load."""
    if isinstance(exc, yaml.YAMLError):
        return _parse_error(source, exc)
    mark = node.start_mark
    return _syntax_problem(source, str(exc), mark.line + 1, mark.column + 1)


_DOCUMENT_START_RE = re.compile(r"^---(?:[ \t]|$)", re.MULTILINE)


def _with_lost_documents(source: SourceFile, problem: SourceProblem) -> SourceProblem:
    """Name the documents after a syntax error that libyaml cannot resume from.

    libyaml stops the whole stream at a syntax error; the `---` markers after it tell the user
    how many documents went unchecked, so a broken CRD never hides workloads silently.
    """
    lines = source.text.splitlines(keepends=True)
    rest = "".join(lines[problem.line - 1 :])
    lost = len(_DOCUMENT_START_RE.findall(rest))
    if not lost:
        return problem
    noun = "document" if lost == 1 else "documents"
    message = f"{problem.message}; the {lost} later {noun} in this file could not be checked"
    return SourceProblem(problem.code, message, problem.line, problem.column, problem.end_column)


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
            drop_crd_schemas(node)
            builder = Builder(loader, limits.max_depth, limits.max_alias_expansion)
            has_anchors = anchors.within(start, node.end_mark.line)
            try:
                data = builder.build(node, has_anchors)
            except (yaml.YAMLError, TypeError, ValueError, OverflowError) as exc:
                # A value that cannot be built (a bad timestamp, an unknown tag) costs this
                # document only: the parser itself is fine, so the stream goes on.
                source.problems.append(_construct_problem(source, exc, node))
                continue
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
        source.problems.append(_with_lost_documents(source, _parse_error(source, exc)))
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


def load_bytes(
    path: str,
    raw: bytes,
    limits: Limits | None = None,
    parse_text: Callable[[str, str], SourceFile] | None = None,
) -> SourceFile:
    """Decode within the bounds, then parse as YAML (or with `parse_text`, for Python)."""
    limits = limits or Limits()
    text, problem = decode(path, raw, limits)
    if text is None:
        source = SourceFile(path, "")
        if problem is not None:
            source.problems.append(problem)
        return source
    if parse_text is not None:
        return parse_text(path, text)
    source = SourceFile(path, text)
    parse(source, limits, None if raw.startswith(codecs.BOM_UTF8) else raw)
    return source
