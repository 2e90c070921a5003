"""PySide6 imported through kiosk/app/qt_imports.py: later imports are not read as source, features still work."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

CHILD = """
import json, linecache, sys
sys.path.insert(0, {folder!r})
from kiosk.app.qt_imports import import_qt
found = import_qt()
import plain_module, selecting_module
feature = sys.modules["shibokensupport.feature"]
print(json.dumps({{
    "found": found,
    "read": sorted(name for name in linecache.cache if name.endswith("_module.py")),
    "plain_selection": feature.pyside_feature_dict.get("plain_module"),
    "plain_names": plain_module.names(),
    "selecting_names": selecting_module.names(),
}}))
"""

PLAIN = """
from PySide6.QtCore import QObject

def names():
    thing = QObject()
    thing.setObjectName("plain")
    return [hasattr(thing, "objectName"), hasattr(thing, "object_name"), thing.objectName()]
"""

SELECTING = """
from __feature__ import snake_case
from PySide6.QtCore import QObject

def names():
    thing = QObject()
    thing.set_object_name("selecting")
    return [hasattr(thing, "objectName"), hasattr(thing, "object_name"), thing.object_name()]
"""


def _child(tmp_path: Path) -> dict:
    (tmp_path / "plain_module.py").write_text(PLAIN)
    (tmp_path / "selecting_module.py").write_text(SELECTING)
    done = subprocess.run([sys.executable, "-c", CHILD.format(folder=str(tmp_path))], capture_output=True,
                          text=True, timeout=60, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_modules_imported_after_pyside6_are_not_read_as_source(tmp_path: Path) -> None:
    report = _child(tmp_path)
    assert report["found"], "PySide6's feature hook was not found: qt_imports no longer applies"
    assert report["read"] == [], "the feature hook read a module's source"
    assert report["plain_selection"] == 0, "PySide6's default names (no feature) for a module using it"


def test_pyside6_names_are_unchanged_and_a_module_selecting_a_feature_still_gets_it(tmp_path: Path) -> None:
    report = _child(tmp_path)
    assert report["plain_names"] == [True, False, "plain"]
    assert report["selecting_names"] == [False, True, "selecting"]


def test_no_module_of_the_kiosk_selects_a_feature() -> None:
    root = Path(__file__).resolve().parents[2]
    statement = re.compile(r"^\s*(from __feature__ import|import __feature__)", re.MULTILINE)
    selecting = [str(path.relative_to(root)) for package in ("kiosk", "screens", "devices", "config", "lifecycle")
                 for path in (root / package).rglob("*.py") if statement.search(path.read_text(encoding="utf-8"))]
    assert selecting == []
