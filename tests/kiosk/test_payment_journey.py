"""The fee payment journey as a plain state machine: every state and failure path, no screen, no network."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from payment_fakes import NOW, OVERDUE, PAID, UNKNOWN, UNPAID, UNPAID_2, FakePayments, FakePrinterHub

from config.catalogue import load_default_catalogue
from devices.printer.layout import QrCode, Row, Text
from devices.scanner.codes import AppointmentCode, PaymentNotice, ScanRejected
from kiosk.journeys.base import JourneyEnv
from kiosk.journeys.payment import FeePaymentJourney
from kiosk.journeys.unresolved_orders import UnresolvedOrders
from kiosk.shell.session import CitizenSession
from kiosk.shell.worker import ImmediateCalls
from kiosk.system.clock import SettableClock
from offline_cache.outbox import Outbox
from offline_cache.store import open_store


@pytest.fixture
def gateway():
    return FakePayments()


@pytest.fixture
def printer():
    return FakePrinterHub()


@pytest.fixture
def clock():
    return SettableClock(NOW)


@pytest.fixture
def outbox(demo_settings):
    store = open_store(demo_settings.state_dir)
    yield Outbox(store)
    store.close()


@pytest.fixture
def make(demo_settings, gateway, printer, clock, outbox):
    def build(online: bool = True, with_gateway: bool = True) -> FeePaymentJourney:
        env = JourneyEnv(settings=demo_settings, catalogue=load_default_catalogue(), session=CitizenSession(),
                         calls=ImmediateCalls(), gateway=gateway if with_gateway else None, devices=printer,
                         outbox=outbox, clock=clock, online=lambda: online)
        journey = FeePaymentJourney(env)
        journey.retry_pause_s = 0
        journey.seen = []
        journey.subscribe(lambda j: j.seen.append(j.state))
        journey.start()
        return journey

    return build


@pytest.fixture
def ledger(demo_settings):
    return UnresolvedOrders.in_state_dir(demo_settings.state_dir)


def waiting(make, number: str = UNPAID) -> FeePaymentJourney:
    journey = make()
    journey.look_up(number)
    assert journey.state == "notice"
    journey.confirm()
    assert journey.state == "awaiting_payment"
    return journey


def rows(receipt) -> dict[str, str]:
    return {b.label: b.value for b in receipt.blocks if isinstance(b, Row)}


def qr_payloads(receipt) -> list[str]:
    return [b.payload for b in receipt.blocks if isinstance(b, QrCode)]


# -- offered or not ---------------------------------------------------------------------------------


@pytest.mark.parametrize("online, with_gateway", [(False, True), (True, False)])
def test_not_offered_while_the_gateway_is_unreachable(make, online, with_gateway):
    journey = make(online=online, with_gateway=with_gateway)
    assert journey.state == "offline"
    assert "暂停缴费" in journey.problem.what_zh and "finance window" in journey.problem.next_en
    journey.look_up(UNPAID)
    assert journey.state == "offline"


# -- the notice --------------------------------------------------------------------------------------


def test_notice_shows_item_masked_payer_amount_and_due_date(make, gateway):
    journey = make()
    assert journey.state == "enter" and not journey.busy
    journey.look_up("3502 0026 1100 0001")
    assert journey.seen[-2:] == ["looking_up", "notice"]
    assert journey.notice.item_zh == "机动车驾驶证工本费" and journey.notice.due_date == "2026-12-31"
    assert journey.payer == "王**" and journey.amount_text == "10.00"
    assert gateway.count("create_order") == 0  # nothing is opened before the citizen confirms


@pytest.mark.parametrize("typed", ["350200261100000", "35020026110000011", "35020026110000a1", "３５０２００２６１１０００００１"])
def test_a_bad_number_is_explained_on_the_keypad_page(make, gateway, typed):
    journey = make()
    journey.look_up(typed)
    assert journey.state == "enter" and journey.problem.code == "bad_number"
    assert "16" in journey.problem.what_zh and gateway.calls == []


def test_unknown_notice(make):
    journey = make()
    journey.look_up(UNKNOWN)
    assert journey.state == "unknown_notice"
    assert "16位" in journey.problem.what_zh or "16位" in journey.problem.next_zh
    journey.restart()
    assert journey.state == "enter" and journey.notice is None


def test_already_paid_notice_is_not_offered_again(make, gateway):
    journey = make()
    journey.look_up(PAID)
    assert journey.state == "already_paid" and "已缴费" in journey.problem.what_zh
    journey.confirm()
    assert journey.state == "already_paid" and gateway.count("create_order") == 0


def test_overdue_notice_sends_the_citizen_to_the_finance_window(make):
    journey = make()
    journey.look_up(OVERDUE)
    assert journey.state == "not_payable" and "财政窗口" in journey.problem.what_zh


def test_lookup_that_goes_unanswered_says_offline(make, gateway):
    journey = make()
    gateway.fail_next["notice"] = 1
    journey.look_up(UNPAID)
    assert journey.state == "offline"
    journey.look_up(UNPAID)  # the citizen tries again once it is back
    assert journey.state == "notice"


def test_notice_with_an_order_open_elsewhere_is_refused(make, gateway):
    gateway.create_order(UNPAID, "pay-another-kiosk-0001")
    journey = make()
    journey.look_up(UNPAID)
    assert journey.state == "order_unresolved" and "重复扣款" in journey.problem.what_zh


# -- scanning ----------------------------------------------------------------------------------------


def test_scanned_notice_is_looked_up(make):
    journey = make()
    journey.on_scan(PaymentNotice(UNPAID_2))
    assert journey.state == "notice" and journey.amount_text == "80.00"


def test_scan_junk_and_other_codes_are_explained(make, gateway):
    journey = make()
    journey.on_scan(ScanRejected("foreign_url", "another site"))
    assert journey.state == "enter" and journey.problem.code == "scan_rejected"
    assert "缴款通知书" in journey.problem.what_zh
    journey.on_scan_rejected(ScanRejected("control_character", "junk"))
    assert journey.problem.code == "scan_rejected"
    journey.on_scan(AppointmentCode("YY202611180001", dt.date(2026, 11, 18)))
    assert journey.state == "enter" and journey.problem.code == "not_a_notice"
    journey.on_scan("junk that is not even a parsed code")
    assert journey.problem.code == "not_a_notice" and gateway.calls == []


def test_scans_are_ignored_while_an_order_is_open(make, gateway):
    journey = waiting(make)
    journey.on_scan(PaymentNotice(UNPAID_2))
    journey.on_scan_rejected(ScanRejected("empty", "empty"))
    assert journey.state == "awaiting_payment" and journey.number == UNPAID


# -- opening the order -------------------------------------------------------------------------------


def test_key_is_written_down_before_the_first_attempt(make, gateway, ledger):
    journey = make()
    journey.look_up(UNPAID)
    seen_on_disk = []
    real_create = gateway.create_order

    def create(number, key):
        seen_on_disk.append(ledger.get(number))
        return real_create(number, key)

    gateway.create_order = create
    journey.confirm()
    record = seen_on_disk[0]
    assert record is not None and record.key == journey.order_key and record.state == "creating"
    assert ledger.get(UNPAID).order_id == journey.order.order_id and ledger.get(UNPAID).state == "open"


def test_a_lost_answer_is_retried_with_the_same_key_and_returns_the_same_order(make, gateway):
    journey = make()
    journey.look_up(UNPAID)
    gateway.lose_answer["create_order"] = 1  # the gateway made the order; the answer never arrived
    journey.confirm()
    assert journey.state == "awaiting_payment"
    creates = [args for name, args in gateway.calls if name == "create_order"]
    assert len(creates) == 2 and creates[0][1] == creates[1][1] == journey.order_key
    assert len(gateway.orders) == 1 and journey.order.order_id in gateway.orders


def test_create_unanswered_then_try_again_reuses_the_key(make, gateway, ledger):
    journey = make()
    journey.look_up(UNPAID)
    gateway.lose_answer["create_order"] = 2
    journey.confirm()
    assert journey.state == "create_failed" and "未产生任何扣款" in journey.problem.what_zh
    assert not journey.busy
    key = ledger.get(UNPAID).key
    journey.retry()
    assert journey.state == "awaiting_payment" and journey.order_key == key
    assert len(gateway.orders) == 1  # three attempts, one order


def test_create_refused_because_paid_meanwhile_clears_the_record(make, gateway, ledger):
    journey = make()
    journey.look_up(UNPAID)
    gateway.notices[UNPAID][5] = "paid"
    journey.confirm()
    assert journey.state == "already_paid" and ledger.get(UNPAID) is None


def test_awaiting_payment_shows_the_cashier_url_and_counts_down(make, clock, demo_settings):
    journey = waiting(make)
    assert journey.order.pay_url.endswith(journey.order.order_id) and journey.busy
    assert journey.remaining_s == demo_settings.session.payment_timeout_s == 300
    clock.advance(seconds=61)
    assert journey.tick() == 239 and journey.state == "awaiting_payment"


# -- paid ------------------------------------------------------------------------------------------------


def test_paid_prints_the_receipt_with_reference_and_e_receipt_qr(make, gateway, printer, ledger, clock):
    journey = waiting(make)
    journey.poll()
    assert journey.state == "awaiting_payment"
    gateway.pay(journey.order.order_id)
    clock.advance(seconds=2)
    journey.poll()
    assert journey.seen[-2:] == ["printing", "receipt"] and journey.receipt_printed and not journey.busy
    receipt = printer.printed[0]
    fields = rows(receipt)
    assert fields["交易流水号 Transaction"] == "FS20261118100700123456"
    assert fields["缴款人 Payer"] == "王**" and fields["缴款通知书号 Notice"] == UNPAID
    assert fields["缴款时间 Paid at"] == "2026-11-18 10:07:00"
    assert fields["终端编号 Terminal"] == journey.env.settings.kiosk.id  # which kiosk took the money
    assert any("10.00" in b.text for b in receipt.blocks if isinstance(b, Text))
    assert qr_payloads(receipt) == [f"https://zwfw.xm.gov.cn/receipts/{journey.order.order_id}"]
    assert "王晓明" not in repr(receipt.blocks)
    assert ledger.get(UNPAID) is None


def test_printer_that_cannot_print_shows_the_e_receipt(make, gateway, printer):
    journey = waiting(make)
    printer.ready = False
    gateway.pay(journey.order.order_id)
    journey.poll()
    assert journey.state == "e_receipt" and not journey.receipt_printed
    assert journey.e_receipt_payload.endswith(journey.order.order_id) and "拍下" in journey.problem.what_zh
    assert printer.printed == []


def test_printer_failing_during_the_job_shows_the_e_receipt(make, gateway, printer):
    journey = waiting(make)
    printer.fail_jobs = True
    gateway.pay(journey.order.order_id)
    journey.poll()
    assert journey.seen[-2:] == ["printing", "e_receipt"]


def test_gateway_gone_mid_payment_keeps_waiting_then_sees_paid(make, gateway, clock):
    journey = waiting(make)
    gateway.down = True
    journey.poll()
    assert journey.state == "awaiting_payment" and journey.connection_trouble
    gateway.down = False
    gateway.pay(journey.order.order_id)
    clock.advance(seconds=2)
    journey.poll()
    assert journey.state == "receipt" and not journey.connection_trouble


def test_only_one_status_query_at_a_time(make, gateway, demo_settings):
    from kiosk.journeys.base import JourneyEnv as Env

    held = []

    class HeldCalls:
        def submit(self, fn, on_done, on_error=None):
            held.append((fn, on_done, on_error))

    journey = waiting(make)
    journey.env = Env(**{**journey.env.__dict__, "calls": HeldCalls()})
    journey.poll()
    journey.poll()
    assert len(held) == 1


# -- time up -------------------------------------------------------------------------------------------


def test_time_up_closes_the_order_and_nothing_is_charged(make, gateway, ledger, clock):
    journey = waiting(make)
    clock.advance(seconds=300)
    assert journey.tick() == 0
    assert journey.seen[-2:] == ["closing", "expired"] and "未产生扣款" in journey.problem.what_zh
    assert gateway.orders[journey.order.order_id]["status"] == "closed"
    assert gateway.count("order") >= 1  # asked once more after closing
    assert ledger.get(UNPAID) is None
    journey.restart()
    journey.look_up(UNPAID)
    journey.confirm()
    assert journey.state == "awaiting_payment" and len(gateway.orders) == 2  # a new order only once the old is closed


def test_time_up_but_paid_after_all_prints_the_receipt(make, gateway, printer, clock):
    journey = waiting(make)
    gateway.pay(journey.order.order_id)  # paid in the last second, after the last poll
    clock.advance(seconds=301)
    journey.tick()
    assert journey.seen[-3:] == ["closing", "printing", "receipt"]
    assert rows(printer.printed[0])["交易流水号 Transaction"] == "FS20261118100700123456"


def test_citizen_cancels_on_the_qr_page(make, gateway):
    journey = waiting(make)
    journey.cancel_payment()
    assert journey.state == "expired" and journey.problem.code == "cancelled"
    assert gateway.orders[journey.order.order_id]["status"] == "closed"


def test_time_up_with_unknown_outcome_gives_a_voucher_and_hands_over_to_the_outbox(
        make, gateway, printer, outbox, ledger, clock):
    journey = waiting(make)
    order_id, key = journey.order.order_id, journey.order_key
    gateway.down = True
    clock.advance(seconds=300)
    journey.tick()
    assert journey.seen[-3:] == ["closing", "confirming", "voucher"]
    assert journey.voucher_printed and journey.handed_to_reconciliation and not journey.busy
    entry = outbox.get(key)
    assert entry is not None and entry.kind.replace("_", "-") == "payment-reconciliation"
    assert entry.payload["order_id"] == order_id and key in entry.payload["note"]
    assert entry.payload["kiosk_status"] == "open" and set(entry.payload) == {"order_id", "kiosk_status", "note"}
    assert ledger.get(UNPAID).state == "reconciling"
    voucher = printer.printed[0]
    assert voucher.kind == "payment_voucher" and rows(voucher)["订单号 Order"] == order_id
    assert any(b.text == "支付结果确认中" for b in voucher.blocks if isinstance(b, Text))
    assert qr_payloads(voucher) == [order_id]


def test_unknown_outcome_without_a_printer_shows_the_voucher_on_screen(make, gateway, printer, clock):
    journey = waiting(make)
    gateway.down = True
    printer.ready = False
    clock.advance(seconds=300)
    journey.tick()
    assert journey.state == "voucher" and not journey.voucher_printed and printer.printed == []


# -- never a second order --------------------------------------------------------------------------------


def test_second_order_for_an_unresolved_notice_is_refused_until_it_is_settled(make, gateway, clock, ledger):
    first = waiting(make)
    gateway.down = True
    clock.advance(seconds=300)
    first.tick()
    assert first.state == "voucher"
    gateway.down = False
    gateway.fail_next["close_order"] = 1
    gateway.fail_next["order"] = 1  # still cannot be settled on the next visit
    second = make()
    second.look_up(UNPAID)
    assert second.state == "order_unresolved" and gateway.count("create_order") == 1
    second.restart()
    second.look_up(UNPAID)  # the gateway answers now: the old order is closed, the notice is free
    assert second.state == "notice" and ledger.get(UNPAID) is None
    second.confirm()
    assert second.state == "awaiting_payment" and second.order.order_id != first.order.order_id


def test_an_order_paid_while_unresolved_gives_its_receipt_then_shows_already_paid(make, gateway, clock, printer):
    first = waiting(make)
    gateway.down = True
    clock.advance(seconds=300)
    first.tick()
    gateway.down = False
    gateway.orders[first.order.order_id]["status"] = "open"
    gateway.pay(first.order.order_id)  # the platform confirms the payment late
    second = make()
    second.look_up(UNPAID)  # the kiosk learns it was paid: the receipt it owes comes out
    assert second.state == "receipt" and gateway.count("create_order") == 1
    assert [r.kind for r in printer.printed] == ["payment_voucher", "payment_receipt"]
    assert rows(printer.printed[0])["终端编号 Terminal"] == second.env.settings.kiosk.id
    third = make()
    third.look_up(UNPAID)
    assert third.state == "already_paid" and len(printer.printed) == 2


def test_restart_mid_payment_blocks_a_second_order_and_hands_it_to_reconciliation(
        make, gateway, outbox, ledger):
    crashed = waiting(make)  # the kiosk loses power here: no cancel, no close
    order_id, key = crashed.order.order_id, crashed.order_key
    gateway.down = True
    after = make()  # a fresh journey after the restart, same state directory
    assert ledger.get(UNPAID).state == "reconciling"
    assert outbox.get(key).payload["order_id"] == order_id
    after.look_up(UNPAID)
    assert after.state == "order_unresolved" and gateway.count("create_order") == 1
    gateway.down = False
    after.look_up(UNPAID)  # settled at last: closed unpaid, so the notice is free again
    assert after.state == "notice" and gateway.orders[order_id]["status"] == "closed"


def test_restart_before_the_answer_reuses_the_key_to_find_the_order(make, gateway, ledger):
    journey = make()
    journey.look_up(UNPAID)
    gateway.lose_answer["create_order"] = 2
    journey.confirm()  # the kiosk restarts now: the record has a key but no order id
    assert ledger.get(UNPAID).order_id == ""
    after = make()
    after.look_up(UNPAID)  # the same key finds the order, which is closed before anything else
    assert after.state == "notice" and len(gateway.orders) == 1
    assert list(gateway.orders.values())[0]["status"] == "closed"


def test_damaged_record_file_stops_payments(make, ledger):
    ledger.path.parent.mkdir(parents=True, exist_ok=True)
    ledger.path.write_text("{not json", encoding="utf-8")
    journey = make()
    journey.look_up(UNPAID)
    assert journey.state == "failed" and journey.problem.code == "kiosk_fault"


def test_record_file_is_plain_json_without_names(make, ledger):
    waiting(make)
    body = json.loads(ledger.path.read_text(encoding="utf-8"))
    assert body["version"] == 1 and body["orders"][0]["notice"] == UNPAID
    assert "王" not in ledger.path.read_text(encoding="utf-8")


# -- leaving ------------------------------------------------------------------------------------------------


def test_leaving_while_the_order_is_open_closes_it_and_forgets_everything(make, gateway, ledger):
    journey = waiting(make)
    order_id = journey.order.order_id
    journey.cancel()
    assert gateway.orders[order_id]["status"] == "closed" and ledger.get(UNPAID) is None
    assert journey.notice is None and journey.order is None and journey.number == ""


def test_leaving_while_the_gateway_is_gone_hands_the_order_over(make, gateway, outbox, ledger):
    journey = waiting(make)
    key = journey.order_key
    gateway.down = True
    journey.cancel()
    assert outbox.get(key) is not None and ledger.get(UNPAID).state == "reconciling"


def test_busy_only_while_money_is_in_flight(make, gateway):
    journey = waiting(make)
    assert journey.busy
    gateway.pay(journey.order.order_id)
    journey.poll()
    assert journey.state == "receipt" and not journey.busy
