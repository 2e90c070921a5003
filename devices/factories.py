"""Build a driver from a parsed device URL; the registry imports this module only when asked.

Each function takes the ``DeviceURL`` and keyword settings from the kiosk (state_dir, printer
profile, center domain, poll interval for tests) and returns an unopened ``Device``. Driver modules
are imported inside the functions, so choosing a scanner never loads the printer stack.
"""

from __future__ import annotations

from typing import Any

from devices.errors import DeviceOffline, DeviceURLError, DriverUnavailable
from devices.model import Device
from devices.registry import DeviceURL


def _serial_name(url: DeviceURL) -> str:
    return f"spy://{url.path}" if url.option("spy") in ("1", "true", "yes") else url.path


def _usb_serial_name(url: DeviceURL) -> str:
    # pyserial finds a USB-serial adapter by id: the first port whose hardware id matches
    return f"hwgrep://{url.host.replace('0x', '').replace('0X', '')}"


def _sim_port(name: str) -> Any:
    from devices import simulators

    simulator = simulators.start(name)

    def port() -> str:
        if not simulator.plugged:
            raise DeviceOffline(f"{name} simulator is unplugged", device=name)
        return simulator.slave_path

    return port


def _seconds(url: DeviceURL, name: str, default: float) -> float:
    value = url.number(name, default)
    if not value > 0:
        raise DeviceURLError(f"option {name}={value!r} in {url.raw} must be more than 0 seconds", device=url.kind)
    return value


def _switch(url: DeviceURL, name: str) -> bool:
    value = (url.option(name) or "0").lower()
    if value not in ("1", "true", "yes", "0", "false", "no"):
        raise DeviceURLError(f"option {name}={value!r} in {url.raw} must be 1 or 0", device=url.kind)
    return value in ("1", "true", "yes")


def _idcard(url: DeviceURL, port: Any, settings: dict[str, Any], baudrate: int) -> Device:
    from devices.idcard.reader import IdCardReader

    # defaults and why: devices/idcard/reader.py
    return IdCardReader(
        port,
        baudrate=url.number("baudrate", baudrate, int),
        state_dir=settings.get("state_dir"),
        poll_interval=_seconds(url, "poll", settings.get("poll_interval", 0.01)),
        removal_poll_interval=_seconds(url, "removal_poll", settings.get("removal_poll_interval", 0.3)),
        response_timeout=url.number("timeout", settings.get("response_timeout", 1.0)),
        with_fingerprint=url.option("fingerprint") in ("1", "true", "yes"),
        removal_probe=url.option("removal", "select") or "select",
    )


def idcard_sim(url: DeviceURL, **settings: Any) -> Device:
    from devices import simulators

    port = _sim_port("idcard")
    # pace=1: the simulated reader sends its answers at the configured baud rate, as on a real line
    baudrate = url.number("baudrate", 115200, int)
    simulators.start("idcard").pace(baudrate if _switch(url, "pace") else None)
    return _idcard(url, port, settings, baudrate)


def idcard_serial(url: DeviceURL, **settings: Any) -> Device:
    return _idcard(url, _serial_name(url), settings, 115200)


def idcard_usb(url: DeviceURL, **settings: Any) -> Device:
    return _idcard(url, _usb_serial_name(url), settings, 115200)


def _printer(url: DeviceURL, transport: Any, settings: dict[str, Any]) -> Device:
    from devices.printer.driver import ReceiptPrinter
    from devices.printer.profile import profile_named

    profile = settings.get("profile") or profile_named("80mm")
    if isinstance(profile, str):
        profile = profile_named(profile)
    return ReceiptPrinter(
        transport,
        profile=profile,
        state_dir=settings.get("state_dir"),
        status_interval=settings.get("status_interval", 2.0),
    )


def printer_sim(url: DeviceURL, **settings: Any) -> Device:
    from devices.printer.transport import SerialTransport

    return _printer(url, SerialTransport(_sim_port("printer"), baudrate=115200), settings)


def printer_serial(url: DeviceURL, **settings: Any) -> Device:
    from devices.printer.transport import SerialTransport

    return _printer(
        url, SerialTransport(_serial_name(url), baudrate=url.number("baudrate", 115200, int)), settings
    )


def printer_tcp(url: DeviceURL, **settings: Any) -> Device:
    from devices.printer.transport import TcpTransport

    return _printer(
        url, TcpTransport(url.host, url.port or 9100, timeout=url.number("timeout", 3.0)), settings
    )


def printer_file(url: DeviceURL, **settings: Any) -> Device:
    from devices.printer.transport import FileTransport

    return _printer(url, FileTransport(url.path), settings)


def printer_usb(url: DeviceURL, **settings: Any) -> Device:
    try:
        import usb.core  # noqa: F401  (pyusb, needed by python-escpos' Usb printer)
    except ImportError:
        raise DriverUnavailable(
            "USB printers need the pyusb package (pip install 'python-escpos[usb]')", device="printer"
        ) from None
    from devices.printer.transport import UsbTransport

    vid, pid = (int(x, 16) for x in url.host.split(":"))
    return _printer(url, UsbTransport(vid, pid), settings)


def _scanner(url: DeviceURL, port: Any, settings: dict[str, Any], baudrate: int) -> Device:
    from devices.scanner.reader import SerialScanner, terminator_named

    return SerialScanner(
        port,
        baudrate=url.number("baudrate", baudrate, int),
        terminator=terminator_named(url.option("terminator", "CR") or "CR"),
        max_length=url.number("max_length", 512, int),
        domain=settings.get("center_domain") or "zwfw.xm.gov.cn",
        state_dir=settings.get("state_dir"),
    )


def scanner_sim(url: DeviceURL, **settings: Any) -> Device:
    return _scanner(url, _sim_port("scanner"), settings, 9600)


def scanner_serial(url: DeviceURL, **settings: Any) -> Device:
    return _scanner(url, _serial_name(url), settings, 9600)


def scanner_usb(url: DeviceURL, **settings: Any) -> Device:
    return _scanner(url, _usb_serial_name(url), settings, 9600)


def scanner_keyboard(url: DeviceURL, **settings: Any) -> Device:
    from devices.scanner.reader import terminator_named
    from devices.scanner.wedge import KeyboardWedgeScanner

    return KeyboardWedgeScanner(
        terminator=terminator_named(url.option("terminator", "CR") or "CR").decode("ascii"),
        max_gap=url.number("max_gap_ms", 35.0) / 1000,
        min_length=url.number("min_length", 4, int),
        domain=settings.get("center_domain") or "zwfw.xm.gov.cn",
        state_dir=settings.get("state_dir"),
    )


def _speaker_settings(settings: dict[str, Any]) -> dict[str, Any]:
    # the kiosk passes the [voice] policy and the hall clock; the printer's and scanner's settings are not for it
    return {key: settings[key] for key in ("state_dir", "policy", "now") if settings.get(key) is not None}


def speaker_sim(url: DeviceURL, **settings: Any) -> Device:
    from devices.speaker.simulated import SimulatedSpeaker

    pace = url.number("pace", 0.0)
    if not 0 <= pace <= 10:
        raise DeviceURLError(f"option pace={pace!r} in {url.raw} must be between 0 and 10", device=url.kind)
    return SimulatedSpeaker(pace=pace, **_speaker_settings(settings))


def speaker_alsa(url: DeviceURL, **settings: Any) -> Device:
    from devices.speaker.alsa import AlsaSpeaker

    return AlsaSpeaker(url.host, **_speaker_settings(settings))
def _a4printer(url: DeviceURL, address: Any, settings: dict[str, Any]) -> Device:
    from devices.a4printer.client import IppClient
    from devices.a4printer.driver import A4Printer

    return A4Printer(
        IppClient(address, timeout=_seconds(url, "timeout", 5.0)),
        state_dir=settings.get("state_dir"),
        status_interval=settings.get("status_interval", 2.0),
        job_timeout=_seconds(url, "job_timeout", 300.0),
        poll_interval=settings.get("poll_interval", 0.5),
    )


def a4printer_ipp(url: DeviceURL, **settings: Any) -> Device:
    from devices.a4printer.client import PrinterAddress

    return _a4printer(url, PrinterAddress(url.host, url.port or 631, url.path or "/ipp/print"), settings)


def a4printer_cups(url: DeviceURL, **settings: Any) -> Device:
    from devices.a4printer.client import PrinterAddress

    host, _, port = (url.option("server") or "localhost:631").rpartition(":")
    if not host or not port.isdigit():
        raise DeviceURLError(f"option server= in {url.raw} must be host:port", device=url.kind)
    return _a4printer(url, PrinterAddress(host, int(port), f"/printers/{url.host}"), settings)


def a4printer_sim(url: DeviceURL, **settings: Any) -> Device:
    from devices import simulators
    from devices.a4printer.client import PrinterAddress

    simulator = simulators.start("a4printer")
    return _a4printer(url, PrinterAddress("127.0.0.1", simulator.port, "/ipp/print"), settings)
