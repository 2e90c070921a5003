"""``printer-state-reasons`` as the kiosk's conditions of its A4 printer (RFC 8011 §5.4.12).

A reason may carry a severity suffix (``media-empty-error``, ``toner-low-report``); the kiosk
looks at the reason itself. Some stop printing (paper out, door open, jam, offline, no toner),
some only warn a technician (paper low, toner low). A printer that says it is stopped or not
accepting jobs cannot print either, whatever its reasons.
"""

from __future__ import annotations

from dataclasses import dataclass

from devices.a4printer import ipp

# reason -> (condition, blocks printing)
REASONS: dict[str, tuple[str, bool]] = {
    "media-empty": ("paper out", True), "media-needed": ("paper out", True),
    "input-tray-missing": ("paper out", True),
    "media-low": ("paper low", False),
    "toner-empty": ("toner empty", True), "marker-supply-empty": ("toner empty", True),
    "toner-low": ("toner low", False), "marker-supply-low": ("toner low", False),
    "door-open": ("door open", True), "cover-open": ("door open", True), "interlock-open": ("door open", True),
    "media-jam": ("paper jam", True), "jam": ("paper jam", True),
    "offline": ("offline", True), "shutdown": ("offline", True), "connecting-to-device": ("offline", True),
    "paused": ("paused", True),
}
_SUFFIXES = ("-error", "-warning", "-report")


def reason_name(reason: str) -> str:
    for suffix in _SUFFIXES:
        if reason.endswith(suffix):
            return reason[: -len(suffix)]
    return reason


@dataclass(frozen=True)
class A4Status:
    """What the printer said about itself, and what the kiosk makes of it."""

    state: int  # printer-state: 3 idle, 4 processing, 5 stopped
    reasons: tuple[str, ...]
    accepting: bool = True

    @property
    def conditions(self) -> tuple[str, ...]:
        seen: list[str] = []
        for reason in self.reasons:
            condition = REASONS.get(reason_name(reason), (None, False))[0]
            if condition and condition not in seen:
                seen.append(condition)
        return tuple(seen)

    def problem(self) -> str | None:
        """Why nothing can be printed now, or None when a job may start."""
        for reason in self.reasons:
            condition, blocks = REASONS.get(reason_name(reason), (None, False))
            if blocks:
                return condition
        if not self.accepting:
            return "not accepting jobs"
        if self.state == ipp.PRINTER_STOPPED:
            return "stopped"
        return None

    @property
    def ready(self) -> bool:
        return self.problem() is None

    @property
    def paper(self) -> str:
        conditions = self.conditions
        return "out" if "paper out" in conditions else "low" if "paper low" in conditions else "ok"

    def summary(self) -> str:
        state = {ipp.PRINTER_IDLE: "idle", ipp.PRINTER_PROCESSING: "printing", ipp.PRINTER_STOPPED: "stopped"}
        reasons = ", ".join(r for r in self.reasons if r != "none") or "no problems"
        return f"{state.get(self.state, self.state)}; {reasons}"


def from_attributes(group: ipp.Group) -> A4Status:
    reasons = tuple(str(r) for r in group.all("printer-state-reasons") if r and r != "none")
    return A4Status(int(group.get("printer-state", ipp.PRINTER_IDLE) or ipp.PRINTER_IDLE), reasons,
                    bool(group.get("printer-is-accepting-jobs", True)))
