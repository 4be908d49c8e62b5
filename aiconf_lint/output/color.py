"""Colour for the text formats on a terminal, following the NO_COLOR and FORCE_COLOR conventions.

Colour is added to finished text (never to JSON, SARIF or a file), so the renderers stay plain
and their output stays greppable.
"""

from __future__ import annotations

import os
import re
from typing import TextIO

_RESET = "\x1b[0m"
_BOLD = "\x1b[1m"
_CODE = "\x1b[1;31m"
_SEVERITY = {"error": "\x1b[31m", "warning": "\x1b[33m", "info": "\x1b[36m"}
_HEADER_RE = re.compile(
    r"^(?P<where>[^\n]+?:\d+:\d+:) (?P<code>[A-Z]{3}\d{3})(?: \[(?P<sev>error|warning|info)\])?",
    re.MULTILINE,
)


def use_color(stream: TextIO) -> bool:
    """NO_COLOR (any value) turns colour off, FORCE_COLOR (not "0") on; else only on a tty."""
    if os.environ.get("NO_COLOR"):
        return False
    force = os.environ.get("FORCE_COLOR")
    if force is not None and force not in ("", "0"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def _header(match: re.Match[str]) -> str:
    text = f"{_BOLD}{match.group('where')}{_RESET} {_CODE}{match.group('code')}{_RESET}"
    severity = match.group("sev")
    if severity:
        text += f" [{_SEVERITY[severity]}{severity}{_RESET}]"
    return text


def colorize(text: str) -> str:
    """Bold locations, red codes and coloured levels in `full` and `concise` output."""
    return _HEADER_RE.sub(_header, text)
