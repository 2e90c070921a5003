"""A paid notice's receipt is owed until printed or shown: a kiosk killed in between gives it when the citizen
comes back with the notice, by print or as an e-receipt QR code, once."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from payment_fakes import NOW, UNPAID, FakePayments, FakePrinterHub

from config.catalogue import load_default_catalogue
from kiosk.journeys.base import JourneyEnv
from kiosk.journeys.owed_receipts import OwedReceipts
from kiosk.journeys.payment import FeePaymentJourney
from kiosk.shell.session import CitizenSession
from kiosk.shell.worker import ImmediateCalls
from kiosk.system.clock import SettableClock

CHILD = Path(__file__).with_name("payment_kill_child.py")


class SilentPrinter(FakePrinterHub):
    """Takes the job and never answers: the process is gone before the paper comes out."""

    def print_receipt(self, receipt, callback=None) -> None:
        self.printed.append(receipt)


def journey(settings, gateway, printer) -> FeePaymentJourney:
    env = JourneyEnv(settings=settings, catalogue=load_default_catalogue(), session=CitizenSession(),
                     calls=ImmediateCalls(), gateway=gateway, devices=printer, outbox=None,
                     clock=SettableClock(NOW), online=lambda: True)
    made = FeePaymentJourney(env)
    made.retry_pause_s = 0
    made.start()
    return made


def paid_but_not_printed(settings, gateway) -> FeePaymentJourney:
    first = journey(settings, gateway, SilentPrinter())
    first.look_up(UNPAID)
    first.confirm()
    gateway.pay(first.order.order_id)
    first.poll()
    assert first.state == "printing"
    return first


def test_after_a_sigkill_while_printing_the_receipt_is_given_when_the_citizen_returns(demo_settings, tmp_path):
    dump = tmp_path / "gateway.json"
    child = subprocess.run([sys.executable, str(CHILD), str(demo_settings.state_dir), str(dump)],
                           capture_output=True, text=True, timeout=120)
    assert child.returncode == -signal.SIGKILL, child.stderr
    gateway = FakePayments(**json.loads(dump.read_text(encoding="utf-8")))
    assert OwedReceipts.in_state_dir(demo_settings.state_dir).notices() == [UNPAID]
    printer = FakePrinterHub()
    orders_before = gateway.count("create_order")
    back = journey(demo_settings, gateway, printer)
    back.look_up(UNPAID)
    assert back.state == "receipt" and [r.kind for r in printer.printed] == ["payment_receipt"]
    assert gateway.count("create_order") == orders_before  # no second order: nothing charged twice
    assert OwedReceipts.in_state_dir(demo_settings.state_dir).notices() == []
    again = journey(demo_settings, gateway, printer)
    again.look_up(UNPAID)
    assert again.state == "already_paid" and len(printer.printed) == 1  # given once


def test_paid_on_the_phone_while_the_kiosk_was_down(demo_settings):
    gateway = FakePayments()
    first = journey(demo_settings, gateway, FakePrinterHub())
    first.look_up(UNPAID)
    first.confirm()  # the kiosk dies here, the citizen pays on the phone meanwhile
    gateway.pay(first.order.order_id)
    printer = FakePrinterHub()
    back = journey(demo_settings, gateway, printer)
    back.look_up(UNPAID)  # the leftover order is settled as paid: its receipt is owed, and given
    assert back.state == "receipt" and [r.kind for r in printer.printed] == ["payment_receipt"]


def test_without_a_printer_the_owed_receipt_is_shown_as_an_e_receipt(demo_settings):
    gateway = FakePayments()
    paid_but_not_printed(demo_settings, gateway)
    back = journey(demo_settings, gateway, FakePrinterHub(ready=False))
    back.look_up(UNPAID)
    assert back.state == "e_receipt" and back.e_receipt_payload.startswith("https://")
    assert OwedReceipts.in_state_dir(demo_settings.state_dir).get(UNPAID) is None


def test_a_receipt_printed_at_once_is_not_owed(demo_settings):
    gateway = FakePayments()
    first = journey(demo_settings, gateway, FakePrinterHub())
    first.look_up(UNPAID)
    first.confirm()
    gateway.pay(first.order.order_id)
    first.poll()
    assert first.state == "receipt"
    assert OwedReceipts.in_state_dir(demo_settings.state_dir).notices() == []


def test_the_owed_file_names_nobody(demo_settings):
    paid_but_not_printed(demo_settings, FakePayments())
    text = OwedReceipts.in_state_dir(demo_settings.state_dir).path.read_text(encoding="utf-8")
    assert UNPAID in text and "王" not in text


@pytest.mark.parametrize("damage", ["{not json", '{"receipts": []}'])
def test_a_damaged_owed_file_reads_as_empty(demo_settings, damage):
    owed = OwedReceipts.in_state_dir(demo_settings.state_dir)
    owed.path.parent.mkdir(parents=True, exist_ok=True)
    owed.path.write_text(damage, encoding="utf-8")
    assert owed.get(UNPAID) is None and owed.notices() == []
