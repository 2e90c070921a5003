"""Stand-ins for the gateway client and the device hub, shared by the queue and feedback tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from contract.citizen import FeedbackRequest
from contract.queue import Appointment, Ticket, TicketRequest
from devices.idcard.card import CardType, IdCard
from devices.printer.layout import Receipt
from kiosk.gateway_client.errors import GatewayError, GatewayOffline, GatewayRefused, GatewayServerError
from kiosk.hardware.print_outcome import PrintOutcome
from kiosk.system.clock import HALL_ZONE

NOW = dt.datetime(2026, 11, 18, 10, 5, tzinfo=HALL_ZONE)
TODAY_CODE = f"YY{NOW:%Y%m%d}0001"


def GatewayRefusal(status: int, code: str, detail: Any = None) -> GatewayError:  # noqa: N802 (reads like the class)
    """What the real client raises for an error answer."""
    kind = GatewayRefused if status < 500 else GatewayServerError
    return kind(code, f"HTTP {status}", status=status, detail=detail)


def Unreachable(technician: str) -> GatewayOffline:  # noqa: N802
    return GatewayOffline("offline", technician)


class FakeQueueGateway:
    """Issues tickets like the reference gateway: a key seen before returns the same ticket."""

    def __init__(self, now: Callable[[], dt.datetime] = lambda: NOW) -> None:
        self.now = now
        self.tickets: dict[str, Ticket] = {}
        self.calls: list[tuple[TicketRequest, str]] = []
        self.fail_next: list[BaseException] = []
        self.lose_answer_once = False  # the ticket is made but the answer never arrives
        self.booking = {"code": TODAY_CODE, "service_id": "ss-card-apply", "id_number": "350203195509200041",
                        "ticket": None}
        self.waiting = 3
        self.feedback: list[tuple[Any, str]] = []

    def issue_ticket(self, request: TicketRequest, idempotency_key: str | None = None) -> Ticket:
        assert idempotency_key, "the journey makes the key before the first attempt"
        self.calls.append((request, idempotency_key))
        if self.fail_next:
            raise self.fail_next.pop(0)
        if idempotency_key in self.tickets:
            return self.tickets[idempotency_key]
        booked = None
        if request.appointment_code:
            if request.appointment_code != self.booking["code"]:
                raise GatewayRefusal(404, "appointment_not_found")
            if request.service_id != self.booking["service_id"]:
                raise GatewayRefusal(409, "appointment_other_service", {"service_id": self.booking["service_id"]})
            booked = self.booking
        elif request.id_number == self.booking["id_number"] and request.service_id == self.booking["service_id"]:
            booked = self.booking
        if booked is not None and booked["ticket"] is not None:
            return booked["ticket"]
        number = f"A{len(self.tickets) + 1:03d}"
        ticket = Ticket(
            ticket_id=f"tkt{len(self.tickets) + 1:09d}", number=number, service_id=request.service_id,
            service_name_zh="社会保障卡申领", service_name_en="Social security card application",
            window_zh="B区 11–16号窗口", window_en="Zone B, windows 11–16", issued_at=self.now().isoformat(),
            date=self.now().date().isoformat(), priority=bool(request.priority_reason or booked),
            priority_reason=request.priority_reason,
            appointment=Appointment(code=booked["code"], service_id=booked["service_id"], slot="10:00-10:30")
            if booked else None,
            people_ahead=0 if request.priority_reason else self.waiting, estimated_wait_min=12,
            status_url=f"https://zwfw.xm.gov.cn/t/tkt{len(self.tickets) + 1:09d}",
        )
        self.tickets[idempotency_key] = ticket
        if booked is not None:
            booked["ticket"] = ticket
        if self.lose_answer_once:
            self.lose_answer_once = False
            raise Unreachable("answer lost")
        return ticket

    def send_feedback(self, request: FeedbackRequest, idempotency_key: str | None = None) -> dict[str, str]:
        self.feedback.append((request, idempotency_key))
        return {"feedback_id": "FB1", "received_at": NOW.isoformat()}


class FakeDevices:
    """The device hub's calls a journey uses: can_print() and print_receipt(receipt, callback)."""

    def __init__(self, can_print: bool = True) -> None:
        self.printable = can_print
        self.fail_print: BaseException | None = None
        self.hold = False  # keep the callback until release()
        self.printed: list[Any] = []
        self._pending: list[tuple[Any, Callable[..., None]]] = []

    def can_print(self) -> bool:
        return self.printable

    def print_receipt(self, receipt: Any, callback: Callable[..., None]) -> None:
        if self.hold:
            self._pending.append((receipt, callback))
            return
        self._finish(receipt, callback)

    def release(self) -> None:
        for receipt, callback in self._pending:
            self._finish(receipt, callback)
        self._pending.clear()

    def _finish(self, receipt: Receipt, callback: Callable[[PrintOutcome], None]) -> None:
        if self.fail_print is not None:
            callback(PrintOutcome(False, error=self.fail_print))
        else:
            self.printed.append(receipt)
            callback(PrintOutcome(True, result="printed"))


def card(key: str = "elderly", valid_to: dt.date | None = None) -> IdCard:
    people = {
        "elderly": ("林秀英", dt.date(1948, 3, 12), "350203194803120021"),
        "young": ("王晓明", dt.date(1996, 7, 21), "350206199607210013"),
        "appointment": ("黄美玲", dt.date(1955, 9, 20), "350203195509200041"),
        "sixty_five_tomorrow": ("陈大同", dt.date(1961, 11, 19), "35020319611119001X"),
    }
    name, born, number = people[key]
    return IdCard(CardType.RESIDENT, name, "female", born, number, dt.date(2015, 6, 1), valid_to)
