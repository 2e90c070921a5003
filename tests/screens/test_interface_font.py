"""The interface font (screens/interface_font.py, scripts/build_interface_font.py): same pixels, less memory.

Kiosk Sans SC is the part of Noto Sans CJK SC the kiosk draws. Text in it must look exactly as in
Noto Sans CJK SC, in both weights, Chinese and Latin; a character it lacks must still be drawn
(from Noto Sans CJK SC); and it must hold every character of the kiosk's own texts.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QFontInfo, QGuiApplication, QImage, QPainter

from screens.interface_font import FAMILY, FONT_DIR, register_interface_font

ROOT = Path(__file__).resolve().parents[2]
NOTO = "Noto Sans CJK SC"
SAMPLE = "社保查询 缴费凭证 取号 12:05 ¥128.00 · Service guide — 身份证阅读器"


@pytest.fixture(scope="module")
def font_registered(qapp) -> None:
    if not register_interface_font():
        pytest.fail(f"the interface font is not built in {FONT_DIR} (scripts/bootstrap.sh builds it)")


def _draw(families: list[str], text: str, px: int, bold: bool) -> QImage:
    font = QFont()
    font.setFamilies(families)
    font.setPixelSize(px)
    font.setBold(bold)
    image = QImage(1400, px * 2, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setFont(font)
    painter.setPen(QColor("#0b3d91"))
    painter.drawText(image.rect(), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)
    painter.end()
    return image


@pytest.mark.parametrize("bold", [False, True])
@pytest.mark.parametrize("px", [28, 40])
def test_text_looks_the_same_as_in_noto(font_registered, px: int, bold: bool) -> None:
    ours = _draw([FAMILY, NOTO], SAMPLE, px, bold)
    assert ours == _draw([NOTO], SAMPLE, px, bold)
    assert ours != _draw([NOTO], "", px, bold), "nothing was drawn"


def test_a_character_the_subset_lacks_is_drawn_from_noto(font_registered, interface_font_builder) -> None:
    rare = "\u4dae"  # 䶮, CJK Extension A: in names, not in GB 2312
    assert ord(rare) not in interface_font_builder.interface_characters(ROOT)
    drawn = _draw([FAMILY, NOTO], f"龚{rare}", 40, False)
    assert drawn == _draw([NOTO], f"龚{rare}", 40, False)
    assert drawn != _draw([NOTO], "龚", 40, False), "the rare character was not drawn"


def test_the_application_font_is_the_interface_font(font_registered) -> None:
    assert QFontInfo(QGuiApplication.font()).family() == FAMILY
    assert FAMILY in QFontDatabase.families()


def test_the_font_holds_every_character_of_the_kiosks_texts(font_registered, interface_font_builder) -> None:
    from fontTools.ttLib import TTFont

    builder = interface_font_builder
    wanted = set(builder.text_characters(ROOT)) | builder.gb2312_characters()
    for weight in builder.WEIGHTS:
        with TTFont(FONT_DIR / f"KioskSansSC-{weight}.otf", lazy=True) as ours:
            cmap = ours.getBestCmap()
        with TTFont(builder.source_path(weight), fontNumber=2, lazy=True) as noto:
            source = noto.getBestCmap()
        missing = sorted(chr(c) for c in wanted if c in source and c not in cmap)
        assert not missing, f"{weight}: {''.join(missing[:40])} not in the interface font (run scripts/bootstrap.sh)"
    assert len(builder.gb2312_characters()) > 7000
    licence = (FONT_DIR / "LICENSE").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence and "Noto Sans CJK SC" in licence


def test_without_the_fonts_the_kiosk_says_so_and_uses_noto(tmp_path: Path, caplog) -> None:
    from screens.interface_font import _register

    caplog.set_level("INFO", logger="kiosk")
    assert _register(tmp_path) is False
    assert "drawn from Noto Sans CJK" in caplog.text


def test_the_builder_without_fonttools_or_noto_says_why(interface_font_builder, tmp_path: Path, monkeypatch,
                                                         capsys) -> None:
    builder = interface_font_builder
    monkeypatch.setattr(builder, "SOURCE_DIR", tmp_path / "no-noto")
    with pytest.raises(builder.FontBuildError, match="fonts-noto-cjk"):
        builder.build(tmp_path / "out")
    assert builder.main(["--out", str(tmp_path / "out")]) == 0
    assert "interface font not built" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_the_builder_without_a_usable_cache_builds_where_the_fonts_go(interface_font_builder, tmp_path: Path,
                                                                       monkeypatch) -> None:
    builder = interface_font_builder
    blocked = tmp_path / "cache"
    blocked.write_text("a file where the cache directory would be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    out = tmp_path / "fonts"
    fonts = builder.build(out)
    assert [font.name for font in fonts] == ["KioskSansSC-Regular.otf", "KioskSansSC-Bold.otf"]
    assert all(font.stat().st_size > 1_000_000 for font in fonts)
    assert (out / "LICENSE").exists() and (out / builder.STAMP).exists()
    assert builder.build(out) == fonts  # up to date: left alone


def test_a_damaged_weight_leaves_the_whole_font_out(qapp, tmp_path: Path, caplog) -> None:
    from screens.interface_font import _register

    (tmp_path / "KioskSansSC-Regular.otf").write_bytes((FONT_DIR / "KioskSansSC-Regular.otf").read_bytes())
    (tmp_path / "KioskSansSC-Bold.otf").write_bytes(b"OTTO" + b"\0" * 200)  # a truncated file
    before = set(QFontDatabase.families())
    caplog.set_level("INFO", logger="kiosk")
    assert _register(tmp_path) is False
    assert "could not be loaded" in caplog.text and "1 of 2 weights" in caplog.text
    assert set(QFontDatabase.families()) == before
