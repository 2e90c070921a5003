"""Put tour pictures of one page side by side (中文 | English | 长辈模式) for the docs.

    .venv/bin/kiosk tour --out /tmp/tour
    .venv/bin/python scripts/side_by_side.py /tmp/tour docs/screenshots/side-by-side

writes ``<page>--<state>.png`` for each page in ``PAGES``: the three variants scaled to half size,
a caption over each. Uses Qt only (the kiosk's own dependency), no image library.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QImage, QPainter

PAGES = ("home--default", "social_security--results", "payment--receipt", "payment--awaiting_payment")
VARIANTS = (("zh", "中文"), ("en", "English"), ("elderly", "长辈模式 · senior mode"))
SCALE = 0.5
GAP, CAPTION = 24, 56


def side_by_side(tour: Path, page: str) -> QImage:
    pictures = [QImage(str(tour / f"{page}--{variant}.png")) for variant, _caption in VARIANTS]
    missing = [f"{page}--{variant}.png" for (variant, _c), picture in zip(VARIANTS, pictures, strict=True)
               if picture.isNull()]
    if missing:
        raise SystemExit(f"side_by_side: not in {tour}: {', '.join(missing)} (run kiosk tour --out {tour} first)")
    width, height = round(pictures[0].width() * SCALE), round(pictures[0].height() * SCALE)
    sheet = QImage(len(pictures) * width + (len(pictures) + 1) * GAP, height + CAPTION + 2 * GAP,
                   QImage.Format.Format_RGB32)
    sheet.fill(QColor("#FFFFFF"))
    painter = QPainter(sheet)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    font = QFont("Noto Sans CJK SC")
    font.setPixelSize(30)
    font.setBold(True)
    painter.setFont(font)
    painter.setPen(QColor("#1A1F29"))
    for index, (picture, (_variant, caption)) in enumerate(zip(pictures, VARIANTS, strict=True)):
        left = GAP + index * (width + GAP)
        painter.drawText(QRect(left, GAP, width, CAPTION), int(Qt.AlignmentFlag.AlignCenter), caption)
        painter.drawImage(QRect(left, GAP + CAPTION, width, height),
                          picture.scaled(width, height, Qt.AspectRatioMode.IgnoreAspectRatio,
                                         Qt.TransformationMode.SmoothTransformation))
    painter.end()
    return sheet


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__)
        return 2
    tour, out = Path(argv[0]), Path(argv[1])
    out.mkdir(parents=True, exist_ok=True)
    _app = QGuiApplication.instance() or QGuiApplication(["side_by_side", "-platform", "offscreen"])
    for page in PAGES:
        target = out / f"{page}.png"
        if not side_by_side(tour, page).save(str(target)):
            raise SystemExit(f"side_by_side: cannot write {target}")
        print(target)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
