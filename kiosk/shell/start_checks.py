"""What must hold before ``kiosk run`` can serve: a usable configuration and a writable state directory.

When one does not, the kiosk still starts, but only to show the out-of-service screen with the
reason (kiosk/shell/context.py ``OutOfOrder``), to say it in one journal line and in systemd's status
line, and to keep the watchdog fed. Exiting instead would make systemd restart it every few
seconds onto a blank screen, and the citizen in front of it would learn nothing.

The demo configuration is never a fallback: it has fictional citizens, simulated devices and a
published technician PIN, and is started only by ``kiosk run --demo``.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from config.errors import ConfigError
from config.local import KioskIdentity, KioskSettings, load_settings
from kiosk.shell.context import OutOfOrder

# Stands in for the id while there is no configuration (the id pattern allows it; no kiosk is called so).
UNCONFIGURED_ID = "UNCONFIGURED"


def not_configured(path: Path, problem: str) -> OutOfOrder:
    return OutOfOrder("本机尚未配置，请联系现场工作人员。", "This kiosk is not configured. Please ask the staff.",
                      f"this kiosk is not configured ({path}: {problem})")


def configuration_invalid(error: ConfigError) -> OutOfOrder:
    return OutOfOrder("本机配置有误，请联系现场工作人员。",
                      "This kiosk's configuration has an error. Please ask the staff.",
                      f"configuration error in {error.source}: {'; '.join(error.problems)}")


def storage_unusable(path: Path, problem: str) -> OutOfOrder:
    return OutOfOrder("本机存储不可用，请联系现场工作人员。", "This kiosk cannot store its data. Please ask the staff.",
                      f"state directory {path} is not usable: {problem}")


def read_configuration(path: Path) -> tuple[KioskSettings | None, OutOfOrder | None]:
    """The settings in ``path``, or None and why the kiosk cannot serve with it."""
    if not path.exists() and not path.is_symlink():
        return None, not_configured(path, "file not found")
    try:
        return load_settings(path), None
    except ConfigError as exc:
        return None, configuration_invalid(exc)


def unconfigured_settings(state_dir: Path | None = None) -> KioskSettings:
    """Settings for a kiosk without a usable configuration: just enough for the out-of-service screen.

    Nothing is started with them (no database, devices or gateway; kiosk/app/startup.py
    ``out_of_order_hooks``), so ``state_dir`` is never written to.
    """
    settings = KioskSettings(kiosk=KioskIdentity(id=UNCONFIGURED_ID))
    return replace(settings, state_dir=state_dir) if state_dir is not None else settings


def writable_directory(path: Path) -> str | None:
    """Make ``path`` if needed and prove a file can be written there; None, or what is wrong (with errno text)."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        return "exists and is not a directory"
    except OSError as exc:
        return _errno_text(exc)
    probe = path / f".write-test-{os.getpid()}"
    try:
        fd = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(fd, b"ok")
        finally:
            os.close(fd)
        probe.unlink()
    except OSError as exc:
        return _errno_text(exc)
    return None


def _errno_text(exc: OSError) -> str:
    where = f" ({exc.filename})" if exc.filename else ""
    return f"{exc.strerror or exc}{where}"
