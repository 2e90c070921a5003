"""Wrapped text in lines of even length: no character left alone on a last line."""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtGui import QFont, QFontMetrics

from screens.balanced_text import WRAP, BalancedLabel, balanced_width, text_height

HELP = "如需帮助，请拨打服务热线 12345 或咨询大厅工作人员"


def _lines(font: QFont, width: int, text: str) -> int:
    return round(text_height(font, width, text) / QFontMetrics(font).lineSpacing())


def test_a_width_that_leaves_one_character_alone_is_narrowed_to_even_lines(qtbot):
    font = QFont()
    font.setPixelSize(32)
    whole = QFontMetrics(font).horizontalAdvance(HELP)
    width = whole - QFontMetrics(font).horizontalAdvance("员") // 2  # one character does not fit
    assert _lines(font, width, HELP) == 2
    even = balanced_width(font, width, HELP, text_height(font, width, HELP))
    assert even < width * 0.6 and _lines(font, even, HELP) == 2
    last_line = QFontMetrics(font).boundingRect(QRect(0, 0, even, 10_000), WRAP, HELP)
    assert last_line.width() <= even


def test_one_line_is_left_as_it_is(qtbot):
    font = QFont()
    assert balanced_width(font, 2000, "请取走您的凭条", text_height(font, 2000, "请取走您的凭条")) == 2000


def _one_character_too_narrow(widget: BalancedLabel) -> int:
    """``widget`` showing HELP at 32 px, a little narrower than its one line: its width."""
    font = widget.font()
    font.setPixelSize(32)
    widget.setFont(font)
    width = QFontMetrics(font).horizontalAdvance(HELP) - 10
    widget.resize(width, 200)
    widget.setText(HELP)
    return width


def test_a_balanced_label_gives_its_spare_width_to_equal_margins(qtbot):
    widget = BalancedLabel()
    qtbot.addWidget(widget)
    width = _one_character_too_narrow(widget)
    margins = widget.contentsMargins()
    assert margins.left() == margins.right() > width // 5
    widget.setText("请取走您的凭条")  # fits on one line: no margins
    assert widget.contentsMargins().left() == 0


def test_a_pages_lead_is_balanced_to_the_left(qtbot):
    from screens.widgets import label

    lead = label(HELP, role="subtitle")
    qtbot.addWidget(lead)
    assert isinstance(lead, BalancedLabel)
    width = _one_character_too_narrow(lead)
    margins = lead.contentsMargins()
    assert margins.left() == 0 and margins.right() > width // 3  # left-aligned: the spare width on the right
    plain = label(HELP)
    qtbot.addWidget(plain)
    assert not isinstance(plain, BalancedLabel)  # other texts wrap as Qt wraps them
