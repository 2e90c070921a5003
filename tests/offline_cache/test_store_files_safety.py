"""The store's files on a bad day: a key written on a full disk, a read-only database, and who may read them."""

from __future__ import annotations

import errno
import os
import sqlite3
import stat
from pathlib import Path

import pytest

from offline_cache import sealing
from offline_cache.errors import SealingError, StoreUnavailable
from offline_cache.outbox import Outbox
from offline_cache.sealing import KEY_BYTES, Sealer
from offline_cache.store import Store, open_store


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_key_made_on_a_full_disk_leaves_no_file_and_works_once_space_returns(tmp_path, monkeypatch):
    key = tmp_path / "outbox.key"
    real_write = os.write

    def disk_full(fd: int, data) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(sealing.os, "write", disk_full)
    with pytest.raises(OSError):
        Sealer.from_key_file(key)
    assert not key.exists() and list(tmp_path.iterdir()) == []
    monkeypatch.setattr(sealing.os, "write", real_write)
    sealer = Sealer.from_key_file(key)
    assert key.stat().st_size == KEY_BYTES and mode(key) == 0o600
    assert sealer.open(sealer.seal(b"x", b"row"), b"row") == b"x"


@pytest.mark.parametrize("size", [0, 7])
def test_an_empty_or_short_key_nothing_was_sealed_with_is_replaced(tmp_path, size):
    key = tmp_path / "outbox.key"
    fd = os.open(key, os.O_WRONLY | os.O_CREAT, 0o600)
    os.write(fd, b"k" * size)
    os.close(fd)
    store = open_store(tmp_path)
    Outbox(store).append("feedback", {"stars": 5})  # not sealed
    store.close()
    Sealer.from_key_file(key)
    assert key.stat().st_size == KEY_BYTES


def test_a_damaged_key_that_sealed_entries_need_is_a_clear_error(tmp_path):
    key = tmp_path / "outbox.key"
    store = open_store(tmp_path)
    Outbox(store, sealer=Sealer.from_key_file(key)).append("ems_request", {"name": "林秀英"})
    store.close()
    key.write_bytes(b"")  # truncated since, e.g. by a damaged file system
    with pytest.raises(SealingError, match="sealed entries in the kiosk database need it"):
        Sealer.from_key_file(key)
    assert key.stat().st_size == 0  # left for a technician to restore, not overwritten
    with pytest.raises(SealingError):
        Sealer.from_key_file(key, sealed_with_it=lambda: True)


def test_the_database_and_the_key_are_owner_only(tmp_path):
    old_umask = os.umask(0o022)
    try:
        store = open_store(tmp_path / "state")
        Outbox(store).append("feedback", {"stars": 4})
        Sealer.from_key_file(tmp_path / "state" / "outbox.key")
    finally:
        os.umask(old_umask)
    state = tmp_path / "state"
    for name in ("kiosk.sqlite3", "kiosk.sqlite3-wal", "kiosk.sqlite3-shm", "outbox.key"):
        assert mode(state / name) == 0o600, name
    store.close()


def test_an_existing_world_readable_database_is_tightened(tmp_path):
    open_store(tmp_path).close()
    (tmp_path / "kiosk.sqlite3").chmod(0o644)
    open_store(tmp_path).close()
    assert mode(tmp_path / "kiosk.sqlite3") == 0o600


def test_a_read_only_database_raises_the_stores_own_error(tmp_path):
    open_store(tmp_path).close()
    path = tmp_path / "kiosk.sqlite3"
    read_only = Store(path, sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, check_same_thread=False))
    with pytest.raises(StoreUnavailable, match="cannot be written"):
        Outbox(read_only)  # it puts interrupted entries back in the queue first: a write
    with pytest.raises(StoreUnavailable, match="cannot be written"), read_only.writing() as conn:
        conn.execute("DELETE FROM outbox")
    read_only.close()


def test_a_database_that_cannot_be_opened_raises_the_stores_own_error(tmp_path):
    (tmp_path / "kiosk.sqlite3").mkdir()  # a folder where the file should be
    with pytest.raises(StoreUnavailable):
        open_store(tmp_path)
