"""The kiosk process loads no pydantic plugins and does not import what looking for them needs."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pydantic

CHILD = """
import json, sys
from kiosk.cli.pydantic_plugins import load_no_plugins
load_no_plugins()
from config.local import demo_settings
settings = demo_settings({state!r})
from pydantic.plugin._loader import get_plugins
print(json.dumps({{"plugins": list(get_plugins()), "metadata": "importlib.metadata" in sys.modules,
                  "kiosk_id": settings.kiosk.id, "entry_points": hasattr(sys.modules["pydantic.plugin._loader"],
                                                                       "entry_points")}}))
"""


def _child(tmp_path: Path, setting: str | None) -> dict:
    env = {key: value for key, value in os.environ.items() if key != "PYDANTIC_DISABLE_PLUGINS"}
    if setting is not None:
        env["PYDANTIC_DISABLE_PLUGINS"] = setting
    done = subprocess.run([sys.executable, "-c", CHILD.format(state=str(tmp_path / "state"))], env=env,
                          capture_output=True, text=True, timeout=60, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_no_plugins_and_no_entry_point_machinery_in_the_kiosk_process(tmp_path: Path) -> None:
    report = _child(tmp_path, None)
    assert report["plugins"] == []
    assert not report["metadata"], "importlib.metadata imported although no plugin is looked for"
    assert report["kiosk_id"], "the settings models were built and validated"


def test_a_setting_that_disables_only_some_plugins_keeps_pydantics_own_loader(tmp_path: Path) -> None:
    report = _child(tmp_path, "some_plugin")
    assert report["entry_points"], "pydantic's own loader was replaced"


def test_pydantic_takes_only_get_plugins_from_its_loader() -> None:
    """What the stand-in loader provides is all pydantic asks of it (checked again on each pydantic upgrade)."""
    package = Path(pydantic.__file__).parent
    uses = {match.group(1).strip() for path in package.rglob("*.py")
            for match in re.finditer(r"from (?:\.|pydantic\.plugin\.)_loader import ([^\n]+)",
                                     path.read_text(encoding="utf-8"))}
    assert uses == {"get_plugins"}
