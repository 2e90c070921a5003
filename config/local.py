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
from dataclasses import replace
from pathlib import Path
from typing import Literal

from config.errors import ConfigError, from_section_error
from config.hall_look import check_emblem_path
from config.sections import Section, SectionError, section, setting

DEFAULTS_DIR = Path(__file__).parent / "defaults"
DEMO_CONFIG = DEFAULTS_DIR / "demo.toml"

DEVICE_SCHEMES = ("sim", "serial", "usb", "tcp", "file", "keyboard", "alsa")
A4PRINTER_SCHEMES = ("ipp", "cups", "sim")  # an IPP printer, a CUPS queue, the simulated IPP printer
SIZE_LIMITS = (320, 8192)  # pixels, each side of a panel


def _scheme(url: str) -> str:
    return url.split("://", 1)[0] if "://" in url else ""


def _device_url(url: str) -> str:
    if _scheme(url) not in DEVICE_SCHEMES:
        expected = ", ".join(f"{s}://…" for s in DEVICE_SCHEMES)
        raise ValueError(f"expected a device URL starting with one of {expected}")
    return url


def _a4printer_url(url: str) -> str:
    url = url.strip()
    if url and _scheme(url) not in A4PRINTER_SCHEMES:
        expected = ", ".join(f"{s}://…" for s in A4PRINTER_SCHEMES)
        raise ValueError(f"expected an A4 printer URL starting with one of {expected}, or \"\" for none")
    return url


@section
class KioskIdentity(Section):
    id: str = setting(pattern=r"^[A-Z0-9][A-Z0-9-]{2,31}$", description="Fleet-wide kiosk id")
    hall_name_zh: str = setting("厦门市行政服务中心", min_length=1)
    hall_name_en: str = setting("Xiamen Administrative Service Center", min_length=1)
    zone: Literal["hall", "24h"] = setting("hall", description="hall kiosk or unattended 24-hour zone")
    group: str = setting("default", pattern=r"^[a-z0-9][a-z0-9-]{0,31}$", description="roll-out group")
    hotline: str = setting("12345", pattern=r"^[0-9-]{3,20}$")
    emblem: str = setting("", check=check_emblem_path, description="the hall's emblem in the header: absolute "
                                                                  "path of a PNG or SVG file; empty: the kiosk's own")
    location: str = setting("", max_length=60, description="where the kiosk stands, for staff called to it")
    center_domain: str = setting("zwfw.xm.gov.cn", description="domain whose scanned URLs are trusted")
    nearest_alternative_zh: str = "请前往一楼24小时自助服务区或人工服务台"
    nearest_alternative_en: str = "Please use the 24-hour self-service zone on the ground floor or the staff desk"


@section
class DeviceSettings(Section):
    idcard: str = setting("sim://idcard", check=_device_url, description="ID card reader URL")
    printer: str = setting("sim://printer", check=_device_url, description="receipt printer URL")
    scanner: str = setting("sim://scanner", check=_device_url, description="QR/barcode scanner URL")
    speaker: str = setting("sim://speaker", check=_device_url,
                           description="loudspeaker URL: alsa://default, or sim://speaker")
    a4printer: str = setting("", check=_a4printer_url,
                             description="A4 printer for certificates: ipp://host:631/ipp/print, cups://QUEUE, "
                                         "sim://a4printer; empty: this kiosk has none")
    printer_profile: Literal["58mm", "80mm"] = "80mm"


@section
class GatewaySettings(Section):
    url: str = setting("http://127.0.0.1:8765", pattern=r"^https?://", description="hall gateway base URL")
    token: str | None = setting(None, description="this kiosk's secret (or use token_file)")
    token_file: Path | None = None
    connect_timeout_s: float = setting(2.0, gt=0, le=30)
    read_timeout_s: float = setting(8.0, gt=0, le=120)
    ca_file: Path | None = setting(None, description="CA bundle for a TLS gateway")
    embedded: bool = setting(False, description="start the reference gateway beside the kiosk (demo)")
    public_url: str = setting("", pattern=r"^(https?://\S+)?$",
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


@section
class SessionSettings(Section):
    idle_timeout_s: int = setting(60, ge=10, le=600, description="idle seconds before the countdown")
    countdown_s: int = setting(15, ge=5, le=60, description="seconds the 'need more time?' overlay shows")
    priority_age: int = setting(65, ge=50, le=100, description="age from which the green channel is offered")
    payment_timeout_s: int = setting(300, ge=60, le=1800)
    # Well inside kiosk.service's TimeoutStopSec=15, so systemd never has to kill the kiosk.
    stop_grace_s: float = setting(8.0, ge=0, le=12, description="on stop/restart, seconds a citizen's session "
                                "may still run before the kiosk quits anyway")


@section
class SecuritySettings(Section):
    trusted_keys: list[str] = setting(default_factory=list, description="base64 Ed25519 public keys")
    technician_pin_hash: str | None = setting(None, description="scrypt hash made by `kiosk config pin-hash`")


@section
class FleetSettings(Section):
    """How often this kiosk talks to the fleet: heartbeats and asking for a newer configuration bundle."""

    heartbeat_s: float = setting(60.0, ge=10, le=3600, description="seconds between heartbeats")
    bundle_poll_s: float = setting(300.0, ge=30, le=86400,
                                 description="seconds between asking the gateway for a newer bundle")


@section
class LoggingSettings(Section):
    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    max_bytes: int = setting(5_000_000, ge=10_000)
    backups: int = setting(5, ge=1, le=50)


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


def _panel_size(size: str) -> str:
    parse_size(size)
    return size


@section
class DisplaySettings(Section):
    """The panel: how the compositor turns it and how big the 1080-wide design is drawn on it (kiosk/shell/panel.py)."""

    rotation: Literal[0, 90, 180, 270] = setting(
        0, description="degrees clockwise the compositor (cage) turns the picture; 90 or 270 for a portrait "
                       "kiosk whose panel reports itself as landscape")
    orientation: Literal["portrait", "landscape"] = setting(
        "portrait", description="how the citizen sees the screen: portrait (standing kiosk) or landscape (counter-top)")
    scale: float | None = setting(None, ge=0.3, le=4.0,
                                description="panel pixels per design pixel; default: what the panel's size allows")
    size: str | None = setting(None, check=_panel_size, description="the panel's size as WIDTHxHEIGHT (windowed "
                                                                   "runs and the tour; otherwise read from the display)")


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


def _periods(periods: list[str]) -> list[str]:
    for period in periods:
        parse_period(period)
    return periods


@section
class VoiceSettings(Section):
    """Spoken guidance (devices/speaker): catalogue prompts and the card tone through the loudspeaker."""

    enabled: bool = setting(True, description="speak at all (off: no prompts and no tones)")
    volume: int = setting(80, ge=0, le=100, description="per cent of the loudest")
    quiet_hours: list[str] = setting(default_factory=list, check=_periods,
                                     description='hall-time periods, e.g. ["21:00-07:00"], when quiet_volume applies')
    quiet_volume: int = setting(0, ge=0, le=100, description="per cent during quiet hours; 0 is silence")
    rate: int = setting(175, ge=80, le=260, description="words (Mandarin: syllables) per minute")
    automatic: Literal["elderly", "always", "never"] = setting(
        "elderly", description="when a page says its instruction by itself; the speaker button works for anyone")
    card_tone: bool = setting(True, description="the tone when a card is read (the card page promises it)")

    def quiet_periods(self) -> tuple[tuple[dt.time, dt.time], ...]:
        return tuple(parse_period(period) for period in self.quiet_hours)


@section
class KioskSettings(Section):
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
        settings = KioskSettings.from_table(data)
    except SectionError as exc:
        raise from_section_error(source, exc) from None
    if base_dir is not None and not settings.state_dir.is_absolute():
        settings = replace(settings, state_dir=(base_dir / settings.state_dir).resolve())
    if settings.gateway.token_file is not None and not settings.gateway.token_file.is_absolute() and base_dir:
        settings = replace(settings, gateway=replace(settings.gateway, token_file=base_dir / settings.gateway.token_file))
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
    try:  # the other sections are `kiosk run`'s to check
        return DisplaySettings.from_table(data.get("display", {}))
    except SectionError as exc:
        raise from_section_error(path, exc, ("display",)) from None


DEMO_24H_KIOSK = ("XM-24H-001", "demo-24h-001-secret")
"""The demo gateway's kiosk in the 24-hour self-service zone (gateway/kiosks.py registers it)."""


def demo_settings(state_dir: Path, zone: Literal["hall", "24h"] = "hall") -> KioskSettings:
    """The demo configuration with its state in ``state_dir``; ``zone="24h"``: the 24-hour zone's kiosk,
    whose services are offered at any hour (the hall's are not at night or at the weekend)."""
    settings = load_settings(DEMO_CONFIG)
    if zone == "24h":
        kiosk_id, token = DEMO_24H_KIOSK
        settings = replace(settings, kiosk=replace(settings.kiosk, id=kiosk_id, zone="24h"),
                           gateway=replace(settings.gateway, token=token))
        state_dir = state_dir.with_name(f"{state_dir.name}-24h")  # its own outbox, records and logs
    return replace(settings, state_dir=state_dir)
