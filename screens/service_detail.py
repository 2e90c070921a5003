"""One service: where it is handled, when, what the citizen needs, and what this kiosk can do for it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from PySide6.QtWidgets import QWidget

from config.catalogue import Service
from kiosk.shell.context import KioskContext
from kiosk.shell.i18n import _, pick
from screens.base import KioskScreen, Navigator
from screens.catalogue_browser import JOURNEY_ACTION
from screens.widgets import Card, TouchButton, label


class ServiceDetailScreen(KioskScreen):
    name = "service"

    def __init__(self, context: KioskContext, nav: Navigator, parent: QWidget | None = None) -> None:
        super().__init__(context, nav, parent)
        self.heading = label(role="title")
        self.department = label(role="subtitle")
        self.card = Card()
        self.rows: list[tuple[Any, Any]] = []
        for _i in range(4):
            key, value = label(role="hint"), label(role="value")
            self.card.body.addWidget(key)
            self.card.body.addWidget(value)
            self.rows.append((key, value))
        self.action = TouchButton(role="primary")
        self.action.clicked.connect(self._act)
        self.guide = TouchButton()
        self.guide.clicked.connect(self._open_guide)
        for widget in (self.heading, self.department, self.card):
            self.layout_.addWidget(widget)
        self.layout_.addStretch(1)
        self.layout_.addWidget(self.action)
        self.layout_.addWidget(self.guide)
        self.service: Service | None = None

    def activate(self, **params: Any) -> None:
        service_id = params.get("service_id")
        services = self.context.catalogue.services()
        self.service = next((s for s in services if s.id == service_id), services[0])
        super().activate(**params)

    def refresh(self) -> None:
        service = self.service
        if service is None:
            return
        department = self.context.catalogue.department_of(service.id)
        self.heading.setText(pick(service.name_zh, service.name_en))
        self.department.setText(pick(department.name_zh, department.name_en))
        where = pick(service.window_zh, service.window_en) or _("本机自助办理")
        hours = _("24小时自助办理") if service.hours == "24h" else _("中心工作时间办理")
        needs = _("请携带本人居民身份证") if service.id_card_required else _("无需身份证")
        offer = self.context.offer(service)
        now = _("现在可以办理") if offer.available else offer.reason()
        texts = [(_("办理地点"), where), (_("办理时间"), hours), (_("需要携带"), needs), (_("当前状态"), now)]
        for (key, value), (key_text, value_text) in zip(self.rows, texts, strict=True):
            key.setText(key_text)
            value.setText(value_text)
        can_act = service.journey != "guide" and service.journey in self.context.journeys and offer.available
        self.action.setVisible(can_act)
        self.action.setText(_(JOURNEY_ACTION[service.journey]))
        self.guide.setVisible("guide" in self.context.journeys)
        self.guide.setText(_("查看办事指南"))

    def _act(self) -> None:
        if self.service is not None:
            self.nav.go(self.service.journey, service_id=self.service.id)

    def _open_guide(self) -> None:
        if self.service is not None:
            self.nav.go("guide", service_id=self.service.id)

    def tour(self) -> Iterator[str]:
        for service_id in ("ss-card-apply", "fin-non-tax-payment"):
            self.activate(service_id=service_id)
            yield service_id
