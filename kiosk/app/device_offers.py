"""Which device events make the kiosk ask for its offers again.

The offer rule (``start_availability`` in kiosk/app/startup.py) reads three things of the devices:
whether the receipt printer may start a job and whether the ID card reader and the scanner are
usable. Asking again drops every cached verdict and draws the home page again; it is done when one
of those three changed, not for the A4 printer's or the loudspeaker's events, nor for the printer
going busy and idle again around each ticket.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.hall.availability import DeviceStates

if TYPE_CHECKING:
    from kiosk.hardware.device_hub import DeviceHub
    from kiosk.shell.context import KioskContext

# The devices the offer rule reads (device_states): another device's events change no verdict.
AVAILABILITY_DEVICES = frozenset({"printer", "idcard", "scanner"})


def device_states(hub: DeviceHub) -> DeviceStates:
    """What the availability engine weighs of the devices, from the hub's cached states (no I/O)."""
    return DeviceStates(printer=hub.can_print(), idcard=usable(hub, "idcard"), scanner=usable(hub, "scanner"))


def usable(hub: DeviceHub, name: str) -> bool:
    """A device counts as usable once open and not in error (a closed one is still being opened)."""
    device = hub.device(name)
    return device is not None and str(device.state) in ("idle", "busy")


def recheck_offers_on_device_events(hub: DeviceHub, context: KioskContext) -> None:
    """``context.availability_changed`` when an event of ``hub`` changed what the offer rule reads."""
    last: list[DeviceStates | None] = [None]  # None: the first event always asks again

    def recheck(device: str) -> None:
        if device not in AVAILABILITY_DEVICES:
            return
        states = device_states(hub)
        if states != last[0]:
            last[0] = states
            context.availability_changed.emit()

    hub.device_state_changed.connect(lambda device, _state: recheck(device))
    hub.printer_status_changed.connect(lambda *_: recheck("printer"))
