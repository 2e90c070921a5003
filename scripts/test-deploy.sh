#!/usr/bin/env bash
# The deployment test: builds the Debian package from this checkout, installs it with apt into a
# clean Debian 12 (built with debootstrap once and cached in ~/.cache/xm-hall-kiosk/deploy), boots
# it in QEMU with systemd, a 1080x1920 virtual display and the device simulators, and checks the
# kiosk from outside (packaging/vmtest/run.py says what). Screenshots, the journal and the figures
# go to dist/deploy/. Needs root (debootstrap, chroot, mounts) on a Debian 12 machine.
# Extra arguments go to packaging/vmtest/run.py (e.g. --deb FILE, --keep).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" -ne 0 ]; then
    echo "test-deploy: needs root (debootstrap, chroot and mounts build the virtual kiosk's disk)" >&2
    exit 2
fi
bash scripts/bootstrap.sh
need=()
for deb in qemu-system-x86 qemu-utils debootstrap e2fsprogs openssh-client dpkg-dev procps; do
    dpkg-query -W -f='${Status}' "$deb" 2>/dev/null | grep -q "install ok installed" || need+=("$deb")
done
if [ "${#need[@]}" -gt 0 ]; then
    echo "test-deploy: installing Debian packages: ${need[*]}" >&2
    apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null
fi
exec .venv/bin/python packaging/vmtest/run.py "$@"
