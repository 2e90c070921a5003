"""What a hall admin does after `apt install`, per packaging/README.md, written into the image.

The kiosk's own configuration names its devices by their udev names and the network printer by
address; the udev rules get the local copy the README asks for (the reader and scanner are told
apart by their bridges' serial numbers); the token goes in its own file; the hall gateway runs on
the same machine with the demo hall's records (a 24-hour-zone kiosk, so the test does not depend
on the hall's opening hours); the kiosk is enabled and the machine boots to the graphical target.
"""

from __future__ import annotations

from pathlib import Path

from image import run, write

KIOSK_ID = "XM-24H-001"
KIOSK_TOKEN = "demo-24h-001-secret"  # registered by the gateway's --demo records
READER_SERIAL = "KIOSKIDR01"
SCANNER_SERIAL = "KIOSKSCN01"


def kiosk_toml(printer_url: str) -> str:
    return f"""\
# /etc/kiosk/kiosk.toml of the virtual kiosk
state_dir = "/var/lib/kiosk"
language = "zh"

[kiosk]
id = "{KIOSK_ID}"
zone = "24h"

[devices]
idcard = "serial:///dev/kiosk-idreader?baudrate=115200"
printer = "{printer_url}"
printer_profile = "80mm"
scanner = "serial:///dev/kiosk-scanner?baudrate=9600"

[gateway]
url = "http://127.0.0.1:8765"
token_file = "/etc/kiosk/gateway.token"
"""


UDEV_RULES = f"""\
# This kiosk's model: both serial devices sit behind FTDI FT232R bridges, told apart by serial number.
ACTION=="remove", GOTO="kiosk_devices_end"
SUBSYSTEM=="tty", KERNEL=="ttyUSB[0-9]*", ATTRS{{idVendor}}=="0403", ATTRS{{idProduct}}=="6001", ATTRS{{serial}}=="{READER_SERIAL}", SYMLINK+="kiosk-idreader", GROUP="kiosk", MODE="0660", ENV{{ID_MM_DEVICE_IGNORE}}="1"
SUBSYSTEM=="tty", KERNEL=="ttyUSB[0-9]*", ATTRS{{idVendor}}=="0403", ATTRS{{idProduct}}=="6001", ATTRS{{serial}}=="{SCANNER_SERIAL}", SYMLINK+="kiosk-scanner", GROUP="kiosk", MODE="0660", ENV{{ID_MM_DEVICE_IGNORE}}="1"
LABEL="kiosk_devices_end"
"""


def configure(root: Path, printer_url: str, ssh_public_key: str) -> None:
    write(root, "/etc/kiosk/kiosk.toml", kiosk_toml(printer_url), 0o640)
    run("chroot", root, "chgrp", "kiosk", "/etc/kiosk/kiosk.toml")
    write(root, "/etc/kiosk/gateway.token", KIOSK_TOKEN + "\n", 0o640)
    run("chroot", root, "chgrp", "kiosk", "/etc/kiosk/gateway.token")
    write(root, "/etc/udev/rules.d/70-kiosk-devices.rules", UDEV_RULES)
    write(root, "/etc/default/kiosk-gateway", 'KIOSK_GATEWAY_OPTIONS="--demo"\n')
    write(root, "/root/.ssh/authorized_keys", ssh_public_key, 0o600)
    run("chroot", root, "systemctl", "enable", "kiosk.service", "kiosk-gateway.service")
    run("chroot", root, "systemctl", "set-default", "graphical.target")
