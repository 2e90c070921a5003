"""A portrait kiosk panel that reports itself as landscape: the picture turned and the touches with it.

Many kiosk panels are landscape panels mounted on their side (1920×1080 as the board sees them).
The admin does what packaging/README.md says ("Rotating a panel mounted on its side"): ``rotation
= 90`` in ``[display]`` and the same turn for the touch controller as a libinput calibration matrix
in a udev rule. The virtual kiosk is then booted again with a 1920×1080 display, and the test checks
from outside that the picture is the portrait design turned a quarter (the home screen, whole and
upright once the screenshot is turned back), and that a finger on the turned picture presses the
button under it.
"""

from __future__ import annotations

import time

from PIL import Image
from walk import ENGLISH, Checks, busy, changed, fills_the_screen, kiosk_active, kiosk_online, touch

# rotation = 90 is a panel mounted a quarter turn clockwise: cage (``-r``) draws the picture a
# quarter turn counter-clockwise on it, so the design's top edge is the panel's left edge. The
# matching libinput matrix (packaging/README.md): a point (u, v) of the panel, both 0..1, is the
# point (1 - v, u) of the portrait picture.
TOUCH_RULES = """\
# The touch screen is mounted on its side like the panel ([display] rotation = 90 in kiosk.toml).
ACTION=="add|change", SUBSYSTEM=="input", KERNEL=="event*", ENV{ID_INPUT_TOUCHSCREEN}=="1", ENV{LIBINPUT_CALIBRATION_MATRIX}="0 -1 1 1 0 0"
# This kiosk's touch controller reports as an absolute pointer (QEMU's USB tablet), not a touch screen.
ACTION=="add|change", SUBSYSTEM=="input", KERNEL=="event*", ATTRS{name}=="QEMU QEMU USB Tablet", ENV{LIBINPUT_CALIBRATION_MATRIX}="0 -1 1 1 0 0"
"""
PANEL = (1920, 1080)
DIFFERENT = 0.03  # share of pixels beyond which two screenshots show different screens


def panel_point(x: int, y: int, design: tuple[int, int] = (1080, 1920)) -> tuple[int, int]:
    """Where a point of the portrait design is on the panel mounted a quarter turn clockwise."""
    return y, design[0] - 1 - x


def turn_the_panel(machine, checks: Checks) -> None:  # noqa: ANN001
    """As the admin: rotation = 90 and the touch rule, then a clean power-off."""
    machine.ssh("printf '\\n[display]\\nrotation = 90\\n' >> /etc/kiosk/kiosk.toml", check=True)
    machine.ssh(f"cat > /etc/udev/rules.d/71-kiosk-touch.rules <<'EOF'\n{TOUCH_RULES}EOF", check=True)
    machine.ssh("udevadm control --reload")
    dry_run = machine.ssh("runuser -u kiosk -- kiosk session --dry-run --config /etc/kiosk/kiosk.toml").stdout
    checks.check("kiosk session passes rotation = 90 to cage", " -r -- " in dry_run, dry_run.strip())
    journal = machine.ssh("journalctl -b --no-pager -o short-monotonic", timeout=120).stdout
    (checks.out / "journal-portrait.txt").write_text(journal)
    machine.ssh("sync; systemctl poweroff", timeout=30)
    assert machine.process is not None
    machine.process.wait(timeout=120)
    machine.stop()


def check_the_turned_kiosk(machine, checks: Checks, *, wait_for) -> None:  # noqa: ANN001
    """The kiosk booted on the 1920×1080 display with rotation = 90, against the portrait walk's screens."""
    out = checks.out
    wait_for("kiosk.service active on the turned panel", lambda: kiosk_active(machine), 420, every=2)
    wait_for("the turned kiosk's gateway online", lambda: kiosk_online(machine), 180, every=2)
    time.sleep(2)
    picture = machine.screenshot(out / "rotated-home-panel.png")
    upright = picture.rotate(-90, expand=True)  # turned back a quarter clockwise
    upright.save(out / "rotated-home-upright.png")
    difference = _difference(Image.open(out / "home-zh.png"), upright)
    checks.check("rotation = 90 on a 1920x1080 panel shows the portrait home screen turned",
                 busy(picture) and fills_the_screen(picture) and difference < DIFFERENT,
                 f"{picture.width}x{picture.height}; {difference:.1%} of the pixels differ from the portrait "
                 "home screen once turned back; rotated-home-panel.png")
    calibrated = machine.ssh("for e in /sys/class/input/event*; do udevadm info -q property -p $e; done"
                             " | grep -c LIBINPUT_CALIBRATION_MATRIX || true").stdout.strip()
    checks.figure("input devices with the touch rule's calibration matrix", calibrated)
    after = touch(machine, checks, panel_point(*ENGLISH), "rotated-home-en-panel")
    upright = after.rotate(-90, expand=True)
    upright.save(out / "rotated-home-en-upright.png")
    english = _difference(Image.open(out / "home-en.png"), upright)
    checks.check("a touch on the turned panel presses the button under the finger (English)",
                 changed(picture, after) > 0.01 and english < DIFFERENT,
                 f"{changed(picture, after):.1%} of the pixels changed; {english:.1%} differ from the portrait "
                 "English home screen; rotated-home-en-upright.png")
    tracebacks = machine.ssh("journalctl -b --no-pager | grep -c 'Traceback (most recent call last)' || true").stdout
    checks.check("no Python traceback in the journal (turned panel)", tracebacks.strip() == "0", f"{tracebacks.strip()} found")


def _difference(portrait: Image.Image, upright: Image.Image) -> float:
    return changed(portrait, upright) if portrait.size == upright.size else 1.0
