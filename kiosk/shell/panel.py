"""The panel the kiosk is shown on, and how the 1080×1920 design is drawn on it.

The screens are designed once, for a 1080 px wide portrait screen. On any other panel the whole
design is scaled by one factor (Qt's ``QT_SCALE_FACTOR``, set before the application starts), so
the window's logical size stays about 1080×1920: a 720×1280 panel draws it at 2/3, a 2160×3840
one at 2×. A landscape panel (a counter-top kiosk) gets the design at the scale its height allows,
its bands (header, footer) across the full width and the screens in a column in the middle.

The panel's size comes from ``[display] size`` when set, else from the display the compositor
drives (``/sys/class/drm``: the connected output's preferred mode, and its physical size from
the EDID), turned by ``[display] rotation``. This module imports no Qt: it runs before the
application exists.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

from config.local import parse_size
from kiosk.shell.i18n import N_

log = logging.getLogger("kiosk")

DESIGN_WIDTH = 1080
DESIGN_HEIGHT = 1920
MIN_TOUCH = 96  # design px: the smallest touch target (screens/theme.py)
MIN_TOUCH_MM = 9.0  # a fingertip: touch targets smaller than this on the glass are a fault
COLUMN_WIDTH = round(DESIGN_WIDTH * 1.25)  # widest the screens' column gets on a wide panel
DRM_DIR = Path("/sys/class/drm")


@dataclass(frozen=True)
class Panel:
    """The output as the kiosk's window gets it (after the compositor's rotation)."""

    width: int
    height: int
    width_mm: float | None = None
    height_mm: float | None = None
    source: str = "design"  # where the size was learnt: config, drm:<connector>, design

    @property
    def landscape(self) -> bool:
        return self.width > self.height

    def turned(self, rotation: int) -> Panel:
        """The panel as seen after the compositor turns it ``rotation`` degrees."""
        if rotation % 180 == 0:
            return self
        return Panel(self.height, self.width, self.height_mm, self.width_mm, self.source)

    def mm_per_px(self) -> float | None:
        if not self.width_mm or not self.height_mm:
            return None
        return (self.width_mm / self.width + self.height_mm / self.height) / 2


@dataclass(frozen=True)
class Fit:
    """How the design is drawn on a panel: the scale and the window's logical size."""

    scale: float  # panel pixels per design pixel
    width: int  # logical (design) pixels
    height: int

    @property
    def size(self) -> tuple[int, int]:
        return self.width, self.height


def fit(panel: Panel, scale: float | None = None) -> Fit:
    """The scale at which the whole design fits the panel (or ``scale``), and the logical size."""
    if scale is None:
        scale = min(panel.width / DESIGN_WIDTH, panel.height / DESIGN_HEIGHT)
    return Fit(scale, round(panel.width / scale), round(panel.height / scale))


def touch_mm(panel: Panel, scale: float) -> float | None:
    """How wide the smallest touch target is on the glass, when the panel's physical size is known."""
    pitch = panel.mm_per_px()
    return None if pitch is None else MIN_TOUCH * scale * pitch


def edid_size_mm(edid: bytes) -> tuple[float, float] | None:
    """The screen's physical size from an EDID block (bytes 21-22, in cm); None when not given."""
    if len(edid) < 128 or edid[:8] != b"\x00\xff\xff\xff\xff\xff\xff\x00":
        return None
    width_cm, height_cm = edid[21], edid[22]
    if not width_cm or not height_cm:
        return None  # a projector, or a panel that does not say
    return width_cm * 10.0, height_cm * 10.0


def probe_drm(root: Path = DRM_DIR) -> Panel | None:
    """The first connected output's preferred mode (what cage drives it at), or None."""
    try:
        connectors = sorted(p for p in root.iterdir() if (p / "status").is_file())
    except OSError:
        return None
    for connector in connectors:
        try:
            if (connector / "status").read_text().strip() != "connected":
                continue
            modes = (connector / "modes").read_text().split()
        except OSError:
            continue
        if not modes:
            continue
        try:
            width, height = parse_size(modes[0].rstrip("i"))
        except ValueError:
            continue
        try:
            mm = edid_size_mm((connector / "edid").read_bytes())
        except OSError:
            mm = None
        width_mm, height_mm = mm if mm else (None, None)
        return Panel(width, height, width_mm, height_mm, f"drm:{connector.name}")
    return None


def find_panel(size: str | None, rotation: int, *, probe: bool = True, root: Path = DRM_DIR) -> Panel:
    """The panel: ``size`` when given, else (``probe``) the display the compositor drives, else the design.

    A window on a desktop (``probe=False``) is the design's size unless told otherwise.
    """
    if size is not None:
        width, height = parse_size(size)
        return Panel(width, height, source="config")
    probed = probe_drm(root) if probe else None
    if probed is not None:
        return probed.turned(rotation)
    return Panel(DESIGN_WIDTH, DESIGN_HEIGHT)


def scale_before_start(panel: Panel, scale: float | None = None) -> Fit:
    """Put the design's scale for ``panel`` in force (``QT_SCALE_FACTOR``) before the QApplication exists.

    A ``QT_SCALE_FACTOR`` already in the environment wins (someone chose it on purpose).
    """
    chosen = os.environ.get("QT_SCALE_FACTOR")
    if chosen:
        try:
            return fit(panel, float(chosen))
        except ValueError:
            log.warning("QT_SCALE_FACTOR=%r is not a number; the kiosk chooses the scale itself", chosen)
    result = fit(panel, scale)
    if abs(result.scale - 1.0) > 1e-6:
        os.environ["QT_SCALE_FACTOR"] = repr(result.scale)
    else:
        os.environ.pop("QT_SCALE_FACTOR", None)
    return result


LANDSCAPE_NOTICE = N_("画面为横向，本机按竖屏设计：请在 kiosk.toml 的 [display] 中设置 rotation = 90 或 270 "
                      "旋转画面；台式横屏请设置 orientation = \"landscape\"")
PORTRAIT_NOTICE = N_("画面为竖向，但配置为横屏：请在 kiosk.toml 的 [display] 中设置 orientation = \"portrait\"，"
                     "或用 rotation 旋转画面")


def orientation_notice(expected: str, width: int, height: int) -> str | None:
    """What is wrong when the output's shape is not the configured ``[display] orientation``, else None.

    The Chinese source text (the window translates it when it shows it); it names the fix.
    """
    landscape = width > height
    if landscape and expected == "portrait":
        return LANDSCAPE_NOTICE
    if not landscape and expected == "landscape":
        return PORTRAIT_NOTICE
    return None


def check_touch_size(panel: Panel, scale: float) -> float | None:
    """Log the smallest touch target's physical size; warn when it is below a fingertip."""
    size = touch_mm(panel, scale)
    if size is None:
        return None
    if size < MIN_TOUCH_MM:
        log.warning("touch targets are %.1f mm on this %dx%d panel (less than %.0f mm): set [display] scale "
                    "higher or use a larger panel", size, panel.width, panel.height, MIN_TOUCH_MM,
                    extra={"event": "panel_small"})
    else:
        log.info("touch targets are %.1f mm on the glass", size)
    return size
