"""EMS mailing of a lookup's result to the registered address: the part of the lookup journey that mails.

Mixed into :class:`~kiosk.journeys.lookup.LookupJourney`: ``env``, ``card``, ``state``, ``document``
and the journey's steps (``go``, ``fail``, ``call``) come from it. The request goes into the durable
outbox (or straight to the gateway when there is none); the phone number is checked before it goes.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from devices.idcard.card import CardType
from kiosk.journeys.base import Problem
from kiosk.journeys.lookup_pages import district_end
from kiosk.system.privacy import mask_address

if TYPE_CHECKING:
    from kiosk.journeys.base import Journey
    from kiosk.journeys.ports import MailingGateway

    _JourneyPart = Journey
else:
    _JourneyPart = object

log = logging.getLogger("kiosk.journeys")

PHONE_PATTERN = re.compile(r"^1[3-9]\d{9}$")


@dataclass
class Mailing:
    """What the citizen chose for EMS mailing (kept only until the request is queued)."""

    address: str = ""
    phone: str = ""


class LookupMailing(_JourneyPart):
    """The mailing steps: confirm the address, type a phone number, queue the request."""

    card: Any  # the lookup's: devices.idcard.card.IdCard, while the citizen is here
    document: Any
    document_number: Callable[[], str]
    mailing: Mailing
    mailing_receipt: Any

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
        return mask_address(self.mailing.address, keep=district_end(self.mailing.address))

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
        gateway: MailingGateway | None = self.env.gateway
        if gateway is None or not hasattr(gateway, "request_mailing") or not self.env.online():
            raise _NoWayToMail("neither the outbox nor the gateway can take a mailing request")
        return gateway.request_mailing(payload)

    def _mailing_queued(self, receipt: Any) -> None:
        self.mailing_receipt = receipt
        self.go("mail_queued")

    def _mailing_failed(self, error: BaseException) -> None:
        log.warning("%s: mailing request not recorded: %s", self.name, type(error).__name__)
        self.fail(Problem("邮寄申请没有提交成功。", "The mailing request could not be recorded.",
                          "您可以打印结果、用手机扫码保存，或到人工服务台申请邮寄。",
                          "You can print the result, scan a code to keep it, or ask for mailing at the staff desk.",
                          code="mailing_failed"), "mail_failed")


class _NoWayToMail(RuntimeError):
    def citizen_message(self, language: str = "zh") -> str:
        return "暂时无法提交邮寄申请。" if language == "zh" else "Mailing cannot be requested right now."
