"""Sample cards and answers for showing the lookup screens without a network or devices (``kiosk tour``).

The people are the fictional demo citizens of docs/demo-data.md; the answers have the contract's
shapes. A :class:`SampleEnvironment` can hold a slow call or a print job so the tour can show the
"please wait" states, and can make the gateway, the printer or the outbox fail on demand.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from contract.lookups import months_before
from devices.idcard.card import CardType, IdCard
from kiosk.gateway_client.documents import Certificate
from kiosk.hardware.print_outcome import PrintOutcome
from kiosk.journeys.base import JourneyEnv
from kiosk.shell.worker import ImmediateCalls


def sample_card(key: str = "elderly") -> IdCard:
    """A demo citizen's card: elderly, young, hk (J permit), foreigner (Y card), expired."""
    cards = {
        "elderly": IdCard(CardType.RESIDENT, "林秀英", "female", dt.date(1948, 3, 12), "350203194803120021",
                          dt.date(2015, 6, 1), None, nation="汉", address="福建省厦门市思明区鹭江道100号",
                          authority="厦门市公安局思明分局"),
        "young": IdCard(CardType.RESIDENT, "王晓明", "male", dt.date(1996, 7, 21), "350206199607210013",
                        dt.date(2016, 8, 10), dt.date(2036, 8, 10), nation="汉",
                        address="福建省厦门市湖里区仙岳路4688号", authority="厦门市公安局湖里分局"),
        "hk": IdCard(CardType.HMT_RESIDENCE, "陈嘉欣", "female", dt.date(1995, 8, 15), "810000199508152024",
                     dt.date(2024, 3, 1), dt.date(2029, 3, 1), address="香港特别行政区"),
        "foreigner": IdCard(CardType.FOREIGNER_2023, "玛丽亚", "female", dt.date(1988, 6, 12), "931840198806120010",
                            dt.date(2023, 12, 1), dt.date(2033, 11, 30), name_en="GARCIA LOPEZ, MARIA"),
        "expired": IdCard(CardType.RESIDENT, "张建国", "male", dt.date(1970, 4, 5), "350211197004050016",
                          dt.date(2004, 5, 1), dt.date(2024, 5, 1), nation="汉",
                          address="福建省厦门市集美区集美大道1号"),
    }
    return cards[key]


def _social_security(id_number: str, today: dt.date) -> dict[str, Any] | None:
    if id_number == "350203194803120021":
        return {"insured_status_zh": "退休，按月领取基本养老金", "insured_status_en": "Retired, receiving a monthly pension",
                "insured_since": "1968-09", "employer": "厦门第一纺织厂（已退休）", "months_paid": 372,
                "maternity_insured": False, "maternity_note_zh": "退休人员不参加生育保险",
                "maternity_note_en": "Retired people are not covered by maternity insurance",
                "card_status_zh": "正常使用（第三代社保卡）", "card_status_en": "In use (third-generation card)",
                "card_number_masked": "E3502****1127", "pension_monthly_fen": 356_000, "contributions": []}
    if id_number == "350206199607210013":
        months = months_before(today, 24)
        return {"insured_status_zh": "正常参保缴费（职工）", "insured_status_en": "Insured and contributing (employee)",
                "insured_since": months[0], "employer": "厦门鹭岛软件有限公司", "months_paid": 24,
                "maternity_insured": True, "maternity_note_zh": "生育保险正常参保，可享受生育津贴和医疗费用报销",
                "maternity_note_en": "Covered by maternity insurance: allowance and medical costs reimbursed",
                "card_status_zh": "正常使用（第三代社保卡）", "card_status_en": "In use (third-generation card)",
                "card_number_masked": "E3502****4410", "pension_monthly_fen": None,
                "contributions": [{"month": m, "insurances": ["pension", "medical", "unemployment", "injury", "maternity"],
                                   "base_fen": 800_000, "personal_fen": 84_000, "employer_fen": 189_600,
                                   "employer": "厦门鹭岛软件有限公司"} for m in months]}
    return None


_PROPERTIES = {
    "350203194803120021": [
        {"certificate_number": "闽(2016)厦门市不动产权第0031245号", "address": "福建省厦门市思明区鹭江道100号702室",
         "floor_area_m2": 89.52, "use_zh": "住宅", "use_en": "residential", "registered_on": "2016-05-12",
         "share_zh": "单独所有", "mortgaged": False, "seized": False},
        {"certificate_number": "闽(2019)厦门市不动产权第0107733号", "address": "福建省厦门市思明区中山路218号101室",
         "floor_area_m2": 32.4, "use_zh": "商业服务", "use_en": "commercial", "registered_on": "2019-11-08",
         "share_zh": "单独所有", "mortgaged": True, "seized": False}],
}
_HOUSEHOLDS = {
    "350203194803120021": {
        "household_number": "350203001288", "relation_zh": "户主", "relation_en": "head of household",
        "registered_address": "福建省厦门市思明区鹭江道100号", "police_station": "厦门市公安局思明分局鹭江派出所",
        "household_type_zh": "城镇", "household_type_en": "urban", "moved_in_on": "1982-04-16",
        "ethnicity_zh": "汉族", "marital_status_zh": "丧偶", "marital_status_en": "widowed"},
}


class SampleUnreachable(ConnectionError):
    """The sample gateway playing "the network is down"."""


class SampleGateway:
    """Answers the three lookups from the sample data; ``error`` makes the next calls fail."""

    def __init__(self, today: dt.date) -> None:
        self.today = today
        self.error: BaseException | None = None
        self._sequence = 0

    def _reply(self, prefix: str, field_name: str, record: Any) -> dict[str, Any]:
        if self.error is not None:
            raise self.error
        if not record:
            return {"status": "no_record", "message_zh": "未查询到您在本市的记录。",
                    "message_en": "No record in Xiamen was found for you."}
        self._sequence += 1
        number = f"XMZW-{prefix}-{self.today:%Y%m%d}-{self._sequence:06d}"
        return {"status": "found", "message_zh": "已查询到。", "message_en": "Found.", field_name: record,
                "document": {"number": number, "verify_url": f"https://zwfw.xm.gov.cn/verify/{number}",
                             "issued_at": f"{self.today.isoformat()}T10:00:00+08:00"}}

    def lookup_social_security(self, id_number: str, card_type: str) -> dict[str, Any]:
        return self._reply("SS", "record", _social_security(id_number, self.today))

    def lookup_property(self, id_number: str, card_type: str) -> dict[str, Any]:
        return self._reply("BDC", "properties", _PROPERTIES.get(id_number))

    def lookup_population(self, id_number: str, card_type: str) -> dict[str, Any]:
        return self._reply("RK", "household", _HOUSEHOLDS.get(id_number))

    def certificate(self, kind: str, id_number: str, card_type: str = "resident",
                    document_number: str | None = None) -> Certificate:
        """A stand-in for the signed PDF (the tour shows the pages, it prints nothing)."""
        if self.error is not None:
            raise self.error
        return Certificate(b"%PDF-1.7 sample", 2, document_number or "XMZW-SS-00000000-000000", "SAMP-LE00")

    def create_result_link(self, request: dict[str, Any]) -> Any:
        """A link of the gateway's shape (the request checked against the contract, as the gateway would)."""
        from contract.result_links import LINK_TTL_S, ResultLink, ResultLinkRequest

        if self.error is not None:
            raise self.error
        ResultLinkRequest.model_validate(request)
        return ResultLink(url="http://127.0.0.1:8765/r/" + secrets.token_urlsafe(32), ttl_s=LINK_TTL_S,
                          expires_at=f"{self.today.isoformat()}T10:10:00+08:00")


class SamplePrinterTrouble(RuntimeError):
    def citizen_message(self, language: str = "zh") -> str:
        return "打印机缺纸，打印没有完成。" if language == "zh" else "The printer ran out of paper; printing did not finish."


@dataclass
class SampleDevices:
    printable: bool = True
    hold: bool = False
    fail: bool = False
    pending: list[Callable[[PrintOutcome], None]] = field(default_factory=list)

    def can_print(self) -> bool:
        return self.printable

    def print_receipt(self, receipt: Any, callback: Callable[[PrintOutcome], None]) -> None:
        if self.hold:
            self.pending.append(callback)
        else:
            callback(PrintOutcome.failed(SamplePrinterTrouble("sample paper out")) if self.fail else PrintOutcome.done())

    # the A4 printer: its job is always kept (``a4_pending``: progress, callback) for the tour to answer
    a4_printable: bool = True
    a4_pending: list[tuple[Callable[[int, int], None], Callable[[PrintOutcome], None]]] = field(default_factory=list)

    def a4_configured(self) -> bool:
        return True

    def can_print_a4(self) -> bool:
        return self.a4_printable

    def print_certificate(self, document: bytes, *, pages: int, name: str, on_progress: Callable[[int, int], None],
                          callback: Callable[[PrintOutcome], None]) -> None:
        self.a4_pending.append((on_progress, callback))


@dataclass
class SampleOutbox:
    fail: bool = False
    entries: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    def append(self, kind: str, payload: dict[str, Any], *, idempotency_key: str | None = None) -> dict[str, Any]:
        if self.fail:
            raise OSError("sample outbox refuses")
        self.entries.append((kind, dict(payload)))
        return {"key": f"sample-{len(self.entries)}"}


class SampleCalls(ImmediateCalls):
    """Runs work at once, or keeps it (``hold``) until :meth:`release` so "please wait" can be shown."""

    def __init__(self) -> None:
        self.hold = False
        self.held: list[tuple[Callable[[], Any], Callable[[Any], None], Callable[[BaseException], None] | None]] = []

    def submit(self, fn: Callable[[], Any], on_done: Callable[[Any], None],
               on_error: Callable[[BaseException], None] | None = None) -> None:
        if self.hold:
            self.held.append((fn, on_done, on_error))
            return
        super().submit(fn, on_done, on_error)

    def release(self) -> None:
        self.hold = False
        held, self.held = self.held, []
        for fn, on_done, on_error in held:
            self.submit(fn, on_done, on_error)


def sample_environment(base: JourneyEnv) -> JourneyEnv:
    """``base`` with sample gateway, devices, outbox and holdable calls in place of the real ones."""
    today = base.clock.now().date()
    return JourneyEnv(
        settings=base.settings, catalogue=base.catalogue, session=base.session, calls=SampleCalls(),
        gateway=SampleGateway(today), devices=SampleDevices(), outbox=SampleOutbox(), clock=base.clock,
        online=lambda: True,
    )
