"""A journey's environment is ports: plain objects with the right methods will do, and the kiosk's own satisfy them.

The doubles below inherit from nothing and come from no shared fake module: a queue ticket is issued,
printed and a rating handed to the outbox with them alone. The type checker confirms that the gateway
client, the device hub, the offline outbox and the system clock fit the same ports, and that a double
with a wrong signature does not.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mypy import api as mypy_api

from config.catalogue import load_default_catalogue
from contract.queue import BookedAppointment, Ticket, TicketRequest
from devices.printer.layout import Receipt, Text
from kiosk.hardware.print_outcome import PrintOutcome
from kiosk.journeys import ports
from kiosk.journeys.base import JourneyEnv
from kiosk.journeys.feedback import FeedbackJourney
from kiosk.journeys.queue_ticket import QueueTicketJourney
from kiosk.shell.session import CitizenSession
from kiosk.system.clock import HALL_ZONE

ROOT = Path(__file__).resolve().parents[2]
MORNING = dt.datetime(2026, 11, 18, 9, 30, tzinfo=HALL_ZONE)


class TicketDesk:
    """The gateway's queue calls: one number per request, no bookings today."""

    def __init__(self) -> None:
        self.requests: list[TicketRequest] = []

    def issue_ticket(self, request: TicketRequest | dict[str, Any], idempotency_key: str | None = None) -> Ticket:
        assert isinstance(request, TicketRequest) and idempotency_key
        self.requests.append(request)
        return Ticket(ticket_id="tkt000000007", number="A007", service_id=request.service_id,
                      service_name_zh="社会保障卡申领", service_name_en="Social security card application",
                      window_zh="B区 11号窗口", window_en="Zone B, window 11", issued_at=MORNING.isoformat(),
                      date=MORNING.date().isoformat(), priority=False, people_ahead=2, estimated_wait_min=8,
                      status_url="https://zwfw.xm.gov.cn/t/tkt000000007")

    def find_appointment(self, appointment_code: str | None = None,
                         id_number: str | None = None) -> BookedAppointment:
        raise LookupError("no bookings at this desk")


class PaperSlot:
    """The printers: receipts come out at once; there is no A4 printer."""

    def __init__(self) -> None:
        self.receipts: list[Receipt] = []

    def can_print(self) -> bool:
        return True

    def print_receipt(self, receipt: Receipt, callback: Callable[[PrintOutcome], None]) -> None:
        self.receipts.append(receipt)
        callback(PrintOutcome.done())

    def a4_configured(self) -> bool:
        return False

    def can_print_a4(self) -> bool:
        return False

    def print_certificate(self, document: bytes, *, pages: int, name: str,
                          on_progress: Callable[[int, int], None],
                          callback: Callable[[PrintOutcome], None]) -> None:
        callback(PrintOutcome.failed(ConnectionError("no A4 printer here")))


class Ledger:
    """The outbox: entries kept in order with their keys."""

    def __init__(self) -> None:
        self.entries: list[tuple[str, dict[str, Any], str | None]] = []

    def append(self, kind: str, payload: dict[str, Any], *, idempotency_key: str | None = None) -> int:
        self.entries.append((kind, payload, idempotency_key))
        return len(self.entries)


class StoppedClock:
    def now(self) -> dt.datetime:
        return MORNING


class Inline:
    """Background calls run at once."""

    def submit(self, fn: Callable[[], Any], on_done: Callable[[Any], None],
               on_error: Callable[[BaseException], None] | None = None) -> None:
        try:
            result = fn()
        except BaseException as error:
            if on_error is not None:
                on_error(error)
            return
        on_done(result)


def environment(settings: Any, gateway: object, devices: ports.Printers, outbox: ports.Outbox) -> JourneyEnv:
    return JourneyEnv(settings=settings, catalogue=load_default_catalogue(), session=CitizenSession(),
                      calls=Inline(), gateway=gateway, devices=devices, outbox=outbox, clock=StoppedClock())


def test_plain_doubles_are_the_ports() -> None:
    assert isinstance(PaperSlot(), ports.Printers) and isinstance(PaperSlot(), ports.ReceiptPrinter)
    assert isinstance(Ledger(), ports.Outbox)
    assert not isinstance(Ledger(), ports.ReceiptPrinter)


def test_a_ticket_issued_and_printed_with_plain_doubles(demo_settings) -> None:
    desk, slot = TicketDesk(), PaperSlot()
    journey = QueueTicketJourney(environment(demo_settings, desk, slot, Ledger()))
    journey.start()
    journey.choose_service("ss-card-apply")
    journey.take_number()
    assert journey.state == "issued" and journey.printed
    assert [r.service_id for r in desk.requests] == ["ss-card-apply"]
    (receipt,) = slot.receipts
    assert "A007" in [block.text for block in receipt.blocks if isinstance(block, Text)]


def test_a_rating_goes_to_the_outbox_double(demo_settings) -> None:
    ledger = Ledger()
    journey = FeedbackJourney(environment(demo_settings, None, PaperSlot(), ledger))
    journey.start()
    journey.rate(5)
    journey.submit()
    assert journey.state == "thanks" and journey.delivery == "outbox"
    ((kind, payload, key),) = ledger.entries
    assert kind == "feedback" and payload["rating"] == 5 and key == journey.idempotency_key


FITS = '''
from kiosk.gateway_client.client import GatewayClient
from kiosk.hardware.device_hub import DeviceHub
from kiosk.journeys import ports
from kiosk.system.clock import SystemClock
from offline_cache.outbox import Outbox
from test_journey_ports import Ledger, PaperSlot, StoppedClock, TicketDesk


def fits(hub: DeviceHub, client: GatewayClient, outbox: Outbox) -> None:
    printers: ports.Printers = hub
    lookups: ports.LookupGateway = client
    mailing: ports.MailingGateway = client
    tickets: ports.TicketGateway = client
    payments: ports.PaymentGateway = client
    feedback: ports.FeedbackGateway = client
    guides: ports.GuideGateway = client
    box: ports.Outbox = outbox
    clock: ports.Clock = SystemClock()
    slot: ports.Printers = PaperSlot()
    ledger: ports.Outbox = Ledger()
    desk: ports.TicketGateway = TicketDesk()
    stopped: ports.Clock = StoppedClock()
'''

MISFITS = '''
from typing import Any
from kiosk.journeys import ports


class Silent:
    def can_print(self) -> bool:
        return True

    def print_receipt(self, receipt: Any) -> None:  # never tells the journey what became of the job
        pass


printer: ports.ReceiptPrinter = Silent()
'''


def typecheck(tmp_path: Path, source: str) -> tuple[str, int]:
    module = tmp_path / "snippet.py"
    module.write_text(source, encoding="utf-8")
    out, err, status = mypy_api.run([
        "--config-file", str(ROOT / "pyproject.toml"), "--cache-dir", str(tmp_path / "cache"),
        "--no-error-summary", str(module),
    ])
    return out + err, status


def test_the_kiosks_objects_and_the_doubles_fit_the_ports_and_a_wrong_double_does_not(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("MYPYPATH", str(Path(__file__).parent))
    monkeypatch.chdir(ROOT)
    report, status = typecheck(tmp_path, FITS)
    assert status == 0, report
    report, status = typecheck(tmp_path, MISFITS)
    assert status == 1 and '"Silent", variable has type "ReceiptPrinter"' in report, report
    assert "def print_receipt(self, receipt: Any) -> None" in report
