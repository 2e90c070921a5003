"""Start-up benchmark: process spawn → home screen painted and accepting touches, and PSS after start.

The kiosk runs its demo configuration (``kiosk run --demo --windowed``) under
QT_QPA_PLATFORM=offscreen with ``KIOSK_EXIT_AFTER_FIRST_FRAME=1``: at its first frame (painted,
event loop turning, so touches are taken) it prints its CLOCK_MONOTONIC time and leaves. The time
is counted from just before this process spawns it, so fork/exec and interpreter start are in.

Baseline, measured in the same run and interleaved with the kiosk runs: a bare PySide6 window with
the same number of widgets (labels and buttons, no style sheet) that also reports its first paint.
Targets: median <= 350 ms, <= 2.0x the baseline. Then full starts for PSS once start-up has
settled (the kiosk logs ``startup_settled`` a few seconds after its first frame, having tidied
up): the kiosk as a hall runs it — every start-up step, the devices (on the simulators, which stay
in the process) and the gateway client to the reference gateway (its own process, as the hall's
gateway is) — target <= 100 MB; and the same with the demo's control panel, a second window only
the demo has (``--no-demo-panel`` leaves it out), printed beside it. PSS shares each library page
among the processes that map it, so the same kiosk reads lower while other Qt programs run; its
USS (the pages no other process maps: what stopping the kiosk would give back), its RSS (every
page counted whole) and its anonymous memory (its own heap and stacks, whatever else runs) are
printed beside it.

    .venv/bin/python benchmarks/bench_startup.py [--runs 15]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from report import figure, median, note

ROOT = Path(__file__).resolve().parent.parent
PYTHON = Path(sys.executable)
KIOSK = PYTHON.parent / "kiosk"


def _env(**extra: str) -> dict[str, str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", **extra)
    env.pop("KIOSK_EXIT_AFTER_FIRST_FRAME", None)
    env.update(extra)
    return env


def _kiosk_command(state: Path, *extra: str) -> list[str]:
    launcher = [str(KIOSK)] if KIOSK.exists() else [str(PYTHON), "-m", "kiosk"]
    return [*launcher, "run", "--demo", "--windowed", "--state-dir", str(state), *extra]


def _first_frame(command: list[str], env: dict[str, str]) -> dict:
    """Spawn ``command``; its report line, with ``spawn_to_frame_ms`` measured from just before the spawn."""
    start = time.monotonic()
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=60)
    for line in done.stdout.splitlines():
        if line.startswith("{") and '"first_frame"' in line:
            report = json.loads(line)
            report["spawn_to_frame_ms"] = (report["monotonic"] - start) * 1000
            return report
    raise SystemExit(f"no first-frame report from {command[0]} (exit {done.returncode}):\n{done.stderr[-2000:]}")


def bare_window(widgets: int) -> None:
    """The baseline child: a bare window with ``widgets`` widgets in all; reports its first paint."""
    from PySide6.QtCore import QEvent, QTimer
    from PySide6.QtWidgets import QApplication, QGridLayout, QLabel, QPushButton, QWidget

    class Window(QWidget):
        painted = False

        def event(self, event: QEvent) -> bool:
            result = super().event(event)
            if event.type() == QEvent.Type.Paint and not self.painted:
                self.painted = True
                QTimer.singleShot(0, report)
            return result

    def report() -> None:
        print(json.dumps({"event": "first_frame", "monotonic": time.monotonic(),
                          "widgets": 1 + len(window.findChildren(QWidget))}), flush=True)
        app.quit()

    app = QApplication(["bare"])
    window = Window()
    window.setFixedSize(1080, 1920)
    grid = QGridLayout(window)
    for n in range(widgets - 1):
        grid.addWidget(QPushButton(f"按钮 {n}") if n % 3 == 0 else QLabel(f"标签 {n}"), n // 2, n % 2)
    window.show()
    app.exec()


def pss_after_start(state: Path, settle_s: float, *extra: str) -> dict[str, float]:
    """Full demo start; PSS of the kiosk process once devices and gateway are up (or ``settle_s`` passed)."""
    import psutil

    wanted = {"gateway_embedded", "devices_open", "startup_settled"}
    seen: set[str] = set()
    opened: set[str] = set()
    started = time.monotonic()
    process = subprocess.Popen(_kiosk_command(state, *extra), env=_env(), cwd=ROOT, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)

    def read() -> None:
        for line in process.stderr:  # type: ignore[union-attr]
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if entry.get("event") in ("first_frame", "gateway_embedded", "startup_settled"):
                seen.add(entry["event"])
            if entry.get("area", "").startswith("devices") and " opened " in entry.get("msg", ""):
                opened.add(entry["msg"].split()[0])
                if len(opened) == 3:
                    seen.add("devices_open")

    threading.Thread(target=read, daemon=True).start()
    deadline = time.monotonic() + settle_s
    while time.monotonic() < deadline and not (wanted <= seen and "first_frame" in seen):
        if process.poll() is not None:
            raise SystemExit(f"the kiosk left during start-up (exit {process.returncode})")
        time.sleep(0.05)
    settled_s = time.monotonic() - started
    time.sleep(1.0)  # let the first refreshes and status polls settle
    kiosk = psutil.Process(process.pid)
    full = kiosk.memory_full_info()
    pss, uss = full.pss / 2**20, full.uss / 2**20
    rss = kiosk.memory_info().rss / 2**20
    anonymous = _anonymous_mb(process.pid)
    children = sum(c.memory_full_info().pss for c in kiosk.children(recursive=True)) / 2**20
    threads, fds = kiosk.num_threads(), kiosk.num_fds()
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
    return {"pss": pss, "uss": uss, "rss": rss, "anonymous": anonymous, "settled_s": settled_s, "children_pss": children,
            "threads": threads, "fds": fds, "complete": float(wanted <= seen)}


def _anonymous_mb(pid: int) -> float:
    """Anonymous memory of ``pid`` (heap, stacks, arenas), from its smaps_rollup; 0 where unreadable."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Anonymous:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


PACKAGES = ("kiosk", "screens", "config", "contract", "devices", "offline_cache", "lifecycle")


def compile_sources() -> None:
    """Bytecode for the kiosk's own modules, as its installed package has (quiet; errors show at import)."""
    import compileall

    for package in PACKAGES:
        if (ROOT / package).is_dir():
            compileall.compile_dir(ROOT / package, quiet=2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=15, help="kiosk and baseline starts each (default 15)")
    parser.add_argument("--settle", type=float, default=20.0, help="longest wait for devices and gateway (s)")
    parser.add_argument("--skip-pss", action="store_true", help="only the first-frame timing")
    parser.add_argument("--as-checkout", action="store_true",
                        help="leave the kiosk's modules without bytecode (a source checkout, not an installed kiosk)")
    parser.add_argument("--bare-child", type=int, metavar="WIDGETS", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bare_child:
        bare_window(args.bare_child)
        return
    if not args.as_checkout:
        compile_sources()
    with tempfile.TemporaryDirectory() as tmp:
        state = Path(tmp) / "state"
        probe = _env(KIOSK_EXIT_AFTER_FIRST_FRAME="1")
        warm = _first_frame(_kiosk_command(state), probe)  # warms the page cache, tells the widget count
        widgets = warm["widgets"]
        bare_command = [str(PYTHON), __file__, "--bare-child", str(widgets)]
        _first_frame(bare_command, _env())
        kiosk_ms, bare_ms, age_ms, pss_ms = [], [], [], []
        for _ in range(args.runs):
            report = _first_frame(_kiosk_command(state), probe)
            kiosk_ms.append(report["spawn_to_frame_ms"])
            age_ms.append(report["process_age_ms"])
            pss_ms.append(report["pss_kb"] / 1024)
            bare_ms.append(_first_frame(bare_command, _env())["spawn_to_frame_ms"])
        note(f"{args.runs} starts each, interleaved; {widgets} widgets in the home window and in the bare one; "
             f"load average {os.getloadavg()[0]:.2f} ({'source checkout' if args.as_checkout else 'bytecode compiled'})")
        note(f"kiosk min {min(kiosk_ms):.0f} / max {max(kiosk_ms):.0f} ms; bare min {min(bare_ms):.0f} / "
             f"max {max(bare_ms):.0f} ms; kiosk's own process-age clock median {median(age_ms):.0f} ms")
        kiosk, bare = median(kiosk_ms), median(bare_ms)
        figure("start-up spawn->home painted (median)", kiosk, "ms", baseline=bare,
               target="<= 309 ms", passed=kiosk <= 309)
        figure("start-up ratio to bare PySide6 window", kiosk / bare, "x", target="<= 2.0x",
               passed=kiosk / bare <= 2.0)
        figure("PSS at first frame (median)", median(pss_ms), "MB", target="(info)", passed=True)
        if not args.skip_pss:
            memory = pss_after_start(Path(tmp) / "full", args.settle, "--no-demo-panel")
            with_panel = pss_after_start(Path(tmp) / "full", args.settle)
            note(f"full start, settled {memory['settled_s']:.1f} s after spawn: RSS {memory['rss']:.0f} MB, "
                 f"anonymous {memory['anonymous']:.0f} MB, {memory['threads']:.0f} threads, "
                 f"{memory['fds']:.0f} fds; embedded reference gateway (separate process) PSS "
                 f"{memory['children_pss']:.0f} MB, not counted"
                 + ("" if memory["complete"] else "; devices/gateway not all up before the settle time"))
            figure("PSS after start as a hall runs it (devices, gateway client up)", memory["pss"], "MB",
                   target="<= 100 MB", passed=memory["pss"] <= 100)
            figure("PSS after start with the demo's control panel window too", with_panel["pss"], "MB",
                   target="(info)", passed=True)
            figure("USS after start (pages of the kiosk's own: PSS's floor)", memory["uss"], "MB",
                   target="(info)", passed=True)
            figure("RSS after start (no page shared: PSS's ceiling)", memory["rss"], "MB", target="(info)",
                   passed=True)
            figure("anonymous memory after start (heap, stacks)", memory["anonymous"], "MB", target="(info)",
                   passed=True)


if __name__ == "__main__":
    main()
