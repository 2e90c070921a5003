"""The guide page's "打印办事指南" button and what it says while the A4 printer prints the guide.

Mixed into the guide screen, which supplies ``journey``; shown only where the kiosk has an A4 printer.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from kiosk.journeys.guide import ServiceGuideJourney
from kiosk.shell.i18n import _
from screens.journey_screen import JourneyScreen
from screens.widgets import TouchButton, label, page_column


class GuidePrintRow(JourneyScreen[ServiceGuideJourney]):
    def _guide_page(self, sheet: QWidget) -> QWidget:
        """The guide with the print button and its status under it."""
        page, column = page_column(16)
        self.guide_print_status = label(role="value")
        self.guide_print = TouchButton(role="primary", on_tap=self._print_guide)
        column.addWidget(sheet, 1)
        column.addWidget(self.guide_print_status)
        column.addWidget(self.guide_print)
        return page

    def _print_guide(self) -> None:
        journey = self.journey
        if isinstance(journey, ServiceGuideJourney) and not journey.finished:
            journey.print_guide()

    def _show_guide_print(self, journey: ServiceGuideJourney) -> None:
        offered = journey.guide_print_offered()
        self.guide_print.setVisible(offered)
        self.guide_print.setText(_("打印办事指南（A4）"))
        status = journey.print_status if offered else ""
        self.guide_print.setEnabled(status != "printing" and journey.can_print_guide())
        done, total = journey.print_pages
        if status == "printing":
            text = (_("打印中 第 {page}/{pages} 页").format(page=min(done + 1, total), pages=total) if total
                    else _("正在准备办事指南……"))
        elif status == "printed":
            text = _("请取走您的办事指南")
        elif status == "failed" and journey.print_problem is not None:
            text = f"{journey.print_problem.what()} {journey.print_problem.next_step()}"
        elif offered and not journey.can_print_guide():
            text = _("证明打印机暂时不能打印，请选择其他方式")
        else:
            text = ""
        self.guide_print_status.setText(text)
        self.guide_print_status.setVisible(bool(text))
