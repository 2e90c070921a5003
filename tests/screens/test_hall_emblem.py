"""The header shows the hall's name and emblem in force: the local file's, a bundle's over it, or the kiosk's own."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage

from config.errors import ConfigError
from config.local import KioskIdentity
from config.remote import parse_bundle_files
from screens.hall_emblem import emblem_pixmap

RED_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
           '<rect width="10" height="10" fill="#FF0000"/></svg>')


def _centre(pixmap) -> QColor:
    image = pixmap.toImage()
    return QColor(image.pixel(image.width() // 2, image.height() // 2))


def test_a_bundle_names_the_hall_and_its_emblem_in_the_header_and_leaves_with_it(kiosk, tmp_path: Path) -> None:
    emblem = tmp_path / "emblem.svg"
    emblem.write_text(RED_SVG)
    header = kiosk.window.header
    assert header.hall.text() == "厦门市行政服务中心"
    own = _centre(header.emblem.pixmap())
    bundle = parse_bundle_files({"settings.toml": f'[hall]\nname_zh = "思明区行政服务中心"\nemblem = "{emblem}"\n'})
    kiosk.context.set_remote_config(bundle)
    assert header.hall.text() == "思明区行政服务中心"
    assert _centre(header.emblem.pixmap()) == QColor("#FF0000")
    kiosk.context.set_language("en")
    assert header.hall.text() == "Xiamen Administrative Service Center"  # no English name in the bundle: the local one
    kiosk.context.set_remote_config(None)
    assert _centre(header.emblem.pixmap()) == own


@pytest.mark.parametrize("content", [None, b"", b"\x89PNG\r\n\x1a\n not really a png", b"<svg><unclosed"])
def test_a_missing_or_broken_emblem_falls_back_to_the_kiosks_own_with_a_log_line(
        qapp, tmp_path: Path, caplog, content: bytes | None) -> None:
    path = tmp_path / ("emblem.svg" if content and content.startswith(b"<svg") else "emblem.png")
    if content is not None:
        path.write_bytes(content)
    with caplog.at_level(logging.WARNING, logger="kiosk.screens"):
        shown = emblem_pixmap(str(path), 112, "#0B4F9C")
    assert shown.toImage() == emblem_pixmap("", 112, "#0B4F9C").toImage()
    assert str(path) in caplog.text and "showing the kiosk's own" in caplog.text


def test_a_png_emblem_keeps_its_proportions(qapp, tmp_path: Path) -> None:
    wide = QImage(200, 100, QImage.Format.Format_ARGB32)
    wide.fill(QColor("#00AA00"))
    wide.save(str(tmp_path / "wide.png"))
    image = emblem_pixmap(str(tmp_path / "wide.png"), 100, "#0B4F9C").toImage()
    assert QColor(image.pixel(50, 50)) == QColor("#00AA00")
    assert QColor.fromRgba(image.pixel(50, 5)).alpha() == 0  # letterboxed, not stretched


def test_an_emblem_path_that_is_not_an_absolute_png_or_svg_is_refused_with_the_key() -> None:
    with pytest.raises(ValueError, match="absolute path"):
        KioskIdentity(id="XM-001", emblem="emblem.png")
    with pytest.raises(ConfigError) as refused:
        parse_bundle_files({"settings.toml": '[hall]\nemblem = "/srv/emblem.gif"\nmotto = "x"\n'})
    assert "hall.emblem" in str(refused.value) and "hall.motto" in str(refused.value)
