"""Stand-ins for the gateway, the device hub and the outbox, shared by the lookup tests.

The gateway stand-in answers from the same demo citizens the reference gateway seeds
(``gateway.demo_seed``), so the journey meets the real shapes of the contract.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from devices.errors import DeviceOperationError
from devices.idcard.card import IdCard, decode_text
from devices.simulators.citizens import CITIZENS
from gateway.demo_seed import _citizens
from kiosk.hardware.print_outcome import PrintOutcome

TODAY = dt.date(2026, 11, 25)
_KINDS = {"social_security": ("SS", 3, "record"), "property": ("BDC", 4, "properties"),
          "population": ("RK", 5, "household")}


def demo_card(key: str) -> IdCard:
    citizen = CITIZENS[key]
    card = decode_text(citizen.text_block(), citizen.photo())
    card.appended_address = citizen.appended_address
    return card


class GatewayDown(ConnectionError):
    """What the client raises when the gateway cannot be reached."""

    def citizen_message(self, language: str = "zh") -> str:
        return "网络中断" if language == "zh" else "The network is down"


class GatewayRefused(Exception):
    """An error answer from the gateway (reachable, but the request failed)."""

    def citizen_message(self, language: str = "zh") -> str:
        return "查询系统繁忙" if language == "zh" else "The lookup system is busy"


class FakeGateway:
    def __init__(self, today: dt.date = TODAY) -> None:
        self.records = {row[0]: row for row in _citizens(today)}
        self.asked: list[tuple[str, str, str]] = []
        self.error: BaseException | None = None
        self.mailings: list[dict[str, Any]] = []
        self.links: list[Any] = []
        self.sequence = 0

    def _answer(self, kind: str, id_number: str, card_type: str) -> dict[str, Any]:
        self.asked.append((kind, id_number, card_type))
        if self.error is not None:
            raise self.error
        prefix, column, field = _KINDS[kind]
        if kind == "population" and card_type != "resident":
            return {"status": "not_applicable", "message_zh": "没有户籍", "message_en": "No household registration"}
        row = self.records.get(id_number)
        record = row[column] if row else None
        if not record:
            return {"status": "no_record", "message_zh": "未查询到您在本市的记录。",
                    "message_en": "No record in Xiamen was found for you."}
        self.sequence += 1
        number = f"XMZW-{prefix}-20261125-{self.sequence:06d}"
        return {"status": "found", "message_zh": "已查询到", "message_en": "Found", "holder_masked": "x*",
                field: record, "document": {"number": number, "verify_url": f"https://zwfw.xm.gov.cn/verify/{number}",
                                            "issued_at": "2026-11-25T10:00:00+08:00"}}

    def lookup_social_security(self, id_number: str, card_type: str) -> dict[str, Any]:
        return self._answer("social_security", id_number, card_type)

    def lookup_property(self, id_number: str, card_type: str) -> dict[str, Any]:
        return self._answer("property", id_number, card_type)

    def lookup_population(self, id_number: str, card_type: str) -> dict[str, Any]:
        return self._answer("population", id_number, card_type)

    def create_result_link(self, request: dict[str, Any]) -> Any:
        """As the gateway does: the request is checked against the contract; the link is made up."""
        from contract.result_links import LINK_TTL_S, ResultLink, ResultLinkRequest

        if self.error is not None:
            raise self.error
        self.links.append(ResultLinkRequest.model_validate(request))
        return ResultLink(url=f"http://127.0.0.1:8765/r/link{len(self.links)}", ttl_s=LINK_TTL_S,
                          expires_at="2026-11-25T10:10:00+08:00")


class PaperOut(DeviceOperationError):
    default_zh = "打印机缺纸"
    default_en = "The printer is out of paper"


class FakeDevices:
    """The device hub's calls; ``hold`` keeps the print callback for the test to call later."""

    def __init__(self) -> None:
        self.printable = True
        self.print_error: BaseException | None = None
        self.hold = False
        self.printed: list[Any] = []
        self.pending: Any = None
        self.armed = 0

    def can_print(self) -> bool:
        return self.printable

    def print_receipt(self, receipt: Any, callback: Any) -> None:
        self.printed.append(receipt)
        if self.hold:
            self.pending = callback
        else:
            callback(PrintOutcome.done() if self.print_error is None else PrintOutcome.failed(self.print_error))

    def arm_card_reader(self) -> None:
        self.armed += 1

    def disarm_card_reader(self) -> None:
        self.armed -= 1


class FakeOutbox:
    def __init__(self) -> None:
        self.entries: list[tuple[str, dict[str, Any]]] = []
        self.error: BaseException | None = None

    def append(self, kind: str, payload: dict[str, Any], *, idempotency_key: str | None = None) -> Any:
        if self.error is not None:
            raise self.error
        self.entries.append((kind, dict(payload)))
        return {"key": f"key-{len(self.entries):04d}"}


def lookup_env(state_dir: Any) -> Any:
    """A journey environment of fakes at 10:00 on TODAY, as the lookup tests start from (Chinese afterwards)."""
    from config.catalogue import load_default_catalogue
    from config.local import demo_settings
    from kiosk.journeys.base import JourneyEnv
    from kiosk.shell.session import CitizenSession
    from kiosk.shell.worker import ImmediateCalls
    from kiosk.system.clock import HALL_ZONE, SettableClock

    clock = SettableClock(dt.datetime(2026, 11, 25, 10, 0, tzinfo=HALL_ZONE))
    return JourneyEnv(
        settings=demo_settings(state_dir), catalogue=load_default_catalogue(), session=CitizenSession(),
        calls=ImmediateCalls(), gateway=FakeGateway(TODAY), devices=FakeDevices(), outbox=FakeOutbox(), clock=clock,
    )
