"""The three personal lookups: social security (社保), property registry (不动产), population (人口信息).

One state machine serves all three; a subclass says which gateway endpoint it asks, which cards it
accepts and how its answer reads on screen and on paper. The citizen places their ID card, the
kiosk checks it (expired, wrong check digit, a card type this lookup does not serve), asks the
gateway with the card's ID number, and shows the answer masked, in pages sized by the screen.
From there the citizen prints the authority's signed certificate on A4 (where the kiosk has an
A4 printer: kiosk/journeys/lookup_certificate.py) or a receipt (document number and verification
QR), asks for it by EMS to the registered address, or takes it on their phone by a one-time link
(kiosk/journeys/lookup_phone.py).

States (``journey.state``)::

    waiting ─(no card for a while)─► reminder
       │ card placed                         problems, each with a next step:
       ▼                                       lifted, read_failed, refused, unsupported,
    reading ─► querying ─► results ◄─► choices  offline, failed
                   │                 │
                   └► no_record      ├► printing ─► printed | print_failed | print_unavailable
                                     ├► certificate_fetching ─► certificate_printing ─► certificate_printed
                                     │   (certificate_failed | certificate_unavailable)
                                     ├► mail_confirm ─► mail_phone ─► mail_sending ─► mail_queued | mail_failed
                                     │   (mail_unavailable when there is no address to mail to)
                                     ├► phone_consent ─► phone_linking ─► phone_qr | phone_failed
                                     └► finished

Personal data (the card, the answer) lives in this object and in the citizen session only; it is
never cached, never logged, and forgotten by :meth:`finish` and :meth:`cancel`.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from pydantic import BaseModel, ValidationError

from config.catalogue import Service
from contract.lookups import LookupAnswer
from devices.idcard.card import CardRefused, CardType
from kiosk.hardware.print_outcome import PrintOutcome
from kiosk.journeys.base import Journey, JourneyEnv, Problem
from kiosk.journeys.lookup_certificate import LookupCertificate
from kiosk.journeys.lookup_mailing import LookupMailing, Mailing
from kiosk.journeys.lookup_pages import Page, Section, bilingual_label, paginate
from kiosk.journeys.lookup_phone import LookupPhone
from kiosk.shell.i18n import N_, _, catalogue, pick
from kiosk.system.privacy import mask_id_number, mask_name

log = logging.getLogger("kiosk.journeys")

# A read error followed by the card leaving the reader within this many seconds means the
# citizen lifted it while it was being read (the reader cannot tell the two apart itself).
LIFT_WINDOW_S = 2.0

CARD_STATES = ("waiting", "reminder", "lifted", "read_failed", "refused", "unsupported")
PROBLEM_STATES = ("lifted", "read_failed", "refused", "unsupported", "offline", "failed",
                  "print_failed", "print_unavailable", "mail_failed", "mail_unavailable",
                  "certificate_failed", "certificate_unavailable", "phone_failed")


# --- the journey ---------------------------------------------------------------------------------


class LookupJourney(LookupCertificate, LookupMailing, LookupPhone, Journey):
    """Base of the three lookups; see the module docstring for the states."""

    name = "lookup"
    needs_card = True
    # set by subclasses
    title_zh = ""
    gateway_method = ""
    answer_model: type[LookupAnswer] = LookupAnswer
    accepted_cards: frozenset[CardType] = frozenset(CardType)
    default_service_id = ""
    source = ""

    def __init__(self, env: JourneyEnv, service: Service | None = None) -> None:
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
        self.certificate = None
        self.phone_link = None
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
        self.env.session.record_number = answer.document.number if answer.document is not None else ""
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
        devices = self.env.devices
        if devices is None or not self.can_print():
            self.fail(Problem("打印机暂时不能打印。", "The printer cannot print right now.",
                              *self._other_ways(),
                              code="printer_unavailable"), "print_unavailable")
            return
        receipt = self.receipt()
        self.go("printing")
        try:
            devices.print_receipt(receipt, self._printed)
        except Exception as exc:  # the hub refused the job outright
            self._printed(PrintOutcome.failed(exc))

    def _printed(self, outcome: PrintOutcome) -> None:
        """The hub's answer: printed, or not (with the printer's words for the citizen when it has them)."""
        if self.finished or self.state != "printing":
            return
        if outcome.printed:
            self.go("printed")
            return
        problem = Problem("打印没有完成，凭条可能不完整。", "Printing did not finish; the paper may be incomplete.",
                          *self._other_ways(),
                          code="print_failed")
        zh, en = outcome.citizen_message("zh"), outcome.citizen_message("en")
        if zh is not None and en is not None:
            problem = Problem(zh, en, problem.next_zh, problem.next_en, code="print_failed")
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

    # -- the end ----------------------------------------------------------------------------------
    def finish(self) -> None:
        """The citizen is done: forget everything personal; the screen moves on to the rating."""
        self.forget()
        self.go("finished")


def _unreachable(error: BaseException) -> bool:
    """True when the gateway could not be reached at all (as opposed to answering with an error)."""
    return isinstance(error, (ConnectionError, TimeoutError)) or bool(getattr(error, "unreachable", False))
