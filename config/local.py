"""The kiosk's local configuration file (TOML): who this kiosk is and where its things are.

Every setting is declared once here, with its type, default and meaning. Unknown keys are
errors that name the key, so a typo never silently falls back to a default.

Sections: ``[kiosk]`` identity, ``[devices]`` device URLs, ``[gateway]`` the hall gateway,
``[session]`` citizen timeouts, ``[security]`` trusted bundle keys and the technician PIN,
``[fleet]`` heartbeat and bundle-poll intervals, ``[logging]``, ``[display]`` the panel (rotation,
orientation, scale), ``[voice]`` spoken guidance (on/off, volume, quiet hours). ``config/defaults/demo.toml``
shows each of them.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from config.errors import ConfigError, from_validation_error
from config.hall_look import check_emblem_path

DEFAULTS_DIR = Path(__file__).parent / "defaults"
DEMO_CONFIG = DEFAULTS_DIR / "demo.toml"

DEVICE_SCHEMES = ("sim", "serial", "usb", "tcp", "file", "keyboard", "alsa")
A4PRINTER_SCHEMES = ("ipp", "cups", "sim")  # an IPP printer, a CUPS queue, the simulated IPP printer
SIZE_LIMITS = (320, 8192)  # pixels, each side of a panel


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class KioskIdentity(_Section):
    id: Annotated[str, Field(pattern=r"^[A-Z0-9][A-Z0-9-]{2,31}$", description="Fleet-wide kiosk id")]
    hall_name_zh: str = Field("厦门市行政服务中心", min_length=1)
    hall_name_en: str = Field("Xiamen Administrative Service Center", min_length=1)
    zone: Literal["hall", "24h"] = Field("hall", description="hall kiosk or unattended 24-hour zone")
    group: str = Field("default", pattern=r"^[a-z0-9][a-z0-9-]{0,31}$", description="roll-out group")
    hotline: str = Field("12345", pattern=r"^[0-9-]{3,20}$")
    emblem: str = Field("", description="the hall's emblem in the header: absolute path of a PNG or SVG file; "
                                        "empty: the kiosk's own")
    location: str = Field("", max_length=60, description="where the kiosk stands, for staff called to it")
    center_domain: str = Field("zwfw.xm.gov.cn", description="domain whose scanned URLs are trusted")
    nearest_alternative_zh: str = "请前往一楼24小时自助服务区或人工服务台"
    nearest_alternative_en: str = "Please use the 24-hour self-service zone on the ground floor or the staff desk"


    @field_validator("emblem")
    @classmethod
    def _emblem(cls, path: str) -> str:
        return check_emblem_path(path)


class DeviceSettings(_Section):
    idcard: str = Field("sim://idcard", description="ID card reader URL")
    printer: str = Field("sim://printer", description="receipt printer URL")
    scanner: str = Field("sim://scanner", description="QR/barcode scanner URL")
    speaker: str = Field("sim://speaker", description="loudspeaker URL: alsa://default, or sim://speaker")
    a4printer: str = Field("", description="A4 printer for certificates: ipp://host:631/ipp/print, cups://QUEUE, "
                                           "sim://a4printer; empty: this kiosk has none")
    printer_profile: Literal["58mm", "80mm"] = "80mm"

    @field_validator("idcard", "printer", "scanner", "speaker")
    @classmethod
    def _known_scheme(cls, url: str) -> str:
        scheme = url.split("://", 1)[0] if "://" in url else ""
        if scheme not in DEVICE_SCHEMES:
            expected = ", ".join(f"{s}://…" for s in DEVICE_SCHEMES)
            raise ValueError(f"expected a device URL starting with one of {expected}")
        return url

    @field_validator("a4printer")
    @classmethod
    def _a4_scheme(cls, url: str) -> str:
        url = url.strip()
        scheme = url.split("://", 1)[0] if "://" in url else ""
        if url and scheme not in A4PRINTER_SCHEMES:
            expected = ", ".join(f"{s}://…" for s in A4PRINTER_SCHEMES)
            raise ValueError(f"expected an A4 printer URL starting with one of {expected}, or \"\" for none")
        return url


class GatewaySettings(_Section):
    url: str = Field("http://127.0.0.1:8765", pattern=r"^https?://", description="hall gateway base URL")
    token: str | None = Field(None, description="this kiosk's secret (or use token_file)")
    token_file: Path | None = None
    connect_timeout_s: float = Field(2.0, gt=0, le=30)
    read_timeout_s: float = Field(8.0, gt=0, le=120)
    ca_file: Path | None = Field(None, description="CA bundle for a TLS gateway")
    embedded: bool = Field(False, description="start the reference gateway beside the kiosk (demo)")
    public_url: str = Field("", pattern=r"^(https?://\S+)?$",
                            description="the gateway's address as citizens' phones reach it (QR codes of guides "
                                        "and results); empty: the same as url")

    def phone_url(self, path: str) -> str:
        """Absolute URL of a gateway page for a citizen's phone."""
        return (self.public_url or self.url).rstrip("/") + path

    def secret(self) -> str:
        """The kiosk's token, read from token_file when one is configured."""
        if self.token_file is not None:
            return self.token_file.read_text(encoding="utf-8").strip()
        return self.token or ""


class SessionSettings(_Section):
    idle_timeout_s: int = Field(60, ge=10, le=600, description="idle seconds before the countdown")
    countdown_s: int = Field(15, ge=5, le=60, description="seconds the 'need more time?' overlay shows")
    priority_age: int = Field(65, ge=50, le=100, description="age from which the green channel is offered")
    payment_timeout_s: int = Field(300, ge=60, le=1800)
    # Well inside kiosk.service's TimeoutStopSec=15, so systemd never has to kill the kiosk.
    stop_grace_s: float = Field(8.0, ge=0, le=12, description="on stop/restart, seconds a citizen's session "
                                "may still run before the kiosk quits anyway")


class SecuritySettings(_Section):
    trusted_keys: list[str] = Field(default_factory=list, description="base64 Ed25519 public keys")
    technician_pin_hash: str | None = Field(None, description="scrypt hash made by `kiosk config pin-hash`")


class FleetSettings(_Section):
    """How often this kiosk talks to the fleet: heartbeats and asking for a newer configuration bundle."""

    heartbeat_s: float = Field(60.0, ge=10, le=3600, description="seconds between heartbeats")
    bundle_poll_s: float = Field(300.0, ge=30, le=86400,
                                 description="seconds between asking the gateway for a newer bundle")


class LoggingSettings(_Section):
    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    max_bytes: int = Field(5_000_000, ge=10_000)
    backups: int = Field(5, ge=1, le=50)


def parse_size(text: str) -> tuple[int, int]:
    """``"1080x1920"`` → ``(1080, 1920)``; a ValueError that says what is expected otherwise."""
    width, sep, height = text.strip().lower().replace("×", "x").partition("x")
    low, high = SIZE_LIMITS
    if not sep or not width.isdigit() or not height.isdigit():
        raise ValueError(f"expected a size as WIDTHxHEIGHT in pixels, e.g. 1080x1920, not {text!r}")
    size = int(width), int(height)
    if not all(low <= side <= high for side in size):
        raise ValueError(f"each side of {text!r} must be between {low} and {high} pixels")
    return size


class DisplaySettings(_Section):
    """The panel: how the compositor turns it and how big the 1080-wide design is drawn on it (kiosk/shell/panel.py)."""

    rotation: Literal[0, 90, 180, 270] = Field(
        0, description="degrees clockwise the compositor (cage) turns the picture; 90 or 270 for a portrait "
                       "kiosk whose panel reports itself as landscape")
    orientation: Literal["portrait", "landscape"] = Field(
        "portrait", description="how the citizen sees the screen: portrait (standing kiosk) or landscape (counter-top)")
    scale: float | None = Field(None, ge=0.3, le=4.0,
                                description="panel pixels per design pixel; default: what the panel's size allows")
    size: str | None = Field(None, description="the panel's size as WIDTHxHEIGHT (windowed runs and the tour; "
                                               "otherwise read from the display)")

    @field_validator("size")
    @classmethod
    def _size(cls, size: str | None) -> str | None:
        if size is not None:
            parse_size(size)
        return size


def parse_period(text: str) -> tuple[dt.time, dt.time]:
    """``"21:00-07:00"`` → (21:00, 07:00), hall time; a period may run over midnight."""
    start, sep, end = str(text).replace("–", "-").partition("-")
    try:
        if not sep:
            raise ValueError
        period = dt.time.fromisoformat(start.strip()), dt.time.fromisoformat(end.strip())
    except ValueError:
        raise ValueError(f"quiet hours {text!r}: expected HH:MM-HH:MM in hall time, e.g. \"21:00-07:00\"") from None
    if period[0] == period[1]:
        raise ValueError(f"quiet hours {text!r} start and end at the same time")
    return period


class VoiceSettings(_Section):
    """Spoken guidance (devices/speaker): catalogue prompts and the card tone through the loudspeaker."""

    enabled: bool = Field(True, description="speak at all (off: no prompts and no tones)")
    volume: int = Field(80, ge=0, le=100, description="per cent of the loudest")
    quiet_hours: list[str] = Field(default_factory=list,
                                   description='hall-time periods, e.g. ["21:00-07:00"], when quiet_volume applies')
    quiet_volume: int = Field(0, ge=0, le=100, description="per cent during quiet hours; 0 is silence")
    rate: int = Field(175, ge=80, le=260, description="words (Mandarin: syllables) per minute")
    automatic: Literal["elderly", "always", "never"] = Field(
        "elderly", description="when a page says its instruction by itself; the speaker button works for anyone")
    card_tone: bool = Field(True, description="the tone when a card is read (the card page promises it)")

    @field_validator("quiet_hours")
    @classmethod
    def _periods(cls, periods: list[str]) -> list[str]:
        for period in periods:
            parse_period(period)
        return periods

    def quiet_periods(self) -> tuple[tuple[dt.time, dt.time], ...]:
        return tuple(parse_period(period) for period in self.quiet_hours)


class KioskSettings(_Section):
    """The whole local file. ``state_dir`` holds the database, statistics, logs and bundles."""

    kiosk: KioskIdentity
    state_dir: Path = Path("/var/lib/kiosk")
    language: Literal["zh", "en"] = "zh"
    devices: DeviceSettings = DeviceSettings()
    gateway: GatewaySettings = GatewaySettings()
    session: SessionSettings = SessionSettings()
    security: SecuritySettings = SecuritySettings()
    fleet: FleetSettings = FleetSettings()
    logging: LoggingSettings = LoggingSettings()
    display: DisplaySettings = DisplaySettings()
    voice: VoiceSettings = VoiceSettings()


def parse_settings(text: str, source: str | Path = "<text>", base_dir: Path | None = None) -> KioskSettings:
    """Validate TOML text. Relative paths are taken relative to ``base_dir`` (the file's folder)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(source, [f"not valid TOML: {exc}"]) from None
    try:
        settings = KioskSettings.model_validate(data)
    except ValidationError as exc:
        raise from_validation_error(source, exc) from None
    if base_dir is not None and not settings.state_dir.is_absolute():
        settings = settings.model_copy(update={"state_dir": (base_dir / settings.state_dir).resolve()})
    if settings.gateway.token_file is not None and not settings.gateway.token_file.is_absolute() and base_dir:
        gateway = settings.gateway.model_copy(update={"token_file": base_dir / settings.gateway.token_file})
        settings = settings.model_copy(update={"gateway": gateway})
    return settings


def load_settings(path: str | Path) -> KioskSettings:
    """Read and validate the local file; raises :class:`ConfigError`, never a bare traceback."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(path, ["file not found"]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(path, [f"cannot read: {exc}"]) from None
    return parse_settings(text, source=path, base_dir=path.parent)


class _DisplayOnly(_Section):
    model_config = ConfigDict(extra="ignore", frozen=True)  # the other sections are `kiosk run`'s to check

    display: DisplaySettings = DisplaySettings()


def load_display(path: str | Path) -> DisplaySettings:
    """Only the ``[display]`` section of the local file (for the session launcher, before anything else)."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(path, ["file not found"]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(path, [f"cannot read: {exc}"]) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(path, [f"not valid TOML: {exc}"]) from None
    try:
        return _DisplayOnly.model_validate(data).display
    except ValidationError as exc:
        raise from_validation_error(path, exc) from None


DEMO_24H_KIOSK = ("XM-24H-001", "demo-24h-001-secret")
"""The demo gateway's kiosk in the 24-hour self-service zone (gateway/kiosks.py registers it)."""


def demo_settings(state_dir: Path, zone: Literal["hall", "24h"] = "hall") -> KioskSettings:
    """The demo configuration with its state in ``state_dir``; ``zone="24h"``: the 24-hour zone's kiosk,
    whose services are offered at any hour (the hall's are not at night or at the weekend)."""
    settings = load_settings(DEMO_CONFIG)
    if zone == "24h":
        kiosk_id, token = DEMO_24H_KIOSK
        settings = settings.model_copy(update={
            "kiosk": settings.kiosk.model_copy(update={"id": kiosk_id, "zone": "24h"}),
            "gateway": settings.gateway.model_copy(update={"token": token}),
        })
        state_dir = state_dir.with_name(f"{state_dir.name}-24h")  # its own outbox, records and logs
    return settings.model_copy(update={"state_dir": state_dir})
