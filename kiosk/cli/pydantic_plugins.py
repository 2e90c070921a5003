"""The kiosk process loads no pydantic plugins, and does not prepare to look for any.

pydantic looks for plugins (packages with a ``pydantic`` entry point) when it builds its first
model, which the kiosk does while reading its configuration, before its first frame. The kiosk
has none: ``PYDANTIC_DISABLE_PLUGINS=__all__``, pydantic's own setting, makes that search return
nothing at once. pydantic's plugin loader still imports ``importlib.metadata`` (and email,
zipfile and csv with it: ~12 ms of the start and ~1.5 MB) only to be ready for the search; with
every plugin disabled it is given instead in the form that answers "no plugins" and imports
nothing. A setting that disables only some plugins leaves pydantic's loader as it is.
"""

from __future__ import annotations

import os
import sys
from types import ModuleType
from typing import Any

SETTING = "PYDANTIC_DISABLE_PLUGINS"
ALL_DISABLED = ("__all__", "1", "true")  # pydantic's values for "no plugin at all"
LOADER = "pydantic.plugin._loader"


def _no_plugins() -> tuple[()]:
    return ()


def load_no_plugins() -> None:
    """Disable pydantic's plugins for this process (unless the environment says otherwise already)."""
    os.environ.setdefault(SETTING, "__all__")
    if os.environ[SETTING] not in ALL_DISABLED or LOADER in sys.modules:
        return
    loader: Any = ModuleType(LOADER, "pydantic's plugin loader, every plugin disabled (kiosk/cli/pydantic_plugins.py)")
    loader.get_plugins = _no_plugins
    sys.modules[LOADER] = loader
