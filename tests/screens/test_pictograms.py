"""Every service, department and journey the kiosk shows has a pictogram, and every pictogram draws."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage

from config.catalogue import JOURNEY_TILES, load_default_catalogue
from screens.pictogram import FOLDER, pictogram_file, pictogram_icon, pictogram_pixmap
from screens.pictogram_names import GENERIC, PICTOGRAMS, service_pictogram
from screens.pictogram_sheet import draw_sheet, sheet_names


def _coverage(image: QImage, colour: QColor) -> tuple[float, int]:
    """Share of pixels drawn, and how many of them are the colour asked for (anti-aliased edges aside)."""
    drawn = exact = 0
    for y in range(image.height()):
        for x in range(image.width()):
            pixel = image.pixelColor(x, y)
            if pixel.alpha() > 0:
                drawn += 1
                if pixel.alpha() == 255 and pixel.rgb() == colour.rgb():
                    exact += 1
    return drawn / (image.width() * image.height()), exact


def test_every_catalogue_entry_and_journey_has_its_own_pictogram() -> None:
    catalogue = load_default_catalogue()
    missing = [f"service/{s.id}" for s in catalogue.services() if f"service/{s.id}" not in PICTOGRAMS]
    missing += [f"department/{d.id}" for d in catalogue.departments if f"department/{d.id}" not in PICTOGRAMS]
    missing += [f"journey/{j}" for j in JOURNEY_TILES if f"journey/{j}" not in PICTOGRAMS]
    assert not missing, missing
    assert len(catalogue.services()) == 35


def test_a_service_a_newer_catalogue_adds_shows_its_journeys_pictogram() -> None:
    assert service_pictogram("ss-card-apply", "queue_ticket") == "service/ss-card-apply"
    assert service_pictogram("new-service-2027", "payment") == "journey/payment"


def test_the_folder_holds_exactly_the_pictograms_in_use_and_their_licence() -> None:
    used = {*PICTOGRAMS.values(), GENERIC}
    assert {p.stem for p in FOLDER.glob("*.svg")} == used
    assert "MIT License" in (FOLDER / "LICENSE").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(PICTOGRAMS))
def test_every_pictogram_renders_in_the_colour_asked_for(qapp, name: str) -> None:
    pixmap = pictogram_pixmap(name, "#0b5cad", 64)
    assert (pixmap.width(), pixmap.height()) == (64, 64)
    share, exact = _coverage(pixmap.toImage(), QColor("#0b5cad"))
    assert 0.04 < share < 0.7, f"{name}: {share:.0%} of the square drawn"
    assert exact > 40, f"{name}: strokes not in the colour asked for"


def test_pixmaps_are_cached_and_sized_for_the_screen(qapp) -> None:
    first = pictogram_pixmap("journey/payment", "white", 96)
    assert pictogram_pixmap("journey/payment", "white", 96) is first
    sharp = pictogram_pixmap("journey/payment", "white", 96, ratio=2.0)
    assert (sharp.width(), sharp.devicePixelRatio()) == (192, 2.0)
    assert not pictogram_icon("action/speak", "#ffffff", 48).isNull()


def test_bad_requests_are_clear_errors_and_an_unknown_name_shows_the_generic_one(qapp, caplog) -> None:
    with pytest.raises(ValueError, match="not a colour Qt knows"):
        pictogram_pixmap("journey/payment", "bluish", 64)
    with pytest.raises(ValueError, match="must be 8–1024 pixels"):
        pictogram_pixmap("journey/payment", "white", 0)
    with caplog.at_level(logging.WARNING):
        assert pictogram_file("service/not-in-the-table") == FOLDER / f"{GENERIC}.svg"
        assert not pictogram_pixmap("service/not-in-the-table", "black", 32).isNull()
    assert "not-in-the-table" in caplog.text


def test_the_contact_sheet_names_every_pictogram_in_chinese(qapp, tmp_path: Path) -> None:
    names = sheet_names()
    assert set(names) == set(PICTOGRAMS)
    assert names["service/ss-card-apply"] == "社会保障卡申领" and names["journey/payment"] == "非税缴费"
    assert all(not name.startswith(("service/", "journey/", "department/", "action/")) for name in names.values())
    image = draw_sheet(tmp_path / "sheet.png")
    assert (tmp_path / "sheet.png").stat().st_size > 50_000
    assert image.width() == 8 * 230 and image.height() > 8 * 190
