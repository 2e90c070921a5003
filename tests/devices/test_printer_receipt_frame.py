"""Fixed header and footer lines around any receipt (the hall's configuration chooses them)."""

from __future__ import annotations

import datetime as dt

from devices.printer.layout import Cut, Feed, PrintLine, Receipt, Rule, Text, framed, lay_out, queue_ticket
from devices.printer.profile import PROFILES


def ticket() -> Receipt:
    return queue_ticket(hall="厦门市行政服务中心", service="社会保障卡申领", ticket_number="A001", waiting_ahead=3,
                        issued_at=dt.datetime(2026, 11, 25, 9, 30))


def test_no_lines_leave_the_receipt_as_it_was():
    receipt = ticket()
    assert framed(receipt) is receipt


def test_header_on_top_footer_after_the_last_line_and_before_the_feed_and_cut():
    receipt = framed(ticket(), ("思明区第三自助区", "Zone 3"), ("谢谢", "Thank you"))
    assert receipt.kind == "queue_ticket"
    assert receipt.blocks[:3] == [Text("思明区第三自助区", "center"), Text("Zone 3", "center"), Rule()]
    assert receipt.blocks[-5:] == [Rule(), Text("谢谢", "center"), Text("Thank you", "center"), Feed(2), Cut()]
    assert len(receipt.blocks) == len(ticket().blocks) + 6


def test_lines_wider_than_a_58mm_roll_wrap_instead_of_running_off_the_paper():
    profile = PROFILES["58mm"]
    line = "厦门市行政服务中心思明区第三自助服务区欢迎您"  # 44 columns, a 58 mm roll has fewer
    laid = lay_out(framed(Receipt("test", [Text("x")]), (line,)), profile)
    texts = [p.text for p in laid if isinstance(p, PrintLine)]
    assert "".join(texts[:2]) == line and all(len(t) * 2 <= profile.columns for t in texts[:2])
