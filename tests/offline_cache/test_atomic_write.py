"""The temporary file beside a target: whole, fsynced, with its mode from the first byte, gone on failure."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from offline_cache.atomic_write import sync_folder, write_temporary


def test_the_temporary_holds_all_the_bytes_with_the_mode_asked(tmp_path: Path) -> None:
    target = tmp_path / "state.json"
    data = os.urandom(300_000)
    temporary = write_temporary(target, data, 0o640)
    assert temporary.parent == tmp_path and temporary.name.startswith(".state.json.")
    assert temporary.read_bytes() == data and stat.S_IMODE(temporary.stat().st_mode) == 0o640 & ~_umask()
    assert not target.exists()
    os.replace(temporary, target)
    sync_folder(tmp_path)
    assert target.read_bytes() == data


def test_a_failed_write_leaves_nothing_behind(tmp_path: Path) -> None:
    with pytest.raises(TypeError):
        write_temporary(tmp_path / "state.json", "text, not bytes")  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []


def test_a_missing_folder_is_an_os_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        write_temporary(tmp_path / "gone" / "state.json", b"x")
    with pytest.raises(FileNotFoundError):
        sync_folder(tmp_path / "gone")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
