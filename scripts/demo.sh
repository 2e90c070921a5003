#!/usr/bin/env bash
# Starts the demo kiosk: embedded reference gateway, simulated devices, a window with the
# demo control panel beside it. Extra arguments go to `kiosk run`.
set -euo pipefail
cd "$(dirname "$0")/.."
KIOSK_WITH_X11=1 bash scripts/bootstrap.sh
exec .venv/bin/kiosk run --demo --windowed "$@"
