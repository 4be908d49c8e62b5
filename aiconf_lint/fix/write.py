"""Write a fixed file the way an editor should: all or nothing, same mode, same BOM.

The new text goes to a temporary file in the same directory (so `os.replace` is a rename on
one file system, atomic on POSIX and Windows), is flushed to disk, gets the original file's
permission bits, and only then replaces the original. A crash leaves the old file intact.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

_BOM = b"\xef\xbb\xbf"


def write_atomic(path: Path, text: str) -> None:
    target = path.resolve()  # write through a symlink, do not replace it
    raw = target.read_bytes()[:3] if target.exists() else b""
    data = text.encode("utf-8")
    if raw == _BOM:
        data = _BOM + data
    mode = stat.S_IMODE(target.stat().st_mode) if target.exists() else 0o644
    handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, mode)
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
