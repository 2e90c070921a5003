"""Notices name their collecting unit (执收单位); a paid notice's receipt is given again to its payer's card only."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from gateway_api import NIGHT
from legacy_schema import make_schema_3

from contract.payments import Notice, Order, ReceiptCopy
from gateway.storage import Database

UNPAID, PROPERTY_FEE, PAID, OVERDUE = ("3502002611000001", "3502002611000002", "3502002611000003",
                                       "3502002611000004")
PAYER_OF_PAID = "810000199508152024"  # 陈嘉欣, who paid the passport fee
SOMEONE_ELSE = "350206199607210013"  # 王晓明: a real card, but not the payer's
UNKNOWN = "3502002699999999"


def _copy(api, notice: str, id_number: str):
    return api.post("/payments/receipt-copies", json={"notice_number": notice, "id_number": id_number})


def test_notices_and_orders_carry_their_collecting_unit(api):
    notice = Notice.model_validate(api.get(f"/payments/notices/{PROPERTY_FEE}").json())
    assert notice.collecting_unit_zh == "厦门市不动产登记中心" and notice.collecting_unit_code == "350200041007"
    assert notice.collecting_unit_en == "Xiamen Real Estate Registration Center"
    passport = Notice.model_validate(api.get(f"/payments/notices/{PAID}").json())
    assert passport.collecting_unit_zh == "厦门市公安局出入境管理支队"


def test_the_payer_gets_the_paid_receipt_again(api):
    answer = _copy(api, PAID, PAYER_OF_PAID)
    assert answer.status_code == 200, answer.text
    copy = ReceiptCopy.model_validate(answer.json())
    assert copy.payer_masked == "陈**" and copy.order.status == "paid" and copy.order.notice_number == PAID
    assert copy.order.transaction_ref == "FS20261201091305000003" and copy.order.receipt_url
    assert copy.order.collecting_unit_zh == "厦门市公安局出入境管理支队"


def test_a_lowercase_or_full_width_card_number_is_not_what_the_gateway_takes(api):
    """The kiosk normalises at its edge; the wire carries the one form only."""
    assert _copy(api, PAID, "８１００００１９９５０８１５２０２４").status_code == 422


def test_nobody_learns_whether_a_notice_exists_from_the_wrong_card(start_gateway, make_api):
    server, _ = start_gateway()
    api = make_api(server.url)
    answers = [_copy(api, notice, card) for notice, card in
               ((PAID, SOMEONE_ELSE), (UNKNOWN, SOMEONE_ELSE), (UNPAID, SOMEONE_ELSE), (UNPAID, "350206199607210013"))]
    assert {a.status_code for a in answers} == {404}
    assert {a.json()["code"] for a in answers} == {"receipt_not_found"}
    assert len({a.json()["detail"] for a in answers}) == 1  # word for word the same
    assert all("陈" not in a.text and "护照" not in a.text for a in answers)


def test_hostile_input_gets_a_clear_error(start_gateway, make_api):
    server, _ = start_gateway()
    api = make_api(server.url)
    for body in ({"notice_number": "12345", "id_number": PAYER_OF_PAID},
                 {"notice_number": "' OR 1=1 --", "id_number": PAYER_OF_PAID},
                 {"notice_number": PAID, "id_number": "x" * 5000},
                 {"notice_number": PAID},
                 {"notice_number": PAID, "id_number": PAYER_OF_PAID, "extra": 1}):
        answer = api.post("/payments/receipt-copies", json=body)
        assert answer.status_code == 422, (body, answer.text)
    bad_check = PAYER_OF_PAID[:-1] + ("5" if PAYER_OF_PAID[-1] != "5" else "6")
    answer = _copy(api, PAID, bad_check)
    assert answer.status_code == 422 and answer.json()["code"] == "id_number_invalid"
    assert api.post("/payments/receipt-copies", data=b"\xff\xfe not json",
                    headers={"Content-Type": "application/json"}).status_code == 400


def test_a_flood_of_guesses_is_stopped(start_gateway, make_api):
    server, _ = start_gateway()
    api = make_api(server.url)
    answers = [_copy(api, PAID, SOMEONE_ELSE).status_code for _ in range(8)]
    assert answers[:5] == [404] * 5 and set(answers[5:]) == {429}
    limited = _copy(api, PAID, PAYER_OF_PAID)
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) > 0
    other = make_api(server.url, kiosk=NIGHT)
    # the notice itself is limited too: another kiosk cannot carry on the guessing
    assert _copy(other, PAID, SOMEONE_ELSE).status_code == 429


def test_an_older_database_gets_empty_units_and_the_payer_by_name(tmp_path: Path):
    path = tmp_path / "hall.sqlite3"
    with make_schema_3(path) as conn:
        conn.execute("INSERT INTO citizens VALUES ('350203194803120021', '林秀英', 'resident', NULL, NULL, NULL)")
        conn.execute("INSERT INTO citizens VALUES ('350206199607210013', '王晓明', 'resident', NULL, NULL, NULL)")
        conn.execute("INSERT INTO citizens VALUES ('350211197004050016', '王晓明', 'resident', NULL, NULL, NULL)")
        conn.execute("INSERT INTO notices VALUES ('3502002611000009', '不动产登记费', 'Property fee', '林秀英', 8000, "
                     "'2026-12-31', 'paid')")
        conn.execute("INSERT INTO notices VALUES ('3502002611000010', '驾驶证工本费', 'Licence fee', '王晓明', 1000, "
                     "'2026-12-31', 'unpaid')")
    conn.close()
    db = Database(path)
    try:
        with db.read() as tx:
            rows = {r["number"]: r for r in tx.all("SELECT * FROM notices")}
    finally:
        db.close()
    assert rows["3502002611000009"]["collecting_unit_zh"] == "" and rows["3502002611000009"]["collecting_unit_code"] == ""
    assert rows["3502002611000009"]["payer_id_number"] == "350203194803120021"
    assert rows["3502002611000010"]["payer_id_number"] == ""  # two citizens of that name: nobody guessed
    assert isinstance(sqlite3.connect(path).execute("SELECT version_num FROM alembic_version").fetchone()[0], str)


def test_an_order_from_an_older_gateway_reads_without_a_unit():
    order = Order.model_validate({"order_id": "PO20261118000000000001", "notice_number": UNPAID, "item_zh": "费",
                                  "amount_fen": 100, "status": "paid", "created_at": "x", "expires_at": "y",
                                  "pay_url": "http://h/c"})
    assert order.collecting_unit_zh == "" and order.collecting_unit_code == ""
