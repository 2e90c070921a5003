"""The ID card driver against its simulator over a real pty: commands, faults, polling, removal, unplug."""

from __future__ import annotations

import time

import pytest
from device_waits import Recorder, wait_for

from devices.errors import ChecksumError, DeviceOffline, DeviceTimeout, FrameLengthError
from devices.idcard.card import CardType
from devices.idcard.frames import PREAMBLE, Command, Status, command_frame, response_frame
from devices.idcard.reader import CardReadError
from devices.model import DeviceState, HealthLevel


def test_each_command_goes_out_byte_exact(reader, card_sim) -> None:
    card_sim.place("young")
    assert reader.find_card() and reader.select_card()
    card = reader.read_card()
    assert card.name == "王晓明" and card.card_type == CardType.RESIDENT
    reader.sam_id()
    reader.sam_status()
    reader.reset_sam()
    reader.read_appended_address()
    assert list(card_sim.received) == [
        command_frame(c)
        for c in (Command.FIND, Command.SELECT, Command.READ_TEXT_PHOTO, Command.SAM_ID,
                  Command.SAM_STATUS, Command.RESET_SAM, Command.READ_APPENDED_ADDRESS)
    ]  # fmt: skip
    assert reader.statistics.get("cards_read") == 1


def test_read_with_fingerprint_uses_the_length_field(reader, card_sim) -> None:
    card_sim.place("young")  # 512-byte fingerprint
    assert reader.find_card() and reader.select_card()
    card = reader.read_card(with_fingerprint=True)
    assert len(card.fingerprint) == 512 and len(card.photo) == 1024
    card_sim.place("hk")  # no fingerprint
    assert reader.find_card() and reader.select_card()
    assert reader.read_card(with_fingerprint=True).fingerprint == b""


def test_read_without_select_is_an_error_with_meaning(reader, card_sim) -> None:
    card_sim.place("young")
    with pytest.raises(CardReadError, match="read failed") as info:
        reader.read_card()
    assert info.value.sw3 == Status.READ_FAILED and info.value.citizen_zh


def test_sam_id_and_appended_address(reader, card_sim) -> None:
    sam = reader.sam_id()
    assert len(sam.raw) == 16 and sam.text.startswith("05.00-")
    assert reader.read_appended_address() is None
    card_sim.place("elderly")
    assert reader.read_appended_address() == "福建省厦门市思明区鹭江道102号"


def test_garbage_before_preamble_is_skipped(reader, card_sim) -> None:
    card_sim.inject(b"\x00\xff\xaa\xaa\x13" + response_frame(Status.NO_CARD))
    assert reader.find_card() is False
    assert reader.statistics.get("resyncs") == 1


def test_corrupted_checksum_is_a_frame_error(reader, card_sim) -> None:
    bad = bytearray(response_frame(Status.FIND_OK, bytes(4)))
    bad[-1] ^= 0x5A
    card_sim.inject(bytes(bad))
    with pytest.raises(ChecksumError):
        reader.find_card()
    assert reader.statistics.get("communication_failures") == 1
    assert reader.find_card() is False  # the next exchange is clean


def test_truncated_frame_times_out_at_the_deadline(reader, card_sim) -> None:
    card_sim.inject(response_frame(Status.FIND_OK, bytes(4))[:9])
    with pytest.raises(DeviceTimeout):
        reader.find_card()
    assert reader.find_card() is False  # the stale half frame is dropped before the next command


def test_absurd_length_is_rejected(reader, card_sim) -> None:
    card_sim.inject(PREAMBLE + b"\x7f\xff")
    with pytest.raises(FrameLengthError):
        reader.find_card()


def test_no_answer_times_out(reader, card_sim) -> None:
    card_sim.mute = True
    with pytest.raises(DeviceTimeout) as info:
        reader.find_card()
    assert isinstance(info.value, TimeoutError)


def test_two_frames_in_one_read_are_both_delivered(card_sim, tmp_path) -> None:
    from devices.idcard.frames import read_response
    from devices.serial_link import SerialLink

    link = SerialLink(
        card_sim.slave_path, baudrate=115200, device="idcard", logger=__import__("logging").getLogger()
    )
    link.open()
    try:
        card_sim.link.write(response_frame(Status.NO_CARD) + response_frame(Status.FIND_OK, bytes(4)))
        assert read_response(link, 1.0).sw3 == Status.NO_CARD
        assert read_response(link, 1.0).sw3 == Status.FIND_OK
    finally:
        link.close()


def test_unplugged_mid_read_is_offline(reader, card_sim) -> None:
    card_sim.place("young")
    assert reader.find_card() and reader.select_card()
    card_sim.inject(response_frame(Status.SUCCESS, bytes(1294))[:300])  # part of a read answer, then gone

    import threading

    threading.Timer(0.05, card_sim.unplug).start()
    with pytest.raises(DeviceOffline, match="unplugged"):
        reader.read_card()


def test_polling_reads_a_placed_card_once_and_reports_removal(reader, card_sim) -> None:
    events = Recorder()
    reader.add_listener(events)
    reader.enable()
    reader.arm()
    card_sim.place("elderly")
    wait_for(lambda: events.of("card_present"))
    card = events.of("card_present")[0].payload
    assert card.name == "林秀英"
    # the card stays: it is not read again
    polls = len(card_sim.received)
    wait_for(lambda: len(card_sim.received) > polls + 6)
    assert len(events.of("card_present")) == 1
    card_sim.lift()
    wait_for(lambda: events.of("card_removed"))
    card_sim.place("young")
    wait_for(lambda: len(events.of("card_present")) == 2)
    assert events.kinds() == ["card_present", "card_removed", "card_present"]


def test_lift_and_replace_between_polls_reads_again(reader, card_sim) -> None:
    events = Recorder()
    reader.add_listener(events)
    reader.enable()
    reader.arm()
    card_sim.place("young")
    wait_for(lambda: events.of("card_present"))
    card_sim.place("young")  # lifted and put back faster than one poll
    wait_for(lambda: len(events.of("card_present")) == 2)
    assert events.kinds() == ["card_present", "card_removed", "card_present"]


def test_disarmed_reader_does_not_read(reader, card_sim) -> None:
    events = Recorder()
    reader.add_listener(events)
    reader.enable()
    card_sim.place("young")
    time.sleep(0.15)  # several poll intervals: proving that nothing happens needs elapsed time
    assert list(card_sim.received) == [] and not events.of("card_present")
    reader.arm()
    wait_for(lambda: events.of("card_present"))
    reader.disarm()
    assert not reader.armed


def test_failed_read_is_an_error_event_and_waits_for_lift(reader, card_sim) -> None:
    events = Recorder()
    reader.add_listener(events)
    card_sim.place("young")
    card_sim.inject(response_frame(Status.FIND_OK, bytes(4)))
    card_sim.inject(response_frame(Status.SUCCESS, bytes(8)))
    card_sim.inject(response_frame(Status.SAM_REJECTED_CARD))
    reader.enable()
    reader.arm()
    wait_for(lambda: events.of("error"))
    error = events.of("error")[0].payload
    assert error.sw3 == Status.SAM_REJECTED_CARD and "authenticate" in error.technician
    assert not events.of("card_present")


def test_unplug_is_reported_and_replug_recovers(reader, card_sim) -> None:
    events = Recorder()
    reader.add_listener(events)
    reader.enable()
    reader.arm()
    card_sim.unplug()
    wait_for(lambda: events.of("offline"))
    assert reader.state == DeviceState.ERROR
    card_sim.replug()
    wait_for(lambda: events.of("online"))
    card_sim.place("hk")
    wait_for(lambda: events.of("card_present"))
    assert events.of("card_present")[0].payload.card_type == CardType.HMT_RESIDENCE
    assert reader.statistics.get("communication_failures") >= 1


def test_health_levels(reader, card_sim) -> None:
    external = reader.check_health(HealthLevel.EXTERNAL)
    assert external.ok and "SAM 05.00" in external.text
    assert "state idle" in reader.check_health(HealthLevel.INTERNAL).text
    card_sim.mute = True
    report = reader.check_health(HealthLevel.EXTERNAL)
    assert not report.ok and "timeout" in report.text


def test_statistics_survive_a_restart(reader, card_sim, tmp_path) -> None:
    from devices.idcard.reader import IdCardReader

    card_sim.place("young")
    assert reader.find_card() and reader.select_card()
    reader.read_card()
    reader.close()
    again = IdCardReader(card_sim.slave_path, state_dir=str(tmp_path))
    assert again.statistics.get("cards_read") == 1
    assert 0 < again.statistics.get("hours_powered") < 0.01


def test_close_is_idempotent_and_closed_device_refuses(reader) -> None:
    reader.close()
    reader.close()
    from devices.errors import DeviceStateError

    with pytest.raises(DeviceStateError):
        reader.find_card()
