"""A service guide on the A4 printer: "打印办事指南" where the kiosk has one.

Mixed into :class:`~kiosk.journeys.guide.ServiceGuideJourney` (``env``, ``service``, ``view``,
``state``, ``go`` and ``call`` come from it). The gateway lays the guide out on A4
(``GatewayClient.guide_pdf``); the A4 printer prints it and says when it is done. The journey stays
on its ``guide`` page throughout: ``print_status`` ("", printing, printed, failed) and
``print_problem`` say what the page shows under the guide.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from kiosk.journeys.base import Problem

if TYPE_CHECKING:
    from kiosk.hardware.print_outcome import PrintOutcome
    from kiosk.journeys.base import Journey
    from kiosk.journeys.ports import GuideGateway

    _JourneyPart = Journey
else:
    _JourneyPart = object

log = logging.getLogger("kiosk.journeys")


class GuidePrinting(_JourneyPart):
    view: Any
    print_status = ""
    print_pages = (0, 0)  # pages out, pages in all
    print_problem: Problem | None = None

    def guide_print_offered(self) -> bool:
        configured = getattr(self.env.devices, "a4_configured", None)
        try:
            return bool(callable(configured) and configured())
        except Exception:
            log.exception("guide: asking whether there is an A4 printer failed")
            return False

    def can_print_guide(self) -> bool:
        try:
            devices = self.env.devices
            return self.guide_print_offered() and devices is not None and bool(devices.can_print_a4())
        except Exception:
            log.exception("guide: asking the A4 printer whether it can print failed")
            return False

    def print_guide(self) -> None:
        """Ask the gateway for the guide on A4 and print it; the guide page shows how it goes."""
        if self.state != "guide" or self.view is None or self.print_status == "printing":
            return
        if not self.guide_print_offered():
            return
        gateway: GuideGateway | None = self.env.gateway
        if not self.can_print_guide():
            self._guide_not_printed(("证明打印机暂时不能打印。", "The document printer cannot print right now."))
            return
        if gateway is None or not self.env.online():
            self._guide_not_printed(("暂时连不上服务器，无法打印办事指南。",
                                     "The server cannot be reached; the guide cannot be printed now."))
            return
        service_id = self.view.guide.service_id
        self.print_status, self.print_pages, self.print_problem = "printing", (0, 0), None
        self.go("guide")
        self.call(lambda: gateway.guide_pdf(service_id), self._guide_laid_out,
                  lambda error: self._guide_not_printed(("办事指南暂时无法打印。", "The guide cannot be printed now.")))

    def _guide_laid_out(self, sheet: Any) -> None:
        if self.print_status != "printing":
            return
        self.print_pages = (0, sheet.pages)
        self.go("guide")
        devices = self.env.devices
        if devices is None:  # asked before the guide was laid out; a journey's devices do not change
            self._guide_not_printed(("办事指南暂时无法打印。", "The guide cannot be printed now."))
            return
        devices.print_certificate(sheet.pdf, pages=sheet.pages, name=f"guide {sheet.service_id}",
                                  on_progress=self._guide_progress, callback=self._guide_printed)

    def _guide_progress(self, done: int, total: int) -> None:
        if not self.finished and self.print_status == "printing":
            self.print_pages = (done, total)
            if self.state == "guide":
                self.go("guide")

    def _guide_printed(self, outcome: PrintOutcome) -> None:
        if self.finished or self.print_status != "printing":
            return
        if outcome.printed:
            self.print_status = "printed"
            if self.state == "guide":
                self.go("guide")
            return
        log.warning("guide: not printed: %s", outcome.technician())
        self._guide_not_printed(("办事指南没有打印完。", "The guide did not print completely."))

    def _guide_not_printed(self, what: tuple[str, str]) -> None:
        self.print_status = "failed"
        self.print_problem = Problem(what[0], what[1], "您可以用手机扫描指南上的二维码保存。",
                                     "You can scan the guide's QR code to keep it on your phone.", code="guide_print")
        if self.state == "guide":
            self.go("guide")
