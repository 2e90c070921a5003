"""补打: a paid notice's receipt printed again for its payer's card, marked as a copy with when; the collecting
unit (执收单位) on every receipt from a gateway that sends it, and no line (and no crash) from one that does not.

Against the reference gateway over HTTP with the kiosk's real client: its demo has the passport fee of
陈嘉欣 paid at a kiosk."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest
from payment_fakes import NOW, UNPAID, FakePayments, FakePrinterHub

from config.catalogue import load_default_catalogue
from devices.printer.layout import QrCode, Row, Text
from gateway.app import create_app
from gateway.serve_thread import GatewayThread
from gateway.settings import GatewaySettings
from kiosk.gateway_client.client import GatewayClient
from kiosk.journeys.base import JourneyEnv
from kiosk.journeys.payment import FeePaymentJourney
from kiosk.shell.session import CitizenSession
from kiosk.shell.worker import ImmediateCalls
from kiosk.system.clock import SettableClock

PAID = "3502002611000003"
PAYER = "810000199508152024"
SOMEONE_ELSE = "350206199607210013"


@dataclass
class ReaderPrinterHub(FakePrinterHub):
    """The printer, and a card reader that counts being armed and disarmed."""

    reader: list[str] = field(default_factory=list)

    def arm_card_reader(self) -> None:
        self.reader.append("armed")

    def disarm_card_reader(self) -> None:
        self.reader.append("disarmed")


@pytest.fixture(scope="module")
def hall(tmp_path_factory) -> Iterator[tuple[str, GatewaySettings]]:
    settings = GatewaySettings(db_path=tmp_path_factory.mktemp("reprint") / "gateway.sqlite3", demo=True,
                               rate_per_s=1000, rate_burst=1000)
    with GatewayThread(create_app(settings)) as server:
        yield server.url, settings


@pytest.fixture
def client(hall) -> Iterator[GatewayClient]:
    made = GatewayClient(hall[0], "XM-HALL-001", "demo-hall-001-secret")
    yield made
    made.close()


def journey_for(settings, gateway, hub) -> FeePaymentJourney:
    env = JourneyEnv(settings=settings, catalogue=load_default_catalogue(), session=CitizenSession(),
                     calls=ImmediateCalls(), gateway=gateway, devices=hub, outbox=None,
                     clock=SettableClock(NOW), online=lambda: True)
    journey = FeePaymentJourney(env)
    journey.retry_pause_s = 0
    journey.start()
    return journey


def card(id_number: object) -> SimpleNamespace:
    return SimpleNamespace(id_number=id_number, card_type="resident")


def rows(receipt) -> dict[str, str]:
    return {b.label: b.value for b in receipt.blocks if isinstance(b, Row)}


def texts(receipt) -> list[str]:
    return [b.text for b in receipt.blocks if isinstance(b, Text)]


def at_the_card(demo_settings, client, hub=None) -> FeePaymentJourney:
    hub = hub or ReaderPrinterHub()
    journey = journey_for(demo_settings, client, hub)
    journey.look_up(PAID)
    assert journey.state == "already_paid" and journey.can_reprint
    journey.start_reprint()
    assert journey.state == "reprint_card" and hub.reader == ["armed"]
    return journey


def test_the_payer_gets_a_copy_marked_as_reprinted(demo_settings, client):
    hub = ReaderPrinterHub()
    journey = at_the_card(demo_settings, client, hub)
    journey.on_card(card(PAYER.lower()))  # a reader may deliver it in another form: normalised first
    assert journey.state == "reprinted" and hub.reader == ["armed", "disarmed"]
    copy = hub.printed[-1]
    assert "【补打 Reprint】" in texts(copy) and f"补打时间 Reprinted {NOW:%Y-%m-%d %H:%M}" in " ".join(texts(copy))
    printed = rows(copy)
    assert printed["缴款通知书号 Notice"] == PAID and printed["缴款人 Payer"] == "陈**"
    assert printed["执收单位 Collecting unit"] == "厦门市公安局出入境管理支队"
    assert printed["执收单位编码 Unit code"] == "350200011005"
    assert printed["交易流水号 Transaction"] == "FS20261201091305000003"
    assert printed["缴款时间 Paid at"].startswith("2026-12-01 09:13")
    assert printed["终端编号 Terminal"] == demo_settings.kiosk.id
    assert any(isinstance(b, QrCode) and "/receipts/PO20261201000000000003" in b.payload for b in copy.blocks)
    assert PAYER not in repr(copy.blocks)  # the card's number is nowhere on the paper


def test_someone_elses_card_learns_nothing(demo_settings, client):
    hub = ReaderPrinterHub()
    journey = at_the_card(demo_settings, client, hub)
    journey.on_card(card(SOMEONE_ELSE))
    assert journey.state == "reprint_refused" and journey.problem.code == "receipt_not_found"
    assert hub.printed == [] and hub.reader == ["armed", "disarmed"]
    assert journey.can_reprint  # the payer may still come with the right card
    journey.start_reprint()
    journey.on_card(card(PAYER))
    assert journey.state == "reprinted"


@pytest.mark.parametrize("junk", ["", "12345", "8100001995081520２４x", "810000199508152025", None, 42, "x" * 10_000])
def test_a_card_that_cannot_be_an_id_number_is_said_on_the_card_page(demo_settings, client, junk):
    hub = ReaderPrinterHub()
    journey = at_the_card(demo_settings, client, hub)
    journey.on_card(card(junk))
    assert journey.state == "reprint_card" and journey.problem.code == "id_number_invalid"
    assert hub.printed == [] and hub.reader == ["armed"]  # still waiting for a card


def test_without_paper_the_copy_is_the_e_receipt_qr(demo_settings, client):
    hub = ReaderPrinterHub(ready=False)
    journey = at_the_card(demo_settings, client, hub)
    journey.on_card(card(PAYER))
    assert journey.state == "reprint_qr" and hub.printed == []
    assert journey.e_receipt_payload.endswith("/receipts/PO20261201000000000003")


def test_a_card_means_nothing_outside_the_reprint_step(demo_settings, client):
    hub = ReaderPrinterHub()
    journey = journey_for(demo_settings, client, hub)
    journey.look_up(PAID)
    journey.on_card(card(PAYER))
    assert journey.state == "already_paid" and hub.printed == [] and hub.reader == []
    journey.look_up(UNPAID)
    assert journey.state == "notice" and not journey.can_reprint
    journey.start_reprint()
    assert journey.state == "notice"


def test_leaving_at_the_card_step_disarms_the_reader(demo_settings, client):
    hub = ReaderPrinterHub()
    journey = at_the_card(demo_settings, client, hub)
    journey.restart()
    assert journey.state == "enter" and hub.reader == ["armed", "disarmed"]
    hub2 = ReaderPrinterHub()
    journey = at_the_card(demo_settings, client, hub2)
    journey.cancel()
    assert hub2.reader == ["armed", "disarmed"]


def test_a_flood_of_cards_is_stopped_and_said_plainly(demo_settings, tmp_path):
    settings = GatewaySettings(db_path=tmp_path / "gateway.sqlite3", demo=True, rate_per_s=1000, rate_burst=1000)
    with GatewayThread(create_app(settings)) as server:
        client = GatewayClient(server.url, "XM-HALL-001", "demo-hall-001-secret")
        try:
            journey = journey_for(demo_settings, client, ReaderPrinterHub())
            journey.look_up(PAID)
            codes = []
            for _ in range(7):
                journey.start_reprint()
                journey.on_card(card(SOMEONE_ELSE))
                codes.append(journey.problem.code)
        finally:
            client.close()
    assert codes[:5] == ["receipt_not_found"] * 5 and codes[-1] == "rate_limited"
    assert journey.state == "reprint_refused"


class UnreachableCopies(FakePayments):
    def receipt_copy(self, notice_number: str, id_number: str):
        self.calls.append(("receipt_copy", notice_number))
        self._gate("receipt_copy")
        raise AssertionError("the gateway is down in this test")


def test_offline_at_the_reprint_step(demo_settings):
    gateway = UnreachableCopies()
    journey = journey_for(demo_settings, gateway, ReaderPrinterHub())
    journey.look_up(PAID)
    journey.start_reprint()
    gateway.down = True
    journey.on_card(card(PAYER))
    assert journey.state == "offline" and gateway.count("receipt_copy") == 1
    assert journey.problem.code == "offline"


def test_a_new_receipt_names_the_collecting_unit(demo_settings, client, hall):
    import requests

    hub = ReaderPrinterHub()
    journey = journey_for(demo_settings, client, hub)
    journey.look_up("3502002611000002")
    assert journey.notice.collecting_unit_zh == "厦门市不动产登记中心"
    journey.confirm()
    paid = requests.post(f"{hall[0]}/cashier/{journey.order.order_id}/pay", timeout=5)
    assert paid.status_code in (200, 303), paid.text
    journey.poll()
    assert journey.state == "receipt"
    printed = rows(hub.printed[-1])
    assert printed["执收单位 Collecting unit"] == "厦门市不动产登记中心"
    assert "【补打 Reprint】" not in texts(hub.printed[-1])


def test_an_older_gateway_without_units_still_prints(demo_settings):
    gateway, hub = FakePayments(), ReaderPrinterHub()
    journey = journey_for(demo_settings, gateway, hub)
    journey.look_up(UNPAID)
    journey.confirm()
    gateway.pay(journey.order.order_id)
    journey.poll()
    assert journey.state == "receipt"
    printed = rows(hub.printed[-1])
    assert "执收单位 Collecting unit" not in printed and printed["缴款人 Payer"]
    assert dt.datetime.fromisoformat("2026-11-18T10:07:00+08:00").strftime("%Y-%m-%d %H:%M") in printed["缴款时间 Paid at"]
