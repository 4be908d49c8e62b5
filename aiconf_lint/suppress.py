"""Suppression, narrowest first: an inline comment, an object annotation, `per-file-ignores`.

Comments survive `helm template` (Helm copies template comments verbatim) and annotations
survive `kubectl apply`, so both work on rendered output as well as on plain files.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from fnmatch import fnmatch
from pathlib import Path, PurePath

from aiconf_lint.input.source import SourceFile
from aiconf_lint.k8s.objects import K8sObject
from aiconf_lint.model import Finding

IGNORE_ANNOTATION = "aiconf-lint.io/ignore"


def annotation_codes(obj: K8sObject) -> tuple[str, ...]:
    raw = obj.annotations.get(IGNORE_ANNOTATION, "")
    return tuple(code.strip() for code in raw.split(",") if code.strip())


def _matches(code: str, selectors: Iterable[str]) -> bool:
    return any(code.startswith(s.strip().upper()) or s.strip().upper() == "ALL" for s in selectors)


def per_file_codes(
    file: str, per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...]
) -> tuple[str, ...]:
    """Selectors that `per-file-ignores` apply to `file`.

    A glob with `/` is anchored at the directory of the config that declares it (settings made
    it absolute), so it matches from a subfolder and for absolute paths; a glob without `/`
    matches the file name, as in ruff.
    """
    from aiconf_lint.input.excludes import anchor_pattern

    absolute = PurePath(os.path.abspath(file)).as_posix()
    name = PurePath(file).name
    codes: list[str] = []
    for pattern, selectors in per_file_ignores:
        if "/" in pattern.rstrip("/"):
            hit = fnmatch(absolute, anchor_pattern(pattern, Path.cwd()))
        else:
            hit = fnmatch(name, pattern)
        if hit:
            codes.extend(selectors)
    return tuple(codes)


def is_suppressed(
    finding: Finding,
    source: SourceFile | None,
    obj_codes: tuple[str, ...],
    file_codes: tuple[str, ...],
) -> bool:
    if _matches(finding.code, file_codes) or _matches(finding.code, obj_codes):
        return True
    if source is None:
        return False
    inline = source.suppressions()
    if not inline:
        return False
    span = finding.location.span
    return any(
        _matches(finding.code, inline[line][0])
        for line in range(span.line, span.end_line + 1)
        if line in inline
    )


def unknown_inline_codes(
    source: SourceFile, known: frozenset[str]
) -> Iterator[tuple[int, int, str]]:
    """(line, column, code) of each code in an inline suppression that no rule has."""
    for line, (codes, column) in sorted(source.suppressions().items()):
        for code in codes:
            if code.upper() != "ALL" and not any(k.startswith(code.upper()) for k in known):
                yield line, column, code


_BARE_RE = re.compile(r"#\s*aiconf-lint:\s*ignore(?:\[\s*\])?(?![\[\w-])")


def bare_ignores(source: SourceFile) -> Iterator[tuple[int, int, int]]:
    """(line, column, end column) of each `# aiconf-lint: ignore` that names no code.

    A blanket suppression would also hide every rule added later, so it suppresses nothing and
    is reported (SYN004); `ignore[ALL]` says the same thing on purpose.
    """
    if "aiconf-lint:" not in source.text:
        return
    for match in _BARE_RE.finditer(source.text):
        line = source.line_of_offset(match.start())
        start = source.text.rfind("\n", 0, match.start()) + 1
        column = match.start() - start + 1
        yield line, column, column + len(match.group(0))
