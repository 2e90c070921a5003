"""Small state files that survive a power cut: a file is either the old version or the new, never half."""

from __future__ import annotations

import contextlib
import fcntl
import os
import threading
from collections.abc import Iterator
from pathlib import Path

from offline_cache.atomic_write import sync_folder, write_temporary

__all__ = ["exclusive", "remove_durably", "sync_folder", "thread_lock", "write_atomically"]


def write_atomically(path: Path, data: bytes, mode: int = 0o600) -> None:
    """Replace ``path`` with ``data``: write a temporary file beside it, fsync, rename, fsync the folder."""
    path = Path(path)
    os.replace(write_temporary(path, data, mode), path)
    sync_folder(path.parent)


def remove_durably(path: Path) -> None:
    """Delete ``path`` (if present) and make the deletion itself survive a power cut."""
    try:
        Path(path).unlink()
    except FileNotFoundError:
        return
    sync_folder(Path(path).parent)


@contextlib.contextmanager
def exclusive(lock_path: Path) -> Iterator[None]:
    """Hold an advisory lock on ``lock_path`` so the running kiosk and a command line never interleave."""
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


# One lock per file in this process, shared by everyone who rewrites it (journeys run one at a
# time, but their work runs on worker threads and a cancelled journey's clean-up may overlap the
# next journey's work).
_THREAD_LOCKS: dict[Path, threading.Lock] = {}
_THREAD_LOCKS_GUARD = threading.Lock()


def thread_lock(path: Path) -> threading.Lock:
    """This process's lock for the file at ``path`` (the same lock for every caller)."""
    with _THREAD_LOCKS_GUARD:
        return _THREAD_LOCKS.setdefault(Path(path).resolve(), threading.Lock())
