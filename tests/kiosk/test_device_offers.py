"""Device events ask for the offers again only when what the offer rule reads of the devices changed."""

from __future__ import annotations

from types import SimpleNamespace

from PySide6.QtCore import QObject, Signal

from kiosk.app.device_offers import AVAILABILITY_DEVICES, device_states, recheck_offers_on_device_events


class FakeHub(QObject):
    device_state_changed = Signal(str, str)
    printer_status_changed = Signal(str, object)
    a4printer_status_changed = Signal(str, object)

    def __init__(self) -> None:
        super().__init__()
        self.states = {"printer": "idle", "idcard": "idle", "scanner": "idle", "a4printer": "idle", "speaker": "idle"}
        self.printing = True

    def can_print(self) -> bool:
        return self.printing

    def device(self, name: str):
        return SimpleNamespace(state=self.states[name]) if name in self.states else None

    def change(self, name: str, state: str) -> None:
        self.states[name] = state
        self.device_state_changed.emit(name, state)


class FakeContext(QObject):
    availability_changed = Signal()


def _wired():
    hub, context, asked = FakeHub(), FakeContext(), []
    context.availability_changed.connect(lambda: asked.append(True))
    recheck_offers_on_device_events(hub, context)
    return hub, asked


def test_the_first_event_of_a_device_the_rule_reads_asks_again() -> None:
    hub, asked = _wired()
    hub.change("scanner", "idle")
    assert len(asked) == 1


def test_events_that_change_no_verdict_ask_nothing() -> None:
    hub, asked = _wired()
    hub.change("idcard", "idle")
    hub.change("a4printer", "error")  # the offer rule does not read the A4 printer …
    hub.a4printer_status_changed.emit("paper", None)
    hub.change("speaker", "offline")  # … nor the loudspeaker
    hub.change("printer", "busy")  # a ticket printing: still usable
    hub.change("printer", "idle")
    hub.printer_status_changed.emit("status", None)  # a status that leaves printing possible
    assert len(asked) == 1
    assert {"a4printer", "speaker"}.isdisjoint(AVAILABILITY_DEVICES)


def test_a_device_the_rule_reads_going_out_of_order_and_back_asks_each_time() -> None:
    hub, asked = _wired()
    hub.change("idcard", "idle")
    hub.change("idcard", "error")
    assert not device_states(hub).idcard
    hub.change("idcard", "idle")
    hub.printing = False
    hub.printer_status_changed.emit("paper_out", None)
    assert len(asked) == 4
