"""Taking a lookup's result to the citizen's phone: consent first, then a one-time link in a QR code.

Mixed into :class:`~kiosk.journeys.lookup.LookupJourney` (``env``, ``state``, ``document``,
``sections`` and the journey's steps come from it). States::

    choices ─► phone_consent ─(agree)─► phone_linking ─► phone_qr | phone_failed
                    └─(decline)─► choices (no link is made)

The gateway gets the result exactly as the screen shows it (masked, in the citizen's language)
and the kiosk's session id; it answers with a link that opens once within ten minutes.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from contract.result_links import LINK_TTL_S
from kiosk.journeys.base import Problem
from kiosk.shell.i18n import _, current_language

if TYPE_CHECKING:
    from collections.abc import Callable

    from kiosk.journeys.base import Journey
    from kiosk.journeys.lookup_pages import Section
    from kiosk.journeys.ports import ResultLinkGateway

    _JourneyPart = Journey
else:
    _JourneyPart = object

log = logging.getLogger("kiosk.journeys")

# What the contract accepts (contract.result_links); a longer value is cut, never refused.
MAX_SECTIONS, MAX_FACTS, MAX_CELLS, MAX_VALUE = 24, 60, 240, 200


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


class LookupPhone(_JourneyPart):
    """The phone steps; ``phone_link`` is the gateway's answer while the QR code shows."""

    phone_link: Any = None
    document: Any
    document_number: Callable[[], str]
    sections: Callable[[], list[Section]]
    title: Callable[[], str]
    holder: Callable[[], str]
    id_masked: Callable[[], str]

    @property
    def link_minutes(self) -> int:
        return LINK_TTL_S // 60

    def show_phone_qr(self) -> None:
        """The citizen asked to take the result on their phone: first say what that means."""
        if self.document is not None:
            self.phone_link = None
            self.go("phone_consent")

    def decline_phone(self) -> None:
        if self.state == "phone_consent":
            self.go("choices")

    def agree_phone(self) -> None:
        """The citizen agreed: ask the gateway for a one-time link."""
        if self.state != "phone_consent":
            return
        gateway: ResultLinkGateway | None = self.env.gateway
        if gateway is None or not self.env.online():
            self.fail(self._phone_problem(), "phone_failed")
            return
        request = self.result_link_request()
        self.go("phone_linking")
        self.call(lambda: gateway.create_result_link(request), self._linked, self._link_failed)

    def _linked(self, link: Any) -> None:
        if self.state != "phone_linking":
            return  # the citizen went elsewhere meanwhile
        self.phone_link = link
        self.go("phone_qr")

    def _link_failed(self, error: BaseException) -> None:
        if self.state != "phone_linking":
            return
        log.warning("%s: no link for the phone (%s)", self.name, type(error).__name__)
        self.fail(self._phone_problem(), "phone_failed")

    def _phone_problem(self) -> Problem:
        return Problem("暂时无法生成手机查看链接。", "A link for your phone cannot be made right now.",
                       "您可以打印凭条，或稍后再试。", "You can print a slip, or try again later.",
                       code="phone_link_failed")

    def phone_url(self) -> str:
        """What the QR code carries: the one-time link (empty until the gateway has made it)."""
        return str(getattr(self.phone_link, "url", "") or "")

    def result_link_request(self) -> dict[str, Any]:
        """The result as the screen shows it: masked, in the current language, within the contract's sizes."""
        sections = []
        for section in self.sections()[:MAX_SECTIONS]:
            sections.append({
                "heading": _cut(section.heading, 60),
                "facts": [{"label": _cut(_(row.label), 60), "value": _cut(row.value, MAX_VALUE), "warn": row.warn}
                          for row in section.rows[:MAX_FACTS]],
                "columns": [_cut(c, 40) for c in section.columns[:8]],
                "cells": [[_cut(c, MAX_VALUE) for c in line[:8]] for line in section.cells[:MAX_CELLS]],
            })
        return {"session_id": self.env.session.id, "language": current_language(), "title": _cut(self.title(), 60),
                "holder": _cut(self.holder(), 60), "id_number": _cut(self.id_masked(), 24),
                "document_number": _cut(self.document_number(), 64), "sections": sections}
