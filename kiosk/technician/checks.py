"""The check model shared by the diagnostics screen and ``kiosk diag``: one line of a diagnosis, and the checks.

A check takes a :class:`DeviceConfig` (where the devices are, and the configuration file) and returns
:class:`CheckResult` lines. ``kiosk diag`` runs every check in :data:`CHECKS`; areas add theirs with
:func:`add_check` (kiosk/technician/headless.py adds the device checks and the screen's other checks).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

SIM_URLS = {"idcard": "sim://idcard?pace=1", "printer": "sim://printer", "scanner": "sim://scanner"}
A4_SIM_URL = "sim://a4printer"  # the A4 printer, as the demo has it (a kiosk's configuration may have none)


@dataclass
class DeviceConfig:
    """Where the devices are, as the checks and the device commands see it."""

    urls: dict[str, str]
    printer_profile: str = "80mm"
    center_domain: str = "zwfw.xm.gov.cn"
    state_dir: str | None = None
    settings_file: str | None = None  # the --config file, for checks that need more than the devices

    def device_options(self) -> dict[str, Any]:
        """The options every device driver takes (``devices.registry.create_device``)."""
        return {"state_dir": self.state_dir, "profile": self.printer_profile, "center_domain": self.center_domain}


@dataclass(frozen=True)
class CheckResult:
    """One line of the diagnosis."""

    name: str
    ok: bool
    text: str
    level: str = "external"


@dataclass(frozen=True)
class Finding(CheckResult):
    """One line of the diagnosis, with its screen section and machine-readable data (JSON-ready)."""

    section: str = ""
    data: dict[str, Any] = field(default_factory=dict)


Check = Callable[[DeviceConfig], list[CheckResult]]
CHECKS: list[Check] = []


def add_check(check: Check) -> Check:
    """Add a check to `kiosk diag` (usable as a decorator)."""
    CHECKS.append(check)
    return check


def run_checks(config: DeviceConfig) -> list[CheckResult]:
    """Every check in turn; a check that breaks is one failed line, never the end of the diagnosis."""
    results: list[CheckResult] = []
    for check in CHECKS:
        try:
            results += check(config)
        except Exception as exc:  # a broken check must not hide the others
            results.append(CheckResult(getattr(check, "__name__", "check"), False, f"check failed: {exc!r}"))
    return results
