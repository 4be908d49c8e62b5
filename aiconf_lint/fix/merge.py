"""Carry an edit made on ruamel's re-formatted text back onto the original text.

When a document does not round-trip byte for byte (a list indented differently from the
others, trailing spaces ruamel drops), ruamel's dump of the *unedited* tree (`baseline`) still
matches the original in most lines. The edit is the line diff from `baseline` to the edited
dump; each of its hunks is replayed on the original only where the lines it replaces, and
the lines around it, are present in both and adjacent in both. Anything less certain gives
up, and the caller reads back the data of whatever is returned.

Lines match exactly, or (in the gaps between exact matches) with the same text at another
indentation: hand-written manifests indent `containers:` items and leave `volumes:` items at
their parent's column, which ruamel cannot reproduce in one document. A hunk anchored among
such lines is shifted by the indentation difference of the line it follows at its own level
(its previous sibling or its parent), so an item appended to an unindented list stays
unindented, and a key added beside indented ones is indented like them.
"""

from __future__ import annotations

import difflib


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _alignment(baseline: list[str], original: list[str]) -> dict[int, int]:
    """Baseline line index to original line index, for lines the two have in common."""
    matcher = difflib.SequenceMatcher(None, baseline, original, autojunk=False)
    mapping: dict[int, int] = {}
    a = b = 0
    for block in matcher.get_matching_blocks():
        # Between exact matches: the same lines at another indentation.
        gap_a = [line.strip() for line in baseline[a : block.a]]
        gap_b = [line.strip() for line in original[b : block.b]]
        if gap_a and gap_b:
            loose = difflib.SequenceMatcher(None, gap_a, gap_b, autojunk=False)
            for inner in loose.get_matching_blocks():
                for offset in range(inner.size):
                    mapping[a + inner.a + offset] = b + inner.b + offset
        for offset in range(block.size):
            mapping[block.a + offset] = block.b + offset
        a, b = block.a + block.size, block.b + block.size
    mapping[len(baseline)] = len(original)  # the end matches the end
    return mapping


def _anchored(mapping: dict[int, int], start: int, stop: int) -> int | None:
    """Where baseline lines [start, stop) sit in the original, if they and their neighbours
    are matched and contiguous there; None otherwise."""
    lines = range(start - 1 if start > 0 else start, stop + 1)
    if any(i not in mapping for i in lines):
        return None
    first = mapping[lines[0]]
    if any(mapping[i] != first + (i - lines[0]) for i in lines):
        return None
    return mapping[start]


def _shift(
    base: list[str], orig: list[str], mapping: dict[int, int], start: int, level: int
) -> int:
    """How far the original indents lines at `level` placed before baseline line `start`,
    relative to baseline: the difference of the line they follow at their own level."""
    for i in range(start - 1, -1, -1):
        line = base[i]
        if line.strip() and _indent(line) <= level:
            j = mapping.get(i)
            return 0 if j is None else _indent(orig[j]) - _indent(line)
    return 0


def _reindent(
    base: list[str], orig: list[str], mapping: dict[int, int], start: int, new: list[str]
) -> list[str] | None:
    """The new lines, each run under one head line shifted like that head's level."""
    out: list[str] = []
    head: int | None = None
    delta = 0
    for line in new:
        if line.strip():
            level = _indent(line)
            if head is None or level <= head:
                head, delta = level, _shift(base, orig, mapping, start, level)
            if delta < 0 and not line.startswith(" " * -delta):
                return None
            out.append(" " * delta + line if delta >= 0 else line[-delta:])
        else:
            out.append(line)
    return out


def replay(original: str, baseline: str, edited: str) -> str | None:
    """`original` with the changes from `baseline` to `edited`, or None if any is uncertain."""
    base = baseline.splitlines(keepends=True)
    orig = original.splitlines(keepends=True)
    new = edited.splitlines(keepends=True)
    mapping = _alignment(base, orig)
    hunks: list[tuple[int, int, list[str]]] = []
    matcher = difflib.SequenceMatcher(None, base, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        where = _anchored(mapping, i1, i2)
        if where is None:
            return None
        lines = _reindent(base, orig, mapping, i1, new[j1:j2])
        if lines is None:
            return None
        hunks.append((where, where + (i2 - i1), lines))
    for start, stop, lines in reversed(hunks):
        orig[start:stop] = lines
    return "".join(orig)
