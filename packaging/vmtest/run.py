"""The deployment test: the .deb as a hall installs it, booted in a virtual kiosk PC, checked from outside.

    .venv/bin/python packaging/vmtest/run.py [--deb FILE] [--out DIR] [--keep]

Builds the package from the checkout (or takes --deb), installs it with apt into a clean Debian 12
(cached), boots it under QEMU with systemd, a 1080×1920 virtual DRM display, the project's
simulators behind USB-serial bridges and a network printer port, and checks what a hall would
see: kiosk.service active with READY=1 and a readable status, the home screen in Chinese and in
English, a card read and a ticket printed through the udev-named devices, `kiosk diag --json`
all OK, a stop within 5 s without SIGKILL, a hung event loop killed by the watchdog and the kiosk
back, and no Python traceback in the journal. Then it boots the same kiosk again on a 1920×1080
panel with `rotation = 90` and the touch rule an admin adds for a panel mounted on its side, and
checks the picture is the portrait design turned and a touch presses the button under the finger.
Screenshots, journals and the console log go to --out.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import admin_setup
import image
from machine import HOST_FROM_GUEST, Machine
from rotated import PANEL, check_the_turned_kiosk, turn_the_panel
from walk import Checks, walk_the_kiosk

REPO = Path(__file__).resolve().parents[2]
CACHE = Path.home() / ".cache" / "xm-hall-kiosk" / "deploy"
# The virtual kiosk's clock: a working Monday morning in the hall, so every journey is open.
HALL_MORNING_UTC = "2026-12-07T02:30:00"


def build_deb(out: Path) -> Path:
    done = subprocess.run(["bash", str(REPO / "packaging/build-deb.sh"), "--out", str(out)],
                          check=True, capture_output=True, text=True)
    return Path(done.stdout.strip().splitlines()[-1])


def wait_for(what: str, probe, timeout: float, every: float = 1.0):  # noqa: ANN001, ANN201
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what}: not within {timeout:.0f} s")
        time.sleep(every)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--deb", type=Path, help="test this package instead of building one")
    parser.add_argument("--out", type=Path, default=REPO / "dist" / "deploy", help="screenshots, logs, figures")
    parser.add_argument("--keep", action="store_true", help="keep the work directory (disk image, root tree)")
    args = parser.parse_args(argv)
    from devices.simulators.idcard_reader import IdCardReaderSimulator
    from devices.simulators.printer import PrinterSimulator
    from devices.simulators.scanner import ScannerSimulator

    args.out.mkdir(parents=True, exist_ok=True)
    CACHE.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="kiosk-deploy-"))
    checks = Checks(args.out)
    machine: Machine | None = None
    started = time.monotonic()
    try:
        deb = args.deb or build_deb(work / "dist")
        checks.figure("package", f"{deb.name} ({deb.stat().st_size / 2**20:.0f} MiB)")
        base = image.base_root(CACHE)
        root = work / "root"
        image.copy_base(base, root)
        t = time.monotonic()
        apt_output = image.install_package(root, deb, CACHE / "apt-archives")
        (args.out / "apt-install.log").write_text(apt_output)
        checks.figure("apt install of the package", f"{time.monotonic() - t:.0f} s")
        printer = PrinterSimulator(listen=("127.0.0.1", 0)).start()
        idcard = IdCardReaderSimulator(baudrate=115200).start()
        scanner = ScannerSimulator().start()
        key = image.ssh_key(CACHE)
        admin_setup.configure(root, f"tcp://{HOST_FROM_GUEST}:{printer.link.address[1]}",
                              key.with_suffix(".pub").read_text())
        image.make_disk(root, work / "disk.raw")
        machine = Machine(work, root, work / "disk.raw", key, idcard_pty=idcard.slave_path,
                          scanner_pty=scanner.slave_path, clock=HALL_MORNING_UTC)
        checks.figure("virtual machine", f"QEMU {machine.accel.upper()}, 2 vCPU, 2 GiB, virtio-gpu 1080x1920")
        machine.start()
        checks.figure("boot → SSH", f"{machine.wait_for_ssh(600):.1f} s")
        walk_the_kiosk(machine, checks, idcard=idcard, printer=printer, wait_for=wait_for)
        # The same kiosk on a landscape panel mounted on its side: booted again, turned.
        turn_the_panel(machine, checks)
        machine = Machine(work, root, work / "disk.raw", key, idcard_pty=idcard.slave_path,
                          scanner_pty=scanner.slave_path, clock=HALL_MORNING_UTC, width=PANEL[0], height=PANEL[1])
        machine.start()
        checks.figure("boot → SSH (1920x1080 panel, rotation = 90)", f"{machine.wait_for_ssh(600):.1f} s")
        check_the_turned_kiosk(machine, checks, wait_for=wait_for)
    except Exception as exc:  # the report names what failed; the artifacts say why
        checks.fail("deployment test", f"{type(exc).__name__}: {exc}")
    finally:
        if machine is not None:
            try:
                journal = machine.ssh("journalctl -b --no-pager -o short-monotonic", timeout=120).stdout
                (args.out / "journal.txt").write_text(journal)
            except Exception:  # noqa: BLE001 (the VM may be the thing that failed)
                pass
            machine.stop()
            if machine.console_log.exists():
                shutil.copy2(machine.console_log, args.out / "console.log")
        if not args.keep:
            subprocess.run(["rm", "-rf", str(work)], check=False)
    checks.figure("whole test", f"{time.monotonic() - started:.0f} s")
    (args.out / "results.json").write_text(json.dumps(checks.as_dict(), ensure_ascii=False, indent=2))
    return checks.report()


if __name__ == "__main__":
    sys.exit(main())
