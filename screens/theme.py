"""Look of the kiosk: colours, type sizes and the style sheet, for normal and elderly mode.

Sizes are for a 1080×1920 portrait touch screen, the design; other panels draw it scaled as a
whole (kiosk/shell/panel.py), so these sizes stay the same on every panel. Touch targets are at least 96 px high with
24 px between them. Elderly mode enlarges text 1.4× and switches to a palette whose text/background
pairs all reach a contrast ratio of at least 7:1 (WCAG AAA). The configuration bundle's
"high-contrast" theme is that palette at the normal type size; elderly mode always has both.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from kiosk.shell.panel import DESIGN_HEIGHT, DESIGN_WIDTH, MIN_TOUCH

SCREEN_WIDTH = DESIGN_WIDTH
SCREEN_HEIGHT = DESIGN_HEIGHT
GAP = 24
ANNOUNCEMENT_PX = 28  # announcement text size before the elderly enlargement


@dataclass(frozen=True)
class Palette:
    background: str
    surface: str
    text: str
    muted: str
    primary: str
    on_primary: str
    accent: str
    on_accent: str
    danger: str
    on_danger: str
    ok: str
    on_ok: str
    border: str
    pressed: str
    notice: str  # announcements: information, not faults, so a calm tint instead of the danger colour
    on_notice: str


NORMAL = Palette(
    background="#EEF2F7", surface="#FFFFFF", text="#1A1F29", muted="#4A5568",
    primary="#0B4F9C", on_primary="#FFFFFF", accent="#C8161D", on_accent="#FFFFFF",
    danger="#A4161A", on_danger="#FFFFFF", ok="#1E6B3A", on_ok="#FFFFFF",
    border="#C9D3E0", pressed="#D7E4F5", notice="#DDE9F8", on_notice="#1A1F29",
)
ELDERLY = Palette(
    background="#FFFFFF", surface="#FFFFFF", text="#000000", muted="#222222",
    primary="#002E6D", on_primary="#FFFFFF", accent="#7A0000", on_accent="#FFFFFF",
    danger="#7A0000", on_danger="#FFFFFF", ok="#0B4A22", on_ok="#FFFFFF",
    border="#000000", pressed="#C9D9F0", notice="#E6EEF9", on_notice="#000000",
)


def palette(elderly: bool, high_contrast: bool = False) -> Palette:
    """The colours for elderly mode and/or the high-contrast theme (the same palette), else the standard."""
    return ELDERLY if elderly or high_contrast else NORMAL


def is_high_contrast(remote_config: object | None) -> bool:
    """Whether the configuration bundle in force (``services.remote_config``) asks for high contrast."""
    return getattr(remote_config, "theme", None) == "high-contrast"


def look_name(elderly: bool, high_contrast: bool = False) -> str:
    """The name of the look in force: ``standard``, ``contrast`` (the bundle's theme) or ``elderly``."""
    return "elderly" if elderly else "contrast" if high_contrast else "standard"


@dataclass(frozen=True)
class TileLook:
    """What a tile draws (``screens/tile.py``): its frame, its type sizes and colours, for one look."""

    title_px: int
    subtitle_px: int
    badge_px: int
    border_px: int
    radius: int
    surface: str
    border: str
    pressed: str
    title: str
    subtitle: str
    badge: tuple[str, str]  # (background, text) of an ordinary badge
    badge_alt: tuple[str, str]  # e.g. "24 h"
    badge_warn: tuple[str, str]  # e.g. "ID card needed"


def tile_look(name: str) -> TileLook:
    """The tile's look for a look name (see ``look_name``); the style sheet names it for each tile."""
    elderly = name == "elderly"
    p = palette(elderly, name == "contrast")
    return TileLook(
        title_px=px(42, elderly), subtitle_px=px(28, elderly), badge_px=px(24, elderly),
        border_px=3 if p is ELDERLY else 2, radius=24,
        surface=p.surface, border=p.border, pressed=p.pressed, title=p.primary, subtitle=p.muted,
        badge=(p.primary, p.on_primary), badge_alt=(p.ok, p.on_ok), badge_warn=(p.accent, p.on_accent),
    )


def font_scale(elderly: bool) -> float:
    return 1.4 if elderly else 1.0


def px(base: int, elderly: bool) -> int:
    """A text size in pixels for the current mode."""
    return round(base * font_scale(elderly))


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG 2 contrast ratio between two ``#RRGGBB`` colours."""

    def luminance(colour: str) -> float:
        channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def text_pairs(p: Palette) -> list[tuple[str, str, str]]:
    """Every (name, foreground, background) pair the style sheet uses for text."""
    return [
        ("text on background", p.text, p.background),
        ("text on surface", p.text, p.surface),
        ("muted on surface", p.muted, p.surface),
        ("on primary", p.on_primary, p.primary),
        ("on accent", p.on_accent, p.accent),
        ("on danger", p.on_danger, p.danger),
        ("on ok", p.on_ok, p.ok),
        ("text on pressed", p.text, p.pressed),
        ("on notice", p.on_notice, p.notice),
    ]


PARTS = ("screen", "header", "footer", "banner", "announcements", "overlay")
# which groups of rules each part's sheet holds ("all": every part); the countdown overlay shows
# titles and buttons like a screen does
_GROUPS = {"screen": {"all", "screen"}, "overlay": {"all", "screen", "overlay"}, "header": {"all", "header"},
           "footer": {"all", "footer"}, "banner": {"all", "banner"}, "announcements": {"all", "announcements"}}


@cache  # a mode switch asks for three sheets; each is the same text every time
def style_sheet(elderly: bool, high_contrast: bool = False, part: str | None = None) -> str:
    """The kiosk's style sheet: type sizes follow ``elderly``; colours and borders follow either.

    With ``part`` (one of ``PARTS``) only the rules that part of the window uses, in the same
    order: each widget that carries a sheet parses it, and a mode switch parses it again.
    """
    wanted = _GROUPS[part] if part is not None else {"all", *PARTS}
    return "".join(rule for group, rule in _rules(elderly, high_contrast) if group in wanted)


def _rules(elderly: bool, high_contrast: bool) -> list[tuple[str, str]]:
    p = palette(elderly, high_contrast)
    border = 3 if p is ELDERLY else 2
    return [
        ("all", f"QLabel {{ font-size: {px(30, elderly)}px; font-weight: 400; color: {p.text}; background: transparent; }}\n"),
        ("screen", f"""QLabel[role="title"] {{ font-size: {px(48, elderly)}px; font-weight: 700; }}
QLabel[role="heading-mark"] {{ font-size: {px(48, elderly)}px; color: {p.primary}; }}
QLabel[role="subtitle"] {{ font-size: {px(32, elderly)}px; color: {p.muted}; }}
QLabel[role="hint"] {{ font-size: {px(28, elderly)}px; color: {p.muted}; }}
QLabel[role="big-number"] {{ font-size: {px(150, elderly)}px; font-weight: 800; color: {p.primary}; }}
QLabel[role="value"] {{ font-size: {px(34, elderly)}px; font-weight: 600; }}
QLabel[role="error"] {{ font-size: {px(34, elderly)}px; color: {p.danger}; font-weight: 600; }}
QLabel[role="status-headline"] {{ font-size: {px(54, elderly)}px; font-weight: 800; color: {p.text}; }}
QLabel[role="status"] {{ font-size: {px(38, elderly)}px; font-weight: 700; color: {p.text}; }}
QLabel[role="status-problem"] {{ font-size: {px(38, elderly)}px; font-weight: 700; color: {p.danger}; }}
QLabel[role="status-next"] {{ font-size: {px(32, elderly)}px; color: {p.muted}; }}
QLabel[role="fact"] {{ font-size: {px(32, elderly)}px; font-weight: 600; }}
QLabel[role="section"] {{ font-size: {px(32, elderly)}px; font-weight: 700; color: {p.primary}; }}
QLabel[role="fact-large"] {{ font-size: {px(40, elderly)}px; font-weight: 600; }}
QLabel[role="countdown"] {{ font-size: {px(110, elderly)}px; font-weight: 800; color: {p.primary}; }}
"""),
        ("header", f"""QFrame#Header {{ background: {p.primary}; }}
QFrame#Header QLabel {{ color: {p.on_primary}; }}
QFrame#Header QLabel[role="hall"] {{ font-size: {px(38, elderly)}px; font-weight: 700; }}
QFrame#Header QLabel[role="clock"] {{ font-size: {px(30, elderly)}px; }}
QFrame#Header QPushButton {{
    background: transparent; color: {p.on_primary}; border: {border}px solid {p.on_primary};
    border-radius: 14px; font-size: {px(28, elderly)}px; padding: 0 22px; min-height: {MIN_TOUCH}px;
}}
QFrame#Header QPushButton:checked {{ background: {p.on_primary}; color: {p.primary}; }}
QFrame#Header QPushButton:pressed {{ background: {p.pressed}; color: {p.text}; }}
QFrame#Header QLabel#DemoBadge {{
    background: #FFD100; color: #000000; font-size: {px(30, elderly)}px; font-weight: 700;
    border: 3px dashed #000000; border-radius: 10px; padding: 4px 18px;
}}
"""),
        ("footer", f"""QFrame#Footer {{ background: {p.surface}; border-top: {border}px solid {p.border}; }}
QFrame#Footer QLabel {{ font-size: {px(28, elderly)}px; color: {p.muted}; }}
"""),
        ("banner", f"""QFrame#Banner {{ background: {p.danger}; }}
QFrame#Banner QLabel {{ color: {p.on_danger}; font-size: {px(30, elderly)}px; font-weight: 600; }}
"""),
        ("announcements", f"""QFrame#Announcements {{ background: {p.notice}; border-bottom: {border}px solid {p.border}; }}
QFrame#Announcements QLabel {{ color: {p.on_notice}; font-size: {px(ANNOUNCEMENT_PX, elderly)}px; }}
QFrame#Announcements QLabel[role="count"] {{ font-size: {px(24, elderly)}px; font-weight: 600; }}
QFrame#Announcements QLabel[level="warning"] {{ font-weight: 600; }}
QFrame#AnnouncementMark {{ background: {p.accent}; border: none; }}
"""),
        ("screen", f"QFrame#Card {{ background: {p.surface}; border: {border}px solid {p.border}; border-radius: 20px; }}\n"),
        ("all", f"""QPushButton {{
    font-size: {px(34, elderly)}px; font-weight: 400; min-height: {MIN_TOUCH}px; padding: 0 28px;
    border-radius: 18px; border: {border}px solid {p.border}; background: {p.surface}; color: {p.text};
}}
QPushButton:pressed {{ background: {p.pressed}; }}
QPushButton:disabled {{ color: {p.muted}; background: {p.background}; border-style: dashed; }}
QPushButton[role="primary"] {{ background: {p.primary}; color: {p.on_primary}; border-color: {p.primary}; font-weight: 700; }}
QPushButton[role="primary"]:pressed {{ background: {p.pressed}; color: {p.text}; }}
QPushButton[role="danger"] {{ background: {p.danger}; color: {p.on_danger}; border-color: {p.danger}; }}
QPushButton[role="nav"] {{ font-size: {px(32, elderly)}px; font-weight: 600; }}
"""),
        ("screen", f"""QPushButton[role="key"] {{ font-size: {px(48, elderly)}px; font-weight: 700; min-height: 120px; }}
QPushButton[role="letter"] {{ font-size: {px(36, elderly)}px; font-weight: 700; min-height: {MIN_TOUCH}px; padding: 0; }}
QAbstractButton[role="tile"] {{ qproperty-look: {look_name(elderly, high_contrast)}; }}
QLineEdit, QLabel[role="entry"] {{
    font-size: {px(52, elderly)}px; font-weight: 700; min-height: 110px; padding: 0 20px;
    background: {p.surface}; border: {border + 1}px solid {p.primary}; border-radius: 16px; color: {p.text};
}}
QScrollArea, QScrollArea > QWidget > QWidget {{ background: transparent; border: none; }}
QScrollBar:vertical {{ width: {MIN_TOUCH}px; background: {p.background}; border: none; margin: 0; }}
QScrollBar::handle:vertical {{ background: {p.primary}; border-radius: 14px; min-height: 120px; margin: 10px 26px; }}
QScrollBar::add-line:vertical, QScrollBar::sub-line:vertical {{ height: 0; border: none; }}
QScrollBar::add-page:vertical, QScrollBar::sub-page:vertical {{ background: none; }}
QPushButton[role="scroll"] {{
    font-size: {px(36, elderly)}px; font-weight: 700; padding: 0; border-radius: 18px; min-height: {MIN_TOUCH}px;
    background: {p.primary}; color: {p.on_primary}; border-color: {p.primary};
}}
QPushButton[role="scroll"]:disabled {{ background: {p.surface}; color: {p.border}; border-color: {p.border}; border-style: solid; }}
QLabel#MoreBelow {{
    font-size: {px(28, elderly)}px; font-weight: 700; color: {p.primary}; padding-bottom: 10px;
    background: qlineargradient(x1: 0, y1: 0, x2: 0, y2: 1, stop: 0 rgba(255, 255, 255, 0), stop: 0.45 {p.background},
                                stop: 1 {p.background});
}}
"""),
        ("overlay", f"""QWidget#Overlay {{ background: rgba(0, 0, 0, 170); }}
QFrame#OverlayCard {{ background: {p.surface}; border-radius: 28px; border: {border}px solid {p.border}; }}
"""),
    ]
