"""Receipt layout and bytes: width-aware wrapping, Chinese mode, substitution, templates decoded back."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
import zxingcpp
from hypothesis import given, settings
from hypothesis import strategies as st

from devices.errors import DeviceInitialisationError
from devices.printer import layout
from devices.printer.escpos_output import build_job
from devices.printer.profile import PROFILES, profile_from_mapping, profile_named
from devices.printer.status import Paper, decode
from devices.printer.text import SUBSTITUTE, display_width, encode_chinese, printable, wrap
from devices.simulators.escpos_parser import EscPosParser, PrintedCut, PrintedImage, PrintedLine, PrintedQr

NOW = dt.datetime(2026, 11, 25, 9, 30, 0)


def parse(data: bytes, chunk: int = 0) -> list:
    items: list = []
    parser = EscPosParser(items.append)
    if chunk:
        for i in range(0, len(data), chunk):
            parser.feed(data[i : i + chunk])
    else:
        parser.feed(data)
    assert parser.report.non_chinese_bytes == 0 and parser.report.unknown_commands == []
    return items


def test_chinese_and_ambiguous_punctuation_take_two_columns() -> None:
    assert display_width("中文") == 4 and display_width("A1") == 2
    assert display_width("“”—…·") == 10  # printed in full-width cells in Chinese mode


@pytest.mark.parametrize("columns", [16, 32, 48])
def test_wrapping_keeps_every_line_within_the_width(columns: int) -> None:
    text = "您好，欢迎使用厦门市行政服务中心自助终端。Please keep this ticket and wait for your number."
    lines = wrap(text, columns)
    assert all(display_width(line) <= columns for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert not any(line.startswith(("，", "。")) for line in lines)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("中文字，。 abc XYZ1（）"), max_size=120), st.integers(4, 48))
def test_wrap_property_width_and_content(text: str, columns: int) -> None:
    lines = wrap(text, columns)
    assert all(display_width(line) <= columns for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace("\n", "").replace(" ", "")


def test_unprintable_characters_are_substituted_visibly_and_logged(caplog) -> None:
    with caplog.at_level(logging.WARNING, logger="devices.printer"):
        encoded = encode_chinese("王㐀明\x07")
    assert encoded.substituted == ["㐀", "\x07"]
    assert encoded.data.startswith(b"\x1c&") and encoded.data.endswith(b"\x1c.")
    text = encoded.data[2:-2].decode("gb18030")
    assert text == f"王{SUBSTITUTE}明{SUBSTITUTE}" and "?" not in text
    assert "U+3400" in caplog.text and "2 character" in caplog.text
    assert printable("㐀", four_byte=True) == ("㐀", [])


def test_status_bytes_decode() -> None:
    ready = decode(0x12, 0x12, 0x12, 0x12)
    assert ready.ready and ready.paper == Paper.OK and ready.problem() is None
    near = decode(0x12, 0x12, 0x12, 0x1E)
    assert near.ready and near.paper == Paper.NEAR_END
    out = decode(0x1A, 0x32, 0x12, 0x72)
    assert not out.ready and out.paper == Paper.OUT and out.problem() == "paper out"
    cover = decode(0x1A, 0x16, 0x12, 0x12)
    assert cover.cover_open and cover.problem() == "cover open"
    assert decode(0x12, 0x12, 0x1A, 0x12).problem() == "cutter error"
    with pytest.raises(ValueError, match="not a status byte"):
        decode(0x00, 0x12, 0x12, 0x12)


def test_profiles_from_configuration_name_the_bad_key() -> None:
    custom = profile_from_mapping({"base": "58mm", "native_qr": False, "line_height_mm": 4})
    assert custom.columns == 32 and not custom.native_qr and custom.line_height_mm == 4.0
    with pytest.raises(DeviceInitialisationError, match="colums"):
        profile_from_mapping({"colums": 40})
    with pytest.raises(DeviceInitialisationError, match="cutter.*bool"):
        profile_from_mapping({"cutter": "yes"})
    with pytest.raises(DeviceInitialisationError, match="known: 58mm"):
        profile_named("76mm")


def ticket() -> layout.Receipt:
    return layout.queue_ticket(
        hall="厦门市行政服务中心", service="社保卡补办（市社保中心）", ticket_number="A023", waiting_ahead=5,
        issued_at=NOW, window="12号窗口", qr_url="https://zwfw.xm.gov.cn/queue/A023",
    )  # fmt: skip


@pytest.mark.parametrize("profile_name", ["58mm", "80mm"])
def test_queue_ticket_bytes_decode_back_to_the_text_and_qr(profile_name: str) -> None:
    profile = PROFILES[profile_name]
    job = build_job(ticket(), profile)
    items = parse(job.data, chunk=7)  # commands split across reads
    lines = [i for i in items if isinstance(i, PrintedLine)]
    texts = [line.text for line in lines]
    assert "厦门市行政服务中心" in texts
    number = next(line for line in lines if line.text == "A023")
    assert number.double_width and number.double_height and number.align == "center" and number.bold
    assert any("社保卡补办（市社保中心）" in t for t in texts)  # full-width brackets survive
    assert all(display_width(t) <= profile.columns for t in texts)
    assert "\ufffd" not in "".join(texts) and "??" not in "".join(texts)
    assert [i.payload for i in items if isinstance(i, PrintedQr)] == ["https://zwfw.xm.gov.cn/queue/A023"]
    assert isinstance(items[-1], PrintedCut) and job.cuts == 1
    assert job.qr_payloads == ["https://zwfw.xm.gov.cn/queue/A023"]


def test_raster_qr_decodes_with_a_real_reader() -> None:
    profile = PROFILES["80mm-raster-qr"]
    receipt = layout.payment_receipt(
        notice_number="3502002611000002", item="不动产登记费", payer="林**", amount="80.00", paid_at=NOW,
        transaction_id="T20261125000123", qr_url="https://zwfw.xm.gov.cn/pay?notice=3502002611000002",
    )  # fmt: skip
    job = build_job(receipt, profile)
    items = parse(job.data)
    assert not any(isinstance(i, PrintedQr) for i in items)
    images = [i.image for i in items if isinstance(i, PrintedImage)]
    assert len(images) == 1 and images[0].width <= profile.dots_per_line
    decoded = zxingcpp.read_barcodes(images[0].convert("L"))
    assert [d.text for d in decoded] == ["https://zwfw.xm.gov.cn/pay?notice=3502002611000002"]
    texts = [i.text for i in items if isinstance(i, PrintedLine)]
    assert any("￥80.00" in t for t in texts) and any("林**" in t for t in texts)


def test_test_page_carries_full_width_punctuation_qr_and_cut() -> None:
    profile = PROFILES["58mm"]
    job = build_job(layout.printer_test_page(profile, now=NOW, kiosk="XM-HALL-07"), profile)
    items = parse(job.data)
    text = "".join(i.text for i in items if isinstance(i, PrintedLine))
    for mark in "，。、；：？！“”‘’（）《》【】—…￥":
        assert mark in text
    assert "XM-HALL-07" in text and job.substituted == []
    assert any(isinstance(i, PrintedQr) for i in items) and isinstance(items[-1], PrintedCut)


def test_lookup_result_rows_wrap_long_values() -> None:
    profile = PROFILES["58mm"]
    receipt = layout.lookup_result(
        title="不动产登记信息查询结果", citizen="林**", id_number="3502**********0021",
        rows=[("坐落", "福建省厦门市思明区鹭江道100号之一某某大厦二十三层2301室"), ("状态", "正常")],
        issued_at=NOW,
    )  # fmt: skip
    lines = [i.text for i in parse(build_job(receipt, profile).data) if isinstance(i, PrintedLine)]
    assert all(display_width(t) <= 32 for t in lines)
    assert "3502**********0021" in "".join(lines)
    joined = "".join(t.strip() for t in lines)
    assert "鹭江道100号之一某某大厦二十三层2301室" in joined


def test_no_cutter_profile_feeds_instead_of_cutting() -> None:
    profile = profile_from_mapping({"base": "58mm", "cutter": False})
    job = build_job(ticket(), profile)
    assert job.cuts == 0 and b"\x1dV" not in job.data
