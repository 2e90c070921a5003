"""The tile paints its frame and texts in the look the style sheet names, and is as tall as they need."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QVBoxLayout, QWidget

from screens.theme import ELDERLY, NORMAL, style_sheet, tile_look
from screens.tile import Tile


def styled_tile(qtbot, elderly: bool = False) -> tuple[QWidget, Tile]:
    host = QWidget()
    host.setStyleSheet(style_sheet(elderly))
    tile = Tile(min_height=130)
    QVBoxLayout(host).addWidget(tile)
    host.resize(500, 600)
    qtbot.addWidget(host)
    host.show()
    return host, tile


def test_the_style_sheet_names_the_look_and_a_mode_switch_changes_what_is_painted(qtbot):
    host, tile = styled_tile(qtbot)
    tile.set_texts("社保查询", "参保、缴费记录查询打印", [("24小时", "badge-alt")])
    assert tile.look == "standard"
    normal_height = tile.heightForWidth(460)
    frame = tile.grab().toImage().pixelColor(tile.width() // 2, 0)  # the top edge of the frame
    assert frame == QColor(NORMAL.border)

    host.setStyleSheet(style_sheet(True))
    assert tile.look == "elderly" and tile_look("elderly").title_px > tile_look("standard").title_px
    assert tile.heightForWidth(460) > normal_height  # larger type, taller tile
    assert tile.grab().toImage().pixelColor(tile.width() // 2, 1) == QColor(ELDERLY.border)

    host.setStyleSheet(style_sheet(False, high_contrast=True))
    assert tile.look == "contrast" and tile.heightForWidth(460) == normal_height
    host.setStyleSheet(style_sheet(False))
    assert tile.look == "standard" and tile.heightForWidth(460) == normal_height


def test_new_texts_are_measured_again_for_every_look(qtbot):
    host, tile = styled_tile(qtbot)
    tile.set_texts("社保")
    host.setStyleSheet(style_sheet(True))
    short_elderly = tile.heightForWidth(300)
    host.setStyleSheet(style_sheet(False))
    tile.set_texts("Application for maternity insurance benefits and related allowances")
    host.setStyleSheet(style_sheet(True))
    assert tile.heightForWidth(300) > short_elderly  # not the height remembered for the old title


def test_a_pressed_tile_shows_the_pressed_colour(qtbot):
    _host, tile = styled_tile(qtbot)
    tile.set_texts("社保查询")
    middle = (tile.width() // 2, tile.height() - 10)
    assert tile.grab().toImage().pixelColor(*middle) == QColor(NORMAL.surface)
    tile.setDown(True)
    assert tile.grab().toImage().pixelColor(*middle) == QColor(NORMAL.pressed)


def test_a_long_title_makes_the_tile_taller_and_the_texts_are_its_accessible_name(qtbot):
    _host, tile = styled_tile(qtbot)
    tile.set_texts("社保", "")
    short = tile.heightForWidth(400)
    assert short >= tile.minimumHeight()
    tile.set_texts("Application for maternity insurance benefits and related allowances", "Zone B, windows 17–18",
                   [("Tickets", "badge"), ("ID card", "badge")])
    tall = tile.heightForWidth(400)
    assert tall > short and tall > tile.heightForWidth(900)  # wraps onto more lines when narrower
    assert tile.texts() == ["Application for maternity insurance benefits and related allowances",
                            "Zone B, windows 17–18", "Tickets", "ID card"]
    assert "Zone B" in tile.accessibleName()


def test_the_painted_texts_are_on_the_tile_and_a_tap_still_reaches_it(qtbot):
    host, tile = styled_tile(qtbot)
    tile.set_texts("办事指南", "所需材料", [("需身份证", "badge")])
    image = tile.grab().toImage()
    title_colour = QColor(NORMAL.primary)
    # some pixels of the title's colour in the top part, the badge's colour near the bottom
    top = [image.pixelColor(x, y) for x in range(30, 250) for y in range(20, 70)]
    bottom = [image.pixelColor(x, y) for x in range(30, 250) for y in range(tile.height() - 60, tile.height() - 20)]
    assert any(abs(c.red() - title_colour.red()) < 20 and abs(c.blue() - title_colour.blue()) < 20 for c in top)
    assert any(c == QColor(NORMAL.primary) for c in bottom)
    with qtbot.waitSignal(tile.clicked, timeout=1000):
        qtbot.mouseClick(tile, Qt.MouseButton.LeftButton)
