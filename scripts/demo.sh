#!/usr/bin/env bash
# Starts the demo kiosk: embedded reference gateway, simulated devices, a window with the
# demo control panel beside it. Extra arguments go to `kiosk run`.
# While the hall is closed (nights, weekends, holidays) it opens the 24-hour self-service zone's
# kiosk, whose services are offered at any hour, and says so; `--demo-zone hall` or
# `--demo-zone 24h` chooses one.
set -euo pipefail
cd "$(dirname "$0")/.."
KIOSK_WITH_X11=1 bash scripts/bootstrap.sh
exec .venv/bin/kiosk run --demo --demo-zone auto --windowed "$@"
