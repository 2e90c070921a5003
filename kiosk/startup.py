"""What starts after the first frame: each step is a hook given the running kiosk.

Hooks run in order on the GUI thread and must hand anything slow to a worker thread.
"""

from __future__ import annotations

from config.local import KioskSettings
from kiosk.app import StartHook


def hooks(settings: KioskSettings, demo: bool) -> list[StartHook]:
    steps: list[StartHook] = []
    return steps
