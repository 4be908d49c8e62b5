"""What every fix must keep besides the data: the comments and the line-ending style.

The read-back check in `apply` compares data only, and data has no comments: a fix that
moved keys with ruamel once dropped a trailing `# NVIDIA` without anything noticing. So the
comments of a document are counted before and after, as text, and every comment must survive
except those inside what a fix removes for good (a moved key's comment must move with it).
A comment is a `#` at the start of a line or after a blank, outside every scalar (libyaml's
marks say where the scalars are, so a `#` inside a quoted string or block scalar is not one).
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterable

import yaml

from aiconf_lint.fix.ops import same
from aiconf_lint.fix.slices import last_token_end
from aiconf_lint.model import Edit, YamlPath

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_COMMENT = re.compile(r"(?:^|(?<=[ \t]))#[^\r\n]*", re.MULTILINE)


def _scalar_spans(roots: Iterable[yaml.Node]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    seen: set[int] = set()
    stack = list(roots)
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            spans.append((int(node.start_mark.index), int(node.end_mark.index)))
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.extend((key, value))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    spans.sort()
    return spans


def _inside(spans: list[tuple[int, int]], offset: int) -> bool:
    at = bisect.bisect_right(spans, (offset, float("inf"))) - 1
    return at >= 0 and spans[at][0] <= offset < spans[at][1]


def comments_at(
    text: str, roots: Iterable[yaml.Node], start: int = 0, end: int | None = None
) -> list[tuple[int, str]]:
    """(offset, text) of every comment in `text[start:end]`; `roots` are its parsed nodes."""
    spans = _scalar_spans(roots)
    stop = len(text) if end is None else end
    return [
        (m.start(), m.group().rstrip())
        for m in _COMMENT.finditer(text, start, stop)
        if not _inside(spans, m.start())
    ]


def comments_of(text: str) -> Counter[str] | None:
    """The comments of a YAML text, as a multiset; None if it does not parse."""
    try:
        roots = [root for root in yaml.compose_all(text, Loader=_Loader) if root is not None]
    except yaml.YAMLError:
        return None
    return Counter(comment for _, comment in comments_at(text, roots))


def _moved(removed: YamlPath, value: object, edits: Iterable[Edit]) -> bool:
    """Whether a fix removing `removed` adds the same key and value back elsewhere."""
    key = removed[-1]

    def holds(node: object) -> bool:
        if isinstance(node, dict):
            return any((k == key and same(v, value)) or holds(v) for k, v in node.items())
        if isinstance(node, list):
            return any(holds(item) for item in node)
        return False

    for edit in edits:
        if edit.op in ("add", "merge") and edit.key == key and same(edit.value, value):
            return True
        if edit.op in ("add", "merge", "append", "set") and holds(edit.value):
            return True
    return False


def _entry_span(text: str, root: yaml.Node, path: YamlPath) -> tuple[int, int] | None:
    """From the key (or list item) at `path` to the end of the line its value ends on."""
    node: yaml.Node = root
    start: int | None = None
    for step in path:
        found: yaml.Node | None = None
        if isinstance(node, yaml.MappingNode) and isinstance(step, str):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.value == step:
                    start, found = int(key.start_mark.index), value
                    break
        elif (
            isinstance(node, yaml.SequenceNode)
            and isinstance(step, int)
            and 0 <= step < len(node.value)
        ):
            found = node.value[step]
            start = int(found.start_mark.index)
        if found is None:
            return None
        node = found
    if start is None:
        return None
    end = last_token_end(node)
    newline = text.find("\n", end)
    return start, len(text) if newline == -1 else newline + 1


def lost_comments(
    text: str,
    root: yaml.Node,
    span: tuple[int, int],
    data: object,
    edits: list[Edit],
    new_text: str,
) -> list[str]:
    """Comments of the document at `span` of `text` that `new_text` (its replacement) lost,
    not counting those inside what the `edits` own: entries they remove for good, and
    collections they replace by another (SCL006 rewriting `metrics` in the `v2` shape)."""
    after = comments_of(new_text)
    if after is None:
        return []  # the read-back check reports text that does not parse
    owned: list[tuple[int, int]] = []
    for edit in edits:
        if edit.op not in ("remove", "set") or not edit.path:
            continue
        value = _plain_at(data, edit.path)
        if edit.op == "set" and not isinstance(value, dict | list):
            continue  # a scalar replaced in place: the comments around it stay
        if edit.op == "remove" and _moved(edit.path, value, edits):
            continue
        where = _entry_span(text, root, edit.path)
        if where is not None:
            owned.append(where)
    before = Counter(
        comment
        for offset, comment in comments_at(text, [root], *span)
        if not any(lo <= offset < hi for lo, hi in owned)
    )
    return sorted((before - after).elements())


def _plain_at(data: object, path: YamlPath) -> object:
    node = data
    for step in path:
        if isinstance(node, dict) and isinstance(step, str):
            node = node.get(step)
        elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
            node = node[step]
        else:
            return None
    return node


def newline_style(text: str) -> str | None:
    """`\\r\\n` when every line ends in CRLF, `\\n` when none does, None when they are mixed."""
    crlf = text.count("\r\n")
    if not crlf:
        return "\n"
    return "\r\n" if crlf == text.count("\n") else None


def keeps_newlines(before: str, after: str) -> bool:
    """Whether `after` keeps the line endings of `before`: a CRLF file gets no bare `\n`
    line, an LF file no CRLF line; a file that already mixes them may get either."""
    style = newline_style(before)
    if style == "\n":
        return "\r\n" not in after
    if style == "\r\n":
        return after.count("\r\n") == after.count("\n")
    return True
