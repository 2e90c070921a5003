"""What the demo control panel can do to the simulated devices, in the demonstrator's words.

The panel (screens/demo_panel.py) never touches a device: it calls this controller, which finds
the running simulators (``devices.simulators.running``) and, after a printer change, asks the hub
to refresh the printer status at once instead of waiting for the next poll. Every action returns
False when the device is not simulated (a real reader cannot be told to "place a card").
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from devices import simulators
from devices.a4printer import ipp
from devices.simulators.citizens import CITIZENS
from devices.simulators.scanner import samples

log = logging.getLogger("devices")

DEVICES = (
    ("idcard", "身份证阅读器 ID card reader"),
    ("printer", "打印机 Printer"),
    ("scanner", "扫码器 Scanner"),
)


class DemoDevices:
    """Demo actions on the simulators; ``context`` is the kiosk context (for the hub and the center domain)."""

    def __init__(self, context: Any = None, *, today: Callable[[], dt.date] = dt.date.today) -> None:
        self._context = context
        self._today = today

    # --- lookups ------------------------------------------------------------------------------------
    def _simulator(self, name: str) -> Any | None:
        return simulators.running(name)

    def _hub(self) -> Any | None:
        services = getattr(self._context, "services", None)
        return None if services is None else services.devices

    def _domain(self) -> str:
        settings = getattr(self._context, "settings", None)
        return getattr(getattr(settings, "kiosk", None), "center_domain", None) or "zwfw.xm.gov.cn"

    def simulated(self, name: str) -> bool:
        return self._simulator(name) is not None

    def plugged(self, name: str) -> bool | None:
        """True/False for a simulator, None when the device is not simulated (or not started yet)."""
        simulator = self._simulator(name)
        return None if simulator is None else bool(simulator.plugged)

    # --- ID card --------------------------------------------------------------------------------------
    def citizens(self) -> list[tuple[str, str]]:
        """(key, label) of every demo citizen, in the order of docs/demo-data.md."""
        return [(key, citizen.label) for key, citizen in CITIZENS.items()]

    def place_card(self, key: str) -> bool:
        reader = self._simulator("idcard")
        if reader is None or key not in CITIZENS:
            return False
        reader.place(key)
        return True

    def lift_card(self) -> bool:
        reader = self._simulator("idcard")
        if reader is None:
            return False
        reader.lift()
        return True

    def card_on_reader(self) -> str | None:
        reader = self._simulator("idcard")
        return reader.card_key if reader is not None else None

    # --- scanner ------------------------------------------------------------------------------------
    def scan_samples(self) -> dict[str, str]:
        """Label → code text: appointment and notice codes (bare and as URLs), a foreign URL, junk."""
        return samples(self._today(), self._domain())

    def scan(self, text: str) -> bool:
        scanner = self._simulator("scanner")
        return bool(scanner is not None and text and scanner.scan(text))

    # --- printer ------------------------------------------------------------------------------------
    def _printer(self, action: str) -> bool:
        printer = self._simulator("printer")
        if printer is None:
            return False
        getattr(printer, action)()
        hub = self._hub()
        if hub is not None:
            hub.refresh_printer()
        return True

    def paper_out(self) -> bool:
        return self._printer("take_paper_out")

    def paper_near_end(self) -> bool:
        return self._printer("set_near_end")

    def refill_paper(self) -> bool:
        return self._printer("refill")

    def open_cover(self) -> bool:
        return self._printer("open_cover")

    def close_cover(self) -> bool:
        return self._printer("close_cover")

    def receipts_printed(self) -> int:
        printer = self._simulator("printer")
        return len(printer.receipts) if printer is not None else 0

    def last_receipt_png(self) -> bytes | None:
        """The last printed receipt as a PNG picture, or None."""
        printer = self._simulator("printer")
        return printer.render_png() if printer is not None else None

    def paper_state(self) -> str:
        printer = self._simulator("printer")
        if printer is None:
            return "—"
        if printer.cover_open:
            return "盖子打开 cover open"
        if printer.paper_out:
            return "缺纸 paper out"
        return "纸将尽 near end" if printer.near_end else "纸正常 paper ok"

    # --- the A4 printer (certificates) -----------------------------------------------------------------
    _A4_ACTIONS: dict[str, tuple[str, dict[str, Any]]] = {
        "a4_paper_out": ("run_out_of_paper", {}),
        "a4_paper_out_mid_job": ("run_out_of_paper", {"after_sheets": 1}),  # the next job stops after a sheet
        "a4_load_paper": ("load_paper", {}),
        "a4_jam": ("jam", {"after_pages": 1}),  # the next job jams on its second page
        "a4_clear_jam": ("clear_jam", {}),
        "a4_open_door": ("open_door", {"is_open": True}),
        "a4_close_door": ("open_door", {"is_open": False}),
        "a4_offline": ("set_offline", {"offline": True}),
        "a4_online": ("set_offline", {"offline": False}),
    }

    def a4(self, action: str) -> bool:
        """One of ``_A4_ACTIONS`` on the simulated A4 printer, then its status is asked for at once."""
        printer = self._simulator("a4printer")
        if printer is None or action not in self._A4_ACTIONS:
            return False
        method, options = self._A4_ACTIONS[action]
        getattr(printer, method)(**options)
        log.info("demo: A4 printer %s", action)
        self._refresh_a4()
        return True

    def a4_toner_low(self, low: bool = True) -> bool:
        printer = self._simulator("a4printer")
        if printer is None:
            return False
        printer.toner_low = low
        self._refresh_a4()
        return True

    def _refresh_a4(self) -> None:
        hub = self._hub()
        if hub is not None and hasattr(hub, "refresh_a4printer"):
            hub.refresh_a4printer()

    def a4_pages_printed(self) -> int:
        """Completed A4 jobs so far (a new one means a new last page to show)."""
        printer = self._simulator("a4printer")
        if printer is None:
            return 0
        return sum(1 for job in list(printer.jobs.values()) if job.state == ipp.JOB_COMPLETED)

    def last_a4_page_png(self) -> bytes | None:
        """The last page of the last completed A4 job as PNG (renders with pdftoppm: call it off the GUI thread)."""
        printer = self._simulator("a4printer")
        return printer.last_page_png(resolution=50) if printer is not None else None

    def a4_state(self) -> str:
        printer = self._simulator("a4printer")
        if printer is None:
            return "—"
        reasons = [r for r in printer.reasons() if r != "none"]
        sheets = "∞" if printer.sheets is None else str(printer.sheets)
        return f"{', '.join(reasons) or 'ready'} · {sheets} sheets"

    # --- unplug / replug ------------------------------------------------------------------------------
    def unplug(self, name: str) -> bool:
        simulator = self._simulator(name)
        if simulator is None:
            return False
        log.info("demo: %s unplugged", name)
        simulator.unplug()
        return True

    def replug(self, name: str) -> bool:
        simulator = self._simulator(name)
        if simulator is None:
            return False
        log.info("demo: %s plugged in again", name)
        simulator.replug()
        return True
