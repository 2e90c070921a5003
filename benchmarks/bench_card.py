"""Card benchmark: ID card placed on the simulated reader → the citizen's masked name painted on screen.

Live kiosk (device hub on the wire-level simulators, reference gateway on 127.0.0.1), queue-ticket
screen open, the elderly demo citizen's card placed; the time runs to the end of the paint pass that
draws "林**" (the masked name) in the screen's note. The reader is the demo configuration's
``sim://idcard?pace=1``: the simulator sends its answers at 115200 8N1 (10 bits a byte) as a real
reader does, so the 1295-byte read answer takes ~112 ms on the line, and the driver polls *find*
every 10 ms while the screen waits for a card (devices/idcard/reader.py says why).

- placed → name painted (the main figure): what the citizen sees — the wait for the next *find*,
  the find, select and read exchanges on the line, then the kiosk's own path.
- find that saw the card → name painted: select and read on the line, then the kiosk's own path
  (decode, refusal checks, queued signal, journey, screen, paint); the read answer received →
  painted is given beside it.

Baseline and target: the wire time of find + select + read (commands and answers) at 115200 8N1,
~118 ms; target ≤ that + 30 ms. A second run with ``poll=0.3`` (the ~300 ms of DEVICES.md) shows
what the attentive poll buys; it is context, not a target.

    .venv/bin/python benchmarks/bench_card.py [--cards 20] [--skip-comparison]
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from live import PaintClock, live_kiosk, spin, tap, wait_until
from report import figure, median, note, percentile

READ_RESPONSE_BYTES = 1295
BAUD = 115200
MASKED = "林**"


def wire_ms(baud: int = BAUD) -> float:
    """Wire time of find, select and read (commands and answers) at ``baud`` 8N1."""
    from devices.idcard.frames import Command, Status, command_frame, response_frame

    frames = (command_frame(Command.FIND) + response_frame(Status.FIND_OK, b"\x00" * 4)
              + command_frame(Command.SELECT) + response_frame(Status.SUCCESS, b"\x00" * 8)
              + command_frame(Command.READ_TEXT_PHOTO))
    return (len(frames) + READ_RESPONSE_BYTES) * 10 / baud * 1000


def select_read_wire_ms(baud: int = BAUD) -> float:
    """Wire time of select and read (commands and answers): what follows the find that saw the card."""
    from devices.idcard.frames import Command, Status, command_frame, response_frame

    frames = (command_frame(Command.SELECT) + response_frame(Status.SUCCESS, b"\x00" * 8)
              + command_frame(Command.READ_TEXT_PHOTO))
    return (len(frames) + READ_RESPONSE_BYTES) * 10 / baud * 1000


def run(cards: int, idcard_url: str | None) -> tuple[str, list[float], list[float], list[float]]:
    """``cards`` placements; (reader URL and poll, placed → painted, found → painted, read received → painted),
    times in ms."""
    placed_ms, found_ms, read_ms = [], [], []
    with tempfile.TemporaryDirectory() as tmp, live_kiosk(Path(tmp), idcard_url=idcard_url) as kiosk:
        window, reader = kiosk.window, kiosk.hub.device("idcard")
        url = f"{kiosk.context.settings.devices.idcard} (poll {reader.poll_interval * 1000:g} ms)"
        clock = PaintClock(window)
        found_at = [0.0]
        read_at = [0.0]
        drawn_at = [0.0]
        find_card, read_card = reader.find_card, reader.read_card

        def timed_find() -> bool:
            found = find_card()
            if found and not found_at[0]:
                found_at[0] = time.perf_counter()
            return found

        def timed_read(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            card = read_card(*args, **kwargs)
            read_at[0] = time.perf_counter()
            return card

        reader.find_card, reader.read_card = timed_find, timed_read
        def screen():  # noqa: ANN202  (the window may build the screen anew for each citizen)
            return window.screen_named("queue_ticket")

        def painted(widget) -> None:  # noqa: ANN001
            if widget is screen().note and MASKED in screen().note.text() and not drawn_at[0]:
                drawn_at[0] = time.perf_counter()

        clock.watch_paint(painted)
        rng = random.Random(9)
        for _ in range(cards):
            tap(window.screen_named("home").tiles["queue_ticket"])
            wait_until(lambda: window.current_name == "queue_ticket" and screen().journey.state == "choose", 5,
                       "the queue-ticket screen")
            spin(0.05 + rng.uniform(0, 0.3))  # placed at any moment of the reader's poll cycle
            found_at[0] = read_at[0] = drawn_at[0] = 0.0
            start = time.perf_counter()
            kiosk.idcard.place("elderly")
            wait_until(lambda: drawn_at[0] > 0, 10, "the masked name on screen")
            end = clock.next_paint_after(drawn_at[0] - 1e-6)
            placed_ms.append((end - start) * 1000)
            found_ms.append((end - found_at[0]) * 1000)
            read_ms.append((end - read_at[0]) * 1000)
            kiosk.idcard.lift()
            tap(window.footer.back)
            wait_until(lambda: window.current_name == "home", 5, "home")
            # the lift is noticed by the slow removal probe; a card placed before that would be found by
            # the probe, not by the attentive poll this benchmark measures
            wait_until(lambda: not reader._card_on_reader, 5, "the reader to notice the lift")
            # the visit ended with the card still on the reader as far as the kiosk knew: the take-card
            # reminder covers home until the lift reaches the window
            wait_until(lambda: not window.take_card.showing, 5, "the take-card reminder to go")
        reader.find_card, reader.read_card = find_card, read_card
        clock.close()
    return url, placed_ms, found_ms, read_ms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cards", type=int, default=20, help="placements per configuration")
    parser.add_argument("--skip-comparison", action="store_true",
                        help="only the demo configuration, not the run with the 300 ms poll")
    args = parser.parse_args()
    wire = wire_ms()
    target = wire + 30
    after_find = select_read_wire_ms()
    note(f"wire time of find + select + read at {BAUD} 8N1: {wire:.1f} ms; target {target:.1f} ms")
    url, placed, found, read = run(args.cards, None)
    note(f"demo reader {url}, {args.cards} cards: placed -> painted p50 {median(placed):.1f}, "
         f"max {max(placed):.1f} ms; found -> painted p50 {median(found):.1f}, max {max(found):.1f} ms; "
         f"read answer received -> painted p50 {median(read):.1f}, p95 {percentile(read, 0.95):.1f} ms")
    figure("card placed -> masked name painted, p95 (115200 baud, demo poll)", percentile(placed, 0.95), "ms",
           baseline=wire, target=f"<= {target:.0f} ms", passed=percentile(placed, 0.95) <= target)
    figure("reader's find -> masked name painted, p95", percentile(found, 0.95), "ms", baseline=after_find,
           target=f"<= {after_find + 30:.0f} ms", passed=percentile(found, 0.95) <= after_find + 30)
    if not args.skip_comparison:
        slow = "sim://idcard?pace=1&poll=0.3"
        _, placed, _, _ = run(args.cards, slow)
        note(f"for comparison, {slow} (the ~300 ms of DEVICES.md): placed -> painted p50 {median(placed):.1f}, "
             f"p95 {percentile(placed, 0.95):.1f} ms")


if __name__ == "__main__":
    main()
