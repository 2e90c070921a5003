"""The receipt roll: how much paper is left, in tickets, from what recent tickets used.

The printer driver counts the centimetres printed since the roll was changed
(``cm_since_roll_change`` in its statistics). This module keeps the lengths of the last
:data:`RECENT_JOBS` jobs in ``state_dir/devices/printer.paper.json`` and estimates the tickets
left as *paper left on the roll / average length of a recent ticket*. The roll length comes from
:data:`ROLL_LENGTH_M` by paper width (the local configuration has no roll-length key yet).

Plain Python: usable from the running kiosk and from ``kiosk diag`` alike.
"""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.system.durable_files import write_atomically

log = logging.getLogger("devices.printer")

RECENT_JOBS = 50
# Common thermal kiosk rolls: 80 mm × 80 m and 58 mm × 50 m.
ROLL_LENGTH_M = {58: 50.0, 80: 80.0}
PAPER_LOW_TICKETS = 50


def roll_length_cm(paper_width_mm: int) -> float:
    """The length of a full roll for this paper width, in centimetres."""
    return ROLL_LENGTH_M.get(paper_width_mm, ROLL_LENGTH_M[80]) * 100


@dataclass(frozen=True)
class PaperEstimate:
    """Paper used and left, and the tickets left at the recent average length (None: no recent jobs)."""

    roll_cm: float
    used_cm: float
    left_cm: float
    average_ticket_cm: float | None
    recent_jobs: int
    tickets_left: int | None

    @property
    def low(self) -> bool:
        return self.tickets_left is not None and self.tickets_left < PAPER_LOW_TICKETS

    def as_dict(self) -> dict[str, Any]:
        return {"roll_cm": self.roll_cm, "used_cm": round(self.used_cm, 1), "left_cm": round(self.left_cm, 1),
                "average_ticket_cm": None if self.average_ticket_cm is None else round(self.average_ticket_cm, 2),
                "recent_jobs": self.recent_jobs, "tickets_left": self.tickets_left, "low": self.low}


class PaperRoll:
    """Recent job lengths of one printer, kept across restarts."""

    def __init__(self, state_dir: Path | str | None, paper_width_mm: int = 80) -> None:
        self.path = Path(state_dir) / "devices" / "printer.paper.json" if state_dir is not None else None
        self.roll_cm = roll_length_cm(paper_width_mm)
        self._lock = threading.Lock()
        self._recent_mm: list[float] = self._load()

    def _load(self) -> list[float]:
        if self.path is None:
            return []
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return [float(v) for v in data.get("recent_mm", []) if isinstance(v, int | float) and v > 0][-RECENT_JOBS:]
        except FileNotFoundError:
            return []
        except (OSError, ValueError, AttributeError) as exc:
            # a damaged file only costs the estimate until the next tickets are printed
            log.warning("paper usage file unreadable (%s); estimating from new jobs", exc)
            return []

    def record_job(self, length_mm: float) -> None:
        """One job went to paper (``length_mm`` as the driver measured it)."""
        if length_mm <= 0:
            return
        with self._lock:
            self._recent_mm = [*self._recent_mm, float(length_mm)][-RECENT_JOBS:]
            if self.path is not None:
                try:
                    self.path.parent.mkdir(parents=True, exist_ok=True)
                    write_atomically(self.path, json.dumps({"recent_mm": self._recent_mm}).encode("utf-8"))
                except OSError as exc:
                    log.warning("cannot save paper usage: %s", exc)

    def recent_average_cm(self) -> float | None:
        with self._lock:
            recent = list(self._recent_mm)
        return sum(recent) / len(recent) / 10 if recent else None

    def estimate(self, used_cm: float) -> PaperEstimate:
        """The estimate for a roll of which ``used_cm`` was printed since it was put in."""
        left = max(0.0, self.roll_cm - max(0.0, used_cm))
        average = self.recent_average_cm()
        with self._lock:
            count = len(self._recent_mm)
        tickets = int(left // average) if average else None
        return PaperEstimate(self.roll_cm, used_cm, left, average, count, tickets)
