"""Cut a YAML stream into per-document text slices with libyaml's node marks.

Only a changed document's slice is handed to ruamel; everything outside it (the `---` lines,
`# Source:` comments, comments after a document's last value) is copied byte for byte. A
slice runs from the root node's first character to the end of the line holding its last
token, so an end-of-line comment after the last value stays inside it, while comment lines
after it stay outside. Marks count characters (not bytes), so they index `str` directly.
"""

from __future__ import annotations

import re

import yaml

_MARKER = re.compile(r"^(---|\.\.\.)(?=\s|$)", re.MULTILINE)


def last_token_end(root: yaml.Node) -> int:
    """The largest end offset of any scalar or flow collection in the tree.

    A block collection's own end mark lies past trailing comments (libyaml ends it at the next
    token), so it is not used; an alias shares its anchor's node, so walking each node once
    is enough.
    """
    best = root.start_mark.index
    seen: set[int] = set()
    stack: list[yaml.Node] = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode) or getattr(node, "flow_style", False):
            best = max(best, node.end_mark.index)
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.extend((key, value))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return int(best)


def document_span(text: str, root: yaml.Node) -> tuple[int, int]:
    """Character offsets `[start, end)` of the document whose root node is `root`."""
    start = int(root.start_mark.index)
    end = last_token_end(root)
    while end > start and text[end - 1] in " \t\r\n":
        end -= 1  # block scalars end after their trailing blank lines
    newline = text.find("\n", end)
    return start, (newline + 1 if newline != -1 else len(text))


def insertion_point(text: str, after: int) -> int:
    """Where a new document goes after the one ending at `after`: before the next `---` or
    `...` line, so that comments heading the next document (Helm's `# Source:`) stay with it."""
    match = _MARKER.search(text, after)
    return match.start() if match else len(text)
