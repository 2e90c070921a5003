"""What the deployment test checks on the booted virtual kiosk, from outside, in the order a hall meets it.

Touches go to the display as a finger would (QMP pointer events on the virtual touch screen),
at the places the kiosk's 1080×1920 design puts its buttons; every step leaves a screenshot, so
a failure shows what the screen said.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageChops

# Where the design puts what the walk touches, at 1080×1920 (checked against the screenshots).
ENGLISH = (793, 129)
CHINESE = (625, 129)  # inside the button in both languages (its place moves with the English labels)
QUEUE_TILE = (286, 607)
FIRST_QUEUE_SERVICE = (286, 571)  # 社会保障卡申领
CONFIRM_TICKET = (540, 1448)  # 确认取号
SOCIAL_SECURITY_TILE = (791, 607)
FOOTER_HOME = (283, 1853)  # the second button of the footer: ‹ 返回, ⌂ 首页, then 再听一遍 and 呼叫工作人员
STOP_LIMIT_S = 5.0


@dataclass
class Checks:
    out: Path
    results: list[tuple[str, bool, str]] = field(default_factory=list)
    figures: list[tuple[str, str]] = field(default_factory=list)

    def check(self, name: str, ok: bool, detail: str = "") -> bool:
        self.results.append((name, bool(ok), detail))
        print(f"deploy: {'PASS' if ok else 'FAIL'} {name}{': ' + detail if detail else ''}", flush=True)
        return bool(ok)

    def fail(self, name: str, detail: str) -> None:
        self.check(name, False, detail)

    def figure(self, name: str, value: str) -> None:
        self.figures.append((name, value))
        print(f"deploy: {name}: {value}", flush=True)

    def as_dict(self) -> dict:
        return {"checks": [{"name": n, "ok": ok, "detail": d} for n, ok, d in self.results],
                "figures": dict(self.figures)}

    def report(self) -> int:
        failed = [name for name, ok, _ in self.results if not ok]
        print(f"deploy: {len(self.results) - len(failed)} of {len(self.results)} checks passed"
              + (f"; failed: {', '.join(failed)}" if failed else ""), flush=True)
        return 1 if failed or not self.results else 0


def busy(picture: Image.Image) -> bool:
    """Not a blank screen: many colours, the way a painted page has."""
    colours = picture.convert("RGB").resize((270, 480)).getcolors(maxcolors=100_000) or []
    return len(colours) > 50


def fills_the_screen(picture: Image.Image) -> bool:
    """The page reaches every edge: no black band where a window smaller than the screen left the
    display unpainted (the last row and column of a kiosk page are never pure black)."""
    rgb = picture.convert("RGB")
    edges = [rgb.crop((0, rgb.height - 8, rgb.width, rgb.height)), rgb.crop((rgb.width - 8, 0, rgb.width, rgb.height))]
    return all(edge.convert("L").getextrema()[1] > 16 for edge in edges)


def changed(before: Image.Image, after: Image.Image) -> float:
    """Share of the screen's pixels that differ between two screenshots."""
    diff = ImageChops.difference(before.convert("RGB"), after.convert("RGB")).convert("L")
    histogram = diff.point(lambda v: 255 if v > 24 else 0).histogram()
    return histogram[255] / (before.width * before.height)


def touch(machine, checks: Checks, where: tuple[int, int], name: str, settle: float = 4.0) -> Image.Image:  # noqa: ANN001
    """Touch ``where`` and return the next screen; touched once more when nothing changed (a touch
    arriving while the compositor wakes the pointer is sometimes not taken under emulation)."""
    before = machine.screenshot(checks.out / f"{name}-before.png")
    (checks.out / f"{name}-before.png").unlink()
    machine.tap(*where)
    time.sleep(settle)
    after = machine.screenshot(checks.out / f"{name}.png")
    if changed(before, after) <= 0.01:
        checks.figure(f"touch '{name}'", "not taken at first; touched again")
        machine.tap(*where)
        time.sleep(settle)
        after = machine.screenshot(checks.out / f"{name}.png")
    return after


def kiosk_state(machine) -> dict[str, str]:  # noqa: ANN001
    return machine.show("kiosk.service", "ActiveState", "SubState", "StatusText", "NRestarts", "Result",
                        "ActiveEnterTimestampMonotonic", "MainPID")


def kiosk_active(machine, restarts: int | None = None) -> dict[str, str] | None:  # noqa: ANN001
    """kiosk.service's state once it is active (and has restarted more than ``restarts`` times)."""
    state = kiosk_state(machine)
    if state.get("ActiveState") != "active":
        return None
    if restarts is not None and int(state.get("NRestarts", "0")) <= restarts:
        return None
    return state


def kiosk_online(machine) -> dict[str, str] | None:  # noqa: ANN001
    """kiosk.service's state once it is active and reports its gateway online, the gateway's service up.

    At boot the kiosk can start before its gateway answers (kiosk-gateway.service takes seconds to
    be ready), and its status line says online until its first calls have failed: only once the
    gateway is up does "gateway online" mean the kiosk will stay so.
    """
    if machine.ssh("systemctl is-active kiosk-gateway.service || true").stdout.strip() != "active":
        return None
    state = kiosk_active(machine)
    return state if state is not None and "gateway online" in state.get("StatusText", "") else None


def walk_the_kiosk(machine, checks: Checks, *, idcard, printer, wait_for) -> None:  # noqa: ANN001
    out = checks.out

    def active(restarts: int | None = None) -> dict[str, str] | None:
        return kiosk_active(machine, restarts)

    # 1. Boot to a working kiosk.
    state = wait_for("kiosk.service active (READY=1)", active, 420, every=2)
    checks.figure("boot → READY=1 (kiosk.service active)", f"{int(state['ActiveEnterTimestampMonotonic']) / 1e6:.1f} s")
    checks.check("kiosk.service reached active with READY=1", state["SubState"] == "running", str(state))
    checks.check("systemctl status shows what the kiosk is doing", state["StatusText"].startswith("ready"),
                 repr(state["StatusText"]))
    # the screenshots are compared with the turned panel's: both show the kiosk with its gateway
    # reached (before that, home carries the offline banner and badges)
    wait_for("the kiosk's gateway online", lambda: kiosk_online(machine), 180, every=2)
    time.sleep(2)  # READY=1 follows the first frame: the page is whole by now
    home_zh = machine.screenshot(out / "home-zh.png")
    checks.check("home screen painted on the DRM display (Chinese), the whole screen",
                 busy(home_zh) and fills_the_screen(home_zh), "screenshot home-zh.png")

    # 2. English, from the installed wheel's compiled catalogue.
    home_en = touch(machine, checks, ENGLISH, "home-en")
    checks.check("English button switches the screen", changed(home_zh, home_en) > 0.01,
                 f"{changed(home_zh, home_en):.1%} of the pixels changed; home-en.png")
    probe = machine.ssh("/opt/kiosk/venv/bin/python -c \"from kiosk.shell import i18n; i18n.set_language('en'); "
                        "print(i18n._('排队取号'))\"")
    english = probe.stdout.strip()
    checks.check("installed package translates (排队取号 in English)", english and english != "排队取号"
                 and english.isascii(), repr(english or probe.stderr[-300:]))
    touch(machine, checks, CHINESE, "home-zh-again")

    # 3. A card read through /dev/kiosk-idreader.
    touch(machine, checks, SOCIAL_SECURITY_TILE, "lookup-card-prompt")
    frames_before = len(idcard.received)
    idcard.place("young")
    read = wait_for("the kiosk reads the card", lambda: any(f[7] == 0x30 for f in list(idcard.received)[frames_before:]
                                                            if len(f) > 8) or None, 60, every=0.5)
    time.sleep(6)
    machine.screenshot(out / "lookup-after-card.png")
    checks.check("card read through the udev-named reader (/dev/kiosk-idreader)", bool(read))
    idcard.lift()
    time.sleep(2)
    _walk_ticket(machine, checks, printer, wait_for)

    # 4. A technician's check and a clean stop.
    # Timed inside the VM: from the host the figure would also carry SSH's own start-up, which on a
    # loaded host running an emulated CPU is seconds of its own.
    t = time.monotonic()
    timed = machine.ssh("a=$(date +%s.%N); systemctl stop kiosk.service; b=$(date +%s.%N); "
                        "awk -v a=$a -v b=$b 'BEGIN { printf \"%.2f\\n\", b - a }'", timeout=60)
    round_trip_s = time.monotonic() - t
    try:
        stop_s = float(timed.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        stop_s = round_trip_s  # no figure from inside: the host's, which is longer
    checks.figure("systemctl stop kiosk", f"{stop_s:.2f} s in the VM ({round_trip_s:.2f} s with the SSH round trip)")
    state = kiosk_state(machine)
    killed = machine.ssh("journalctl -b -u kiosk.service --no-pager | grep -cE 'SIGKILL|timed out. Killing' || true").stdout
    checks.check(f"systemctl stop kiosk within {STOP_LIMIT_S:.0f} s, no SIGKILL",
                 stop_s <= STOP_LIMIT_S and state.get("Result") == "success" and killed.strip() == "0",
                 f"{stop_s:.2f} s, Result={state.get('Result')}, SIGKILL lines: {killed.strip()}")
    diag = machine.ssh("runuser -u kiosk -- kiosk diag --json --config /etc/kiosk/kiosk.toml", timeout=180)
    (out / "diag.json").write_text(diag.stdout)
    try:
        report = json.loads(diag.stdout)
        bad = [c for c in report.get("checks", []) if not c.get("ok")]
        checks.check("kiosk diag --json inside the VM: all OK", report.get("ok") is True and not bad,
                     "; ".join(f"{c['name']}: {c['text']}" for c in bad) or f"{len(report['checks'])} checks")
    except (json.JSONDecodeError, KeyError, TypeError):
        checks.fail("kiosk diag --json inside the VM: all OK", (diag.stdout + diag.stderr)[-500:])

    # 5. A hung event loop: the watchdog kills it and the kiosk comes back.
    machine.ssh("systemctl start --no-block kiosk.service")
    state = wait_for("kiosk.service active again", active, 300, every=2)
    restarts = int(state.get("NRestarts", "0"))
    t = time.monotonic()
    machine.ssh("pkill -STOP -f 'kiosk run'")
    back = wait_for("the watchdog restarts a hung kiosk", lambda: active(restarts), 300, every=2)
    checks.figure("event loop stopped → kiosk back (watchdog)", f"{time.monotonic() - t:.0f} s")
    watchdog_lines = machine.ssh("journalctl -b -u kiosk.service --no-pager | grep -c 'Watchdog timeout' || true").stdout
    checks.check("hung event loop killed by the watchdog, kiosk back", bool(back) and watchdog_lines.strip() != "0",
                 f"NRestarts {restarts} → {back.get('NRestarts')}")
    time.sleep(4)
    checks.check("home screen back after the watchdog restart", busy(machine.screenshot(out / "home-after-watchdog.png")))

    # 6. The journal.
    tracebacks = machine.ssh("journalctl -b --no-pager | grep -c 'Traceback (most recent call last)' || true").stdout
    checks.check("no Python traceback in the journal", tracebacks.strip() == "0", f"{tracebacks.strip()} found")


def _walk_ticket(machine, checks: Checks, printer, wait_for) -> None:  # noqa: ANN001
    """Home → queue ticket → the first service's ticket, printed on the network printer."""
    receipts_before = len(printer.receipts)
    touch(machine, checks, FOOTER_HOME, "home-before-ticket")
    touch(machine, checks, QUEUE_TILE, "queue-services")
    touch(machine, checks, FIRST_QUEUE_SERVICE, "queue-ticket-confirm")
    touch(machine, checks, CONFIRM_TICKET, "queue-ticket-issuing", settle=2.0)
    try:
        wait_for("a ticket on the network printer", lambda: len(printer.receipts) > receipts_before, 40)
    except TimeoutError:
        pass
    time.sleep(3)
    machine.screenshot(checks.out / "queue-ticket-issued.png")
    receipt = printer.last_receipt
    text = receipt.text if receipt is not None and len(printer.receipts) > receipts_before else ""
    checks.check("queue ticket printed on the network printer (tcp://)", "社会保障卡申领" in text or "号" in text,
                 text.replace("\n", " | ")[:160] or "nothing printed")
    if receipt is not None and text:
        picture = printer.render_png(receipt)
        if picture:
            (checks.out / "ticket.png").write_bytes(picture)
