"""What a signed remote bundle can change on a kiosk, and how its files are validated.

A bundle carries a folder of TOML files; each file fills some parts of :class:`RemoteConfig`:

==================== ==========================================================================
``catalogue.toml``   the service catalogue (same form as ``config/defaults/catalogue.toml``)
``calendar.toml``    the opening-hours calendar (same form as ``config/defaults/calendar.toml``)
``announcements.toml`` ``[[announcements]]``: banner texts in Chinese and English with a time window
``settings.toml``    ``theme``, ``[timeouts]``, ``[receipts]``, ``[features]``, ``[voice]``, ``[hall]``
``maintenance.toml`` ``[[windows]]``: planned pauses; the kiosk is out of service in each window
==================== ==========================================================================

Every part is optional. A part the bundle does not carry means *the kiosk's own default* (the
shipped catalogue and calendar, the timeouts of the local file), never "whatever an earlier bundle
said": a kiosk's configuration is a function of the one bundle it has installed, so a kiosk that
missed a bundle while offline ends up exactly like its neighbours once it gets the newest one.
Admins therefore keep the whole desired configuration in the folder they build from.
"""

from __future__ import annotations

import tomllib
import unicodedata
from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeAlias

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    ValidationError,
    field_validator,
    model_validator,
)

from config.calendar import CalendarError, HallCalendar, load_calendar, parse_calendar
from config.catalogue import Catalogue, load_default_catalogue
from config.errors import ConfigError, from_section_error, from_validation_error
from config.hall_look import HallLook
from config.local import SessionSettings, VoiceSettings
from config.sections import Section, SectionError

Theme = Literal["standard", "high-contrast"]
"""standard: the hall's blue look; high-contrast: the elderly-mode palette at normal type size."""

RECEIPT_COLUMNS = 48
"""Widest receipt line in printer columns (80 mm paper, font A); a CJK character takes two."""


class _Part(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _local_bound(name: str) -> Any:
    # The bounds are those of the local file's [session] section, so a bundle can never set a
    # timeout that a technician could not have set by hand.
    limits = SessionSettings.limits(name)
    return Annotated[int | None, Field(None, description=limits.description, ge=limits.ge, le=limits.le)]


def _kiosk_section(kind: type[Section]) -> Any:
    # A section of the kiosk's own (config/sections.py) as a part of a bundle: it checks itself, and
    # config.errors lists its problems each under its key.
    def made(value: object) -> Section:
        return value if isinstance(value, kind) else kind.from_table(value)

    return Annotated[kind, PlainValidator(made)]


if TYPE_CHECKING:  # what the bounds are is read from the local file's fields when the module loads
    IdleSeconds: TypeAlias = int | None
    CountdownSeconds: TypeAlias = int | None
    PaymentSeconds: TypeAlias = int | None
    CatalogueSection: TypeAlias = Catalogue
    HallSection: TypeAlias = HallLook
    VoiceSection: TypeAlias = VoiceSettings
else:
    IdleSeconds = _local_bound("idle_timeout_s")
    CountdownSeconds = _local_bound("countdown_s")
    PaymentSeconds = _local_bound("payment_timeout_s")
    CatalogueSection = _kiosk_section(Catalogue)
    HallSection = _kiosk_section(HallLook)
    VoiceSection = _kiosk_section(VoiceSettings)


class Timeouts(_Part):
    """Session timeouts; a key left out keeps the value of the kiosk's local file."""

    idle_timeout_s: IdleSeconds
    countdown_s: CountdownSeconds
    payment_timeout_s: PaymentSeconds

    def over(self, local: SessionSettings) -> SessionSettings:
        """The local session settings with this bundle's timeouts laid over them."""
        return replace(local, **self.model_dump(exclude_none=True))


def print_width(line: str) -> int:
    """Printer columns a line takes: East Asian wide and full-width characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)


ReceiptLines = Annotated[list[str], Field(max_length=6)]


class ReceiptTemplate(_Part):
    """Fixed lines printed above and below every receipt, per language."""

    header_zh: ReceiptLines = Field(default_factory=list)
    header_en: ReceiptLines = Field(default_factory=list)
    footer_zh: ReceiptLines = Field(default_factory=list)
    footer_en: ReceiptLines = Field(default_factory=list)

    @field_validator("header_zh", "header_en", "footer_zh", "footer_en")
    @classmethod
    def _fits_the_paper(cls, lines: list[str]) -> list[str]:
        for line in lines:
            if any(unicodedata.category(ch) == "Cc" for ch in line):
                raise ValueError(f"expected printable text without control characters, got {line!r}")
            if print_width(line) > RECEIPT_COLUMNS:
                raise ValueError(
                    f"expected at most {RECEIPT_COLUMNS} printer columns per line (a Chinese character "
                    f"takes two), got {print_width(line)} in {line!r}"
                )
        return lines

    def header(self) -> tuple[str, ...]:
        """The lines above a receipt: Chinese, then English (every receipt of the kiosk is bilingual)."""
        return _both(self.header_zh, self.header_en)

    def footer(self) -> tuple[str, ...]:
        """The lines below a receipt: Chinese, then English."""
        return _both(self.footer_zh, self.footer_en)


def _both(zh: list[str], en: list[str]) -> tuple[str, ...]:
    # An admin may give one language only, or the same line in both lists: print it once.
    return tuple(dict.fromkeys([*zh, *en]))


class Features(_Part):
    """Switches for whole journeys; the defaults are what a kiosk does without a bundle."""

    payment: bool = Field(True, description="fee payment journey offered")
    ems_mailing: bool = Field(True, description="citizens may have documents mailed by EMS")

    def switched_off(self) -> frozenset[str]:
        """Journeys (catalogue ``journey`` names) this kiosk must not offer."""
        return frozenset(name for name, on in self if not on)


class Settings(_Part):
    """The form of ``settings.toml``."""

    theme: Theme | None = None
    timeouts: Timeouts | None = None
    receipts: ReceiptTemplate | None = None
    features: Features | None = None
    voice: VoiceSection | None = None
    hall: HallSection | None = None


class _Window(_Part):
    """Something in force from ``from`` (inclusive) until ``until`` (exclusive), both with their offset."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,40}$")
    starts: AwareDatetime = Field(alias="from")
    until: AwareDatetime

    @model_validator(mode="after")
    def _window(self) -> _Window:
        if self.until <= self.starts:
            raise ValueError(f"expected 'until' after 'from' ({self.starts.isoformat()}), got {self.until.isoformat()}")
        return self

    def shown_at(self, moment: datetime) -> bool:
        return self.starts <= moment < self.until


def _once_each(items: list[Any]) -> list[Any]:
    seen: set[str] = set()
    for item in items:
        if item.id in seen:
            raise ValueError(f"expected each id once, got {item.id!r} twice")
        seen.add(item.id)
    return items


UniqueIds = AfterValidator(_once_each)


class Announcement(_Window):
    """A banner text shown from ``from`` (inclusive) until ``until`` (exclusive)."""

    text_zh: str = Field(min_length=1, max_length=200)
    text_en: str = Field(min_length=1, max_length=400)
    level: Literal["info", "warning"] = "info"


class Announcements(_Part):
    """The form of ``announcements.toml``."""

    announcements: Annotated[list[Announcement], Field(max_length=20), UniqueIds]


MAX_MAINTENANCE = timedelta(days=3)
"""Longest planned pause: closures for holidays belong in the calendar; a longer window is a typo."""


class MaintenanceWindow(_Window):
    """A planned pause: from ``from`` until ``until`` citizens see the out-of-service screen with this text."""

    text_zh: str = Field("系统维护", min_length=1, max_length=60)
    text_en: str = Field("System maintenance", min_length=1, max_length=120)

    @model_validator(mode="after")
    def _not_too_long(self) -> MaintenanceWindow:
        if self.until - self.starts > MAX_MAINTENANCE:
            raise ValueError(f"expected a window of at most {MAX_MAINTENANCE.days} days, got "
                             f"{self.starts.isoformat()} to {self.until.isoformat()} (closures belong in the calendar)")
        return self


class MaintenanceWindows(_Part):
    """The form of ``maintenance.toml``."""

    windows: Annotated[list[MaintenanceWindow], Field(max_length=20), UniqueIds]


class RemoteConfig(_Part):
    """Everything a bundle can set. ``None`` means the part is not in the bundle: use the default."""

    catalogue: CatalogueSection | None = None
    calendar: HallCalendar | None = None
    announcements: tuple[Announcement, ...] | None = None
    theme: Theme | None = None
    timeouts: Timeouts | None = None
    receipts: ReceiptTemplate | None = None
    features: Features | None = None
    maintenance: tuple[MaintenanceWindow, ...] | None = None
    voice: VoiceSection | None = None  # the whole [voice] section, in place of the local file's
    hall: HallSection | None = None  # the hall's name and emblem in the header, over the local file's

    def parts(self) -> list[str]:
        """Names of the parts this configuration carries."""
        return [name for name in type(self).model_fields if getattr(self, name) is not None]

    def effective_catalogue(self) -> Catalogue:
        return self.catalogue or load_default_catalogue()

    def effective_calendar(self) -> HallCalendar:
        return self.calendar or _default_calendar()

    def effective_features(self) -> Features:
        return self.features or Features()

    def effective_theme(self) -> Theme:
        return self.theme or "standard"

    def effective_receipts(self) -> ReceiptTemplate:
        """The bundle's receipt lines, or none at all (the kiosk's own receipts are complete)."""
        return self.receipts or ReceiptTemplate()

    def voice_settings(self, local: VoiceSettings) -> VoiceSettings:
        """The bundle's ``[voice]`` section, or the local file's when the bundle has none."""
        return self.voice or local

    def session_settings(self, local: SessionSettings) -> SessionSettings:
        """The local ``[session]`` settings with the bundle's timeouts over them."""
        return self.timeouts.over(local) if self.timeouts else local

    def announcements_at(self, moment: datetime) -> list[Announcement]:
        """The announcements to show at ``moment`` (an aware datetime), in bundle order."""
        return [a for a in self.announcements or () if a.shown_at(moment)]

    def maintenance_at(self, moment: datetime) -> MaintenanceWindow | None:
        """The planned pause in force at ``moment``, if any (the one ending last when they overlap)."""
        current = [w for w in self.maintenance or () if w.shown_at(moment)]
        return max(current, key=lambda w: w.until) if current else None

    def next_maintenance_edge(self, moment: datetime) -> datetime | None:
        """The next moment after ``moment`` a maintenance window starts or ends."""
        edges = [edge for window in self.maintenance or () for edge in (window.starts, window.until) if edge > moment]
        return min(edges, default=None)


@cache
def _default_calendar() -> HallCalendar:
    return load_calendar()


NO_REMOTE_CONFIG = RemoteConfig()
"""What a kiosk runs with before any bundle was installed: every part at its default."""

BUNDLE_FILES: tuple[str, ...] = ("catalogue.toml", "calendar.toml", "announcements.toml", "settings.toml",
                                 "maintenance.toml")


def parse_bundle_files(files: Mapping[str, str], source: str = "bundle") -> RemoteConfig:
    """Validate a bundle's files (name → TOML text) into a :class:`RemoteConfig`.

    Raises :class:`ConfigError` listing every problem as ``file: key …`` so an admin can fix
    the folder in one go.
    """
    problems: list[str] = []
    parts: dict[str, Any] = {}
    for name in sorted(files):
        if name not in BUNDLE_FILES:
            problems.append(f"{name}: not a bundle file (expected one of {', '.join(BUNDLE_FILES)})")
            continue
        try:
            data = tomllib.loads(files[name])
        except tomllib.TOMLDecodeError as exc:
            problems.append(f"{name}: not valid TOML: {exc}")
            continue
        try:
            parts.update(_parse_file(name, data))
        except ConfigError as exc:
            problems += [f"{name}: {line}" for line in exc.problems]
    if problems:
        raise ConfigError(source, problems)
    return RemoteConfig(**parts)


def _parse_file(name: str, data: dict[str, Any]) -> dict[str, Any]:
    try:
        if name == "catalogue.toml":
            return {"catalogue": Catalogue.from_table(data)}
        if name == "calendar.toml":
            try:
                return {"calendar": parse_calendar(data)}
            except CalendarError as exc:
                raise ConfigError(name, [str(exc)]) from None
        if name == "announcements.toml":
            return {"announcements": tuple(Announcements.model_validate(data).announcements)}
        if name == "maintenance.toml":
            return {"maintenance": tuple(MaintenanceWindows.model_validate(data).windows)}
        settings = Settings.model_validate(data)
        return {key: value for key, value in settings if value is not None}
    except ValidationError as exc:
        raise from_validation_error(name, exc) from None
    except SectionError as exc:
        raise from_section_error(name, exc) from None
