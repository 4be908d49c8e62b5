"""Source files, their YAML documents, and the one place that turns YAML paths into spans.

Positions come from libyaml's node marks (0-based); `span_of` adds 1 exactly once, so every
other module speaks 1-based lines and columns only.
"""

from __future__ import annotations

import bisect
import functools
import re
from array import array

import yaml

from aiconf_lint.input.positions import Positions
from aiconf_lint.model import Span, YamlPath
from aiconf_lint.records import field, record

_SOURCE_RE = re.compile(r"^# Source: (\S.*?)\s*$", re.MULTILINE)
_SUPPRESS_RE = re.compile(r"#\s*aiconf-lint:\s*ignore\[([^\]]*)\]")


@record(frozen=True)
class SourceProblem:
    """A problem with the text itself (SYN001-SYN003), found before any rule runs."""

    code: str
    message: str
    line: int
    column: int
    end_column: int | None = None


@record
class Document:
    """One `---`-separated document: a position table for findings, plain data for rules.

    The node tree itself is not kept (see `positions.py`): `node` composes it again from the
    file's text when something needs more than positions (the fix engine's text splicing).
    """

    file: str
    index: int
    positions: Positions
    data: object
    origin: str | None = None
    text: str = field(default="", repr=False, compare=False)
    """The whole file's text (shared with its `SourceFile`), to compose `node` again."""

    @property
    def node(self) -> yaml.Node:
        node = _composed(self.text)[self.index]
        assert node is not None, "a document with data has a node"
        return node

    def span(self, path: YamlPath, key_only: bool = False) -> tuple[Span, bool]:
        """`span_of` for this document, from its position table."""
        return self.positions.span(path, key_only)

    @property
    def start_line(self) -> int:
        """1-based line where the document's content starts."""
        return self.positions.start_line + 1


@functools.lru_cache(maxsize=2)
def _composed(text: str) -> list[yaml.Node | None]:
    """Every document node of a text, as the loader composed them (fixes work file by file)."""
    from aiconf_lint.input.load import compose_nodes

    return compose_nodes(text)


@record
class SourceFile:
    path: str
    text: str
    documents: list[Document] = field(default_factory=list)
    problems: list[SourceProblem] = field(default_factory=list)
    _line_starts: array[int] | None = None
    """Offsets where lines start, as machine integers: a list of int objects cost 40 bytes a
    line, 19 MB on a 14 MB stream with Helm `# Source:` comments."""
    _suppressions: dict[int, tuple[tuple[str, ...], int]] | None = None

    def line_of_offset(self, offset: int) -> int:
        """1-based line of a character offset, for matches found by regex over the whole text."""
        if self._line_starts is None:
            starts = [0]
            find = self.text.find
            pos = find("\n")
            while pos != -1:
                starts.append(pos + 1)
                pos = find("\n", pos + 1)
            self._line_starts = array("q", starts)
        return bisect.bisect_right(self._line_starts, offset)

    def line_start(self, line: int) -> int:
        """Offset where 0-based `line` starts (at `\n`s); the text's length past the end."""
        if self._line_starts is None:
            self.line_of_offset(0)
        assert self._line_starts is not None
        return self._line_starts[line] if line < len(self._line_starts) else len(self.text)

    def line_text(self, line: int) -> str:
        """The text of a 1-based line without its line break (empty past the end)."""
        lines = self.text.splitlines()
        return lines[line - 1] if 0 < line <= len(lines) else ""

    def suppressions(self) -> dict[int, tuple[tuple[str, ...], int]]:
        """Line -> (codes, column of the comment) for every `# aiconf-lint: ignore[...]`."""
        if self._suppressions is None:
            found: dict[int, tuple[tuple[str, ...], int]] = {}
            if "aiconf-lint:" in self.text:
                for match in _SUPPRESS_RE.finditer(self.text):
                    line = self.line_of_offset(match.start())
                    line_start = self._line_starts[line - 1] if self._line_starts else 0
                    codes = tuple(c.strip() for c in match.group(1).split(",") if c.strip())
                    found[line] = (codes, match.start() - line_start + 1)
            self._suppressions = found
        return self._suppressions

    def helm_sources(self) -> list[tuple[int, str]]:
        """0-based line and template path of every `# Source:` comment `helm template` wrote."""
        if "# Source: " not in self.text:
            return []
        return [
            (self.line_of_offset(m.start()) - 1, m.group(1)) for m in _SOURCE_RE.finditer(self.text)
        ]


def _find_child(node: yaml.Node, step: str | int) -> tuple[yaml.Node | None, yaml.Node | None]:
    """Return (key node, value node) for one path step; the last duplicate key wins, as in data."""
    if isinstance(node, yaml.MappingNode):
        wanted = str(step)
        hit: tuple[yaml.Node | None, yaml.Node | None] = (None, None)
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == wanted:
                hit = (key_node, value_node)
        return hit
    if (
        isinstance(node, yaml.SequenceNode)
        and isinstance(step, int)
        and 0 <= step < len(node.value)
    ):
        return (None, node.value[step])
    return (None, None)


def _mark_span(start: yaml.Mark, end: yaml.Mark) -> Span:
    return Span(start.line + 1, start.column + 1, end.line + 1, end.column + 1)


def _first_line_span(node: yaml.Node) -> Span:
    """A collection's span, clipped to its first line: a caret under 40 lines helps nobody."""
    start, end = node.start_mark, node.end_mark
    if end.line == start.line:
        return _mark_span(start, end)
    return Span(start.line + 1, start.column + 1, start.line + 1, start.column + 2)


def span_of(root: yaml.Node, path: YamlPath, key_only: bool = False) -> tuple[Span, bool]:
    """Resolve `path` to the span of its value (or key); the bool says whether all of it exists.

    A path that leaves the tree (a rule pointing at a key that should be added) resolves to the
    deepest existing ancestor, which is where the user has to type.
    """
    node: yaml.Node = root
    key_node: yaml.Node | None = None
    for step in path:
        child_key, child = _find_child(node, step)
        if child is None:
            if key_node is not None:
                return _mark_span(key_node.start_mark, key_node.end_mark), False
            return _first_line_span(node), False
        node, key_node = child, child_key
    if key_node is not None and (key_only or not isinstance(node, yaml.ScalarNode)):
        return _mark_span(key_node.start_mark, key_node.end_mark), True
    if isinstance(node, yaml.ScalarNode):
        return _mark_span(node.start_mark, node.end_mark), True
    return _first_line_span(node), True


def node_at(root: yaml.Node, path: YamlPath) -> yaml.Node | None:
    node: yaml.Node | None = root
    for step in path:
        if node is None:
            return None
        node = _find_child(node, step)[1]
    return node
