"""Kiosk fleet: the heartbeat a kiosk sends, the bundle reports, and the admins' roll-out answers.

The heartbeat travels through the kiosk's outbox as a ``telemetry`` entry (``POST
/outbox/telemetry``). Unlike other requests it ignores fields it does not know: an older gateway
must not refuse (and so make the kiosk park forever) the telemetry of a newer kiosk.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from contract.base import Request, Response

GroupName = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,31}$", description="roll-out group, e.g. canary")
MAX_VERSION = 2**53 - 1  # config.bundle.MAX_CONFIG_VERSION: exact in every JSON parser
DEVICE_STATES = ("idle", "busy", "error", "offline", "closed", "absent")


class _Telemetry(BaseModel):
    model_config = ConfigDict(extra="ignore")


class DeviceReport(_Telemetry):
    """One device as the kiosk sees it; ``last_error`` is a technician's text, already redacted."""

    state: str = Field(max_length=20, description="idle, busy, error, offline, closed or absent")
    last_error: str | None = Field(None, max_length=300)
    statistics: dict[Annotated[str, Field(max_length=40)], float] = Field(
        default_factory=dict, max_length=32, description="the device's own counters")
    conditions: str | None = Field(None, max_length=200,
                                   description="a printer's state and reasons: 'idle; toner-low-report'")


class PaperReport(_Telemetry):
    state: Literal["ok", "near_end", "out", "unknown"] = "unknown"
    left_percent: float | None = Field(None, ge=0, le=100, description="estimated paper left on the roll")
    tickets_left: int | None = Field(None, ge=0, description="estimated receipts that still fit on the roll")


class OutboxReport(_Telemetry):
    pending: int = Field(0, ge=0)
    parked: int = Field(0, ge=0)
    unfinished: int = Field(0, ge=0, description="entries not yet acknowledged by the gateway")


class RefusalReport(_Telemetry):
    """The last signed bundle this kiosk refused (``config.bundle.Reason`` codes)."""

    reason: str = Field(max_length=40)
    message: str = Field("", max_length=500)
    version: int | None = None
    at: str = Field("", max_length=40)
    count: int = Field(1, ge=1)


class RollbackReport(_Telemetry):
    """A bundle that could not bring the screens up, and what the kiosk went back to."""

    failed_version: int = Field(0, ge=0, le=MAX_VERSION)
    restored_version: int = Field(0, ge=0, le=MAX_VERSION)
    why: str = Field("", max_length=300)
    at: str = Field("", max_length=40)


class ConfigReport(_Telemetry):
    installed_version: int = Field(0, ge=0, le=MAX_VERSION, description="configuration bundle in force (0: shipped defaults)")
    accepted_version: int = Field(0, ge=0, le=MAX_VERSION)
    last_good_version: int = Field(0, ge=0, le=MAX_VERSION)
    pending_version: int | None = Field(None, ge=0, le=MAX_VERSION)
    awaiting_confirmation: int | None = Field(None, ge=0, le=MAX_VERSION)
    last_refusal: RefusalReport | None = None
    last_rollback: RollbackReport | None = None


class KioskAlert(_Telemetry):
    """Something the kiosk itself asks the hall's staff to look at (e.g. ``staff_called``: a citizen pressed for help).

    The console lists and filters by any code it has seen; the gateway's own alerts (offline, paper,
    devices …) take precedence over a kiosk alert with the same code.
    """

    code: str = Field(pattern=r"^[a-z][a-z0-9_]{1,39}$")
    level: Literal["warning", "error"] = "warning"
    zh: str = Field(max_length=80, description="what the staff see, in Chinese")
    en: str = Field("", max_length=120)


class Heartbeat(_Telemetry):
    """Payload of a ``telemetry`` outbox entry: how one kiosk is doing."""

    kind: Literal["heartbeat"] = "heartbeat"
    kiosk_id: str = Field(max_length=32)
    group: str = GroupName
    sent_at: str = Field(max_length=40, description="the kiosk's clock when it made this heartbeat (ISO 8601)")
    app_version: str = Field(max_length=40)
    config: ConfigReport = Field(default_factory=ConfigReport)
    devices: dict[str, DeviceReport] = Field(default_factory=dict, max_length=8)
    paper: PaperReport = Field(default_factory=PaperReport)
    outbox: OutboxReport = Field(default_factory=OutboxReport)
    last_errors: list[Annotated[str, Field(max_length=300)]] = Field(default_factory=list, max_length=10,
                                                                     description="recent log errors, redacted")
    uptime_s: int = Field(0, ge=0)
    alerts: list[KioskAlert] = Field(default_factory=list, max_length=8,
                                     description="alerts the kiosk raises itself, e.g. staff_called")
    online: bool = True
    maintenance: Literal["off", "technician", "planned"] = Field(
        "off", description="whether citizens see the out-of-service screen: a technician's maintenance mode, "
                           "or a planned window of the configuration bundle")


class BundleReport(Request):
    """Body of ``POST /fleet/reports``: what a kiosk did with a bundle it fetched."""

    version: int | None = Field(None, ge=0, le=MAX_VERSION, strict=True)
    outcome: Literal["staged", "applied", "refused", "rolled_back"]
    reason: str = Field("", max_length=40, description="refusal code (config.bundle.Reason) when refused")
    message: str = Field("", max_length=500)
    group: str = GroupName


class ReportAck(Response):
    recorded: bool = True


class PublishRequest(Request):
    """Body of ``POST /fleet/bundles`` (``kiosk-admin publish`` and the console's upload)."""

    group: str = Field(pattern=r"^(\*|[a-z0-9][a-z0-9-]{0,31})$",
                       description="first roll-out stage: a group (canary) or * for every kiosk")
    bundle: dict[str, Any] = Field(description="the signed bundle document as made by `kiosk-admin bundle sign`")


class RolloutView(Response):
    """One published bundle and how far it has gone."""

    version: int
    digest: str
    key_id: str | None
    groups: list[str] = Field(description="groups the signed header targets")
    files: list[str]
    stage: Literal["canary", "everyone", "superseded"]
    published_to: str
    published_at: str
    promoted_at: str | None = None
    expires_at: str
    applied: int = Field(0, description="kiosks that report this version installed")
    refused: int = Field(0, description="kiosks that refused or rolled back this version")


class PromoteRequest(Request):
    version: int = Field(ge=1, le=MAX_VERSION, strict=True)
