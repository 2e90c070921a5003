"""Run inside ``unshare --net --mount``: an IPP Everywhere printer and a CUPS queue on it, and the driver.

``ippeveprinter`` (Debian's cups-ipp-utils) listens on every address and needs DNS-SD, so it runs
in a network namespace of its own with only loopback, beside a private D-Bus and avahi-daemon
(restricted to lo); a private ``cupsd`` runs as ``nobody`` in a temp dir with a queue whose device
is that printer. The kiosk's A4 driver then prints to both and this script prints what happened as
JSON on its last line. Usage: ``python ipp_everywhere_net.py WORKDIR``.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from a4_documents import tiny_pdf  # noqa: E402

from devices.registry import create_device  # noqa: E402

PRINTER_PORT, CUPS_PORT = 8631, 8632


def _wait_port(port: int, timeout: float = 15.0) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on port {port}")


def _cups_files(cups: Path) -> None:
    for sub in ("state", "cache", "spool/temp", "log"):
        (cups / sub).mkdir(parents=True, exist_ok=True)
    (cups / "cupsd.conf").write_text(
        f"Listen 127.0.0.1:{CUPS_PORT}\nLogLevel info\nBrowsing Off\nDefaultAuthType None\nWebInterface No\n"
        "PreserveJobFiles Yes\n<Location />\n  Order Allow,Deny\n  Allow 127.0.0.1\n</Location>\n")
    (cups / "cups-files.conf").write_text(
        f"ServerRoot {cups}\nStateDir {cups}/state\nCacheDir {cups}/cache\nDataDir /usr/share/cups\n"
        f"ServerBin /usr/lib/cups\nDocumentRoot /usr/share/cups/doc-root\nRequestRoot {cups}/spool\n"
        f"TempDir {cups}/spool/temp\nAccessLog {cups}/log/access_log\nErrorLog {cups}/log/error_log\n"
        f"PageLog {cups}/log/page_log\nFileDevice No\n")
    (cups / "printers.conf").write_text(
        "<Printer HallA4>\nInfo Hall A4 printer\nState Idle\nAccepting Yes\nShared No\n"
        f"DeviceURI ipp://127.0.0.1:{PRINTER_PORT}/ipp/print\n</Printer>\n")
    shutil.chown(cups, "nobody", "nogroup")
    for path in cups.rglob("*"):
        shutil.chown(path, "nobody", "nogroup")


def _print(url: str) -> dict[str, object]:
    device = create_device("a4printer", url, poll_interval=0.2)
    device.open()
    progress: list[list[int]] = []
    try:
        before = device.status()
        result = device.print_document(tiny_pdf(2), pages=2, name="XMZW-TEST",
                                       on_progress=lambda done, total: progress.append([done, total]))
        return {"ok": True, "state_before": before.state, "reasons_before": list(before.reasons),
                "job_id": result.job_id, "pages": result.pages, "seconds": round(result.seconds, 2),
                "progress": progress, "jobs": device.statistics.get("jobs")}
    except Exception as exc:  # reported to the test, which says what failed
        return {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
    finally:
        device.close()


def main(work: Path) -> int:
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    subprocess.run(["mount", "-t", "tmpfs", "tmpfs", "/run"], check=True)  # avahi's pid file, ours alone
    Path("/run/avahi-daemon").mkdir()
    (work / "spool").mkdir(exist_ok=True)
    bus = work / "bus"
    (work / "bus.conf").write_text(
        "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\" "
        "\"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\"><busconfig><type>system</type>"
        f"<listen>unix:path={bus}</listen><auth>EXTERNAL</auth><policy context=\"default\"><allow user=\"*\"/>"
        "<allow own=\"*\"/><allow send_destination=\"*\"/><allow receive_sender=\"*\"/></policy></busconfig>")
    (work / "avahi.conf").write_text("[server]\nuse-ipv4=yes\nuse-ipv6=no\nallow-interfaces=lo\nenable-dbus=yes\n"
                                     "[publish]\npublish-hinfo=no\npublish-workstation=no\n")
    env = {**os.environ, "DBUS_SYSTEM_BUS_ADDRESS": f"unix:path={bus}"}
    log = open(work / "servers.log", "wb")  # noqa: SIM115  (open for the servers' whole life)
    procs = []
    cups: Path | None = None
    try:
        procs.append(subprocess.Popen(["dbus-daemon", f"--config-file={work / 'bus.conf'}", "--nofork",
                                       "--nopidfile"], stdout=log, stderr=log))
        end = time.monotonic() + 10
        while not bus.exists() and time.monotonic() < end:
            time.sleep(0.05)
        procs.append(subprocess.Popen(["avahi-daemon", "-f", str(work / "avahi.conf"), "--no-drop-root",
                                       "--no-chroot", "--no-rlimits"], env=env, stdout=log, stderr=log))
        time.sleep(1.0)
        procs.append(subprocess.Popen(["ippeveprinter", "-p", str(PRINTER_PORT), "-f", "application/pdf", "-k",
                                       "-d", str(work / "spool"), "-m", "A4 Everywhere", "HallA4"],
                                      env=env, stdout=log, stderr=log))
        _wait_port(PRINTER_PORT)
        results: dict[str, object] = {"ippeveprinter": _print(f"ipp://127.0.0.1:{PRINTER_PORT}/ipp/print")}
        # cupsd runs as nobody: its directory cannot be under the test's root-only temp directory
        cups = Path(tempfile.mkdtemp(prefix="kiosk-cups-"))
        cups.chmod(0o755)
        _cups_files(cups)
        procs.append(subprocess.Popen(["/usr/sbin/cupsd", "-f", "-c", str(cups / "cupsd.conf"), "-s",
                                       str(cups / "cups-files.conf")], user="nobody", group="nogroup",
                                      stdout=log, stderr=log))
        _wait_port(CUPS_PORT)
        results["cups"] = _print(f"cups://HallA4?server=127.0.0.1:{CUPS_PORT}")
        spooled = sorted(p.name for p in (work / "spool").rglob("*") if p.is_file())
        results["spooled"] = spooled
    finally:
        for proc in reversed(procs):
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        log.close()
        if cups is not None:
            cups_log = cups / "log" / "error_log"
            if cups_log.exists():
                shutil.copy(cups_log, work / "cups_error_log")
            shutil.rmtree(cups, ignore_errors=True)
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
