"""End to end: a bundle's receipt header and footer lines, Chinese and English, on a ticket the simulated
printer really printed (it decodes the ESC/POS bytes, GB18030 included)."""

from __future__ import annotations

import datetime as dt
from datetime import UTC, datetime, timedelta

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from PySide6.QtCore import Qt

from config.bundle import build, public_key_text
from kiosk.shell.worker import ImmediateCalls
from kiosk.system.clock import HALL_ZONE, SystemClock

OPEN_HALL = dt.datetime(2026, 11, 18, 10, 5, tzinfo=HALL_ZONE)  # a Wednesday morning
RECEIPTS = """
[receipts]
header_zh = ["思明区第三自助服务区"]
header_en = ["Siming self-service zone 3"]
footer_zh = ["感谢您的耐心等候"]
footer_en = ["Thank you for waiting"]
"""


def tap(qtbot, widget) -> None:
    assert widget.isVisible() and widget.isEnabled()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def take_ticket(kiosk, qtbot):
    printer = kiosk.printer
    before = len(printer.receipts)
    tap(qtbot, kiosk.window.screen_named("home").tiles["queue_ticket"])
    screen = kiosk.window.screen_named("queue_ticket")
    tap(qtbot, screen._tiles[0])
    tap(qtbot, screen.take)
    qtbot.waitUntil(lambda: screen.journey.state in ("issued", "issued_qr"), timeout=10_000)
    assert screen.journey.state == "issued", screen.journey.print_problem
    number = screen.journey.ticket.number
    qtbot.waitUntil(lambda: len(printer.receipts) > before, timeout=5000)
    kiosk.context.sessions.end("finish")
    return number, printer.last_receipt


class Fleet:
    """Signs bundles with a key the kiosk trusts and hands them to the kiosk's bundle updates."""

    def __init__(self, kiosk) -> None:
        from kiosk.fleet.bundle_updates import BundleUpdates
        from kiosk.fleet.config_updates import BundleStore

        self.key = Ed25519PrivateKey.generate()
        self.offer: bytes | None = None
        store = BundleStore(kiosk.context.settings.state_dir, [public_key_text(self.key.public_key())],
                            kiosk.context.settings.kiosk.group, SystemClock())
        self.updates = BundleUpdates(kiosk.context, store, fetch=lambda *_: self.offer, report=lambda _: None,
                                     render=kiosk.window.grab, runtime=kiosk.runtime, poll_s=3600,
                                     parent=kiosk.window)

    def publish(self, version: int, files: dict[str, str]) -> None:
        issued = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=1)
        made, _ = build(files, version=version, issued_at=issued, expires_at=issued + timedelta(days=1),
                        groups=["*"])
        self.offer = made.signed_with(self.key).to_bytes()
        self.updates.check_now()
        assert self.updates.store.installed_version == version


def test_bundle_header_and_footer_lines_are_printed_on_the_ticket(live_kiosk, qtbot, monkeypatch):
    kiosk = live_kiosk
    monkeypatch.setattr(kiosk.context.services.clock, "now", lambda: OPEN_HALL)
    qtbot.waitUntil(lambda: kiosk.hub.can_print(), timeout=5000)
    kiosk.context.services.calls = ImmediateCalls()  # fetch and stage at once (no gateway asked)
    fleet = Fleet(kiosk)
    fleet.publish(2, {"settings.toml": RECEIPTS})
    number, receipt = take_ticket(kiosk, qtbot)
    assert receipt.complete and receipt.cut and number in receipt.text
    text = receipt.text
    for line in ("思明区第三自助服务区", "Siming self-service zone 3", "感谢您的耐心等候", "Thank you for waiting"):
        assert line in text, line
    # above the hall's own heading, below the ticket's last line
    assert text.index("Siming self-service zone 3") < text.index("厦门市行政服务中心") < text.index(number)
    assert text.index("过号请重新取号") < text.index("感谢您的耐心等候") < text.index("Thank you for waiting")

    fleet.publish(3, {"settings.toml": 'theme = "standard"\n'})  # a later bundle without [receipts]
    number, receipt = take_ticket(kiosk, qtbot)
    assert number in receipt.text and "思明区第三自助服务区" not in receipt.text and "Thank you for waiting" not in receipt.text
