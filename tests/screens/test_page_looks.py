"""The look of the pages: finger-sized scrolling, balanced tile lines, status panels, journey marks."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QScrollArea, QVBoxLayout, QWidget

from screens.heading_mark import HeadingMark
from screens.layout_audit import audit
from screens.status_panel import StatusPanel
from screens.theme import MIN_TOUCH, style_sheet
from screens.tile import MARGIN_X, Tile
from screens.widgets import KineticScrollArea, label


def _shown(qtbot, widget: QWidget, width: int = 900, height: int = 700) -> QWidget:
    window = QWidget()
    window.setStyleSheet(style_sheet(False))
    QVBoxLayout(window).addWidget(widget)
    window.resize(width, height)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_a_list_taller_than_its_view_gets_finger_sized_page_buttons_a_wide_bar_and_a_more_below_line(qtbot):
    area = KineticScrollArea()
    for row in range(40):
        area.add(label(f"第 {row + 1} 行"))
    window = _shown(qtbot, area)
    rail = area.rail
    qtbot.waitUntil(lambda: rail.down.isVisible())
    assert rail.up.width() >= MIN_TOUCH and rail.down.height() >= MIN_TOUCH
    assert area.verticalScrollBar().width() >= MIN_TOUCH
    assert not rail.up.isEnabled() and rail.down.isEnabled() and rail.more.isVisible()
    assert "▼" in rail.more.text()
    rail.down.click()
    qtbot.waitUntil(lambda: area.verticalScrollBar().value() > 0)
    area.verticalScrollBar().setValue(area.verticalScrollBar().maximum())
    assert rail.up.isEnabled() and not rail.down.isEnabled() and not rail.more.isVisible()
    assert not [problem for problem in audit(window) if "ScrollBar" in problem or "PageDown" in problem]


def test_a_list_that_fits_shows_no_rail(qtbot):
    area = KineticScrollArea()
    area.add(label("一行"))
    window = _shown(qtbot, area)
    assert window.isVisible() and not area.rail.down.isVisible() and not area.rail.more.isVisible()


def test_the_audit_finds_a_desktop_thin_scroll_bar(qtbot):
    area = QScrollArea()
    content = QWidget()
    content.setMinimumHeight(3000)
    area.setWidget(content)
    window = _shown(qtbot, area)
    window.setStyleSheet("QScrollBar:vertical { width: 14px; }")
    assert any("thinner than a finger" in problem for problem in audit(window))


def _first_line_chars(font: QFont, width: int, text: str) -> int:
    metrics = QFontMetrics(font)
    return max(k for k in range(1, len(text) + 1) if metrics.horizontalAdvance(text[:k]) <= width)


def test_a_tiles_line_wraps_into_even_lines_without_an_orphan_character(qtbot):
    tile = Tile(min_height=200)
    tile.set_pictogram("journey/queue_ticket")
    tile.set_texts("排队取号", "选择业务，领取排队号")
    window = _shown(qtbot, tile, 470, 300)
    width = tile.width()
    tile._text_heights(width)
    drawn = tile._measures.text_widths[width][1]
    inner = width - 2 * MARGIN_X - tile._reserved()
    font = tile._font_set()[1]
    assert QFontMetrics(font).horizontalAdvance("选择业务，领取排队号") > inner  # it does wrap here
    assert drawn < inner
    left_for_the_last_line = len("选择业务，领取排队号") - _first_line_chars(font, drawn, "选择业务，领取排队号")
    assert left_for_the_last_line >= 3
    assert audit(window) == []


def test_a_tiles_english_title_is_never_squeezed_narrower_than_its_longest_word(qtbot):
    tile = Tile(min_height=200)
    tile.set_pictogram("journey/population")
    tile.set_texts("Population information", "Household registration records")
    window = _shown(qtbot, tile, 470, 300)
    tile._text_heights(tile.width())
    title_font = tile._font_set()[0]
    assert tile._measures.text_widths[tile.width()][0] >= QFontMetrics(title_font).horizontalAdvance("information")
    assert audit(window) == []


def test_a_status_panel_shows_its_kind_and_hides_empty_lines(qtbot):
    panel = StatusPanel()
    window = _shown(qtbot, panel)
    assert window.isVisible()
    panel.show_status("problem", False, "网络中断，暂时无法缴费", "")
    assert panel.what.property("role") == "status-problem" and panel.what.isVisible()
    assert not panel.next_step.isVisible() and not panel.headline.isVisible()
    panel.show_status("done", True, "打印完成，请取走凭条。", "别忘了取回身份证。", headline="缴费成功")
    assert panel.what.property("role") == "status" and panel.mark.kind == "done" and panel.headline.isVisible()
    with pytest.raises(ValueError, match="expected one of"):
        panel.show_status("sparkles", False, "?")


@pytest.mark.parametrize(("screen", "key"), [("queue_ticket", "journey/queue_ticket"), ("payment", "journey/payment"),
                                             ("social_security", "journey/social_security"), ("guide", "journey/guide"),
                                             ("property", "journey/property"), ("population", "journey/population")])
def test_each_journey_page_carries_its_home_tiles_pictogram_by_its_title(kiosk, screen: str, key: str):
    kiosk.window.go(screen)
    marks = [mark for mark in kiosk.window.findChildren(HeadingMark) if mark.isVisible()]
    assert [mark.key for mark in marks] == [key]
    assert marks[0].width() >= 60


def test_the_new_texts_colours_keep_the_palettes_contrast():
    from screens.theme import ELDERLY, NORMAL, contrast_ratio, text_pairs

    # status problems (danger on a card), section names and "more below" (the hall's colour on the page)
    for palette, least in ((NORMAL, 4.5), (ELDERLY, 7.0)):
        pairs = [*text_pairs(palette), ("problem on card", palette.danger, palette.surface),
                 ("hall's colour on page", palette.primary, palette.background),
                 ("hall's colour on card", palette.primary, palette.surface)]
        for name, foreground, background in pairs:
            assert contrast_ratio(foreground, background) >= least, name
