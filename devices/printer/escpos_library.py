"""python-escpos, loaded off the citizen's path, with its printer database parsed once per kiosk.

On import python-escpos parses its capabilities YAML (0.4–0.8 s on a kiosk board) and caches the
result as a pickle in ``ESCPOS_CAPABILITIES_PICKLE_DIR`` — by default a new temporary directory in
every process, so every start paid the parse again at the first ticket and left a directory behind.
The receipt printer keeps that cache in ``<state_dir>/escpos`` (or, without a usable state
directory, in one private temporary directory removed at exit). The device hub loads the library
on the printer's job thread when the first citizen touches the screen (``ReceiptPrinter.prepare_output``),
so the first ticket does not wait for it and a kiosk nobody has used yet does not carry it. When the
printer opens and the cache is not there yet, a child process writes it (``write_cache``), so even a
kiosk's first load reads the cache.

python-escpos also makes a temporary directory on import even when told where its cache is (the
default argument is evaluated anyway); the import runs with a scratch folder as the temporary
directory, and what it leaves there empty is removed.

A damaged cache (a start cut off while python-escpos wrote it) is removed and the library loaded
again from its YAML, never a printer that cannot print.
"""

from __future__ import annotations

import atexit
import logging
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

CACHE_ENV = "ESCPOS_CAPABILITIES_PICKLE_DIR"
CACHE_FOLDER = "escpos"
CACHE_WRITE_TIMEOUT_S = 30.0


def keep_cache_in(state_dir: str | os.PathLike[str] | None) -> Path | None:
    """Point python-escpos's capabilities cache at ``state_dir`` (before it is first imported).

    Returns the folder in use, or None when the choice was already made (by an earlier call, the
    environment, or a library already loaded).
    """
    if os.environ.get(CACHE_ENV) or "escpos.capabilities" in sys.modules:
        return None
    folder = _usable(Path(state_dir) / CACHE_FOLDER) if state_dir is not None else None
    if folder is None:
        folder = Path(tempfile.mkdtemp(prefix="kiosk-escpos-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
    os.environ[CACHE_ENV] = str(folder)
    return folder


def _usable(folder: Path) -> Path | None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        log.warning("python-escpos's printer database cannot be kept in %s (%s); using a temporary folder",
                    folder, exc)
        return None
    if not os.access(folder, os.W_OK | os.X_OK):
        log.warning("python-escpos's printer database cannot be kept in %s (not writable); using a temporary "
                    "folder", folder)
        return None
    return folder


def dummy_printer_class() -> Any:
    """python-escpos's ``Dummy`` printer class (the byte builder), loading the library if needed."""
    keep_cache_in(None)
    if "escpos.printer" in sys.modules:
        return sys.modules["escpos.printer"].Dummy
    try:
        return _import_dummy()
    except (pickle.UnpicklingError, EOFError, AttributeError, ValueError, ImportError) as exc:
        if not _forget_damaged_cache(exc):
            raise
        return _import_dummy()


def _import_dummy() -> Any:
    scratch = tempfile.mkdtemp(prefix="kiosk-escpos-import-")
    saved, tempfile.tempdir = tempfile.tempdir, scratch
    try:
        from escpos.printer import Dummy
    finally:
        tempfile.tempdir = saved
        _remove_if_empty(Path(scratch))
    return Dummy


def _remove_if_empty(scratch: Path) -> None:
    for folder in scratch.iterdir():
        try:
            folder.rmdir()  # only ever an empty folder: anything with content stays
        except OSError:
            pass
    try:
        scratch.rmdir()
    except OSError:
        pass


def write_cache() -> None:
    """Have python-escpos write its printer database cache, in a child process, if the cache is not there yet.

    The printer calls this when it opens (its device thread), so the first load in the kiosk reads the
    cache (~0.1 s) instead of parsing the YAML (0.4–0.8 s), and the kiosk itself does not load the
    library before a citizen is there. Nothing to do once a kiosk has printed; failures are left to the load.
    """
    folder = os.environ.get(CACHE_ENV)
    if not folder or "escpos.capabilities" in sys.modules or any(Path(folder).glob("*.capabilities.pickle")):
        return
    scratch = tempfile.mkdtemp(prefix="kiosk-escpos-cache-")
    try:
        subprocess.run([sys.executable, "-c", "import escpos.capabilities"], env=dict(os.environ, TMPDIR=scratch),
                       stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       timeout=CACHE_WRITE_TIMEOUT_S, check=False)
    except (OSError, subprocess.SubprocessError) as exc:
        log.info("python-escpos's printer database was not cached ahead of time: %s", exc)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def load() -> None:
    """Load python-escpos now (the printer's job thread, at the first touch); a failure waits for the print."""
    try:
        dummy_printer_class()
    except Exception as exc:  # the print itself reports it to the citizen and the technician
        log.warning("python-escpos could not be loaded ahead of the first receipt: %s", exc)


def _forget_damaged_cache(exc: BaseException) -> bool:
    folder = os.environ.get(CACHE_ENV)
    damaged = list(Path(folder).glob("*.capabilities.pickle")) if folder else []
    if not damaged:
        return False
    log.warning("python-escpos's cached printer database is damaged (%s); reading it again", exc)
    for path in damaged:
        path.unlink(missing_ok=True)
    for name in [name for name in sys.modules if name == "escpos" or name.startswith("escpos.")]:
        del sys.modules[name]
    return True
