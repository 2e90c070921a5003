"""The three personal lookups: social security (社保), property registry (不动产), population (人口信息).

One state machine serves all three; a subclass says which gateway endpoint it asks, which cards it
accepts and how its answer reads on screen and on paper. The citizen places their ID card, the
kiosk checks it (expired, wrong check digit, a card type this lookup does not serve), asks the
gateway with the card's ID number, and shows the answer masked, in pages sized by the screen.
From there the citizen prints it (document number and verification QR), asks for it by EMS to
the registered address, or takes the verification link on their phone.

States (``journey.state``)::

    waiting ─(no card for a while)─► reminder
       │ card placed                         problems, each with a next step:
       ▼                                       lifted, read_failed, refused, unsupported,
    reading ─► querying ─► results ◄─► choices  offline, failed
                   │                 │
                   └► no_record      ├► printing ─► printed | print_failed | print_unavailable
                                     ├► mail_confirm ─► mail_phone ─► mail_sending ─► mail_queued | mail_failed
                                     │   (mail_unavailable when there is no address to mail to)
                                     ├► phone_qr
                                     └► finished

Personal data (the card, the answer) lives in this object and in the citizen session only; it is
never cached, never logged, and forgotten by :meth:`finish` and :meth:`cancel`.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from contract.lookups import PopulationAnswer, PropertyAnswer, SocialSecurityAnswer
from devices.idcard.card import CardRefused, CardType
from kiosk.journeys.base import Journey, Problem
from kiosk.shell.i18n import N_, _, catalogue, pick
from kiosk.system.privacy import mask_address, mask_id_number, mask_name

log = logging.getLogger("kiosk.journeys")

# A read error followed by the card leaving the reader within this many seconds means the
# citizen lifted it while it was being read (the reader cannot tell the two apart itself).
LIFT_WINDOW_S = 2.0
# Columns of text a value takes before it wraps on the result page (at the elderly type size).
VALUE_COLUMNS = 36
PHONE_PATTERN = re.compile(r"^1[3-9]\d{9}$")

CARD_STATES = ("waiting", "reminder", "lifted", "read_failed", "refused", "unsupported")
PROBLEM_STATES = ("lifted", "read_failed", "refused", "unsupported", "offline", "failed",
                  "print_failed", "print_unavailable", "mail_failed", "mail_unavailable")


# --- what the screen shows: rows, sections, pages --------------------------------------------


@dataclass(frozen=True)
class Row:
    """One fact: a label (a message id, translated where shown) and its value, already masked."""

    label: str
    value: str
    warn: bool = False  # draw attention (mortgaged, seized)

    @property
    def lines(self) -> int:
        """Screen lines the value needs (a Chinese character is two columns wide)."""
        columns = sum(2 if ord(c) > 0x2E7F else 1 for c in self.value)
        return 1 + max(0, columns - 1) // VALUE_COLUMNS


@dataclass(frozen=True)
class Section:
    """A group of facts under a heading, or a table (``columns`` set, ``cells`` one list per line)."""

    heading: str
    rows: tuple[Row, ...] = ()
    columns: tuple[str, ...] = ()
    cells: tuple[tuple[str, ...], ...] = ()

    @property
    def size(self) -> int:
        """Lines it takes on screen: two for its heading and frame, one per row (long values more)."""
        if self.columns:
            return 3 + len(self.cells)
        return 2 + sum(row.lines for row in self.rows)


@dataclass(frozen=True)
class Page:
    sections: tuple[Section, ...]


def paginate(sections: Sequence[Section], capacity: int) -> list[Page]:
    """Pack sections into pages of at most ``capacity`` lines; tables split, fact groups do not.

    A fact group bigger than a page gets a page of its own (the screen scrolls it); a table is cut
    into pieces that each fit, and every piece repeats the table's heading and columns.
    """
    capacity = max(6, capacity)
    pieces: list[Section] = []
    for section in sections:
        if section.columns and section.size > capacity:
            per_page = capacity - 3
            for start in range(0, len(section.cells), per_page):
                pieces.append(Section(section.heading, columns=section.columns,
                                      cells=section.cells[start:start + per_page]))
        else:
            pieces.append(section)
    pages: list[list[Section]] = [[]]
    used = 0
    for piece in pieces:
        if pages[-1] and used + piece.size > capacity:
            pages.append([])
            used = 0
        pages[-1].append(piece)
        used += piece.size
    return [Page(tuple(page)) for page in pages if page] or [Page(())]


# --- paper ---------------------------------------------------------------------------------------


def bilingual_label(message: str) -> str:
    """``姓名 Name``: the receipt's labels carry both languages (the printer templates do the same)."""
    english = catalogue("en").get(message, "")
    return f"{message} {english}" if english and english != message else message


def yuan(fen: int) -> str:
    return f"{fen / 100:,.2f}"


# --- the journey ---------------------------------------------------------------------------------


@dataclass
class Mailing:
    """What the citizen chose for EMS mailing (kept only until the request is queued)."""

    address: str = ""
    phone: str = ""


class LookupJourney(Journey):
    """Base of the three lookups; see the module docstring for the states."""

    name = "lookup"
    needs_card = True
    # set by subclasses
    title_zh = ""
    gateway_method = ""
    answer_model: type[BaseModel] = BaseModel
    accepted_cards: frozenset[CardType] = frozenset(CardType)
    default_service_id = ""
    source = ""

    def __init__(self, env, service=None) -> None:
        super().__init__(env, service)
        self.card: Any = None
        self.answer: Any = None
        self.card_on_reader = False
        self.page = 0
        self.capacity = 12
        self.mailing = Mailing()
        self.mailing_receipt: Any = None
        self._read_error_at: dt.datetime | None = None

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self) -> None:
        self.go("waiting")

    def cancel(self) -> None:
        self.forget()
        super().cancel()

    def forget(self) -> None:
        """Drop every personal thing this journey holds (card, answer, mailing details)."""
        card, self.card = self.card, None
        self.answer = None
        self.mailing = Mailing()
        self.mailing_receipt = None
        self.page = 0
        session = self.env.session
        session.data.pop(self.name, None)
        if card is not None and session.card is card:
            session.card = None
        if card is not None and hasattr(card, "release"):
            card.release()

    @property
    def service_id(self) -> str:
        return self.service.id if self.service is not None else self.default_service_id

    def title(self) -> str:
        return _(self.title_zh)

    # -- the card --------------------------------------------------------------------------------
    def remind(self) -> None:
        """No card has come for a while (the screen's timer says so): a gentle reminder."""
        if self.state == "waiting":
            self.go("reminder")

    def on_card_reading(self) -> None:
        """The reader has found a card and is reading it (for a hub that reports this)."""
        if self.state in CARD_STATES:
            self.card_on_reader = True
            self.go("reading")

    def on_card(self, card: Any) -> None:
        self.card_on_reader = True
        if self.state not in CARD_STATES and self.state != "reading":
            return  # a card placed again while results are shown changes nothing
        self._read_error_at = None
        self.go("reading")
        refusal = self._refusal(card)
        if refusal is not None:
            self._release(card)
            self._refuse(refusal)
            return
        if card.card_type not in self.accepted_cards:
            self._release(card)
            self.fail(self._unsupported_problem(card.card_type), "unsupported")
            return
        self.card = card
        self.env.session.remember_card(card)
        self.query()

    def on_card_removed(self) -> None:
        self.card_on_reader = False
        if self.state == "reading":
            self.fail(self._lifted_problem(), "lifted")
        elif self.state == "read_failed" and self._read_error_at is not None:
            if (self.env.clock.now() - self._read_error_at).total_seconds() <= LIFT_WINDOW_S:
                self.fail(self._lifted_problem(), "lifted")
            self._read_error_at = None

    def on_card_error(self, error: BaseException) -> None:
        if self.state not in CARD_STATES and self.state != "reading":
            return
        if isinstance(error, CardRefused):
            self._refuse(error)
            return
        self._read_error_at = self.env.clock.now()
        self.fail(Problem.from_error(
            error, "请取下身份证，再将它平放在感应区，直到听到提示音。",
            "Lift the card, then lay it flat on the reader until you hear the beep.", code="read_failed",
        ), "read_failed")

    def _refusal(self, card: Any) -> CardRefused | None:
        refusal = getattr(card, "refusal", None)
        return refusal(self.env.clock.now().date()) if callable(refusal) else None

    def _refuse(self, refusal: CardRefused) -> None:
        self.fail(Problem.from_error(
            refusal, "人工服务台可以为您查询。", "The staff desk can look this up for you.", code=refusal.reason,
        ), "refused")

    def _unsupported_problem(self, card_type: CardType) -> Problem:
        return Problem("本查询只能使用居民身份证。", "This lookup needs a resident ID card.",
                       "请使用居民身份证，或到人工服务台咨询。",
                       "Please use a resident ID card, or ask at the staff desk.", code=f"card_type_{card_type}")

    @staticmethod
    def _lifted_problem() -> Problem:
        return Problem("身份证拿开得太早，没有读完。", "The card was lifted before it was read.",
                       "请把身份证重新平放在感应区，听到提示音后再拿开。",
                       "Lay the card on the reader again and keep it there until you hear the beep.",
                       code="lifted")

    @staticmethod
    def _release(card: Any) -> None:
        if hasattr(card, "release"):
            card.release()

    def retry(self) -> None:
        """Try again after a problem: ask the gateway again if the card was read, else wait for a card."""
        if self.card is not None and self.state in ("offline", "failed"):
            self.query()
        else:
            self.card = None
            self.go("waiting")

    # -- asking the gateway ----------------------------------------------------------------------
    def query(self) -> None:
        card = self.card
        if card is None:
            self.go("waiting")
            return
        gateway = self.env.gateway
        if gateway is None or not self.env.online():
            self.fail(self._offline_problem(), "offline")
            return
        self.go("querying")
        ask = getattr(gateway, self.gateway_method)
        id_number, card_type = card.id_number, str(card.card_type)
        self.call(lambda: ask(id_number, card_type), self._answered, self._query_failed)

    def _answered(self, raw: Any) -> None:
        try:
            answer = raw if isinstance(raw, self.answer_model) else self.answer_model.model_validate(
                raw.model_dump() if isinstance(raw, BaseModel) else raw)
        except ValidationError:
            log.error("%s: the gateway's answer does not match the contract", self.name)
            self.fail(Problem("查询结果无法显示。", "The result could not be shown.",
                              "请到人工服务台查询。", "Please ask at the staff desk.", code="bad_answer"))
            return
        self.answer = answer
        self.page = 0
        if answer.status != "found":
            self.go("no_record")
            return
        self.env.session.data[self.name] = answer
        self.go("results")

    def _query_failed(self, error: BaseException) -> None:
        if _unreachable(error):
            self.fail(self._offline_problem(), "offline")
        else:
            self.fail(Problem.from_error(
                error, "请稍后再试，或到人工服务台查询。", "Please try again later, or ask at the staff desk.",
            ), "failed")

    def _offline_problem(self) -> Problem:
        hotline = self.env.settings.kiosk.hotline
        return Problem(
            "暂时连不上查询系统。查询需要网络，请稍后再试。",
            "The lookup system cannot be reached right now. Lookups need the network; please try again later.",
            f"您也可以到人工服务台查询，或拨打24小时服务热线 {hotline}。",
            f"You can also ask at the staff desk, or call the 24-hour hotline {hotline}.", code="offline",
        )

    def no_record_message(self) -> str:
        answer = self.answer
        return pick(answer.message_zh, answer.message_en) if answer is not None else ""

    # -- what the screen shows --------------------------------------------------------------------
    def holder(self) -> str:
        """The card holder's name, masked."""
        card = self.card
        if card is None:
            return ""
        return mask_name(card.name or card.name_en)

    def id_masked(self) -> str:
        return mask_id_number(self.card.id_number) if self.card is not None else ""

    def sections(self) -> list[Section]:
        """The answer as sections in the current language, personal data masked."""
        if self.answer is None or self.answer.status != "found":
            return []
        return self._sections(self.answer)

    def _sections(self, answer: Any) -> list[Section]:
        raise NotImplementedError

    def set_page_capacity(self, lines: int) -> None:
        """How many lines fit on one page of the screen (fewer in elderly mode)."""
        if lines != self.capacity:
            self.capacity = lines
            self.page = 0

    def pages(self) -> list[Page]:
        return paginate(self.sections(), self.capacity)

    def current_page(self) -> Page:
        pages = self.pages()
        self.page = min(self.page, len(pages) - 1)
        return pages[self.page]

    def next_page(self) -> None:
        if self.page + 1 < len(self.pages()):
            self.page += 1
            self.go(self.state)

    def previous_page(self) -> None:
        if self.page > 0:
            self.page -= 1
            self.go(self.state)

    def show_results(self) -> None:
        if self.answer is not None and self.answer.status == "found":
            self.go("results")

    def show_choices(self) -> None:
        """Print, mail, or take to the phone."""
        if self.answer is not None and self.answer.status == "found":
            self.go("choices")

    @property
    def document(self) -> Any:
        return self.answer.document if self.answer is not None else None

    def verify_url(self) -> str:
        return self.document.verify_url if self.document is not None else ""

    def document_number(self) -> str:
        return self.document.number if self.document is not None else ""

    # -- printing ------------------------------------------------------------------------------
    def can_print(self) -> bool:
        devices = self.env.devices
        try:
            return bool(devices is not None and devices.can_print())
        except Exception:
            log.exception("%s: asking the printer whether it can print failed", self.name)
            return False

    def print_result(self) -> None:
        """Print the result with its document number and verification QR, if the printer can."""
        if self.document is None:
            return
        if not self.can_print():
            self.fail(Problem("打印机暂时不能打印。", "The printer cannot print right now.",
                              *self._other_ways(),
                              code="printer_unavailable"), "print_unavailable")
            return
        receipt = self.receipt()
        self.go("printing")
        try:
            self.env.devices.print_receipt(receipt, self._printed)
        except Exception as exc:  # the hub refused the job outright
            self._printed(exc)

    def _printed(self, *result: Any) -> None:
        """The hub's answer: a ``PrintOutcome`` (``printed``, ``error``), or None / an error / a bool."""
        if self.finished or self.state != "printing":
            return
        outcome = result[0] if result else None
        error: BaseException | None = None
        if isinstance(outcome, BaseException):
            ok, error = False, outcome
        elif outcome is None or isinstance(outcome, bool):
            ok = outcome is not False
        else:
            ok, error = bool(getattr(outcome, "printed", True)), getattr(outcome, "error", None)
        if ok:
            self.go("printed")
            return
        problem = Problem("打印没有完成，凭条可能不完整。", "Printing did not finish; the paper may be incomplete.",
                          *self._other_ways(),
                          code="print_failed")
        if error is not None and callable(getattr(error, "citizen_message", None)):
            problem = Problem(error.citizen_message("zh"), error.citizen_message("en"),
                              problem.next_zh, problem.next_en, code="print_failed")
        self.fail(problem, "print_failed")

    def receipt(self) -> Any:
        """The paper: masked name and ID, the facts, the document number and the verification QR."""
        from devices.printer.layout import lookup_result

        rows: list[tuple[str, str]] = [(bilingual_label(N_("文书编号")), self.document_number())]
        for section in self.sections():
            if section.columns:
                rows.append((section.heading, " | ".join(section.columns)))
                rows.extend(("", " | ".join(line)) for line in section.cells)
            else:
                for row in section.rows:
                    rows.append((bilingual_label(row.label), row.value))
        return self.framed(lookup_result(
            title=f"{self.title_zh} {catalogue('en').get(self.title_zh, '')}".strip(),
            citizen=self.holder(), id_number=self.id_masked(), rows=rows,
            issued_at=self.env.clock.now().replace(tzinfo=None), source=self.source,
            qr_url=self.verify_url(),
        ))

    # -- the phone ------------------------------------------------------------------------------
    def show_phone_qr(self) -> None:
        if self.document is not None:
            self.go("phone_qr")

    # -- EMS mailing ----------------------------------------------------------------------------
    def registered_address(self) -> str:
        """Where EMS mails by default: the registered (household) address on the card."""
        card = self.card
        if card is None or card.card_type != CardType.RESIDENT:
            return ""
        return (card.appended_address or card.address or "").strip()

    def can_mail(self) -> bool:
        """Whether this kiosk offers EMS mailing (the configuration bundle can switch it off)."""
        return self.env.ems_mailing

    def _other_ways(self) -> tuple[str, str]:
        """The next step when paper fails, naming mailing only where it is offered (zh, en)."""
        if self.can_mail():
            return ("您可以用手机扫码保存结果，或申请邮寄。",
                    "You can scan a code to keep the result on your phone, or have it mailed.")
        return "您可以用手机扫码保存结果。", "You can scan a code to keep the result on your phone."

    def start_mailing(self) -> None:
        if self.document is None or not self.can_mail():
            return
        address = self.registered_address()
        if len(address) < 6:
            self.fail(Problem("这张证件上没有可以邮寄的户籍地址。", "This card carries no registered address to mail to.",
                              "请到人工服务台登记邮寄地址，或用手机扫码保存结果。",
                              "Please give an address at the staff desk, or scan a code to keep the result.",
                              code="no_address"), "mail_unavailable")
            return
        self.mailing = Mailing(address=address)
        self.go("mail_confirm")

    def mailing_address_masked(self) -> str:
        return mask_address(self.mailing.address, keep=_district_end(self.mailing.address))

    def confirm_address(self) -> None:
        if self.state == "mail_confirm":
            self.go("mail_phone")

    def submit_phone(self, phone: str) -> None:
        """Take the courier's contact number (typed on the keypad) and queue the mailing request."""
        if self.state != "mail_phone":
            return
        digits = re.sub(r"\D", "", phone)
        if not PHONE_PATTERN.match(digits):
            self.problem = Problem("手机号码应为以1开头的11位数字。", "A mobile number has 11 digits and starts with 1.",
                                   code="bad_phone")
            self.go("mail_phone", self.problem)
            return
        self.mailing.phone = digits
        payload = {
            "document_number": self.document_number(),
            "recipient_name": (self.card.name or self.card.name_en).strip(),
            "phone": digits,
            "address": self.mailing.address,
        }
        self.go("mail_sending")
        self.call(lambda: self._send_mailing(payload), self._mailing_queued, self._mailing_failed)

    def _send_mailing(self, payload: dict[str, Any]) -> Any:
        outbox = self.env.outbox
        if outbox is not None:
            # the outbox keeps it safe and sends it when the gateway can take it
            return outbox.append("mailing", payload)
        sender = getattr(self.env.gateway, "request_mailing", None)
        if sender is None or not self.env.online():
            raise _NoWayToMail("neither the outbox nor the gateway can take a mailing request")
        return sender(payload)

    def _mailing_queued(self, receipt: Any) -> None:
        self.mailing_receipt = receipt
        self.go("mail_queued")

    def _mailing_failed(self, error: BaseException) -> None:
        log.warning("%s: mailing request not recorded: %s", self.name, type(error).__name__)
        self.fail(Problem("邮寄申请没有提交成功。", "The mailing request could not be recorded.",
                          "您可以打印结果、用手机扫码保存，或到人工服务台申请邮寄。",
                          "You can print the result, scan a code to keep it, or ask for mailing at the staff desk.",
                          code="mailing_failed"), "mail_failed")

    # -- the end ----------------------------------------------------------------------------------
    def finish(self) -> None:
        """The citizen is done: forget everything personal; the screen moves on to the rating."""
        self.forget()
        self.go("finished")


class _NoWayToMail(RuntimeError):
    def citizen_message(self, language: str = "zh") -> str:
        return "暂时无法提交邮寄申请。" if language == "zh" else "Mailing cannot be requested right now."


def _unreachable(error: BaseException) -> bool:
    """True when the gateway could not be reached at all (as opposed to answering with an error)."""
    return isinstance(error, (ConnectionError, TimeoutError)) or bool(getattr(error, "unreachable", False))


def _district_end(address: str) -> int:
    """Keep the province, city and district of an address (so the citizen recognises it), hide the rest."""
    for marker in ("区", "县", "市"):
        index = address.find(marker, 3)
        if 0 < index < 14 and marker != "市":
            return index + 1
    return 6


# --- the three lookups ------------------------------------------------------------------------

_INSURANCES = {"pension": N_("养老"), "medical": N_("医疗"), "unemployment": N_("失业"),
               "injury": N_("工伤"), "maternity": N_("生育")}


class SocialSecurityLookup(LookupJourney):
    """Insured status, contributions by month, maternity insurance and the social security card."""

    name = "social_security"
    title_zh = N_("社保参保缴费查询")
    gateway_method = "lookup_social_security"
    answer_model = SocialSecurityAnswer
    default_service_id = "ss-record-lookup"
    source = "厦门市社会保险中心"

    def _sections(self, answer: SocialSecurityAnswer) -> list[Section]:
        record = answer.record
        if record is None:
            return []
        status = [Row(N_("参保状态"), pick(record.insured_status_zh, record.insured_status_en))]
        if record.insured_since:
            status.append(Row(N_("参保时间"), record.insured_since))
        if record.employer:
            status.append(Row(N_("参保单位"), record.employer))
        status.append(Row(N_("累计缴费月数"), _("{months}个月").format(months=record.months_paid)))
        if record.pension_monthly_fen is not None:
            status.append(Row(N_("每月养老金"), _("{amount}元").format(amount=yuan(record.pension_monthly_fen))))
        maternity = [Row(N_("生育保险"), _("已参保") if record.maternity_insured else _("未参保"))]
        note = pick(record.maternity_note_zh, record.maternity_note_en)
        if note:
            maternity.append(Row(N_("说明"), note))
        card = [Row(N_("社保卡状态"), pick(record.card_status_zh, record.card_status_en) or _("无记录"))]
        if record.card_number_masked:
            card.append(Row(N_("社保卡号"), record.card_number_masked))
        sections = [Section(_("参保情况"), tuple(status)), Section(_("生育保险"), tuple(maternity)),
                    Section(_("社会保障卡"), tuple(card))]
        if record.contributions:
            lines = []
            for month in sorted(record.contributions, key=lambda c: c.month, reverse=True):
                kinds = set(month.insurances)
                if kinds >= set(_INSURANCES):
                    kinds_text = _("五险")
                else:
                    kinds_text = _("、").join(_(_INSURANCES[k]) for k in _INSURANCES if k in kinds)
                lines.append((month.month, kinds_text, yuan(month.base_fen), yuan(month.personal_fen),
                              yuan(month.employer_fen)))
            sections.append(Section(_("按月缴费记录（元）"),
                                    columns=(_("月份"), _("险种"), _("缴费基数"), _("个人缴纳"), _("单位缴纳")),
                                    cells=tuple(lines)))
        else:
            sections.append(Section(_("按月缴费记录（元）"), (Row(N_("缴费记录"), _("近期没有缴费记录")),)))
        return sections


class PropertyLookup(LookupJourney):
    """Each property in the citizen's name: certificate, address, area, use, date, mortgage and seizure."""

    name = "property"
    title_zh = N_("不动产权属查询")
    gateway_method = "lookup_property"
    answer_model = PropertyAnswer
    default_service_id = "prop-ownership-lookup"
    source = "厦门市国土房产档案中心"

    def _sections(self, answer: PropertyAnswer) -> list[Section]:
        sections = []
        total = len(answer.properties)
        for index, item in enumerate(answer.properties, start=1):
            rows = (
                Row(N_("不动产权证号"), item.certificate_number),
                Row(N_("坐落"), mask_address(item.address, keep=_district_end(item.address))),
                Row(N_("建筑面积"), _("{area}平方米").format(area=f"{item.floor_area_m2:.2f}")),
                Row(N_("用途"), pick(item.use_zh, item.use_en)),
                Row(N_("登记日期"), item.registered_on),
                Row(N_("共有情况"), _(item.share_zh) if item.share_zh else ""),
                Row(N_("抵押"), _("有抵押") if item.mortgaged else _("无抵押"), warn=item.mortgaged),
                Row(N_("查封"), _("已查封") if item.seized else _("未查封"), warn=item.seized),
            )
            sections.append(Section(_("第{index}处，共{total}处").format(index=index, total=total), rows))
        return sections


# Share kinds the registry uses (translated on screen through these ids).
_SHARES = (N_("单独所有"), N_("共同共有"), N_("按份共有"))


class PopulationLookup(LookupJourney):
    """Household registration (户籍) facts; only resident ID cards have them."""

    name = "population"
    title_zh = N_("人口信息查询")
    gateway_method = "lookup_population"
    answer_model = PopulationAnswer
    accepted_cards = frozenset({CardType.RESIDENT})
    default_service_id = "ps-population-lookup"
    source = "厦门市公安局"

    def _unsupported_problem(self, card_type: CardType) -> Problem:
        return Problem(
            "港澳台居民居住证和外国人永久居留身份证持有人没有本市户籍，无法查询户籍信息。",
            "Residence permits and foreigner permanent residence cards carry no household registration here, "
            "so there is nothing to look up.",
            "如需证明材料，请到人工服务台咨询。", "For a certificate, please ask at the staff desk.",
            code=f"card_type_{card_type}",
        )

    def _sections(self, answer: PopulationAnswer) -> list[Section]:
        record = answer.household
        if record is None:
            return []
        rows = [
            Row(N_("户号"), mask_id_number(record.household_number)),
            Row(N_("与户主关系"), pick(record.relation_zh, record.relation_en)),
            Row(N_("户籍地址"), mask_address(record.registered_address, keep=_district_end(record.registered_address))),
            Row(N_("户口类别"), pick(record.household_type_zh, record.household_type_en)),
            Row(N_("登记机关"), record.police_station),
        ]
        if record.moved_in_on:
            rows.append(Row(N_("迁入日期"), record.moved_in_on))
        if record.ethnicity_zh:
            rows.append(Row(N_("民族"), _("汉族") if record.ethnicity_zh == "汉族" else record.ethnicity_zh))
        if record.marital_status_zh:
            rows.append(Row(N_("婚姻状况"), pick(record.marital_status_zh, record.marital_status_en)))
        return [Section(_("户籍信息"), tuple(rows))]


LOOKUPS: dict[str, type[LookupJourney]] = {
    "social_security": SocialSecurityLookup,
    "property": PropertyLookup,
    "population": PopulationLookup,
}
