"""Carry an edit made on ruamel's re-formatted text back onto the original text.

When a document does not round-trip byte for byte (a list indented differently from the
others, trailing spaces ruamel drops), ruamel's dump of the *unedited* tree (`baseline`) still
matches the original in most lines. The edit is the line diff from `baseline` to the edited
dump; each of its hunks is replayed on the original only where the lines it replaces, and
the lines around it, are identical in both and adjacent in both. Anything less certain gives
up, and the caller's read-back guard checks the data of whatever is returned.
"""

from __future__ import annotations

import difflib


def _alignment(baseline: list[str], original: list[str]) -> dict[int, int]:
    """Baseline line index to original line index, for lines the two have in common."""
    matcher = difflib.SequenceMatcher(None, baseline, original, autojunk=False)
    mapping: dict[int, int] = {}
    for block in matcher.get_matching_blocks():
        for offset in range(block.size):
            mapping[block.a + offset] = block.b + offset
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
        hunks.append((where, where + (i2 - i1), new[j1:j2]))
    for start, stop, lines in reversed(hunks):
        orig[start:stop] = lines
    return "".join(orig)
