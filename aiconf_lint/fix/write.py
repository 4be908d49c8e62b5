"""Write a fixed file the way an editor should: all or nothing, same mode, same BOM, same links.

The new text goes to a temporary file in the same directory (so `os.replace` is a rename on
one file system, atomic on POSIX and Windows), is flushed to disk, gets the original file's
permission bits, and only then replaces the original; the directory is then flushed too, so
the rename itself survives a power cut. A crash leaves the old file intact.

Two cases are not a plain rename:
- The file changed since it was read (an editor saved it while the fix ran): it is not
  replaced, since that would throw the other edit away; run the fix again.
- The file has other hard links: a rename would give this name a new file and leave the
  other names on the old text. It is written through instead, as editors do (vim's
  `backupcopy=auto`), after the new text was written and flushed to a temporary file beside
  it, so the other names see the fix too.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

_BOM = b"\xef\xbb\xbf"


class NotWritten(Exception):
    """A fixed file that was deliberately left as it was; the message says why."""


def _fsync_directory(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # Windows cannot open a directory; its rename is already durable
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: Path, text: str, original: str | None = None) -> None:
    """Replace `path` with `text`; with `original` (the text the fix read), only if the file
    still holds it. Raises `NotWritten` for a file changed since it was read."""
    target = path.resolve()  # write through a symlink, do not replace it
    current = target.read_bytes() if target.exists() else b""
    if original is not None and current.decode("utf-8-sig", errors="replace") != original:
        raise NotWritten("changed since it was read (saved by another program?); not replaced")
    data = text.encode("utf-8")
    if current.startswith(_BOM):
        data = _BOM + data
    info = target.stat() if target.exists() else None
    mode = stat.S_IMODE(info.st_mode) if info is not None else 0o644
    handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        if info is not None and info.st_nlink > 1:
            _write_through(target, data)
            os.unlink(temp)
        else:
            os.chmod(temp, mode)
            os.replace(temp, target)
        _fsync_directory(target.parent)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def _write_through(target: Path, data: bytes) -> None:
    """Overwrite the file's own bytes, keeping its inode and so every hard link to it."""
    with open(target, "r+b") as out:
        out.write(data)
        out.truncate()
        out.flush()
        os.fsync(out.fileno())
