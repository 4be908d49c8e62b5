"""Run a script in a new interpreter: what a test session already imported must not count."""

from __future__ import annotations

import subprocess
import sys


def last_line(script: str) -> str:
    """The last line `script` prints; the failure shows its output and errors."""
    out = subprocess.run(
        [sys.executable, "-c", script], check=False, capture_output=True, text=True
    )
    lines = out.stdout.strip().splitlines()
    assert out.returncode == 0, out.stdout + out.stderr
    assert lines, out.stderr
    return lines[-1]
