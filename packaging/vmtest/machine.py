"""The virtual kiosk PC: QEMU with a portrait virtual display, USB-serial devices, a network, QMP and SSH.

What the kiosk meets inside is what it meets on a real board: a DRM display (virtio-gpu at
1080×1920), a USB tablet as the touch screen, two FTDI USB-serial bridges (QEMU's ``usb-serial``,
0403:6001) whose far ends are the project's ID-card reader and scanner simulators on this host,
and a network on which the host's network receipt printer simulator is reached (slirp maps
10.0.2.2 to the host's loopback). The test drives it from outside: QMP for the screen and the
touches, SSH for ``systemctl`` and ``journalctl`` as a technician would.
"""

from __future__ import annotations

import json
import os
import shlex
import socket
import subprocess
import time
from pathlib import Path

from PIL import Image

HOST_FROM_GUEST = "10.0.2.2"  # slirp's address for the host's loopback
ABS_MAX = 0x7FFF  # QEMU's absolute pointer range


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def kvm_works(kernel: Path) -> bool:
    """Whether QEMU can run the kiosk's kernel under KVM here.

    ``/dev/kvm`` can exist while nested KVM fails: the virtual CPU then never runs and the
    machine hangs silently. So the kernel is started for a moment and must print its banner.
    """
    if not os.access("/dev/kvm", os.R_OK | os.W_OK):
        return False
    try:
        done = subprocess.run(
            ["timeout", "8", "qemu-system-x86_64", "-accel", "kvm", "-machine", "q35", "-display", "none",
             "-nodefaults", "-no-user-config", "-kernel", str(kernel), "-append", "console=ttyS0 panic=-1",
             "-no-reboot", "-serial", "stdio"],
            capture_output=True, timeout=30,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return b"Linux version" in done.stdout


class Qmp:
    """QEMU's machine protocol over a unix socket: one command at a time, events skipped."""

    def __init__(self, path: Path, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                self._sock = socket.socket(socket.AF_UNIX)
                self._sock.connect(str(path))
                break
            except OSError:
                self._sock.close()
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        self._file = self._sock.makefile("rwb")
        self._read()  # greeting
        self.command("qmp_capabilities")

    def _read(self) -> dict:
        while True:
            line = self._file.readline()
            if not line:
                raise ConnectionError("QEMU closed its QMP socket")
            message = json.loads(line)
            if "event" not in message:
                return message

    def command(self, name: str, **arguments) -> dict:  # noqa: ANN003
        self._file.write(json.dumps({"execute": name, "arguments": arguments}).encode() + b"\n")
        self._file.flush()
        answer = self._read()
        if "error" in answer:
            raise RuntimeError(f"QMP {name}: {answer['error']}")
        return answer.get("return", {})

    def close(self) -> None:
        self._sock.close()


class Machine:
    def __init__(self, work: Path, root: Path, disk: Path, key: Path, *, idcard_pty: str,
                 scanner_pty: str, clock: str | None = None, width: int = 1080, height: int = 1920) -> None:
        self.work, self.root, self.disk, self.key = work, root, disk, key
        self.idcard_pty, self.scanner_pty = idcard_pty, scanner_pty
        self.width, self.height = width, height
        self.clock = clock  # the guest's clock at power-on (UTC, ISO), or the host's time
        self.ssh_port = free_port()
        self.qmp_path = work / "qmp.sock"
        self.console_log = work / "console.log"
        self.process: subprocess.Popen | None = None
        self.qmp: Qmp | None = None
        self.kernel = max((root / "boot").glob("vmlinuz-*"))
        self.accel = "kvm" if kvm_works(self.kernel) else "tcg"
        self.started = 0.0

    def command_line(self) -> list[str]:
        kernel = self.kernel
        initrd = self.root / "boot" / kernel.name.replace("vmlinuz", "initrd.img")
        cpu = ["-cpu", "host"] if self.accel == "kvm" else ["-cpu", "max"]
        return [
            "qemu-system-x86_64", "-machine", "q35", "-accel", self.accel, *cpu, "-smp", "2", "-m", "2048",
            "-nodefaults", "-no-user-config", "-display", "none",
            "-kernel", str(kernel), "-initrd", str(initrd),
            "-append", "root=/dev/vda rw console=ttyS0 quiet systemd.show_status=false",
            "-drive", f"file={self.disk},if=virtio,format=raw,cache=unsafe",
            "-device", f"virtio-gpu-pci,id=display,xres={self.width},yres={self.height}",
            "-netdev", f"user,id=net0,hostfwd=tcp:127.0.0.1:{self.ssh_port}-:22",
            "-device", "virtio-net-pci,netdev=net0",
            "-device", "qemu-xhci,id=usb",
            "-device", "usb-tablet,bus=usb.0,id=touch,display=display",
            "-chardev", f"serial,id=idcard,path={self.idcard_pty}",
            "-device", "usb-serial,bus=usb.0,chardev=idcard,serial=KIOSKIDR01",
            "-chardev", f"serial,id=scanner,path={self.scanner_pty}",
            "-device", "usb-serial,bus=usb.0,chardev=scanner,serial=KIOSKSCN01",
            "-serial", f"file:{self.console_log}",
            "-qmp", f"unix:{self.qmp_path},server=on,wait=off",
            "-device", "virtio-rng-pci",
            *(["-rtc", f"base={self.clock}"] if self.clock else []),
        ]

    def start(self) -> None:
        self.qmp_path.unlink(missing_ok=True)
        self.started = time.monotonic()
        with open(self.work / "qemu.log", "wb") as log:
            self.process = subprocess.Popen(self.command_line(), stdin=subprocess.DEVNULL, stdout=log,
                                            stderr=subprocess.STDOUT)
        self.qmp = Qmp(self.qmp_path)

    # --- from outside: screen and touch -----------------------------------------------------
    def screenshot(self, png: Path) -> Image.Image:
        assert self.qmp is not None
        ppm = png.with_suffix(".ppm")
        self.qmp.command("screendump", filename=str(ppm))
        image = Image.open(ppm)
        image.load()
        image.save(png)
        ppm.unlink()
        return image

    def tap(self, x: int, y: int) -> None:
        """A finger on the screen at pixel (x, y) of the display, held briefly, lifted."""
        assert self.qmp is not None
        # Every event goes to the display the tablet is bound to: QEMU would otherwise hand the button to the PS/2 mouse.
        position = [
            {"type": "abs", "data": {"axis": "x", "value": round(x * ABS_MAX / (self.width - 1))}},
            {"type": "abs", "data": {"axis": "y", "value": round(y * ABS_MAX / (self.height - 1))}},
        ]
        self.qmp.command("input-send-event", device="display", events=position)
        time.sleep(0.3)
        self.qmp.command("input-send-event", device="display",
                         events=[{"type": "btn", "data": {"down": True, "button": "left"}}])
        time.sleep(0.3)  # a finger's press; libinput debounces shorter ones on a slow board
        self.qmp.command("input-send-event", device="display",
                         events=[{"type": "btn", "data": {"down": False, "button": "left"}}])

    # --- from outside: a technician's shell -------------------------------------------------
    def ssh(self, command: str, timeout: float = 120, check: bool = False) -> subprocess.CompletedProcess:
        done = subprocess.run(
            ["ssh", "-q", "-i", str(self.key), "-p", str(self.ssh_port), "-o", "BatchMode=yes",
             "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
             "-o", "ConnectTimeout=5", "root@127.0.0.1", command],
            capture_output=True, text=True, timeout=timeout,
        )
        if check and done.returncode != 0:
            raise RuntimeError(f"in the VM `{command}` failed ({done.returncode}): {done.stdout}{done.stderr}")
        return done

    def wait_for_ssh(self, timeout: float) -> float:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"QEMU exited ({self.process.returncode}); see {self.work / 'qemu.log'}")
            try:
                if self.ssh("true", timeout=15).returncode == 0:
                    return time.monotonic() - self.started
            except subprocess.TimeoutExpired:
                pass
            time.sleep(1)
        raise TimeoutError(f"no SSH into the VM within {timeout:.0f} s; console: {self.console_log}")

    def show(self, unit: str, *properties: str) -> dict[str, str]:
        out = self.ssh(f"systemctl show {shlex.quote(unit)} -p {','.join(properties)}", check=True).stdout
        return dict(line.split("=", 1) for line in out.splitlines() if "=" in line)

    def stop(self) -> None:
        if self.qmp is not None:
            try:
                self.qmp.command("quit")
            except (OSError, RuntimeError, ConnectionError):
                pass
            self.qmp.close()
            self.qmp = None
        if self.process is not None:
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
