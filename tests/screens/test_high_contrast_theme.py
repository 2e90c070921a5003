"""The bundle's high-contrast theme: the elderly palette at the normal type size; notices stay readable."""

from __future__ import annotations

from screens.theme import ELDERLY, NORMAL, contrast_ratio, is_high_contrast, palette, px, style_sheet


def test_high_contrast_is_the_elderly_palette_at_normal_sizes():
    sheet = style_sheet(False, True)
    assert palette(False, True) is ELDERLY and palette(True, False) is ELDERLY and palette(False) is NORMAL
    assert ELDERLY.primary in sheet and NORMAL.primary not in sheet
    assert f"font-size: {px(48, False)}px" in sheet and f"font-size: {px(48, True)}px" not in sheet
    assert style_sheet(True, True) == style_sheet(True, False)  # elderly mode already has both
    assert style_sheet(False) == style_sheet(False, False)


def test_notice_text_contrast():
    assert contrast_ratio(ELDERLY.on_notice, ELDERLY.notice) >= 7
    assert contrast_ratio(NORMAL.on_notice, NORMAL.notice) >= 7


def test_only_a_bundle_saying_high_contrast_counts():
    from config.remote import NO_REMOTE_CONFIG, RemoteConfig

    assert is_high_contrast(RemoteConfig(theme="high-contrast"))
    assert not is_high_contrast(RemoteConfig(theme="standard"))
    assert not is_high_contrast(NO_REMOTE_CONFIG) and not is_high_contrast(None)


def test_the_window_follows_the_theme_of_the_configuration_put_in_force(kiosk, qtbot):
    from PySide6.QtGui import QColor

    from config.remote import RemoteConfig

    context, window = kiosk.context, kiosk.window
    changes: list[bool] = []
    context.remote_config_changed.connect(lambda: changes.append(True))
    context.set_remote_config(None)  # nothing was in force: nothing to announce
    assert changes == []

    context.set_remote_config(RemoteConfig(theme="high-contrast"))
    assert changes == [True]
    assert window.header.styleSheet() == style_sheet(False, True, "header")
    assert window.grab().toImage().pixelColor(5, 5) == QColor(ELDERLY.primary)  # the header's blue

    context.set_remote_config(None)  # the bundle taken away: the kiosk's own look again
    assert changes == [True, True] and context.services.remote_config is None
    assert window.grab().toImage().pixelColor(5, 5) == QColor(NORMAL.primary)
