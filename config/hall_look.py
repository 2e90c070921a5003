"""How the hall presents itself in the kiosk's header: its name and its emblem.

The local file's ``[kiosk]`` section names the hall (``hall_name_zh``/``hall_name_en``) and may
point at an emblem image (``emblem``: a PNG or SVG file on the kiosk); a bundle's ``[hall]``
section in ``settings.toml`` lays its own name and emblem over those, key by key. An empty
emblem means the kiosk's own (a building drawn from the bundled pictograms); a file that is
missing or cannot be drawn falls back to it too (``screens/hall_emblem.py`` logs why).
"""

from __future__ import annotations

from pathlib import PurePosixPath

from config.sections import Section, section, setting

EMBLEM_SUFFIXES = (".png", ".svg")


def check_emblem_path(path: str) -> str:
    """``path`` as given when it names a PNG or SVG file by an absolute path (or is empty); else ValueError."""
    if not path:
        return path
    if any(ord(ch) < 32 for ch in path):
        raise ValueError("expected a file path without control characters")
    pure = PurePosixPath(path)
    if not pure.is_absolute():
        raise ValueError(f"expected an absolute path to a PNG or SVG file, got {path!r}")
    if pure.suffix.lower() not in EMBLEM_SUFFIXES:
        raise ValueError(f"expected a .png or .svg file, got {path!r}")
    return path


@section
class HallLook(Section):
    """A bundle's ``[hall]``: a key left out keeps the local file's value."""

    name_zh: str | None = setting(None, min_length=1, max_length=40, description="the hall's name in Chinese")
    name_en: str | None = setting(None, min_length=1, max_length=80, description="the hall's name in English")
    emblem: str | None = setting(None, max_length=300, check=check_emblem_path,
                                 description="absolute path of a PNG or SVG emblem; empty: the kiosk's own")

    def over(self, name_zh: str, name_en: str, emblem: str) -> tuple[str, str, str]:
        """(name in Chinese, name in English, emblem path) with this section's keys laid over the local ones."""
        return (self.name_zh or name_zh, self.name_en or name_en, emblem if self.emblem is None else self.emblem)
