"""Receipts as data, and the templates the kiosk prints: queue ticket, lookup result, payment, test page.

A ``Receipt`` is a list of blocks (text, label/value rows, rules, QR codes, feeds, a cut). The
layout engine wraps text to the profile's width (a Chinese character takes two columns; double
size halves the columns) and ``devices.printer.escpos_output`` turns it into bytes.

Templates take strings that are already masked: this module never sees a full ID number unless
the caller passes one, and it does no masking of its own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from devices.printer.profile import PrinterProfile
from devices.printer.text import display_width, wrap

Align = Literal["left", "center", "right"]


@dataclass(frozen=True)
class Text:
    text: str
    align: Align = "left"
    bold: bool = False
    double: bool = False  # double width and height (ticket numbers)


@dataclass(frozen=True)
class Row:
    """``label`` on the left, ``value`` on the right; the value moves below when both do not fit."""

    label: str
    value: str


@dataclass(frozen=True)
class Rule:
    char: str = "-"


@dataclass(frozen=True)
class QrCode:
    payload: str
    caption: str = ""


@dataclass(frozen=True)
class Feed:
    lines: int = 1


@dataclass(frozen=True)
class Cut:
    partial: bool = False


Block = Text | Row | Rule | QrCode | Feed | Cut


@dataclass
class Receipt:
    """What to print. ``kind`` names the template (for statistics and logs; never personal)."""

    kind: str
    blocks: list[Block] = field(default_factory=list)

    def add(self, *blocks: Block) -> Receipt:
        self.blocks.extend(blocks)
        return self

    def close(self, closing: str, *, notes: tuple[str, ...] = (), qr_url: str = "", qr_caption: str = "") -> Receipt:
        """The end every citizen's receipt shares: notes, the QR code if any, a closing line, feed and cut."""
        self.add(*(Text(note) for note in notes))
        if qr_url:
            self.add(QrCode(qr_url, qr_caption))
        return self.add(Text(closing, "center"), Feed(2), Cut())


@dataclass(frozen=True)
class PrintLine:
    """One physical line after layout."""

    text: str
    align: Align = "left"
    bold: bool = False
    double: bool = False


LaidOut = PrintLine | QrCode | Feed | Cut


def lay_out(receipt: Receipt, profile: PrinterProfile) -> list[LaidOut]:
    """Wrap every block to the profile's width; the result fits the paper line by line."""
    out: list[LaidOut] = []
    columns = profile.columns
    for block in receipt.blocks:
        if isinstance(block, Text):
            width = columns // 2 if block.double else columns
            out.extend(
                PrintLine(line, block.align, block.bold, block.double) for line in wrap(block.text, width)
            )
        elif isinstance(block, Row):
            out.extend(_row(block, columns))
        elif isinstance(block, Rule):
            out.append(PrintLine(block.char * (columns // max(1, display_width(block.char)))))
        elif isinstance(block, QrCode):
            out.append(block)
            if block.caption:
                out.extend(PrintLine(line, "center") for line in wrap(block.caption, columns))
        else:
            out.append(block)
    return out


def _row(row: Row, columns: int) -> list[PrintLine]:
    label = row.label + "："
    gap = columns - display_width(label) - display_width(row.value)
    if gap >= 1:
        return [PrintLine(label + " " * gap + row.value)]
    lines = [PrintLine(line) for line in wrap(label, columns)]
    lines += [PrintLine(line, "right") for line in wrap(row.value, columns - 2)]
    return lines


# --- templates ----------------------------------------------------------------------------------


def framed(receipt: Receipt, header: tuple[str, ...] = (), footer: tuple[str, ...] = ()) -> Receipt:
    """``receipt`` with fixed lines above it and below its last line (before the closing feed and cut).

    The lines are plain text the hall's configuration chose (e.g. the centre's name, a hotline);
    they are printed centred, each wrapped to the paper. With no lines the receipt is returned as is.
    """
    if not header and not footer:
        return receipt
    blocks = list(receipt.blocks)
    end = len(blocks)
    while end > 0 and isinstance(blocks[end - 1], Feed | Cut):
        end -= 1
    top: list[Block] = [Text(line, "center") for line in header]
    if top:
        top.append(Rule())
    bottom: list[Block] = [Rule(), *(Text(line, "center") for line in footer)] if footer else []
    return Receipt(receipt.kind, [*top, *blocks[:end], *bottom, *blocks[end:]])



def _stamp(moment: dt.datetime) -> str:
    return f"{moment:%Y-%m-%d %H:%M:%S}"


def queue_ticket(
    *,
    hall: str,
    service: str,
    ticket_number: str,
    waiting_ahead: int,
    issued_at: dt.datetime,
    window: str = "",
    qr_url: str = "",
    notes: tuple[str, ...] = (),
) -> Receipt:
    """A queue ticket: hall, service, the number in double size, people ahead, an optional QR to follow the queue."""
    receipt = Receipt("queue_ticket")
    receipt.add(Text(hall, "center", bold=True), Text("排队号 Queue ticket", "center"), Rule())
    receipt.add(Text(ticket_number, "center", bold=True, double=True), Feed())
    receipt.add(Row("业务 Service", service), Row("前面等候 Waiting ahead", f"{waiting_ahead} 人"))
    if window:
        receipt.add(Row("办理窗口 Window", window))
    receipt.add(Row("取号时间 Issued", _stamp(issued_at)), Rule())
    return receipt.close("过号请重新取号。Missed your turn? Take a new ticket.", notes=notes, qr_url=qr_url,
                         qr_caption="扫码查看排队进度 Scan to follow the queue")


def lookup_result(
    *,
    title: str,
    citizen: str,
    id_number: str,
    rows: list[tuple[str, str]],
    issued_at: dt.datetime,
    source: str = "",
    qr_url: str = "",
    notes: tuple[str, ...] = (),
) -> Receipt:
    """A lookup result (social security, property, population). ``citizen`` and ``id_number`` come masked."""
    receipt = Receipt("lookup_result")
    receipt.add(Text(title, "center", bold=True), Rule())
    receipt.add(Row("姓名 Name", citizen), Row("证件号码 ID", id_number), Rule())
    for label, value in rows:
        receipt.add(Row(label, value))
    receipt.add(Rule())
    if source:
        receipt.add(Row("数据来源 Source", source))
    receipt.add(Row("打印时间 Printed", _stamp(issued_at)))
    return receipt.close("本凭条仅供查询参考。For reference only.", notes=notes, qr_url=qr_url,
                         qr_caption="扫码核验 Scan to verify")


def payment_receipt(
    *,
    notice_number: str,
    item: str,
    payer: str,
    amount: str,
    paid_at: dt.datetime,
    transaction_id: str,
    method: str = "",
    qr_url: str = "",
    terminal: str = "",
    collecting_unit: str = "",
    collecting_unit_code: str = "",
    reprinted_at: dt.datetime | None = None,
) -> Receipt:
    """A payment receipt for a non-tax notice (非税缴款). ``payer`` comes masked; ``amount`` as text, e.g. ``80.00``;
    ``terminal`` is the kiosk that printed it (its fleet id); ``collecting_unit`` the notice's 执收单位 (no line
    when unknown); ``reprinted_at`` marks a copy printed again for its payer (补打) and when."""
    receipt = Receipt("payment_receipt_copy" if reprinted_at else "payment_receipt")
    receipt.add(Text("非税收入缴款凭条", "center", bold=True), Text("Payment receipt", "center"))
    if reprinted_at is not None:
        receipt.add(Text("【补打 Reprint】", "center", bold=True), Text(f"补打时间 Reprinted {_stamp(reprinted_at)}", "center"))
    receipt.add(Rule())
    receipt.add(Row("缴款通知书号 Notice", notice_number), Row("项目 Item", item))
    if collecting_unit:
        receipt.add(Row("执收单位 Collecting unit", collecting_unit))
        if collecting_unit_code:
            receipt.add(Row("执收单位编码 Unit code", collecting_unit_code))
    receipt.add(Row("缴款人 Payer", payer))
    receipt.add(Text(f"金额 Amount：￥{amount}", "center", bold=True, double=True))
    if method:
        receipt.add(Row("支付方式 Paid by", method))
    receipt.add(
        Row("交易流水号 Transaction", transaction_id), Row("缴款时间 Paid at", _stamp(paid_at)),
    )
    if terminal:
        receipt.add(Row("终端编号 Terminal", terminal))
    receipt.add(Rule())
    return receipt.close("请妥善保管本凭条。Please keep this receipt.", qr_url=qr_url,
                         qr_caption="扫码查验电子票据 Scan for the e-receipt")


TEST_PAGE_TEXT = "中文测试：全角标点，。、；：？！“”‘’（）《》【】——……￥"


def printer_test_page(
    profile: PrinterProfile, *, now: dt.datetime, kiosk: str = "", qr_url: str = ""
) -> Receipt:
    """The technician's test page: Chinese text, full-width punctuation, widths, a QR code and a cut."""
    receipt = Receipt("test_page")
    receipt.add(Text("打印机自检 Printer test", "center", bold=True), Rule("="))
    receipt.add(Row("型号配置 Profile", profile.name), Row("纸宽 Paper", f"{profile.paper_width_mm} mm"))
    receipt.add(
        Row("每行字数 Columns", str(profile.columns)),
        Row("二维码 QR", "native" if profile.native_qr else "raster"),
    )
    if kiosk:
        receipt.add(Row("终端 Kiosk", kiosk))
    receipt.add(Row("时间 Time", _stamp(now)), Rule())
    receipt.add(Text(TEST_PAGE_TEXT))
    receipt.add(Text("1234567890" * (profile.columns // 10 + 1)))
    receipt.add(Text("厦门市行政服务中心欢迎您" * 2))
    receipt.add(Text("A001", "center", bold=True, double=True))
    receipt.add(QrCode(qr_url or "https://zwfw.xm.gov.cn/", "二维码测试 QR test"), Rule("="), Feed(2), Cut())
    return receipt
