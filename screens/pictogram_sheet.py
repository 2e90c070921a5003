"""A contact sheet of every pictogram with what it stands for, in Chinese: to look at the set as a whole.

``python -m screens.pictogram_sheet docs/screenshots/pictograms.png`` draws one cell per table entry
(journeys, departments, the catalogue's services, page actions) in the kiosk's primary colour
on its surface colour, with the name the kiosk shows for it underneath.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter

from config.catalogue import Catalogue, load_default_catalogue
from screens.journey_tiles import JOURNEY_TEXT
from screens.pictogram import pictogram_pixmap
from screens.pictogram_names import PICTOGRAMS
from screens.theme import NORMAL

# names of the table's entries that are not in the catalogue or the journey tiles
OTHER_NAMES = {
    "journey/booking_check_in": "预约签到",
    "journey/all_services": "全部服务",
    "journey/initials_search": "拼音首字母查找",
    "action/speak": "语音播报",
    "action/call_staff": "呼叫工作人员",
    "action/elderly_mode": "长辈模式",
    "action/language": "English / 中文",
    "action/home": "首页",
    "action/back": "返回",
    "action/print": "打印",
    "action/scan_code": "扫码",
    "action/place_card": "放置身份证",
    "action/phone": "用手机扫码保存",
    "action/feedback": "好差评",
    "action/hotline": "服务热线",
    "action/keypad": "输入号码",
    "hall/emblem": "大厅徽标",
}
COLUMNS = 8
CELL_W, CELL_H, ICON = 230, 190, 88


def sheet_names(catalogue: Catalogue | None = None) -> dict[str, str]:
    """Table key → the Chinese name shown for it, for every entry of the table."""
    catalogue = catalogue or load_default_catalogue()
    names = {f"journey/{journey}": title for journey, (title, _) in JOURNEY_TEXT.items()}
    for department in catalogue.departments:
        names[f"department/{department.id}"] = department.name_zh
        for service in department.services:
            names[f"service/{service.id}"] = service.name_zh
    names.update(OTHER_NAMES)
    return {key: names.get(key, key) for key in PICTOGRAMS}


def draw_sheet(path: Path, catalogue: Catalogue | None = None) -> QImage:
    """Draw the sheet into ``path`` (PNG) and return it; needs a QGuiApplication."""
    names = sheet_names(catalogue)
    rows = (len(names) + COLUMNS - 1) // COLUMNS
    image = QImage(COLUMNS * CELL_W, rows * CELL_H + 70, QImage.Format.Format_ARGB32)
    image.fill(QColor(NORMAL.background))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    title = QFont("Noto Sans CJK SC")
    title.setPixelSize(30)
    painter.setFont(title)
    painter.setPen(QColor(NORMAL.text))
    painter.drawText(QRectF(20, 10, image.width() - 40, 50), Qt.AlignmentFlag.AlignVCenter,
                     f"图标一览 · Tabler Icons (MIT) · {len(names)} 项")
    label = QFont("Noto Sans CJK SC")
    label.setPixelSize(20)
    painter.setFont(label)
    for index, (key, name) in enumerate(names.items()):
        x, y = (index % COLUMNS) * CELL_W, 70 + (index // COLUMNS) * CELL_H
        painter.setPen(QColor(NORMAL.border))
        painter.setBrush(QColor(NORMAL.surface))
        painter.drawRoundedRect(QRectF(x + 8, y + 8, CELL_W - 16, CELL_H - 16), 14, 14)
        painter.drawPixmap(int(x + (CELL_W - ICON) / 2), y + 22, pictogram_pixmap(key, NORMAL.primary, ICON))
        painter.setPen(QColor(NORMAL.text))
        painter.drawText(QRectF(x + 14, y + 118, CELL_W - 28, 58),
                         Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap, name)
    painter.end()
    if not image.save(str(path)):
        raise OSError(f"cannot write the contact sheet to {path}")
    return image


def main(argv: list[str] | None = None) -> int:
    from PySide6.QtGui import QGuiApplication

    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m screens.pictogram_sheet OUT.png", file=sys.stderr)
        return 2
    app = QGuiApplication.instance() or QGuiApplication(["pictogram-sheet"])  # noqa: F841 (kept alive)
    try:
        draw_sheet(Path(args[0]))
    except OSError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(args[0])
    return 0


if __name__ == "__main__":
    sys.exit(main())
