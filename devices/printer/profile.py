"""Printer profiles: what a receipt printer can do, filled in from the kiosk's configuration.

Behaviour depends on the profile (paper width, native QR, cutter), never on ``if model == …``.
``profile_from_mapping`` validates a configuration table and names the key that is wrong.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any

from devices.errors import DeviceInitialisationError


@dataclass(frozen=True)
class PrinterProfile:
    """One printer model's capabilities.

    ``columns`` counts half-width (ASCII) characters of the normal font per line; a Chinese
    character takes two. ``native_qr`` chooses ``GS ( k`` over a raster image. ``four_byte_gb18030``
    says whether the printer's font has the characters outside GBK (most do not).
    """

    name: str
    paper_width_mm: int
    dots_per_line: int
    columns: int
    native_qr: bool = True
    cutter: bool = True
    chinese_mode_default: bool = False  # informational: FS & is sent before Chinese text anyway
    four_byte_gb18030: bool = False
    qr_module_size: int = 6
    line_height_mm: float = 3.75  # 30 dots at 203 dpi: the default line spacing
    near_end_warning: bool = True
    # GS r 1 is answered after the data before it has printed: the end-of-job mark. Printers that
    # ignore it would make every job wait for the job timeout, so it can be switched off.
    end_of_job_query: bool = True


PROFILES: dict[str, PrinterProfile] = {
    "58mm": PrinterProfile("58mm", paper_width_mm=58, dots_per_line=384, columns=32, qr_module_size=5),
    "80mm": PrinterProfile("80mm", paper_width_mm=80, dots_per_line=576, columns=48),
    "80mm-raster-qr": PrinterProfile(
        "80mm-raster-qr", paper_width_mm=80, dots_per_line=576, columns=48, native_qr=False
    ),
}


def profile_named(name: str) -> PrinterProfile:
    """A built-in profile by name; the error lists the known names."""
    try:
        return PROFILES[name]
    except KeyError:
        raise DeviceInitialisationError(
            f"unknown printer profile {name!r}; known: {', '.join(PROFILES)}", device="printer"
        ) from None


def profile_from_mapping(values: dict[str, Any]) -> PrinterProfile:
    """A profile from configuration: ``base`` names a built-in one, other keys override its fields."""
    values = dict(values)
    base = profile_named(str(values.pop("base", values.get("name", "80mm"))))
    known = {f.name: f for f in fields(PrinterProfile)}
    changes: dict[str, Any] = {}
    for key, value in values.items():
        if key not in known:
            raise DeviceInitialisationError(
                f"unknown printer profile key {key!r}; known: base, {', '.join(known)}", device="printer"
            )
        expected = type(getattr(base, key))
        if expected is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            raise DeviceInitialisationError(
                f"printer profile key {key!r} must be {expected.__name__}, got {value!r}", device="printer"
            )
        changes[key] = value
    profile = replace(base, **changes)
    if profile.columns < 16 or profile.dots_per_line < 128:
        raise DeviceInitialisationError("printer profile too narrow: columns >= 16, dots_per_line >= 128")
    return profile
