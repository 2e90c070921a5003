"""Endurance benchmark: thousands of scripted citizen sessions, then memory, Qt objects, fds, threads.

Live kiosk (device hub on the wire-level simulators, reference gateway on 127.0.0.1). Each session
takes one journey in turn, driven at the state-machine and screen level as fast as the kiosk goes
(screens open through the navigator, journey methods stand in for the taps, the window renders
every state): a queue ticket printed and rated; a social-security, property or population lookup
with the elderly demo card on the reader; a payment notice looked up; a service guide opened. Every
session ends with Home, which wipes it. The card reader polls every 20 ms here (300 ms in the demo)
so sessions are not spent waiting for polls.

Between sessions the kiosk idles on the home screen and tidies up (kiosk/hall/between_citizens.py); here
that runs at once instead of half a second later, and the next session waits for it. At quiet
moments (home screen, after a garbage collection) it samples: anonymous memory of this process
(heap, stacks, arenas: what the process itself allocated), glibc's heap in use and free-but-kept
(mallinfo2, so a leak and fragmentation tell apart), PSS and USS, Qt objects (QObjects reachable
from the QApplication and its top-level widgets), gc-tracked PySide6 wrappers, open files, sockets
and threads. Growth is counted from the sample after the warm-up (a tenth of the run, at least 100
sessions) to the end, and the slope per 1,000 sessions is given so a shorter run still says where
10,000 would land.

Memory growth is judged on anonymous memory: PSS and USS also move when other programs using the
same Qt libraries start or stop (a page only this process maps counts whole in USS) and when the
kernel drops cold pages of library files, by tens of MB either way on a shared machine, so they
are printed for information. Sockets are the gateway client's keep-alive connections, at most one
per thread calling the gateway at once (kept idle up to kiosk.gateway_client.transport.POOL_SIZE).
Targets: memory growth <= 5 MB over 10,000 sessions; no growth in Qt objects, wrappers, open files,
threads.

``--xvfb`` runs it under Xvfb on the xcb platform instead of offscreen.

    .venv/bin/python benchmarks/bench_endurance.py [--sessions 10000] [--xvfb]
"""

from __future__ import annotations

import argparse
import ctypes
import gc
import itertools
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import psutil
import xvfb
from live import LiveKiosk, live_kiosk, spin, wait_until
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication
from report import figure, note
from shiboken6 import Shiboken

from kiosk.hall import between_citizens

UNPAID_NOTICE = "3502002611000001"
SAMPLES = ("anon_mb", "heap_used_mb", "heap_free_mb", "pss_mb", "uss_mb", "qobjects", "wrappers", "files", "sockets",
           "threads")


class _MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks",
                                                       "fsmblks", "uordblks", "fordblks", "keepcost")]


def heap() -> tuple[float, float]:
    """glibc's own count (mallinfo2, all arenas): bytes in use and bytes free but kept, in MB.

    In use growing is a leak somewhere in native code; only the free part growing is fragmentation or
    arena retention, which ``malloc_trim`` gives back. (0, 0) where glibc has no mallinfo2.
    """
    try:
        mallinfo2 = ctypes.CDLL(None).mallinfo2
    except (OSError, AttributeError):
        return 0.0, 0.0
    mallinfo2.restype = _MallInfo2
    info = mallinfo2()
    return (info.uordblks + info.hblkhd) / 2**20, info.fordblks / 2**20


def anonymous_mb() -> float:
    """Anonymous memory of this process (heap, stacks, arenas), from /proc/self/smaps_rollup.

    Unlike PSS and USS it does not move when the kernel drops cold pages of mapped library files
    (this machine reclaims them in the background), so it is the steadier sign of growth.
    """
    try:
        for line in Path("/proc/self/smaps_rollup").read_text().splitlines():
            if line.startswith("Anonymous:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def sample() -> dict[str, float]:
    # The kiosk freezes what survives each tidy-up (kiosk/hall/between_citizens.py); gc neither
    # collects nor lists frozen objects, so they are unfrozen for the count and frozen again after.
    frozen = gc.get_freeze_count() > 0
    gc.unfreeze()
    gc.collect()
    app = QApplication.instance()
    qobjects = 1 + len(app.findChildren(QObject))
    for widget in app.topLevelWidgets():
        qobjects += 1 + len(widget.findChildren(QObject))
    wrappers = sum(1 for o in gc.get_objects() if isinstance(o, Shiboken.Object))
    if frozen:
        gc.freeze()
    me = psutil.Process()
    memory = me.memory_full_info()
    used, free = heap()
    return {"pss_mb": memory.pss / 2**20, "uss_mb": memory.uss / 2**20, "anon_mb": anonymous_mb(),
            "heap_used_mb": used, "heap_free_mb": free,
            "qobjects": qobjects, "wrappers": wrappers, **_descriptors(), "threads": me.num_threads()}


def _descriptors() -> dict[str, float]:
    """Open descriptors of this process: sockets, and everything else (files, pipes, ptys)."""
    kinds = {"files": 0.0, "sockets": 0.0}
    for fd in Path("/proc/self/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue  # the descriptor listing the directory itself, gone by now
        kinds["sockets" if target.startswith("socket:") else "files"] += 1
    return kinds


class Sessions:
    """One scripted session per journey; each leaves the kiosk on the home screen with no session."""

    def __init__(self, kiosk: LiveKiosk) -> None:
        self.kiosk = kiosk
        self.window = kiosk.window
        self.tickets = 0

    def _open(self, name: str, **params: object) -> object:
        self.window.go(name, **params)
        screen = self.window.screen_named(name)
        wait_until(lambda: screen.journey is not None, 5, f"the {name} journey")
        return screen

    def _home(self) -> None:
        tidies = between_citizens.tidies_done
        self.window.home()
        wait_until(lambda: self.window.current_name == "home" and not self.kiosk.context.sessions.active, 5,
                   "home with the session ended")
        # The citizen walks away: the kiosk idles on the home screen and tidies up before the next one.
        wait_until(lambda: between_citizens.tidies_done > tidies, 5, "the tidy-up between citizens")

    def _touch(self) -> None:
        self.kiosk.context.sessions.current  # noqa: B018 (a touch starts the session, as on the glass)

    def queue_ticket(self) -> None:
        self.kiosk.printer.refill()
        wait_until(self.kiosk.hub.can_print, 5, "the printer")
        self._touch()
        journey = self._open("queue_ticket").journey
        wait_until(lambda: journey.state == "choose", 5, "service choice")
        # The reference gateway issues at most 999 numbers per service a day, as a hall does: take
        # the services in turn so 10,000 sessions (~1,700 tickets) stay within a day's numbers.
        services = journey.popular_services()
        journey.choose_service(services[self.tickets % len(services)].id)
        self.tickets += 1
        journey.take_number()
        wait_until(lambda: journey.state in ("issued", "issued_qr"), 10, "the ticket")
        self.window.go("feedback", service_id=journey.service.id)
        rating = self.window.screen_named("feedback").journey
        rating.rate(5)
        if rating.state not in ("thanks", "finished", "done"):
            rating.submit()
        self._home()

    def lookup(self, name: str) -> None:
        self._touch()
        journey = self._open(name).journey
        wait_until(lambda: journey.state == "waiting", 5, "the card page")
        self.kiosk.idcard.place("elderly")
        wait_until(lambda: journey.state not in ("waiting", "reading", "querying"), 10, "the lookup answer")
        self.kiosk.idcard.lift()
        wait_until(lambda: journey.state != "results" or not self.kiosk.hub.device("idcard")._card_on_reader, 5,
                   "the card lifted")
        self._home()

    def payment(self) -> None:
        self._touch()
        journey = self._open("payment").journey
        journey.look_up(UNPAID_NOTICE)
        wait_until(lambda: journey.state not in ("enter", "looking_up"), 10, "the notice")
        self._home()

    def guide(self) -> None:
        self._touch()
        journey = self._open("guide").journey
        service = next(s for s in self.kiosk.context.catalogue.services())
        journey.open_guide(service.id)
        wait_until(lambda: journey.state not in ("departments", "loading"), 10, "the guide")
        self._home()

    def rotation(self, journeys: list[str] | None = None) -> list[Callable[[], None]]:
        """One session per journey, in turn; ``journeys`` keeps only those named (to bisect growth)."""
        every = {"queue_ticket": self.queue_ticket, "social_security": lambda: self.lookup("social_security"),
                 "payment": self.payment, "property": lambda: self.lookup("property"), "guide": self.guide,
                 "population": lambda: self.lookup("population")}
        return [every[name] for name in (journeys or every)]


JOURNEYS = ("queue_ticket", "social_security", "payment", "property", "guide", "population")


def slope(points: list[tuple[int, float]]) -> float:
    """Least-squares growth per 1,000 sessions."""
    if len(points) < 2:
        return 0.0
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    var = sum((x - mx) ** 2 for x in xs)
    return 0.0 if var == 0 else 1000 * sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / var


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sessions", type=int, default=10_000)
    parser.add_argument("--samples", type=int, default=20, help="how many samples over the run")
    parser.add_argument("--journeys", type=lambda text: text.split(","), default=None,
                        help=f"comma-separated subset of {','.join(JOURNEYS)} (default: all, in turn)")
    parser.add_argument("--xvfb", action="store_true", help="run under Xvfb on the xcb platform (benchmarks/xvfb.py)")
    args = parser.parse_args()
    xvfb.maybe_rerun()
    unknown = set(args.journeys or ()) - set(JOURNEYS)
    if unknown:
        parser.error(f"unknown journeys {', '.join(sorted(unknown))}; known: {', '.join(JOURNEYS)}")
    warmup = max(min(100, args.sessions // 2), args.sessions // 10)
    every = max(1, (args.sessions - warmup) // args.samples)
    series: list[tuple[int, dict[str, float]]] = []
    started = time.monotonic()
    # A real kiosk idles for seconds between citizens; here the tidy-up runs as soon as home is shown.
    between_citizens.TIDY_DELAY_MS = 0
    # Sessions follow each other with no one reading a screen, a dozen gateway calls a second at times:
    # more than the 20 a second (burst 60) a hall's gateway allows one kiosk, which answered a ticket
    # with 429 some thousand sessions in. The limit is the gateway's guard, not what this run measures.
    faster = ("--rate", "200", "--burst", "600")
    with tempfile.TemporaryDirectory() as tmp, live_kiosk(Path(tmp), idcard_url="sim://idcard?poll=0.02&removal_poll=0.02",
                                                          gateway_args=faster) as kiosk:
        sessions = Sessions(kiosk)
        rotation = itertools.cycle(sessions.rotation(args.journeys))
        before = sample()
        for n in range(1, args.sessions + 1):
            next(rotation)()
            if n >= warmup and ((n - warmup) % every == 0 or n == args.sessions):
                spin(0.05)
                series.append((n, sample()))
        elapsed = time.monotonic() - started
    first_n, first = series[0]
    last_n, last = series[-1]
    tail = [s for _, s in series[-3:]]
    note(f"{args.sessions:,} sessions in {elapsed:.0f} s ({args.sessions / elapsed:.1f}/s); warm-up "
         f"{warmup} sessions; {len(series)} samples from session {first_n} to {last_n}")
    note(f"platform {xvfb.platform()}; load average {os.getloadavg()[0]:.2f}")
    note("at start: " + ", ".join(f"{k} {before[k]:.1f}" for k in SAMPLES))
    note("after warm-up: " + ", ".join(f"{k} {first[k]:.1f}" for k in SAMPLES))
    note("at the end: " + ", ".join(f"{k} {last[k]:.1f}" for k in SAMPLES))
    span = last_n - first_n
    for key in SAMPLES:
        note(f"{key:<12} slope {slope([(n, s[key]) for n, s in series]):+.3f} per 1,000 sessions")
    def growth(key: str) -> float:
        return statistics.median(s[key] for s in tail) - first[key]

    def per_10k(key: str) -> float:
        return slope([(n, s[key]) for n, s in series]) * 10

    anon = growth("anon_mb")
    figure(f"memory (anonymous) growth after warm-up over {span:,} sessions", anon, "MB",
           baseline=first["anon_mb"], target="<= 5 MB", passed=anon <= 5)
    if span < 10_000:
        projected = per_10k("anon_mb")
        figure("memory (anonymous) growth projected to 10,000 sessions (slope)", max(projected, 0.0), "MB",
               target="<= 5 MB", passed=projected <= 5)
    used = growth("heap_used_mb")
    figure(f"glibc heap in use growth over {span:,} sessions", used, "MB", baseline=first["heap_used_mb"],
           target="<= 5 MB", passed=used <= 5)
    note(f"glibc heap free but kept: {first['heap_free_mb']:.1f} -> {last['heap_free_mb']:.1f} MB; slopes per "
         f"10,000 sessions: anonymous {per_10k('anon_mb'):+.2f} MB, heap in use {per_10k('heap_used_mb'):+.2f} MB")
    for key, label in (("pss_mb", "PSS"), ("uss_mb", "USS")):
        figure(f"{label} growth after warm-up (moves with other processes)", growth(key), "MB",
               baseline=first[key], target="(info)", passed=True)
    for key, label in (("qobjects", "Qt objects"), ("wrappers", "PySide6 wrappers"),
                       ("files", "open files (descriptors other than sockets)"), ("threads", "threads")):
        change = min(s[key] for s in tail) - first[key]
        figure(f"{label} growth after warm-up", change, "", baseline=first[key], target="no growth",
               passed=change <= 0)
    from kiosk.gateway_client.transport import POOL_SIZE

    most = max(s["sockets"] for _, s in series)
    figure("sockets (gateway keep-alive connections), most seen", most, "", baseline=first["sockets"],
           target=f"<= {POOL_SIZE + 4} (pool + calls in flight)", passed=most <= POOL_SIZE + 4)

if __name__ == "__main__":
    main()
