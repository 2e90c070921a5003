#!/usr/bin/env bash
# Prepares this checkout to run: Debian packages Qt, Chinese text and spoken guidance need (when missing),
# PostgreSQL for the gateway's tests (they start their own server as the postgres user),
# a virtual environment in .venv, and the project installed into it (editable).
# Safe to run again: each step is skipped when it is already done.
set -euo pipefail
cd "$(dirname "$0")/.."

need_debs=()
want_debs=(fonts-noto-cjk libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3 postgresql)
# spoken guidance (devices/speaker): espeak-ng renders the prompts, aplay (alsa-utils) plays them
want_debs+=(espeak-ng alsa-utils)
# the gateway's certificates (WeasyPrint needs pango); their tests read PDFs back (poppler-utils) and
# print them on an IPP Everywhere printer (ippeveprinter, which needs avahi on a private D-Bus) and
# through a private CUPS server
want_debs+=(libpango-1.0-0 libpangoft2-1.0-0 poppler-utils cups-ipp-utils cups-daemon avahi-daemon dbus iproute2)
if [ "${KIOSK_WITH_X11:-0}" = 1 ]; then
  want_debs+=(xvfb libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxkbcommon-x11-0 libxcb-image0
              libxcb-render-util0 libxcb-shape0 libxcb-randr0 libxcb-xkb1)
fi
if command -v dpkg-query >/dev/null 2>&1; then
  for deb in "${want_debs[@]}"; do
    dpkg-query -W -f='${Status}' "$deb" 2>/dev/null | grep -q "install ok installed" || need_debs+=("$deb")
  done
fi
if [ "${#need_debs[@]}" -gt 0 ]; then
  echo "kiosk: installing Debian packages: ${need_debs[*]}" >&2
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  # apt may be locked for a while by another install on the same machine: try again a few times
  for attempt in 1 2 3 4 5 6; do
    if $sudo_cmd apt-get update -q >/dev/null &&
       DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -q "${need_debs[@]}" >/dev/null; then
      break
    fi
    [ "$attempt" = 6 ] && { echo "kiosk: apt-get failed 6 times; install ${need_debs[*]} by hand" >&2; exit 1; }
    echo "kiosk: apt-get busy or failed (attempt $attempt); trying again in 10 s" >&2
    sleep 10
  done
fi

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "kiosk: creating virtual environment in .venv" >&2
  "$python" -m venv .venv
fi
stamp=.venv/.installed-$(sha1sum pyproject.toml | cut -c1-12)
if [ ! -f "$stamp" ]; then
  echo "kiosk: installing Python packages into .venv" >&2
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e ".[test]"
  rm -f .venv/.installed-*
  touch "$stamp"
fi
# The translation catalogues (.po → kiosk/locale/<lang>/LC_MESSAGES/kiosk.mo, not committed):
# compiled again whenever a .po file is newer than its catalogue.
.venv/bin/python scripts/compile_translations.py >&2
.venv/bin/python scripts/build_interface_font.py >&2
