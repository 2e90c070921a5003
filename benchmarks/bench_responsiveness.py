"""Responsiveness benchmark: a touch → the next screen painted, for every navigation of the shell.

In process, on the live kiosk (device hub on the simulators, reference gateway on 127.0.0.1):
QTest presses and releases at the centre of the real button; the time runs until the end of the
window's next paint pass (see ``live.PaintClock``). Navigations: home → each journey's screen,
Back to home; inside journeys, the guide's department → services → a guide → Back → Back and the
queue ticket's departments → services → confirm; the language switch both ways; elderly mode on
and off, on the home screen and on the guide's department list (the screen with most widgets).
Between touches the kiosk is left alone for ``--settle`` (300 ms: people read a screen before they
touch the next). The first visit of each screen (it is built then) is reported on its own as
"cold"; the p95 is over the warm repetitions.

Before the first touch the kiosk prepares its screens as it does between citizens
(kiosk/app/preparation.py): one citizen comes and goes, then the kiosk is left idle until it has
built the screens of its journeys. The first visit of each screen after that is reported apart
("first"); ``--unprepared`` leaves that out, so each first visit also builds its screen (a
kiosk's very first citizen).

Baselines, in the same run: a touch on a plain QPushButton in the same window that changes one
label's text, to the end of the paint pass it causes; and the physical floor, one full repaint of
the kiosk window (``repaint()`` of the whole window on the home screen, synchronous), after the
same ``--settle`` of quiet as each touch, so both start from the same state. Every navigation is
reported against the floor; the count against a back-to-back repaint (every cache hot) is printed
beside it. Targets: p95 <= 16 ms and <= 3x one full repaint for
every navigation; every first visit <= 50 ms.

``--xvfb`` runs the same under Xvfb on the xcb platform (benchmarks/xvfb.py) instead of offscreen.

    .venv/bin/python benchmarks/bench_responsiveness.py [--repeats 30] [--xvfb] [--unprepared]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import xvfb
from live import PaintClock, live_kiosk, spin, tap, wait_until
from PySide6.QtWidgets import QLabel, QPushButton, QWidget
from report import figure, median, note, percentile

from screens.tile import Tile

TARGET_MS = 16.0
FLOOR_RATIO = 3.0
FIRST_VISIT_MS = 50.0


def measure(clock: PaintClock, touch: Callable[[], float], settle: float,
            arrival: Callable[[], float | None] | None = None) -> float:
    """One navigation: ms from the touch to the end of the first paint pass after the screen arrived.

    Most screens arrive during the touch itself. A guide arrives when its text has been read (from
    the cache or the gateway); ``arrival()`` then gives the perf_counter time it was put on show
    (None until then), and the time runs until that is painted.
    """
    start = touch()
    if arrival is not None:
        wait_until(lambda: arrival() is not None, 5.0, "the screen to arrive")
        start_of_paint = max(start, arrival() or start)
    else:
        start_of_paint = start
    end = clock.next_paint_after(start_of_paint)
    spin(settle)  # late answers (gateway, devices) land and the kiosk settles before the next touch
    return (end - start) * 1000


def baseline(window: QWidget, clock: PaintClock, repeats: int, settle: float) -> list[float]:
    """A bare button in the kiosk window whose click sets one label's text, ``settle`` s apart."""
    probe = QWidget(window)
    button, text = QPushButton("probe", probe), QLabel("0", probe)
    text.move(0, 120)
    probe.setGeometry(0, 0, 300, 200)
    probe.show()
    probe.raise_()
    count = [0]

    def clicked() -> None:
        count[0] += 1
        text.setText(str(count[0]))

    button.clicked.connect(clicked)
    spin(0.05)
    samples = [measure(clock, lambda: tap(button), settle) for _ in range(repeats)]
    probe.deleteLater()
    spin(0.05)
    return samples


def full_repaint(window: QWidget, repeats: int, settle: float) -> list[float]:
    """One synchronous repaint of the whole kiosk window after ``settle`` s of quiet, ms.

    What any change on the glass costs at most. With the navigations' ``--settle`` it starts from
    the same state as a touch does (the event loop idle for a while, caches gone cold); back to back
    (a few ms apart) every cache is hot, which no touch after a pause to read ever sees.
    """
    samples = []
    for _ in range(repeats):
        spin(settle)
        start = time.perf_counter()
        window.repaint()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def prepare(kiosk, settle: float) -> None:  # noqa: ANN001 (live.LiveKiosk)
    """As between citizens: one visit ends, then the kiosk builds its screens in the quiet that follows."""
    from kiosk.app.preparation import IdlePreparation

    window = kiosk.window
    preparation = IdlePreparation(kiosk.runtime, parent=window)
    preparation.start()
    home = window.screen_named("home")
    tap(next(tile for tile in home.tiles.values() if tile.isVisible()))
    spin(settle)
    tap(window.footer.home)
    wait_until(lambda: preparation.done, 60, "the screens to be prepared")
    spin(settle)


def first_tile(area: QWidget) -> QWidget:
    """The first tile on show in a scrolling list."""
    return next(t for t in area.content.findChildren(Tile) if t.isVisible())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=30, help="warm repetitions of each navigation")
    parser.add_argument("--settle", type=float, default=0.3,
                        help="pause after each navigation (s): people read a screen before the next touch")
    parser.add_argument("--unprepared", action="store_true",
                        help="no idle-time preparation: first visits build their screens")
    parser.add_argument("--xvfb", action="store_true", help="run under Xvfb on the xcb platform")
    args = parser.parse_args()
    xvfb.maybe_rerun()
    with tempfile.TemporaryDirectory() as tmp, live_kiosk(Path(tmp)) as kiosk:
        window = kiosk.window
        clock = PaintClock(window)
        spin(0.3)
        hot_floor = full_repaint(window, max(args.repeats, 10), 0.002)
        floor = full_repaint(window, max(args.repeats, 10), args.settle)
        base = baseline(window, clock, args.repeats, args.settle)
        if not args.unprepared:
            prepare(kiosk, args.settle)
        home = window.screen_named("home")
        header, footer = window.header, window.footer
        navigations: dict[str, list[float]] = {}
        cold: dict[str, float] = {}

        def record(name: str, touch: Callable[[], float], check: Callable[[], bool],
                   arrival: Callable[[], float | None] | None = None) -> None:
            sample = measure(clock, touch, args.settle, arrival)
            if not check():
                raise SystemExit(f"navigation {name!r} did not arrive (now on {window.current_name})")
            if name in cold:
                navigations.setdefault(name, []).append(sample)
            else:
                cold[name] = sample

        journeys = [name for name, tile in home.tiles.items() if tile.isVisible()]
        guide, queue = window.screen_named("guide"), window.screen_named("queue_ticket")

        def state(screen: QWidget, name: str) -> Callable[[], bool]:
            return lambda: screen.journey is not None and screen.journey.state == name

        guide_shown: list[float] = []
        guide.pages.currentChanged.connect(
            lambda _index: guide.pages.currentWidget() is guide.page["guide"] and guide_shown.append(time.perf_counter()))

        def guide_arrival() -> float | None:
            return guide_shown[-1] if guide_shown else None

        def open_guide() -> float:
            guide_shown.clear()
            return tap(guide.service_list.shown_tiles[0])

        for _ in range(args.repeats + 1):
            for journey in journeys:
                record(f"home -> {journey}", lambda j=journey: tap(home.tiles[j]),
                       lambda: window.current_name != "home")
                record(f"{journey}: Back -> home", lambda: tap(footer.back), lambda: window.current_name == "home")
            # inside journeys: lists of departments and services, a guide, Back through them
            tap(home.tiles["guide"])
            spin(args.settle)
            record("guide: department -> services", lambda: tap(first_tile(guide.department_list)),
                   state(guide, "services"))
            record("guide: service -> its guide", open_guide, state(guide, "guide"), guide_arrival)
            record("guide: Back -> services", lambda: tap(footer.back), state(guide, "services"))
            record("guide: Back -> departments", lambda: tap(footer.back), state(guide, "departments"))
            record("elderly mode on (guide)", lambda: tap(header.elderly), lambda: kiosk.context.elderly)
            record("elderly mode off (guide)", lambda: tap(header.elderly), lambda: not kiosk.context.elderly)
            tap(footer.home)
            spin(args.settle)
            tap(home.tiles["queue_ticket"])
            spin(args.settle)
            record("queue: by department", lambda: tap(queue.by_department), state(queue, "departments"))
            record("queue: department -> services", lambda: tap(first_tile(queue.department_list)),
                   state(queue, "services"))
            record("queue: service -> confirm", lambda: tap(queue.list.shown_tiles[0]), state(queue, "confirm"))
            tap(footer.home)
            spin(args.settle)
            record("language zh -> en", lambda: tap(header.en), lambda: header.en.isChecked())
            record("language en -> zh", lambda: tap(header.zh), lambda: header.zh.isChecked())
            record("elderly mode on (home)", lambda: tap(header.elderly), lambda: kiosk.context.elderly)
            record("elderly mode off (home)", lambda: tap(header.elderly), lambda: not kiosk.context.elderly)
        clock.close()

    floor_p95 = percentile(floor, 0.95)
    note(f"{args.repeats} warm repetitions of {len(navigations)} navigations (+1 first visit each); live kiosk "
         f"on the device simulators and the reference gateway; {xvfb.platform()}; "
         f"{'screens built at first visit' if args.unprepared else 'screens prepared in idle time first'}; "
         f"load average {os.getloadavg()[0]:.2f}")
    note(f"floor: one full repaint of the kiosk window after {args.settle:g} s of quiet, as a touch comes, "
         f"p50 {median(floor):.2f} / p95 {floor_p95:.2f} ms (back to back, caches hot: p50 {median(hot_floor):.2f} / "
         f"p95 {percentile(hot_floor, 0.95):.2f} ms); one label changed p50 {median(base):.2f} ms")
    worst_name, worst = "", 0.0
    over: list[str] = []
    for name, samples in navigations.items():
        p95 = percentile(samples, 0.95)
        fine = p95 <= TARGET_MS and p95 <= FLOOR_RATIO * floor_p95
        note(f"{name:<34} p50 {median(samples):6.2f}  p95 {p95:6.2f} ({p95 / floor_p95:4.1f}x floor)  "
             f"max {max(samples):6.2f}  first {cold[name]:7.2f} ms  {'ok' if fine else 'OVER'}")
        if p95 > worst:
            worst_name, worst = name, p95
        if not fine:
            over.append(name)
    base_p95 = percentile(base, 0.95)
    figure(f"touch -> next screen painted, worst p95 ({worst_name})", worst, "ms", baseline=base_p95,
           target=f"<= {TARGET_MS:.0f} ms", passed=worst <= TARGET_MS)
    figure("touch -> next screen painted, worst p95 against one full repaint", worst, "ms", baseline=floor_p95,
           target=f"<= {FLOOR_RATIO:.0f}x", passed=worst <= FLOOR_RATIO * floor_p95)
    hot_p95 = percentile(hot_floor, 0.95)
    over_hot = [name for name, samples in navigations.items() if percentile(samples, 0.95) > FLOOR_RATIO * hot_p95]
    note(f"against a back-to-back repaint (p95 {hot_p95:.2f} ms): {len(over_hot)} of {len(navigations)} over "
         f"{FLOOR_RATIO:.0f}x ({', '.join(over_hot) or 'none'})")
    figure("navigations with p95 over 16 ms or 3x a full repaint", len(over), "of " + str(len(navigations)),
           target="0", passed=not over)
    cold_name = max(cold, key=cold.get)
    figure(f"first visit, worst ({cold_name}){' (screens built then)' if args.unprepared else ''}",
           cold[cold_name], "ms", baseline=floor_p95, target=f"<= {FIRST_VISIT_MS:.0f} ms",
           passed=cold[cold_name] <= FIRST_VISIT_MS)


if __name__ == "__main__":
    main()
