"""The application's wheel, as the package carries it, holds every pictogram the kiosk names and their licence."""

from __future__ import annotations

import tomllib
import zipfile
from pathlib import Path

from screens.pictogram_names import GENERIC, PICTOGRAMS

REPO = Path(__file__).resolve().parents[2]
PROJECT = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
WHEEL = f"opt/kiosk/wheels/{PROJECT['name'].replace('-', '_')}-{PROJECT['version']}-py3-none-any.whl"


def test_wheel_carries_the_pictograms_and_their_licence(root: Path) -> None:
    with zipfile.ZipFile(root / WHEEL) as wheel:
        names = set(wheel.namelist())
        licence = wheel.read("screens/pictograms/LICENSE").decode()
    expected = {f"screens/pictograms/{name}.svg" for name in {*PICTOGRAMS.values(), GENERIC}}
    assert expected <= names
    assert "MIT License" in licence and "Paweł Kuna" in licence
