"""Shown to citizens while a technician has the kiosk in maintenance, during a planned maintenance window
of the configuration bundle (with its text and when service resumes), or when it cannot serve at all."""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from kiosk.hall.planned_maintenance import resume_wording, sample_window
from kiosk.shell.context import KioskContext
from kiosk.shell.i18n import _, pick
from screens.base import KioskScreen, Navigator
from screens.widgets import Card, label


class OutOfServiceScreen(KioskScreen):
    name = "out_of_service"
    has_back = False

    def __init__(self, context: KioskContext, nav: Navigator, parent: QWidget | None = None) -> None:
        super().__init__(context, nav, parent)
        self.layout_.addStretch(1)
        self.heading = label(role="title", centered=True)
        self.card = Card()
        self.explain = label(role="value")
        self.alternative = label(role="value")
        self.hotline = label(role="hint")
        for widget in (self.explain, self.alternative, self.hotline):
            widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.card.body.addWidget(widget)
        self.layout_.addWidget(self.heading)
        self.layout_.addWidget(self.card)
        self.layout_.addStretch(2)

    def refresh(self) -> None:
        kiosk = self.context.settings.kiosk
        self.heading.setText(_("本机暂停服务"))
        broken = self.context.out_of_order
        if broken is not None:
            self.explain.setText(pick(broken.zh, broken.en))
        elif self.context.maintenance_reason == "planned":
            wording = resume_wording(self.context.now(), self.context.planned_maintenance)
            self.explain.setText(pick(wording.zh, wording.en))
        else:
            self.explain.setText(_("设备正在维护，给您带来不便，敬请谅解。"))
        self.alternative.setText(pick(kiosk.nearest_alternative_zh, kiosk.nearest_alternative_en))
        self.hotline.setText(_("服务热线 {hotline}").format(hotline=kiosk.hotline))

    def tour(self) -> Iterator[str]:
        self.activate()
        yield "default"
        before = self.context.planned_maintenance
        self.context.planned_maintenance = sample_window(self.context.now())  # shown only; the kiosk's state is put back
        try:
            self.refresh()
            yield "planned"
        finally:
            self.context.planned_maintenance = before
            self.refresh()
        from kiosk.shell.start_checks import not_configured

        self.context.out_of_order = not_configured(self.context.settings.state_dir, "file not found")  # shown only
        try:
            self.refresh()
            yield "not-configured"
        finally:
            self.context.out_of_order = None
            self.refresh()
