"""Child process for the bundle crash-safety test: stages, applies and confirms bundles until killed.

Prints ``confirmed <version>`` after each ``confirm_good()`` returns, unbuffered, so the parent
knows which versions were confirmed before the kill. Kept lean (no pytest).
"""

import os
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from kiosk.fleet.config_updates import BundleStore
from kiosk.system.clock import SettableClock


def main() -> None:
    state_dir, bundles, trusted = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    clock = SettableClock(datetime(2026, 11, 20, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
    store = BundleStore(state_dir, [trusted], "canary", clock)
    store.config_for_start()
    store.confirm_good()
    os.write(1, b"ready\n")
    version = store.accepted_version + 1
    while (path := bundles / f"{version:04d}.json").exists():
        store.stage(path.read_bytes())
        store.apply_pending()
        if version % 5 == 0:
            store.rollback("simulated screen failure")
        else:
            store.confirm_good()
            os.write(1, f"confirmed {version}\n".encode())
        version += 1
    os.write(1, b"done\n")


if __name__ == "__main__":
    main()
