"""Device commands for technicians: `kiosk diag`, `kiosk print-test`, `kiosk idcard read|decode`.

Device URLs come from the command line, else from the local configuration file (``--config``),
else the ``sim://`` simulators, so every command also works on a laptop. ``diag`` runs a list of
checks (``CHECKS``); other areas append theirs with ``add_check``. Personal fields printed by the
``idcard`` commands are masked through ``kiosk.system.privacy`` unless ``--unmasked`` is given.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.cli import help_only
from kiosk.system.clock import SystemClock
from kiosk.technician.card_fields import card_fields
from kiosk.technician.checks import A4_SIM_URL, SIM_URLS, DeviceConfig, run_checks

if TYPE_CHECKING:
    from devices.idcard.frames import Command


def device_config(args: argparse.Namespace) -> DeviceConfig:
    """URLs from the command line, else the configuration file, else the simulators."""
    config = DeviceConfig({**SIM_URLS, "a4printer": A4_SIM_URL})
    path = getattr(args, "config", None)
    if path is not None:
        from config.local import load_settings  # raises ConfigError with file, key and expectation

        settings = load_settings(path)
        config.urls = {
            "idcard": settings.devices.idcard, "printer": settings.devices.printer, "scanner": settings.devices.scanner,
        }  # fmt: skip
        if settings.devices.a4printer:
            config.urls["a4printer"] = settings.devices.a4printer
        config.printer_profile = settings.devices.printer_profile
        config.center_domain = settings.kiosk.center_domain
        config.state_dir = str(settings.state_dir)
        config.settings_file = str(path)
    for name in (*SIM_URLS, "a4printer"):
        given = getattr(args, name, None)
        if given:
            config.urls[name] = given
    if getattr(args, "profile", None):
        config.printer_profile = args.profile
    return config


# --- diag -----------------------------------------------------------------------------------------


def _diag(args: argparse.Namespace) -> int:
    import kiosk.technician.headless  # noqa: F401  (adds the device, gateway, outbox, cache, configuration and system checks)

    config = _config_or_exit(args)
    if config is None:
        return 2
    results = run_checks(config)
    ok = all(r.ok for r in results)
    if args.json:
        print(json.dumps({"ok": ok, "checks": [asdict(r) for r in results]}, ensure_ascii=False, indent=2))
    else:
        for r in results:
            print(f"{'OK  ' if r.ok else 'FAIL'} {r.name:<8} {r.level:<9} {r.text}")
        print("all checks passed" if ok else "some checks FAILED")
    _stop_simulators()
    return 0 if ok else 1


# --- print-test -----------------------------------------------------------------------------------


def _print_test(args: argparse.Namespace) -> int:
    from devices.errors import DeviceError
    from devices.printer import layout
    from devices.printer.driver import ReceiptPrinter
    from devices.registry import create_device

    config = _config_or_exit(args)
    if config is None:
        return 2
    url = config.urls["printer"]
    try:
        printer = create_device("printer", url, **config.device_options())
        assert isinstance(printer, ReceiptPrinter)
        with printer:
            receipt = layout.printer_test_page(printer.profile, now=SystemClock().now(), kiosk=args.kiosk or "")
            result = printer.print_receipt(receipt)
    except DeviceError as exc:
        print(f"test page NOT printed: {exc.phase} error: {exc.technician}", file=sys.stderr)
        _stop_simulators()
        return 1
    after = result.status_after.summary() if result.status_after else "status not available"
    print(f"test page printed on {url.split('?', 1)[0]}: {result.lines} lines, {result.length_mm / 10:.1f} cm, "
          f"{result.qr_codes} QR code(s), {result.substituted} substituted character(s); printer: {after}")  # fmt: skip
    if args.png:
        from devices import simulators

        simulator = simulators.running("printer")
        png = simulator.render_png() if simulator else None
        if png is None:
            print("--png: only the simulated printer can render what it printed", file=sys.stderr)
        else:
            Path(args.png).write_bytes(png)
            print(f"receipt picture written to {args.png}")
    _stop_simulators()
    return 0


# --- idcard ---------------------------------------------------------------------------------------


def _print_fields(fields: dict[str, Any], indent: str = "  ") -> None:
    for key, value in fields.items():
        print(f"{indent}{key:<15} {value}")


def _idcard_read(args: argparse.Namespace) -> int:
    from devices.errors import DeviceError
    from devices.idcard.reader import IdCardReader
    from devices.registry import create_device

    config = _config_or_exit(args)
    if config is None:
        return 2
    url = config.urls["idcard"]
    try:
        reader = create_device("idcard", url, **config.device_options())
        assert isinstance(reader, IdCardReader)  # every idcard URL the registry takes makes one
        with reader:
            if url.startswith("sim://"):
                from devices import simulators

                card_reader = simulators.running("idcard")
                if card_reader is not None:
                    card_reader.place(args.sim_card)
            card = reader.read_once(timeout=args.timeout)
    except DeviceError as exc:
        print(f"no card read: {exc.phase} error: {exc.technician}", file=sys.stderr)
        _stop_simulators()
        return 1
    try:
        fields = card_fields(card, unmasked=args.unmasked)
    finally:
        card.release()
    if args.json:
        print(json.dumps(fields, ensure_ascii=False, indent=2))
    else:
        print(f"card read from {url.split('?', 1)[0]}:")
        _print_fields(fields)
    _stop_simulators()
    return 0


_SPY_LINE = re.compile(r"^\s*\d+\.\d+\s+(RX|TX)\s+[0-9A-F]{4}\s\s(.*)$")


def capture_bytes(raw: bytes) -> bytes:
    """The received bytes of a capture: raw as is, or the RX lines of a pyserial ``spy://`` hex dump."""
    try:
        text = raw.decode("ascii")
    except UnicodeDecodeError:
        return raw
    rx = bytearray()
    found = False
    for line in text.splitlines():
        match = _SPY_LINE.match(line)
        if match:
            found = True
            if match.group(1) == "RX":
                rx += bytes.fromhex(" ".join(re.findall(r"\b[0-9A-F]{2}\b", match.group(2)[:49])))
    return bytes(rx) if found else raw


def describe_capture(data: bytes, *, unmasked: bool) -> list[dict[str, Any]]:
    """Every frame, noise and broken frame in a capture, decoded as far as it goes."""
    from devices.errors import DeviceError, FrameError
    from devices.idcard.frames import Garbage, scan_frames
    from devices.idcard.reader import decode_read_response

    out: list[dict[str, Any]] = []
    for item in scan_frames(data):
        if isinstance(item, Garbage):
            out.append({"offset": item.offset, "kind": "noise", "bytes": item.size})
            continue
        if isinstance(item, FrameError):
            out.append(
                {
                    "offset": item.offset,
                    "kind": "error",
                    "error": type(item).__name__,
                    "detail": item.technician,
                }
            )
            continue
        entry: dict[str, Any] = {
            "offset": item.offset, "kind": "frame", "sw": f"{item.sw1:02X} {item.sw2:02X} {item.sw3:02X}",
            "status": item.meaning, "data_bytes": len(item.data),
        }  # fmt: skip
        command = _read_command(item.data) if item.sw3 == 0x90 else None
        if command is not None:
            try:
                card = decode_read_response(command, item.data)
            except DeviceError as exc:
                entry["card_error"] = exc.technician
            else:
                try:
                    entry["card"] = card_fields(card, unmasked=unmasked)
                finally:
                    card.release()
        elif item.sw3 == 0x90 and len(item.data) == 16:
            entry["sam_id_hex"] = item.data.hex()
        out.append(entry)
    return out


def _read_command(data: bytes) -> Command | None:
    from devices.idcard.frames import Command

    if len(data) >= 4 and 4 + int.from_bytes(data[0:2], "big") + int.from_bytes(data[2:4], "big") == len(
        data
    ):
        return Command.READ_TEXT_PHOTO
    if len(data) >= 6 and 6 + sum(int.from_bytes(data[i : i + 2], "big") for i in (0, 2, 4)) == len(data):
        return Command.READ_WITH_FINGERPRINT
    return None


def _idcard_decode(args: argparse.Namespace) -> int:
    try:
        raw = Path(args.file).read_bytes()
    except OSError as exc:
        print(f"cannot read {args.file}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    items = describe_capture(capture_bytes(raw), unmasked=args.unmasked)
    broken = [i for i in items if i["kind"] == "error" or "card_error" in i]
    if args.json:
        print(
            json.dumps(
                {"file": str(args.file), "items": items, "broken": len(broken)}, ensure_ascii=False, indent=2
            )
        )
    else:
        if not items:
            print(f"{args.file}: empty")
        for item in items:
            at = f"@{item['offset']}" if item.get("offset") is not None else "@?"
            if item["kind"] == "noise":
                print(f"{at:>8} noise: {item['bytes']} bytes skipped")
            elif item["kind"] == "error":
                print(f"{at:>8} BROKEN FRAME ({item['error']}): {item['detail']}")
            else:
                print(f"{at:>8} frame SW {item['sw']}: {item['status']} ({item['data_bytes']} data bytes)")
                if "card" in item:
                    _print_fields(item["card"], indent="           ")
                if "card_error" in item:
                    print(f"           CARD NOT DECODED: {item['card_error']}")
                if "sam_id_hex" in item:
                    print(f"           SAM id bytes {item['sam_id_hex']}")
    return 1 if broken else 0


# --- shared -----------------------------------------------------------------------------------------


def _config_or_exit(args: argparse.Namespace) -> DeviceConfig | None:
    from config.errors import ConfigError

    try:
        return device_config(args)
    except ConfigError as exc:
        print(exc.describe(), file=sys.stderr)
        return None


def _stop_simulators() -> None:
    if "devices.simulators" in sys.modules:
        sys.modules["devices.simulators"].stop_all()


def _add_config(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", type=Path, help="local configuration file with the device URLs")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    diag = subparsers.add_parser(
        "diag", help="check the health of every configured device",
        description="Open every configured device, check it and close it again; headless. Exit 0 when all is well.",
    )  # fmt: skip
    _add_config(diag)
    diag.add_argument("--json", action="store_true", help="machine-readable output")
    for name in SIM_URLS:
        diag.add_argument(
            f"--{name}", metavar="URL", help=f"{name} URL (default from --config, else {SIM_URLS[name]})"
        )
    diag.add_argument("--a4printer", metavar="URL",
                      help=f"A4 printer URL: ipp://…, cups://QUEUE (default from --config, else {A4_SIM_URL})")
    diag.set_defaults(run=_diag)

    test = subparsers.add_parser(
        "print-test", help="print a test page",
        description="Print a test page: Chinese text, full-width punctuation, a QR code and a cut.",
    )  # fmt: skip
    _add_config(test)
    test.add_argument(
        "--printer", metavar="URL", help="printer URL (default from --config, else sim://printer)"
    )
    test.add_argument("--profile", help="printer profile name (58mm, 80mm, 80mm-raster-qr)")
    test.add_argument("--kiosk", help="kiosk id printed on the page")
    test.add_argument("--png", type=Path, help="with the simulated printer: save the printed page as a PNG")
    test.set_defaults(run=_print_test)

    idcard = subparsers.add_parser(
        "idcard", help="read or decode ID cards", description="Read a card, or decode a capture."
    )
    actions = idcard.add_subparsers(dest="idcard_command", metavar="ACTION")
    read = actions.add_parser(
        "read", help="wait for a card and read it", description="Wait for a card and read it."
    )
    _add_config(read)
    read.add_argument(
        "--device", dest="idcard", metavar="URL", help="reader URL (default from --config, else sim://idcard?pace=1)"
    )
    read.add_argument("--json", action="store_true")
    read.add_argument(
        "--unmasked", action="store_true", help="show personal fields in full (technician only)"
    )
    read.add_argument("--timeout", type=float, default=15.0, help="seconds to wait for a card (default 15)")
    read.add_argument(
        "--sim-card", default="young", help="with sim://idcard: which demo citizen's card to place"
    )
    read.set_defaults(run=_idcard_read)
    decode = actions.add_parser(
        "decode", help="decode captured reader bytes",
        description="Decode raw bytes captured off the line (or a pyserial spy:// hex dump): each frame's status, "
        "card type and fields, and a clear error for a corrupt or truncated frame. Exit 1 when a frame is broken.",
    )  # fmt: skip
    decode.add_argument("file", type=Path)
    decode.add_argument("--json", action="store_true")
    decode.add_argument(
        "--unmasked", action="store_true", help="show personal fields in full (technician only)"
    )
    decode.set_defaults(run=_idcard_decode)
    idcard.set_defaults(run=help_only(idcard))
