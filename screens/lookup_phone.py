"""The lookup screen's phone pages: what taking the result to a phone means, then its one-time QR code."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from kiosk.journeys.lookup import LookupJourney
from kiosk.shell.i18n import _
from screens.balanced_text import BalancedLabel
from screens.journey_screen import JourneyScreen
from screens.widgets import Card, TouchButton, label, page_of, qr_pixmap

PHONE_STATES = ("phone_consent", "phone_linking", "phone_qr", "phone_failed")


class LookupPhonePages(JourneyScreen[LookupJourney]):
    """Mixed into the lookup screen: the consent page and the QR page."""

    # the host screen's (declared, not defined: the host's own, or another part's, are found first)
    _page: Callable[[], QVBoxLayout]
    _do: Callable[[str], None]
    _message_buttons: Callable[[list[tuple[str, Callable[[], None], str | None]]], None]
    busy_page: QWidget
    busy_text: BalancedLabel
    busy_hint: BalancedLabel
    message_page: QWidget
    message_what: BalancedLabel
    message_next: BalancedLabel

    def _build_phone_consent_page(self) -> None:
        box = self._page()
        self.consent_page = page_of(box)
        self.consent_card = Card()
        self.consent_title = label(role="title")
        self.consent_what = label(role="value")
        self.consent_how = label(role="value")
        self.consent_note = label(role="hint")
        for widget in (self.consent_title, self.consent_what, self.consent_how, self.consent_note):
            self.consent_card.body.addWidget(widget)
        box.addWidget(self.consent_card)
        box.addStretch(1)
        self.consent_yes = TouchButton(role="primary", on_tap=lambda: self._do("agree_phone"))
        self.consent_no = TouchButton(role="nav", on_tap=lambda: self._do("decline_phone"))
        box.addWidget(self.consent_yes)
        box.addWidget(self.consent_no)

    def _build_qr_page(self) -> None:
        box = self._page()
        self.qr_page = page_of(box)
        self.qr_text = label(role="subtitle")
        self.qr_image = QLabel()
        self.qr_image.setMinimumSize(480, 480)
        self.qr_image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.qr_number = label(role="value", centered=True)
        self.qr_note = label(role="hint", centered=True)
        self.qr_back = TouchButton(role="nav", on_tap=lambda: self._do("show_choices"))
        self.qr_done = TouchButton(role="primary", on_tap=lambda: self._do("finish"))
        for widget in (self.qr_text, self.qr_image, self.qr_number, self.qr_note, self.qr_back, self.qr_done):
            box.addWidget(widget, 1 if widget is self.qr_image else 0)

    def _show_phone(self, journey: LookupJourney) -> None:
        state = journey.state
        if state == "phone_consent":
            self._show_phone_consent(journey)
        elif state == "phone_linking":
            self.pages.setCurrentWidget(self.busy_page)
            self.busy_text.setText(_("正在生成手机查看链接……"))
            self.busy_hint.setText(_("请稍候"))
        elif state == "phone_qr":
            self._show_qr(journey)
        else:
            self._show_phone_failed(journey)

    def _show_phone_consent(self, journey: LookupJourney) -> None:
        self.pages.setCurrentWidget(self.consent_page)
        self.consent_title.setText(_("在手机上查看查询结果"))
        self.consent_what.setText(_("手机上将显示与本屏幕相同的查询结果，姓名和证件号码已部分隐藏。"))
        self.consent_how.setText(_("二维码链接{minutes}分钟内有效，只能打开一次，打开后请截图保存。")
                                 .format(minutes=journey.link_minutes))
        self.consent_note.setText(_("请勿让他人扫描此二维码。不同意也没关系，您可以打印或选择其他方式。"))
        self.consent_yes.setText(_("同意，显示二维码"))
        self.consent_no.setText("‹ " + _("不同意，返回"))

    def _show_phone_failed(self, journey: LookupJourney) -> None:
        self.pages.setCurrentWidget(self.message_page)
        problem = journey.problem
        self.message_what.setText(problem.what() if problem else "")
        self.message_what.setProperty("role", "error")
        self.message_what.style().unpolish(self.message_what)
        self.message_what.style().polish(self.message_what)
        self.message_next.setText(problem.next_step() if problem else "")
        self._message_buttons([(_("返回选择其他方式"), lambda: self._do("show_choices"), "primary"),
                               (_("完成"), lambda: self._do("finish"), None)])

    def _show_qr(self, journey: LookupJourney) -> None:
        self.pages.setCurrentWidget(self.qr_page)
        self.qr_text.setText(_("请用手机扫描下方二维码，在手机上查看和保存查询结果"))
        url = journey.phone_url()
        self.qr_image.setPixmap(qr_pixmap(url, 460))
        self.qr_image.setProperty("qr_payload", url)
        self.qr_number.setText(_("文书编号：{number}").format(number=journey.document_number()))
        self.qr_note.setText(_("{minutes}分钟内有效，只能打开一次").format(minutes=journey.link_minutes))
        self.qr_back.setText("‹ " + _("返回选择其他方式"))
        self.qr_done.setText(_("完成"))

    def _clear_phone(self) -> None:
        self.qr_image.clear()
        self.qr_image.setProperty("qr_payload", "")
        self.qr_number.clear()


