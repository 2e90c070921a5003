"""A service that cannot be offered right now: why, and what the citizen can do instead."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from PySide6.QtWidgets import QWidget

from kiosk.shell.context import KioskContext, Offer
from kiosk.shell.i18n import _, pick
from screens.balanced_text import BalancedLabel
from screens.base import KioskScreen, Navigator
from screens.open_counters import closed_now, instead_of
from screens.status_panel import StatusPanel
from screens.widgets import TouchButton, label


class UnavailableScreen(KioskScreen):
    name = "unavailable"

    def __init__(self, context: KioskContext, nav: Navigator, parent: QWidget | None = None) -> None:
        super().__init__(context, nav, parent)
        self.heading = label(role="title")
        self.card = StatusPanel()  # fills the page: why, what instead, who can help; the way home at the foot
        self.reason, self.alternative = self.card.what, self.card.next_step
        self.hotline = BalancedLabel()  # centred, in lines of even length
        self.hotline.setProperty("role", "hint")
        self.card.add(self.hotline)
        self.layout_.addWidget(self.heading)
        self.layout_.addWidget(self.card, 1)
        self.home_button = TouchButton(role="primary", on_tap=nav.home)
        self.layout_.addWidget(self.home_button)
        self.offer = Offer(False)
        self.service_name = ("", "")

    def activate(self, **params: Any) -> None:
        service_id = params.get("service_id")
        if service_id:
            service = self.context.catalogue.service(service_id)
            self.service_name = (service.name_zh, service.name_en)
            self.offer = self.context.offer(service)
        else:
            self.offer = params.get("offer", Offer(False))
        super().activate(**params)

    def refresh(self) -> None:
        name = pick(*self.service_name)
        self.heading.setText(_("{service}暂时无法办理").format(service=name) if name else _("暂时无法办理"))
        kiosk = self.context.settings.kiosk
        if self.offer.alternative_zh or self.offer.alternative_en:
            alternative = instead_of(self.context, self.offer.alternative_zh, self.offer.alternative_en)
        else:
            alternative = instead_of(self.context, kiosk.nearest_alternative_zh, kiosk.nearest_alternative_en)
        self.card.show_status("problem", self.context.elderly, self.offer.reason() or _("该服务暂停"), alternative)
        if closed_now(self.context) is None:
            self.hotline.setText(_("如需帮助，请拨打服务热线 {hotline} 或咨询大厅工作人员").format(hotline=kiosk.hotline))
        else:  # no staff in the hall now
            self.hotline.setText(_("如需帮助，请拨打服务热线 {hotline}").format(hotline=kiosk.hotline))
        self.home_button.setText(_("返回首页"))

    def tour(self) -> Iterator[str]:
        self.service_name = ("非税收入缴费", "Non-tax fee payment")
        self.offer = Offer(False, "网络中断，暂时无法缴费", "Payment is unavailable while the kiosk is offline",
                           "可使用手机“闽政通”App缴费，或前往财政窗口", "Pay with the Minzhengtong app, or at the finance window")
        self.refresh()
        yield "offline"
