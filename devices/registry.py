"""Choosing a driver by URL: the scheme picks the driver, imported only when it is asked for.

Forms (``kind`` is idcard, printer, scanner or speaker):

- ``sim://idcard`` / ``sim://printer`` / ``sim://scanner`` — a simulator in this process; the real
  serial driver talks to it over a pty (``sim://idcard?pace=1`` sends the reader's answers at the
  baud rate, 115200 unless ``baudrate=`` says otherwise; without it bytes move at memory speed)
- ID card reader options: ``poll=`` seconds between *find*s while a screen waits for a card
  (0.01), ``removal_poll=`` seconds between probes for the lift of a card already read (0.3)
- ``serial:///dev/ttyUSB0?baudrate=115200`` — a serial or USB-serial port (``spy=1`` logs traffic)
- ``usb://0x0416:0x5011`` — a USB device by vendor:product id (USB-serial readers and scanners are
  found through pyserial's ``hwgrep``; printers go through python-escpos and need pyusb)
- ``tcp://192.0.2.10:9100`` — a network printer
- ``file:///var/lib/kiosk/receipts.bin`` — printer output appended to a file
- ``keyboard://`` — a keyboard-wedge scanner; key presses are fed in by the kiosk
- ``alsa://default`` — the loudspeaker on an ALSA device (any PCM name: ``alsa://plughw:0,0``);
  ``sim://speaker?pace=1`` — a speaker that records what it says (pace: how long a sound lasts, 0–10× real)
- A4 printer: ``ipp://192.0.2.20:631/ipp/print`` (an IPP Everywhere printer), ``cups://QUEUE`` (a queue
  of the local CUPS server; ``server=host:port`` for another), ``sim://a4printer`` (the simulator);
  options ``timeout=`` seconds per request (5), ``job_timeout=`` seconds for a whole job (300)

An unknown scheme or option is a ``DeviceURLError`` that shows the expected form.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from devices.errors import DeviceURLError, DriverUnavailable
from devices.model import Device

KINDS = ("idcard", "printer", "scanner", "speaker", "a4printer")

# (kind, scheme) -> (factory "module:function", allowed options, expected form)
_DRIVERS: dict[tuple[str, str], tuple[str, frozenset[str], str]] = {
    ("idcard", "sim"): (
        "devices.factories:idcard_sim", frozenset({"pace", "baudrate", "poll", "removal_poll"}), "sim://idcard"
    ),
    ("idcard", "serial"): (
        "devices.factories:idcard_serial",
        frozenset({"baudrate", "poll", "removal_poll", "timeout", "spy", "fingerprint", "removal"}),
        "serial:///dev/ttyUSB0?baudrate=115200",
    ),
    ("idcard", "usb"): (
        "devices.factories:idcard_usb", frozenset({"baudrate", "poll", "removal_poll", "timeout"}),
        "usb://0x0400:0xC35A",
    ),
    ("printer", "sim"): ("devices.factories:printer_sim", frozenset(), "sim://printer"),
    ("printer", "serial"): (
        "devices.factories:printer_serial", frozenset({"baudrate", "timeout", "spy"}),
        "serial:///dev/ttyUSB1?baudrate=115200",
    ),
    ("printer", "usb"): ("devices.factories:printer_usb", frozenset({"timeout"}), "usb://0x0416:0x5011"),
    ("printer", "tcp"): ("devices.factories:printer_tcp", frozenset({"timeout"}), "tcp://192.0.2.10:9100"),
    ("printer", "file"): ("devices.factories:printer_file", frozenset(), "file:///var/lib/kiosk/receipts.bin"),
    ("scanner", "sim"): ("devices.factories:scanner_sim", frozenset({"terminator"}), "sim://scanner"),
    ("scanner", "serial"): (
        "devices.factories:scanner_serial", frozenset({"baudrate", "terminator", "spy", "max_length"}),
        "serial:///dev/ttyACM0?baudrate=9600&terminator=CR",
    ),
    ("scanner", "usb"): (
        "devices.factories:scanner_usb", frozenset({"baudrate", "terminator"}), "usb://0x0C2E:0x0B61"
    ),
    ("a4printer", "ipp"): (
        "devices.factories:a4printer_ipp", frozenset({"timeout", "job_timeout"}), "ipp://192.0.2.20:631/ipp/print"
    ),
    ("a4printer", "cups"): (
        "devices.factories:a4printer_cups", frozenset({"timeout", "job_timeout", "server"}), "cups://A4"
    ),
    ("a4printer", "sim"): ("devices.factories:a4printer_sim", frozenset({"job_timeout"}), "sim://a4printer"),
    ("scanner", "keyboard"): (
        "devices.factories:scanner_keyboard", frozenset({"terminator", "max_gap_ms", "min_length"}), "keyboard://"
    ),
    ("speaker", "sim"): ("devices.factories:speaker_sim", frozenset({"pace"}), "sim://speaker"),
    ("speaker", "alsa"): ("devices.factories:speaker_alsa", frozenset(), "alsa://default"),
}  # fmt: skip


def expected_forms(kind: str) -> list[str]:
    return [form for (k, _), (_, _, form) in _DRIVERS.items() if k == kind]


@dataclass(frozen=True)
class DeviceURL:
    """A parsed device URL: scheme, host (or sim name / VID:PID), path and options."""

    kind: str
    raw: str
    scheme: str
    host: str
    port: int | None
    path: str
    options: dict[str, str] = field(default_factory=dict)

    def option(self, name: str, default: str | None = None) -> str | None:
        return self.options.get(name, default)

    def number(self, name: str, default: float, cast: type = float) -> Any:
        value = self.options.get(name)
        if value is None:
            return default
        try:
            return cast(value)
        except ValueError:
            raise DeviceURLError(
                f"option {name}={value!r} in {self.raw} is not a number", device=self.kind
            ) from None


def parse_device_url(kind: str, url: str) -> DeviceURL:
    """Check ``url`` against the driver table for ``kind``; errors name the expected form."""
    if kind not in KINDS:
        raise DeviceURLError(f"unknown device kind {kind!r}; expected one of {', '.join(KINDS)}")
    forms = " or ".join(expected_forms(kind))
    try:
        parts = urlsplit(url.strip())
        port = parts.port if parts.scheme.lower() in ("tcp", "ipp") else None  # usb's VID:PID is not a port
    except ValueError as exc:
        raise DeviceURLError(f"malformed {kind} URL {url!r} ({exc}); expected {forms}", device=kind) from None
    scheme = parts.scheme.lower()
    if (kind, scheme) not in _DRIVERS:
        raise DeviceURLError(
            f"unknown {kind} URL scheme {scheme!r} in {url!r}; expected {forms}", device=kind
        )
    _, allowed, form = _DRIVERS[(kind, scheme)]
    try:
        options = dict(parse_qsl(parts.query, keep_blank_values=True, strict_parsing=bool(parts.query)))
    except ValueError:
        raise DeviceURLError(f"malformed options in {url!r}; expected e.g. {form}", device=kind) from None
    unknown = sorted(set(options) - allowed)
    if unknown:
        allowed_text = ", ".join(sorted(allowed)) or "none"
        raise DeviceURLError(
            f"unknown option {', '.join(unknown)} in {url!r}; allowed: {allowed_text}; expected e.g. {form}",
            device=kind,
        )
    host = parts.hostname or ""
    if scheme in ("usb", "alsa"):
        host = parts.netloc  # VID:PID or an ALSA PCM name (plughw:0,0) is not a host:port
    if scheme == "cups":
        host = parts.netloc  # a queue's name keeps its case
    result = DeviceURL(kind, url, scheme, host, port if scheme in ("tcp", "ipp") else None, parts.path, options)
    _check_shape(result, form)
    return result


def _check_shape(url: DeviceURL, form: str) -> None:
    def bad(why: str) -> DeviceURLError:
        return DeviceURLError(f"{why} in {url.raw!r}; expected e.g. {form}", device=url.kind)

    if url.scheme == "sim" and url.host != url.kind:
        raise bad(f"sim URL must name the {url.kind} simulator")
    if url.scheme in ("serial", "file") and not url.path.startswith("/"):
        raise bad("an absolute path is needed")
    if url.scheme == "alsa" and (not url.host or url.path not in ("", "/")):
        raise bad("an ALSA device name is needed")
    if url.scheme in ("tcp", "ipp") and not url.host:
        raise bad("a host is needed")
    if url.scheme == "cups" and not re.fullmatch(r"[A-Za-z0-9_.-]{1,127}", url.host):
        raise bad("a CUPS queue name (letters, digits, _ . -) is needed")
    if url.scheme == "usb":
        try:
            vid, pid = url.host.split(":")
            int(vid, 16), int(pid, 16)
        except ValueError:
            raise bad("USB id must be VID:PID in hex") from None


def create_device(kind: str, url: str, *, state_dir: str | None = None, **settings: Any) -> Device:
    """A driver for ``url`` (not yet opened). ``settings`` go to the driver (e.g. ``profile`` for printers)."""
    parsed = parse_device_url(kind, url)
    target = _DRIVERS[(kind, parsed.scheme)][0]
    module_name, _, function_name = target.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise DriverUnavailable(
            f"driver for {parsed.scheme}:// {kind} cannot load: {exc}", device=kind
        ) from exc
    return getattr(module, function_name)(parsed, state_dir=state_dir, **settings)
