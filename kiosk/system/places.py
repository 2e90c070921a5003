"""Where the kiosk's files are when nobody says otherwise: the local configuration and the demo's state."""

from __future__ import annotations

from pathlib import Path

DEFAULT_CONFIG = Path("/etc/kiosk/kiosk.toml")  # what `kiosk run`, `kiosk session` and the fleet commands read
DEMO_STATE_DIR = Path("var/demo")  # the demo's database, logs and statistics, relative to where it was started
