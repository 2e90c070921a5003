"""The application's wheel (as the package carries it) holds the compiled English catalogue, and a
kiosk installed from that wheel shows English: the wheel alone, no checkout beside it."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PROJECT = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
WHEEL = f"opt/kiosk/wheels/{PROJECT['name'].replace('-', '_')}-{PROJECT['version']}-py3-none-any.whl"


@pytest.fixture(scope="module")
def installed(root: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel installed by pip into a directory of its own (dependencies are not needed here)."""
    target = tmp_path_factory.mktemp("site")
    result = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index",
                             "--disable-pip-version-check", "--target", str(target), str(root / WHEEL)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return target


def test_wheel_carries_the_compiled_catalogues_not_the_sources(root: Path) -> None:
    with zipfile.ZipFile(root / WHEEL) as wheel:
        names = wheel.namelist()
    assert "kiosk/locale/en/LC_MESSAGES/kiosk.mo" in names
    assert [n for n in names if n.endswith(".po")] == []


def test_installed_kiosk_speaks_english_with_every_translation(installed: Path) -> None:
    sys.path.insert(0, str(REPO / "scripts"))
    from compile_translations import po_messages

    expected = {}
    for po in sorted((REPO / "kiosk/locale/en").glob("*.po")):
        expected.update(po_messages(po))
    # -S -I: only the installed wheel (no site-packages, no editable checkout, not the cwd).
    program = ("import json, sys; sys.path.insert(0, sys.argv[1]); from kiosk.shell import i18n; "
               "i18n.set_language('en'); print(json.dumps({'file': i18n.__file__, 'take': i18n._('取号'), "
               "'all': i18n.catalogue('en')}))")
    result = subprocess.run([sys.executable, "-S", "-I", "-c", program, str(installed)], capture_output=True,
                            text=True, cwd=installed, timeout=60)
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout)
    assert Path(shown["file"]).is_relative_to(installed)
    assert shown["take"] == "Take a number"
    assert shown["all"] == expected
