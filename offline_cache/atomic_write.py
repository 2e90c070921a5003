"""Writing a file so that a power cut leaves the old version or the new, never half of one.

The new bytes go to a temporary file beside the target, created with its final mode from the
first byte, written whole and fsynced; the caller then renames (or links) it into place and
fsyncs the folder with :func:`sync_folder`. The store key uses it, and so do the kiosk's small
state files (:mod:`kiosk.system.durable_files`).
"""

from __future__ import annotations

import os
from pathlib import Path


def write_temporary(path: Path, data: bytes, mode: int = 0o600) -> Path:
    """``data`` written whole and fsynced to a new temporary file beside ``path``; returns its path.

    On any failure the temporary file is removed and the error raised.
    """
    path = Path(path)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        temporary.unlink(missing_ok=True)
        raise
    os.close(fd)
    return temporary


def sync_folder(folder: Path) -> None:
    """fsync a folder so that renames and deletions in it are on disk."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
