"""The only module that imports ruamel.yaml: load a document's text, edit it, dump it back.

ruamel is slow to import and slow to load (30x libyaml), so it is imported lazily and only
ever sees the text of a document that has a fix to apply. Every load is checked first: the
unmodified tree must dump back to exactly the same text, under the indentation style guessed
from the file, or the document is not edited at all. Measured traps this guards against:
without `explicit_start` a leading `---` vanishes (we never give ruamel a `---`: the text
between documents is kept by the caller), a file mixing `- ` under its parent's column with
indented sequences is re-indented, whitespace-only lines inside block scalars lose their
spaces, and a missing final newline is added.
"""

from __future__ import annotations

import difflib
import functools
import io
import re
from collections import Counter
from collections.abc import Mapping
from typing import Any

import yaml

from aiconf_lint.records import record

_KEY_LINE = re.compile(r"^(\s*)(- +)?[^\s#-][^#]*:\s*(#.*)?$")
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@record(frozen=True)
class Style:
    """ruamel's three indentation knobs (key indent, item content indent, dash offset) and
    how a null is spelt: ruamel writes `key:` where Kubernetes tools write `key: null`."""

    mapping: int
    sequence: int
    offset: int
    null: str = ""


def guess_style(text: str) -> Style:
    """The indentation most used in `text`: how far nested keys and `- ` items are indented.

    Counting beats ruamel's `load_yaml_guess_indent`, which looks at one document only and
    needs a parse; candidates are then checked by a real round trip anyway.
    """
    maps: Counter[int] = Counter()
    offsets: Counter[int] = Counter()
    dashes: Counter[int] = Counter()  # `- ` or `-   `: where an item's content starts
    previous: tuple[int, bool] | None = None  # key column of a `key:` line opening a block
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#") or stripped in ("---", "..."):
            continue
        indent = len(line) - len(line.lstrip(" "))
        if previous is not None:
            key_column, _ = previous
            if stripped.startswith("- ") or stripped == "-":
                offsets[indent - key_column] += 1
                dashes[len(stripped) - len(stripped[1:].lstrip(" "))] += 1
            elif indent > key_column:
                maps[indent - key_column] += 1
        match = _KEY_LINE.match(line)
        if match and not stripped.endswith(("|", ">", "|-", ">-")):
            column = len(match.group(1)) + len(match.group(2) or "")
            previous = (column, True)
        else:
            previous = None
    mapping = maps.most_common(1)[0][0] if maps else 2
    offset = offsets.most_common(1)[0][0] if offsets else 0
    mapping = mapping if 1 < mapping <= 8 else 2
    offset = offset if 0 <= offset <= 8 else 0
    dash = dashes.most_common(1)[0][0] if dashes else 2
    dash = dash if 2 <= dash <= 8 else 2
    return Style(mapping, offset + dash, offset)


def _candidates(first: Style, text: str) -> list[Style]:
    nulls = [""] + [spelling for spelling in ("null", "~") if spelling in text]
    found: list[Style] = []
    dash = first.sequence - first.offset
    for null in nulls:
        for mapping in (first.mapping, 2, 4):
            for offset, width in (
                (first.offset, dash),
                (0, 2),
                (2, 2),
                (mapping, 2),
                (mapping, dash),
            ):
                style = Style(mapping, offset + width, offset, null)
                if style not in found:
                    found.append(style)
    return found


def _yaml(style: Style) -> Any:
    from ruamel.yaml import YAML

    # A fresh YAML() per document: ruamel keeps state between loads (ansible-lint's lesson).
    handle = YAML(typ="rt")
    handle.preserve_quotes = True
    handle.width = 4096
    handle.indent(mapping=style.mapping, sequence=style.sequence, offset=style.offset)
    if style.null:
        handle.Representer = _null_representer(style.null)
    return handle


@functools.cache
def _null_representer(spelling: str) -> Any:
    """A representer class writing nulls as `spelling` (`add_representer` on ruamel's own
    class would change every later dump in the process)."""
    from ruamel.yaml.representer import RoundTripRepresenter

    def represent_none(representer: Any, _data: None) -> Any:
        return representer.represent_scalar("tag:yaml.org,2002:null", spelling)

    subclass: Any = type(
        "NullAs" + ("Word" if spelling == "null" else "Tilde"), (RoundTripRepresenter,), {}
    )
    subclass.add_representer(type(None), represent_none)
    return subclass


def _dump(tree: Any, style: Style) -> str:
    buffer = io.StringIO()
    _yaml(style).dump(tree, buffer)
    return buffer.getvalue()


@record
class Loaded:
    """A document's ruamel tree, the style it is dumped in, and what the unedited tree dumps
    to: the document's own text when `exact`, else the closest any candidate style came."""

    tree: Any
    style: Style
    final_newline: bool
    baseline: str
    exact: bool

    def dump(self) -> str:
        return self._finish(_dump(self.tree, self.style))

    def _finish(self, text: str) -> str:
        if not self.final_newline:
            return text.removesuffix("\n")
        # ruamel drops the last newline when a comment ends up before the last key.
        return text if text.endswith("\n") else text + "\n"


def _differing_lines(a: str, b: str) -> int:
    matcher = difflib.SequenceMatcher(None, a.splitlines(), b.splitlines(), autojunk=False)
    same = sum(block.size for block in matcher.get_matching_blocks())
    return max(len(a.splitlines()), len(b.splitlines())) - same


def load_document(text: str, preferred: Style) -> Loaded | None:
    """Load one document's text for editing; None when ruamel cannot load it as a mapping.

    The first candidate style whose dump is byte-identical wins (`exact`); failing that, the
    style whose dump differs from the text in the fewest lines, for the caller to merge with.
    """
    from ruamel.yaml.comments import CommentedMap

    final_newline = text.endswith("\n")
    wanted = text if final_newline else text + "\n"
    try:
        tree = _yaml(preferred).load(wanted)  # indentation only matters when dumping
    except Exception:  # ruamel raises many unrelated types; any of them means "no"
        return None
    if not isinstance(tree, CommentedMap):
        return None
    best: tuple[int, Style] | None = None
    for style in _candidates(preferred, text):
        try:
            dumped = _dump(tree, style)
        except Exception:
            return None
        if dumped == wanted:
            return Loaded(tree, style, final_newline, text, exact=True)
        score = _differing_lines(wanted, dumped)
        if best is None or score < best[0]:
            best = (score, style)
    if best is None:
        return None
    loaded = Loaded(tree, best[1], final_newline, "", exact=False)
    loaded.baseline = loaded.dump()
    return loaded


def dump_new_document(value: object, style: Style) -> str:
    """A new document (no `---`) in the file's indentation style."""
    return _dump(to_node(value), style)


def _needs_quotes(text: str) -> bool:
    """True when YAML 1.1 (PyYAML, Kubernetes' go-yaml) would not read `text` back as itself.

    ruamel resolves with YAML 1.2, where `yes`, `on` and `0777` are plain strings; Kubernetes
    reads them as booleans and octals.
    """
    if not text or "\n" in text:
        return False
    try:
        parsed = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError:
        return True
    return not isinstance(parsed, str) or parsed != text


@record
class _Detached:
    parent: Any
    key: Any
    node: Any
    comment: Any
    previous: Any
    used: bool = False


class CommentCarrier:
    """Carries the comments of the keys one fix removes to where the same fix re-adds them.

    ruamel keeps a key's end-of-line comment, and every full-line comment up to the next key,
    in one token on that key. A fix that moves fields (DRA001's flat `v1beta1` request fields
    under `exactly`) is a remove and an add: without this, every comment on the moved keys,
    and the comment lines after them, would vanish with the removed keys.
    """

    def __init__(self) -> None:
        self._detached: list[_Detached] = []

    def detach(self, parent: Any, key: Any) -> None:
        """Called before `del parent[key]`: keep the node and its comment for a later add."""
        from ruamel.yaml.comments import CommentedMap

        if not isinstance(parent, CommentedMap) or key not in parent:
            return
        keys = list(parent.keys())
        at = keys.index(key)
        item = parent.ca.items.pop(key, None)
        comment = item[2] if item and len(item) > 2 else None
        previous = keys[at - 1] if at > 0 else None
        self._detached.append(_Detached(parent, key, parent[key], comment, previous))

    def take(self, key: Any, plain: object) -> tuple[Any, Any] | None:
        """The removed node (and its comment) that `key: plain` re-adds, if this fix removed it:
        the key itself, or an entry of a removed mapping that is being unwrapped."""
        from aiconf_lint.fix.ops import same

        for entry in self._detached:
            if entry.used:
                continue
            if entry.key == key and same(entry.node, plain):
                entry.used = True
                return entry.node, entry.comment
        for entry in self._detached:
            node = entry.node
            if isinstance(node, Mapping) and key in node and same(node[key], plain):
                item = node.ca.items.get(key)  # type: ignore[attr-defined]
                return node[key], item[2] if item and len(item) > 2 else None
        return None

    def removed_from(self, parent: Any) -> bool:
        """Whether this fix removed keys from `parent` (so its last entry may not be last)."""
        return any(entry.parent is parent for entry in self._detached)

    def finish(self) -> None:
        """Comment lines that followed a truly removed key belong to what came after it: give
        them to the key before it (its end-of-line comment goes with the removed key)."""
        from ruamel.yaml.error import CommentMark
        from ruamel.yaml.tokens import CommentToken

        for entry in self._detached:
            if entry.used or entry.comment is None or entry.previous is None:
                continue
            _, _, rest = str(entry.comment.value).partition("\n")
            if not rest.strip() or entry.previous not in entry.parent:
                continue
            items = entry.parent.ca.items
            slot = items.get(entry.previous)
            if slot and len(slot) > 2 and slot[2] is not None:
                token = slot[2]
                token.value = str(token.value) + rest
            else:
                token = CommentToken("\n" + rest, CommentMark(0), None)
                items[entry.previous] = [None, None, token, None]
        self._detached.clear()


def _tail_slot(node: Any) -> tuple[dict[Any, Any], Any, int] | None:
    """Where ruamel keeps the comment after the last entry of a block collection: the
    deepest last entry's slot (index 2 of a mapping key's, index 0 of a list item's)."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if not isinstance(node, CommentedMap | CommentedSeq) or not node or is_flow(node):
        return None
    if isinstance(node, CommentedMap):
        key: Any = list(node.keys())[-1]
        index = 2
    else:
        key, index = len(node) - 1, 0
    deeper = _tail_slot(node[key])
    if deeper is not None:
        return deeper
    return node.ca.items, key, index


def _take_trailing_lines(node: Any) -> str:
    """Cut the full-line comments that follow a collection's last entry off its token: they
    belong after the collection, wherever its end moves."""
    slot = _tail_slot(node)
    if slot is None:
        return ""
    items, key, index = slot
    entry = items.get(key)
    token = entry[index] if entry and len(entry) > index else None
    if token is None:
        return ""
    head, _, rest = str(token.value).partition("\n")
    if not rest.strip():
        return ""
    if head.strip():
        token.value = head + "\n"
    else:
        items[key][index] = None
    return rest


def _give_trailing_lines(node: Any, rest: str) -> None:
    from ruamel.yaml.error import CommentMark
    from ruamel.yaml.tokens import CommentToken

    slot = _tail_slot(node)
    if slot is None or not rest:
        return
    items, key, index = slot
    entry: list[Any] = items.setdefault(key, [None, None, None, None])
    token = entry[index]
    if token is None:
        entry[index] = CommentToken("\n" + rest, CommentMark(0), None)
    else:
        token.value = str(token.value).rstrip("\n") + "\n" + rest


def put(
    target: Any,
    key: Any,
    value: object,
    like: object,
    carrier: CommentCarrier,
    *,
    at_end: bool = True,
) -> None:
    """`target[key] = value`, reusing the node and comment a removal in this fix detached.

    A new key goes last, so the comment lines that followed the old last entry (they are
    about what comes after the mapping) are moved to follow the new one; `at_end=False` for
    a mapping being built, whose entries' comment lines are about the next entry.
    """
    settled = key in target or not at_end or carrier.removed_from(target)
    trailing = "" if settled else _take_trailing_lines(target)
    taken = carrier.take(key, value)
    if taken is None:
        target[key] = to_node(value, like, carrier)
    else:
        node, comment = taken
        target[key] = node
        if comment is not None:
            target.ca.items[key] = [None, None, comment, None]
    _give_trailing_lines(target, trailing)


def push(seq: Any, value: object) -> None:
    """Append an item to a block list; comment lines after the old last item follow it."""
    trailing = _take_trailing_lines(seq)
    seq.append(to_node(value))
    _give_trailing_lines(seq, trailing)


def _keep_comments(node: Any, like: Any) -> None:
    """A collection replacing another of its kind keeps the comment lines before its first
    entry and after its last: ruamel stores them on the old entries (and the leading ones on
    the parent's key too; a new node without them is dumped as `key:   -`, invalid YAML)."""
    old = getattr(like, "ca", None)
    if old is None or type(like) is not type(node):
        return
    if old.comment is not None:
        node.ca.comment = old.comment
    _give_trailing_lines(node, _take_trailing_lines(like))


def to_node(value: object, like: object = None, carrier: CommentCarrier | None = None) -> Any:
    """Plain data to ruamel nodes in block style; a string keeps the quotes of `like`.

    With a `carrier`, entries a removal of the same fix detached are reused with their comments.
    """
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString, ScalarString

    if isinstance(value, Mapping):
        node = CommentedMap()
        for key, item in value.items():
            if carrier is None:
                node[key] = to_node(item)
            else:
                put(node, key, item, None, carrier, at_end=False)
        _keep_comments(node, like)
        return node
    if isinstance(value, list | tuple):
        seq = CommentedSeq()
        seq.extend(to_node(item, None, carrier) for item in value)
        _keep_comments(seq, like)
        return seq
    if isinstance(value, str) and not isinstance(value, ScalarString):
        if isinstance(like, ScalarString) and type(like) is not ScalarString:
            return type(like)(value)
        if _needs_quotes(value):
            return DoubleQuotedScalarString(value)
    return value


def is_flow(node: object) -> bool:
    fa = getattr(node, "fa", None)
    return bool(fa is not None and fa.flow_style())


def make_block(node: object) -> None:
    """Turn an empty `{}` or `[]` into block style before it gets its first entry."""
    fa = getattr(node, "fa", None)
    if fa is not None and len(node) == 0:  # type: ignore[arg-type]
        fa.set_block_style()


def empty_flow(like: object) -> Any:
    """A new `{}` or `[]` to stand for a collection whose last entry was removed."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    node = CommentedMap() if isinstance(like, Mapping) else CommentedSeq()
    node.fa.set_flow_style()
    return node
