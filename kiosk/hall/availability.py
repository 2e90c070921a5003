"""The availability engine: for each service and moment, available or not, why, and what to do instead.

One place decides, from the journeys the kiosk's configuration switches off, the opening-hours calendar, the kiosk's zone, whether the gateway and the
payment channel are reachable, the devices' states, whether the outbox can take entries and how old
the cached content is. The home screen calls :meth:`AvailabilityEngine.evaluate_all` on every
relevant event and once a minute, and shows the reasons as given ("Closed until 08:30 Monday",
"Printing unavailable — send to your phone", "Payment paused: offline").

Inputs are plain dataclasses, so the engine runs and is tested without Qt, devices or network.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, get_args

from config.calendar import HallCalendar
from kiosk.hall.calendar import HoursMode, Wording, Zone, hall_status, is_offered

Capability = Literal["gateway", "payment", "identity", "idcard", "scanner", "printer", "outbox"]
"""What a service may need. ``identity`` is met by the ID card reader or, failing that, the QR scanner."""

CAPABILITIES: frozenset[str] = frozenset(get_args(Capability))

# What each journey of the catalogue needs (hard) and prefers (works without, with an alternative),
# and which cached content it can run on while offline.
JOURNEY_NEEDS: dict[str, tuple[frozenset[str], frozenset[str], tuple[str, ...]]] = {
    "queue_ticket": (frozenset({"gateway"}), frozenset({"printer"}), ()),
    "social_security": (frozenset({"gateway", "identity"}), frozenset({"printer"}), ()),
    "property": (frozenset({"gateway", "identity"}), frozenset({"printer"}), ()),
    "population": (frozenset({"gateway", "identity"}), frozenset({"printer"}), ()),
    "payment": (frozenset({"gateway", "payment", "outbox"}), frozenset({"printer", "scanner"}), ()),
    "guide": (frozenset(), frozenset({"printer"}), ("guides",)),
    "feedback": (frozenset({"outbox"}), frozenset(), ()),
    "ems_mailing": (frozenset({"outbox", "identity"}), frozenset(), ()),
}

DEFAULT_MAX_CONTENT_AGE_S = 7 * 24 * 3600.0


@dataclass(frozen=True)
class ServiceNeeds:
    """A service as the engine sees it."""

    id: str
    hours: HoursMode
    needs: frozenset[str] = frozenset()
    prefers: frozenset[str] = frozenset()
    content: tuple[str, ...] = ()
    journey: str = ""  # the catalogue journey; a configuration can switch a whole journey off

    def __post_init__(self) -> None:
        unknown = (self.needs | self.prefers) - CAPABILITIES
        if unknown:
            raise ValueError(f"service {self.id}: unknown capability {sorted(unknown)[0]!r}; "
                             f"expected one of {sorted(CAPABILITIES)}")
        if self.hours not in ("hall", "24h"):
            raise ValueError(f"service {self.id}: hours expected 'hall' or '24h', got {self.hours!r}")

    @classmethod
    def for_service(cls, service: Any) -> ServiceNeeds:
        """From a catalogue service (anything with ``id``, ``hours``, ``journey``, ``id_card_required``)."""
        journey = str(service.journey)
        if journey not in JOURNEY_NEEDS:
            raise ValueError(f"service {service.id}: journey {journey!r} has no declared needs; "
                             f"expected one of {sorted(JOURNEY_NEEDS)}")
        needs, prefers, content = JOURNEY_NEEDS[journey]
        if getattr(service, "id_card_required", False):
            needs = needs | {"identity"}
        return cls(service.id, service.hours, needs, prefers, content, journey)


@dataclass(frozen=True)
class DeviceStates:
    """Whether each device can be used right now (from the device hub's health)."""

    printer: bool = True
    idcard: bool = True
    scanner: bool = True


@dataclass(frozen=True)
class KioskConditions:
    """Everything about the kiosk the engine weighs, at one moment."""

    zone: Zone
    gateway_online: bool
    devices: DeviceStates = DeviceStates()
    payment_online: bool = True  # the finance department's channel, as the gateway reports it
    outbox_accepting: bool = True  # False when the outbox or the disk is full
    content_ages: Mapping[str, float | None] = field(default_factory=dict)  # seconds; None = never cached
    switched_off: frozenset[str] = frozenset()  # journeys the configuration bundle does not offer here


@dataclass(frozen=True)
class Availability:
    """The verdict for one service. ``code`` is stable for machines; texts are for the citizen."""

    service_id: str
    available: bool
    code: str
    reason: Wording | None = None
    alternative: Wording | None = None
    notices: tuple[Wording, ...] = ()
    opens_at: datetime | None = None


_ONLINE_ANYTIME = Wording(zh="许多事项可随时在“闽政通”App上办理", en="Many services can be done any time in the Minzhengtong app")
_TRY_LATER = Wording(zh="请稍后再试，或拨打12345咨询", en="Please try again later, or call 12345")
_OTHER_KIOSK = Wording(zh="请使用其他自助终端或到人工窗口办理", en="Please use another kiosk or the staff desk")
_PAY_BY_PHONE = Wording(zh="可用手机扫描缴款通知书上的二维码缴费", en="Pay on your phone by scanning the QR code on your payment notice")

_BLOCKED: dict[str, tuple[Wording, Wording]] = {
    "not_offered": (Wording(zh="本机暂不提供此服务", en="Not offered at this kiosk"), _OTHER_KIOSK),
    "offline": (Wording(zh="网络中断，暂停服务", en="Paused: kiosk offline"), _TRY_LATER),
    "payment_offline": (Wording(zh="网络中断，暂停缴费", en="Payment paused: offline"), _PAY_BY_PHONE),
    "payment_down": (Wording(zh="缴费系统暂停服务", en="Payment system paused"), _PAY_BY_PHONE),
    "identity": (Wording(zh="身份证阅读器和扫码器故障", en="ID reader & scanner down"), _OTHER_KIOSK),
    "idcard": (Wording(zh="身份证阅读器故障", en="ID card reader out of order"), _OTHER_KIOSK),
    "scanner": (Wording(zh="扫码器故障", en="Scanner out of order"), _OTHER_KIOSK),
    "printer": (Wording(zh="打印机故障", en="Printer out of order"), _OTHER_KIOSK),
    "outbox": (Wording(zh="本机暂时无法保存办理请求", en="Cannot store requests now"), _OTHER_KIOSK),
    "content_missing": (Wording(zh="离线状态下暂无此项信息", en="Not available while offline"), _TRY_LATER),
    "content_too_old": (Wording(zh="离线时间过长，信息可能已过时", en="Information may be outdated"), _TRY_LATER),
}
_PRINT_TO_PHONE = Wording(zh="打印暂不可用，可发送到手机", en="Printing unavailable — send to your phone")
_SCAN_INSTEAD = Wording(zh="身份证阅读器故障，请扫描电子证照二维码", en="ID card reader out of order — scan your e-ID QR code instead")
_TYPE_INSTEAD = Wording(zh="扫码器故障，请手动输入缴款编号", en="Scanner out of order — type the notice number instead")


def age_wording(age_s: float) -> Wording:
    """How old cached information is, in words: "3 hours ago" / "3小时前"."""
    minutes = int(age_s // 60)
    if minutes < 1:
        return Wording(zh="刚刚", en="just now")
    if minutes < 60:
        return Wording(zh=f"{minutes}分钟前", en=f"{minutes} min ago")
    hours = minutes // 60
    if hours < 48:
        return Wording(zh=f"{hours}小时前", en=f"{hours} hour{'s' if hours > 1 else ''} ago")
    return Wording(zh=f"{hours // 24}天前", en=f"{hours // 24} days ago")


class AvailabilityEngine:
    """Decides availability from the calendar and the kiosk's conditions; stateless between calls."""

    def __init__(self, calendar: HallCalendar, *, max_content_age_s: float = DEFAULT_MAX_CONTENT_AGE_S) -> None:
        """``max_content_age_s``: beyond this age, cached content is no longer offered while offline."""
        self.calendar = calendar
        self.max_content_age_s = max_content_age_s

    def evaluate_all(self, services: Iterable[ServiceNeeds], conditions: KioskConditions,
                     at: datetime) -> dict[str, Availability]:
        """The verdict for every service, keyed by service id."""
        return {service.id: self.evaluate(service, conditions, at) for service in services}

    def evaluate(self, service: ServiceNeeds, conditions: KioskConditions, at: datetime) -> Availability:
        """The verdict for one service at ``at`` (an aware datetime)."""
        if service.journey and service.journey in conditions.switched_off:
            # Before the hours: "closed until 08:30" would promise a service this kiosk will not give.
            reason, alternative = _BLOCKED["not_offered"]
            return Availability(service.id, False, "not_offered", reason, alternative)
        if not is_offered(self.calendar, service.hours, conditions.zone, at):
            status = hall_status(self.calendar, at)
            return Availability(service.id, False, "closed", status.wording(), _ONLINE_ANYTIME,
                                opens_at=status.opens_at)
        blocked = self._blocker(service, conditions)
        if blocked is not None:
            reason, alternative = _BLOCKED[blocked]
            return Availability(service.id, False, blocked, reason, alternative)
        notices = self._notices(service, conditions)
        return Availability(service.id, True, "degraded" if notices else "ok", notices=notices)

    def _blocker(self, service: ServiceNeeds, c: KioskConditions) -> str | None:
        needs = service.needs
        if "payment" in needs and not c.gateway_online:
            return "payment_offline"
        if "gateway" in needs and not c.gateway_online:
            return "offline"
        if "payment" in needs and not c.payment_online:
            return "payment_down"
        if "identity" in needs and not (c.devices.idcard or c.devices.scanner):
            return "identity"
        for device in ("idcard", "scanner", "printer"):
            if device in needs and not getattr(c.devices, device):
                return device
        if "outbox" in needs and not c.outbox_accepting:
            return "outbox"
        if not c.gateway_online:
            for kind in service.content:
                age = c.content_ages.get(kind)
                if age is None:
                    return "content_missing"
                if age > self.max_content_age_s:
                    return "content_too_old"
        return None

    def _notices(self, service: ServiceNeeds, c: KioskConditions) -> tuple[Wording, ...]:
        notices: list[Wording] = []
        wanted = service.needs | service.prefers
        if "printer" in service.prefers and not c.devices.printer:
            notices.append(_PRINT_TO_PHONE)
        if "identity" in wanted and not c.devices.idcard:
            notices.append(_SCAN_INSTEAD)
        if "scanner" in service.prefers and not c.devices.scanner:
            notices.append(_TYPE_INSTEAD)
        if not c.gateway_online and service.content:
            oldest = max(c.content_ages.get(kind) or 0.0 for kind in service.content)
            age = age_wording(oldest)
            notices.append(Wording(zh=f"离线模式：信息更新于{age.zh}", en=f"Offline: information from {age.en}"))
        return tuple(notices)
