"""What ``kiosk config check`` finds beyond the file's own validity: everything the configuration points at.

A file can be valid TOML with every key right and still leave the kiosk offline or without a
device: a token file that is not there, a CA bundle that cannot be read, a CA bundle for a plain
``http://`` gateway, a reader whose udev name does not exist. Each :class:`Finding` names the key,
its value, what is wrong and what was expected. Errors make the check fail; warnings are things
that may be right on purpose (a device that is plugged in later, a demo's simulated printer).
"""

from __future__ import annotations

import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from config.local import KioskSettings

UDEV_RULES = "/lib/udev/rules.d/70-kiosk-devices.rules"
USB_DEVICES = Path("/sys/bus/usb/devices")
CUPS_SOCKET = Path("/run/cups/cups.sock")


@dataclass(frozen=True)
class Finding:
    level: Literal["error", "warning"]
    key: str
    value: str
    problem: str
    expected: str

    def describe(self) -> str:
        return f"{self.level}: {self.key} = {self.value!r}: {self.problem}; expected {self.expected}"


def check(settings: KioskSettings) -> list[Finding]:
    """Every finding about the files, URLs and devices ``settings`` names (reads them; changes nothing)."""
    return [*_gateway(settings), *_devices(settings), *_state_dir(settings), *_security(settings)]


def _readable_text(path: Path) -> tuple[str | None, str]:
    """The file's text, or None and what is wrong with it."""
    try:
        return path.read_text(encoding="utf-8"), ""
    except FileNotFoundError:
        return None, "file not found"
    except IsADirectoryError:
        return None, "is a directory"
    except OSError as exc:
        return None, f"cannot be read: {exc.strerror or exc}"
    except UnicodeDecodeError:
        return None, "is not UTF-8 text"


def _gateway(settings: KioskSettings) -> Iterator[Finding]:
    gateway = settings.gateway
    https = gateway.url.startswith("https://")
    if gateway.token_file is not None:
        value = str(gateway.token_file)
        text, problem = _readable_text(gateway.token_file)
        if text is None:
            yield Finding("error", "gateway.token_file", value, problem,
                          "a readable file holding this kiosk's token on one line "
                          "(install -m 0640 -g kiosk /dev/null FILE, then write the token into it)")
        elif not text.strip():
            yield Finding("error", "gateway.token_file", value, "the file is empty", "this kiosk's token on one line")
        elif gateway.token_file.stat().st_mode & stat.S_IROTH:
            yield Finding("warning", "gateway.token_file", value, "readable by every user on this machine",
                          "mode 0640, group kiosk")
        if gateway.token:
            yield Finding("warning", "gateway.token", "(set)", "both token and token_file are set; token_file is used",
                          "only one of them")
    elif not gateway.token and not gateway.embedded:
        yield Finding("error", "gateway.token", "", "no token and no token_file: the gateway will refuse this kiosk",
                      "gateway.token_file naming the kiosk's token file")
    if gateway.ca_file is not None:
        value = str(gateway.ca_file)
        text, problem = _readable_text(gateway.ca_file)
        if not https:
            yield Finding("error", "gateway.ca_file", value,
                          f"a CA bundle is only used for TLS, but gateway.url is {gateway.url!r}",
                          "an https:// gateway URL, or no ca_file")
        if text is None:
            yield Finding("error", "gateway.ca_file", value, problem, "a readable PEM CA bundle")
        elif "-----BEGIN CERTIFICATE-----" not in text:
            yield Finding("error", "gateway.ca_file", value, "holds no PEM certificate",
                          "a PEM CA bundle (-----BEGIN CERTIFICATE-----)")
    if gateway.embedded and https:
        yield Finding("error", "gateway.url", gateway.url, "the embedded reference gateway speaks plain HTTP only",
                      "an http:// URL with embedded = true")


def _devices(settings: KioskSettings) -> Iterator[Finding]:
    from devices.errors import DeviceError
    from devices.registry import parse_device_url

    for kind in ("idcard", "printer", "scanner", "a4printer"):
        key, url = f"devices.{kind}", getattr(settings.devices, kind)
        if kind == "a4printer" and not url:
            continue  # no A4 printer: certificates are offered by phone and EMS only
        try:
            parsed = parse_device_url(kind, url)
        except DeviceError as exc:
            problem, _, expected = str(exc.args[0] if exc.args else exc).partition("; expected ")
            yield Finding("error", key, url, problem, expected or "a device URL this kiosk has a driver for")
            continue
        if parsed.scheme == "serial" and not Path(parsed.path).exists():
            yield Finding("warning", key, url,
                          f"{parsed.path} does not exist: the {kind} is not plugged in, or no udev rule "
                          f"({UDEV_RULES}) gave it that name",
                          f"the device plugged in and {parsed.path} present (ls -l {parsed.path})")
        elif parsed.scheme == "usb" and USB_DEVICES.is_dir() and not _usb_present(parsed.host):
            yield Finding("warning", key, url, f"no USB device {parsed.host} is plugged in",
                          f"the device plugged in (lsusb -d {parsed.host.replace('0x', '')})")
        elif parsed.scheme == "cups" and not parsed.option("server") and not CUPS_SOCKET.exists():
            yield Finding("warning", key, url, f"no local CUPS server is running ({CUPS_SOCKET} is missing)",
                          "cupsd running (systemctl status cups), or ?server=host:port for another one")
        elif parsed.scheme == "sim":
            real = "ipp://…, cups://…" if kind == "a4printer" else "serial://, usb://, tcp://, keyboard://"
            yield Finding("warning", key, url, "a simulated device: citizens cannot really use it",
                          f"the real device's URL ({real})")


def _usb_present(vid_pid: str) -> bool:
    vendor, product = (int(part, 16) for part in vid_pid.split(":"))
    for device in USB_DEVICES.iterdir():
        try:
            ids = (int((device / "idVendor").read_text(), 16), int((device / "idProduct").read_text(), 16))
        except (OSError, ValueError):
            continue
        if ids == (vendor, product):
            return True
    return False


def _state_dir(settings: KioskSettings) -> Iterator[Finding]:
    path = settings.state_dir
    for existing in (path, *path.parents):
        if existing.exists():
            break
    if not existing.is_dir():
        where = "is" if existing == path else f"lies under {existing}, which is"
        yield Finding("error", "state_dir", str(path), f"{where} not a directory",
                      "a directory the kiosk user can write (systemd makes /var/lib/kiosk)")


def _security(settings: KioskSettings) -> Iterator[Finding]:
    if not settings.security.technician_pin_hash:
        yield Finding("warning", "security.technician_pin_hash", "", "no technician PIN: the technician screen "
                      "cannot be opened", "a hash made by `kiosk config pin-hash`")
    if not settings.security.trusted_keys:
        yield Finding("warning", "security.trusted_keys", "[]", "no trusted key: no configuration bundle from "
                      "the fleet will be accepted", "the fleet's Ed25519 public key (base64)")
