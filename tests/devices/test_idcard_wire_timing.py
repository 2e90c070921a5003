"""The card reader's timing: the simulator paced at the baud rate, the attentive and the slow poll,
arm() waking the reader, stop ending it, and the URL options that set them."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from device_waits import Recorder, wait_for

from devices import simulators
from devices.errors import DeviceOffline, DeviceURLError
from devices.idcard.frames import Command, Status, command_frame, response_frame
from devices.idcard.reader import IdCardReader
from devices.model import Backoff, DeviceState
from devices.registry import create_device
from devices.simulators.idcard_reader import IdCardReaderSimulator

READ_ANSWER = 1295  # bytes of the text + photo answer (DEVICES.md §1)


def line_seconds(size: int, baudrate: int) -> float:
    return size * 10 / baudrate


@pytest.fixture
def make_reader(card_sim: IdCardReaderSimulator, tmp_path) -> Iterator:
    made: list[IdCardReader] = []

    def port() -> str:
        if not card_sim.plugged:
            raise DeviceOffline("unplugged")
        return card_sim.slave_path

    def make(**options) -> IdCardReader:
        options = {"response_timeout": 0.3, "backoff": Backoff(0.02, 0.05), **options}
        device = IdCardReader(port, state_dir=str(tmp_path), **options)
        device.open()
        device.claim()
        made.append(device)
        return device

    yield make
    for device in made:
        device.close()


@pytest.fixture
def fresh_simulators() -> Iterator[None]:
    simulators.stop_all()
    yield
    simulators.stop_all()


def test_simulator_moves_bytes_at_memory_speed_unless_paced() -> None:
    sim = IdCardReaderSimulator()
    assert sim.baudrate is None and sim.wire_seconds(READ_ANSWER) == 0
    sim.pace(115200)
    assert sim.wire_seconds(READ_ANSWER) == pytest.approx(0.1124, abs=1e-4)
    with pytest.raises(ValueError, match="positive"):
        sim.pace(0)


def test_paced_exchanges_take_at_least_their_wire_time(reader, card_sim) -> None:
    card_sim.pace(115200)
    card_sim.place("elderly")
    started = time.monotonic()
    assert reader.find_card()
    find_s = time.monotonic() - started
    assert reader.select_card()
    started = time.monotonic()
    card = reader.read_card()
    read_s = time.monotonic() - started
    assert card.name == "林秀英"
    # command and answer both cross the line: 10 + 15 bytes for find, 10 + 1295 for the read
    assert find_s >= line_seconds(10 + 15, 115200)
    assert read_s >= line_seconds(10 + READ_ANSWER, 115200)  # ~113 ms, as on a real line


def test_slow_line_read_outlasts_the_response_timeout_and_still_succeeds(make_reader, card_sim) -> None:
    # at 19200 the read answer alone takes 0.67 s, more than the 0.3 s response timeout: the
    # driver's deadline allows for the answer's own line time
    card_sim.pace(19200)
    reader = make_reader(baudrate=19200, response_timeout=0.3)
    card_sim.place("young")
    assert reader.find_card() and reader.select_card()
    started = time.monotonic()
    assert reader.read_card().name == "王晓明"
    assert time.monotonic() - started >= line_seconds(READ_ANSWER, 19200)


def test_armed_reader_polls_find_attentively_then_probes_removal_slowly(make_reader, card_sim) -> None:
    reader = make_reader(poll_interval=0.01, removal_poll_interval=0.25)
    events = Recorder()
    reader.add_listener(events)
    reader.enable()
    reader.arm()
    # 20 finds: ~0.2 s at the attentive interval, 6 s at the slow one
    wait_for(lambda: len(card_sim.received) >= 20, timeout=3.0)
    assert set(card_sim.received) == {command_frame(Command.FIND)}
    card_sim.place("young")
    wait_for(lambda: events.of("card_present"))
    sent = len(card_sim.received)
    time.sleep(0.5)  # proving that the probing is slow needs elapsed time
    # at most 3 probes of find + select in 0.5 s at 0.25 s (load only makes it fewer)
    assert len(card_sim.received) - sent <= 6
    card_sim.lift()
    wait_for(lambda: events.of("card_removed"))
    sent = len(card_sim.received)
    wait_for(lambda: len(card_sim.received) >= sent + 20, timeout=3.0)  # attentive again


def test_disarmed_reader_sends_nothing_even_with_a_card_read_lifted(make_reader, card_sim) -> None:
    reader = make_reader(poll_interval=0.01, removal_poll_interval=0.05)
    events = Recorder()
    reader.add_listener(events)
    reader.enable()
    reader.arm()
    card_sim.place("young")
    wait_for(lambda: events.of("card_present"))
    reader.disarm()
    card_sim.lift()
    wait_for(lambda: events.of("card_removed"))  # removal is still reported while disarmed
    sent = len(card_sim.received)
    time.sleep(0.2)  # several idle ticks: proving that nothing is sent needs elapsed time
    assert len(card_sim.received) == sent


def test_a_reader_answering_errors_is_polled_slowly(make_reader, card_sim) -> None:
    reader = make_reader(poll_interval=0.01, removal_poll_interval=0.25)
    for _ in range(20):
        card_sim.inject(response_frame(Status.COMMAND_ERROR))
    reader.enable()
    reader.arm()
    wait_for(lambda: reader.state == DeviceState.ERROR)
    time.sleep(0.5)  # proving that the failing reader is not hammered needs elapsed time
    # every 0.25 s, not every 10 ms (which would have used up all 20 errors by now)
    assert len(card_sim.received) <= 4
    assert reader.statistics.get("errors") >= 1


def test_arm_wakes_an_idle_reader_at_once(make_reader, card_sim) -> None:
    reader = make_reader(removal_poll_interval=5.0)
    events = Recorder()
    reader.add_listener(events)
    reader.enable()
    time.sleep(0.05)  # let the worker fall into its 5 s idle sleep
    card_sim.place("elderly")  # already lying there when the screen opens
    reader.arm()
    wait_for(lambda: events.of("card_present"), timeout=2.0)
    assert events.of("card_present")[0].payload.name == "林秀英"


def test_close_ends_a_sleeping_worker_promptly(make_reader) -> None:
    reader = make_reader(removal_poll_interval=5.0)
    reader.enable()
    time.sleep(0.05)  # the worker is in its 5 s idle sleep
    worker = reader._thread
    started = time.monotonic()
    reader.close()
    assert time.monotonic() - started < 2.0 and worker is not None and not worker.is_alive()


@pytest.mark.parametrize("interval", ["poll_interval", "removal_poll_interval"])
@pytest.mark.parametrize("value", [0, -0.1])
def test_intervals_must_be_positive(interval: str, value: float) -> None:
    with pytest.raises(ValueError, match=f"{interval} must be a positive"):
        IdCardReader("/dev/null", **{interval: value})


def test_sim_url_sets_pacing_and_both_intervals(tmp_path, fresh_simulators) -> None:
    reader = create_device(
        "idcard", "sim://idcard?pace=1&baudrate=57600&poll=0.01&removal_poll=0.5", state_dir=str(tmp_path)
    )
    assert (reader.poll_interval, reader.removal_poll_interval, reader.baudrate) == (0.01, 0.5, 57600)
    assert simulators.running("idcard").baudrate == 57600
    reader = create_device("idcard", "sim://idcard", state_dir=str(tmp_path))
    assert (reader.poll_interval, reader.removal_poll_interval) == (0.01, 0.3)
    assert simulators.running("idcard").baudrate is None  # the URL without pace= does not pace
    reader = create_device("idcard", "sim://idcard?pace=yes", state_dir=str(tmp_path))
    assert simulators.running("idcard").baudrate == 115200


def test_serial_url_takes_both_intervals(tmp_path) -> None:
    reader = create_device("idcard", "serial:///dev/ttyUSB0?poll=0.02&removal_poll=0.4", state_dir=str(tmp_path))
    assert (reader.poll_interval, reader.removal_poll_interval) == (0.02, 0.4)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("sim://idcard?pace=maybe", "pace='maybe'.*must be 1 or 0"),
        ("sim://idcard?poll=0", "poll=0.0.*more than 0 seconds"),
        ("sim://idcard?removal_poll=-1", "removal_poll=-1.0.*more than 0 seconds"),
        ("sim://idcard?removal_poll=soon", "not a number"),
        ("sim://idcard?pase=1", "unknown option pase.*allowed: baudrate, pace, poll, removal_poll.*sim://idcard"),
        ("usb://0x0400:0xC35A?pace=1", "unknown option pace"),
    ],
)
def test_bad_idcard_options_are_refused_with_the_expected_form(url: str, message: str, tmp_path,
                                                               fresh_simulators) -> None:
    with pytest.raises(DeviceURLError, match=message):
        create_device("idcard", url, state_dir=str(tmp_path))
