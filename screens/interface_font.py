"""The kiosk's interface font, Kiosk Sans SC: registered with Qt before the first window is made.

It is the part of Noto Sans CJK SC the kiosk's screens draw (GB 2312 and the kiosk's own texts),
built by ``scripts/build_interface_font.py`` into ``screens/fonts`` when the kiosk is built or
installed. The application's font names it first and Noto Sans CJK SC after it (``FAMILIES``),
and every widget inherits them; the style sheet gives only sizes and weights (named there, on
``*``, the families made Qt set a font and a palette on every widget it polished, and a mode
switch polishes every widget on show). The same glyphs, so nothing looks different, but the kiosk
process maps ~2.5 MB of one small font per weight instead of ~10 MB scattered over Debian's two
19 MB collections. A character the subset lacks is drawn from Noto Sans CJK SC. Without the built fonts (a checkout where fontTools was missing) the kiosk draws
everything from Noto Sans CJK, as before.
"""

from __future__ import annotations

import logging
from pathlib import Path

FAMILY = "Kiosk Sans SC"
# the full collection after it draws any character the subset lacks, in the same design
FAMILIES = (FAMILY, "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "sans-serif")
FONT_DIR = Path(__file__).resolve().parent / "fonts"
WEIGHTS = ("Regular", "Bold")

log = logging.getLogger("kiosk")
_registered: dict[Path, bool] = {}


def register_interface_font(font_dir: Path = FONT_DIR) -> bool:
    """Add the interface font's weights to the application's fonts (once); whether every weight is there.

    It also becomes the application's default font (at Qt's default size), for what is shown before
    the kiosk's window or beside it (the demo's control panel, a message box): otherwise Qt's
    default face draws the Latin and pulls the full Noto collection in for every Chinese character.
    """
    if font_dir not in _registered:
        _registered[font_dir] = _register(font_dir)
        if _registered[font_dir]:
            use_interface_families()
    return _registered[font_dir]


def use_interface_families() -> None:
    """The application's font (at its size) in ``FAMILIES``: the font of every widget that names none."""
    from PySide6.QtGui import QGuiApplication

    font = QGuiApplication.font()
    font.setFamilies(list(FAMILIES))
    QGuiApplication.setFont(font)


def _register(font_dir: Path) -> bool:
    from PySide6.QtGui import QFontDatabase

    added: list[int] = []
    for weight in WEIGHTS:
        path = font_dir / f"KioskSansSC-{weight}.otf"
        if not path.is_file():
            continue
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id < 0:
            log.warning("the interface font %s could not be loaded; text is drawn from Noto Sans CJK", path.name)
            continue
        added.append(font_id)
    if len(added) < len(WEIGHTS):
        for font_id in added:  # one weight alone would be drawn faked bold instead of Noto's own bold
            QFontDatabase.removeApplicationFont(font_id)
        log.info("interface font not complete in %s (%d of %d weights); text is drawn from Noto Sans CJK",
                 font_dir, len(added), len(WEIGHTS))
        return False
    return True
