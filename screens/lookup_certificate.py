"""The lookup screen's certificate pages: the choice to print one, the pages printing, taking it away.

Mixed into the lookup screen, which supplies ``_page``, ``_do``, ``pages`` and the message page. The
journey (kiosk/journeys/lookup_certificate.py) decides; this only shows its state.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QProgressBar, QVBoxLayout

from kiosk.journeys.lookup import LookupJourney
from kiosk.shell.i18n import _
from screens.journey_screen import JourneyScreen
from screens.widgets import TouchButton, label, page_of

CERTIFICATE_BUSY_STATES = ("certificate_fetching", "certificate_printing")
CERTIFICATE_MESSAGE_STATES = ("certificate_printed", "certificate_failed", "certificate_unavailable")
Button = tuple[str, Callable[[], None], "str | None"]


class LookupCertificatePages(JourneyScreen[LookupJourney]):
    """Builds and fills the certificate's progress page and its choice and messages."""

    # the host screen's (declared, not defined: the host's own, or another part's, are found first)
    _page: Callable[[], QVBoxLayout]
    _do: Callable[[str], None]
    choice_print: TouchButton

    def _add_certificate_choice(self, box: QVBoxLayout) -> None:
        """The "打印证明" button and its note, first on the choices page."""
        self.choice_certificate = TouchButton(role="primary", on_tap=lambda: self._do("print_certificate"))
        self.choice_certificate.setMinimumHeight(140)
        self.choice_certificate_note = label(role="hint")
        box.addWidget(self.choice_certificate, 1)  # the choices share the page's height (screens/roomy_choices.py)
        box.addWidget(self.choice_certificate_note)

    def _build_certificate_page(self) -> None:
        box = self._page()
        self.certificate_page = page_of(box)
        box.addStretch(1)
        self.certificate_text = label(role="title")
        self.certificate_count = label(role="value")
        self.certificate_bar = QProgressBar()
        self.certificate_bar.setObjectName("CertificateProgress")
        self.certificate_bar.setTextVisible(False)
        self.certificate_bar.setMinimumHeight(36)
        self.certificate_hint = label(role="subtitle")
        for widget in (self.certificate_text, self.certificate_count, self.certificate_bar, self.certificate_hint):
            box.addWidget(widget)
        box.addStretch(2)

    def _show_certificate_choice(self, journey: LookupJourney) -> None:
        """Fill the choice; where the A4 certificate is offered, the receipt is the second way, not the first."""
        offered = journey.certificate_offered()
        role = "" if offered else "primary"
        if self.choice_print.property("role") != role:
            self.choice_print.setProperty("role", role)
            self.choice_print.style().unpolish(self.choice_print)  # a new role only shows after a fresh polish
            self.choice_print.style().polish(self.choice_print)
        ready = offered and journey.can_print_certificate()
        self.choice_certificate.setVisible(offered)
        self.choice_certificate.setEnabled(ready)
        self.choice_certificate.setText(_("打印证明（A4，盖电子印章）"))
        self.choice_certificate_note.setText(_("证明打印机暂时不能打印，请选择其他方式") if offered and not ready else "")
        self.choice_certificate_note.setVisible(offered and not ready)

    def _show_certificate_progress(self, journey: LookupJourney) -> None:
        self.pages.setCurrentWidget(self.certificate_page)
        total = journey.certificate_pages()
        if journey.state == "certificate_fetching" or total == 0:
            self.certificate_text.setText(_("正在出具证明，请稍候……"))
            self.certificate_count.setText("")
            self.certificate_bar.setRange(0, 0)  # busy: nothing to count yet
            self.certificate_hint.setText(_("证明由出具单位生成并加盖电子印章"))
            return
        done = journey.certificate_done
        self.certificate_text.setText(_("打印中 第 {page}/{pages} 页").format(page=min(done + 1, total), pages=total))
        self.certificate_count.setText(_("证明共 {pages} 页").format(pages=total))
        self.certificate_bar.setRange(0, total)
        self.certificate_bar.setValue(done)
        self.certificate_hint.setText(_("证明从A4出纸口送出，请不要离开"))

    def _certificate_message(self, journey: LookupJourney) -> tuple[str, str, list[Button]]:
        """What the message page says after the certificate: taken, or why not and the other ways."""
        done: Button = (_("完成"), lambda: self._do("finish"), "primary")
        choices: Button = (_("返回选择其他方式"), lambda: self._do("show_choices"), "nav")
        if journey.state == "certificate_printed":
            return (_("请取走您的证明"),
                    _("证明共 {pages} 页，盖有电子印章，可扫描证明上的二维码核验。别忘了取回身份证。").format(
                        pages=journey.certificate_pages()),
                    [done, choices])
        problem = journey.problem
        qr: Button = (_("用手机扫码保存"), lambda: self._do("show_phone_qr"), "primary")
        buttons = [qr]
        if journey.can_mail():
            buttons.append((_("EMS邮寄到户籍地址"), lambda: self._do("start_mailing"), None))
        buttons.append((_("完成"), lambda: self._do("finish"), None))
        return (problem.what() if problem else "", problem.next_step() if problem else "", buttons)
