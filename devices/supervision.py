"""The supervision loop every device with a background thread follows: work, back off, go on- and offline.

A driver's thread repeats one *round* of work (poll the card reader, read the scanner's line,
ask the printer's status) until the device is disabled. The template decides what happens around
a round, the same way for every device:

- a round that raises one of the device's ``offline_errors`` (the port went away, the device
  stopped answering) closes the connection, reports ``OFFLINE`` once, and waits the next
  :class:`Backoff` delay before the round tries to reconnect;
- the round that reconnects calls :meth:`SupervisedDevice._went_online`, which resets the
  back-off and reports ``ONLINE`` once (and IDLE);
- any other ``DeviceError`` is a failure of the device (ERROR state, statistics, technician log)
  while it is online, and only waits while it is offline;
- anything else is a bug in the driver: it is logged with its traceback, counted as an internal
  error of the device, and the thread carries on.

The wait between rounds ends early when :meth:`SupervisedDevice._wake_up` is called (the card
reader is armed) or the device is disabled.
"""

from __future__ import annotations

import logging
import os
import threading

from contract.backoff import Backoff
from devices.errors import DeviceError, DeviceOffline, DeviceOperationError
from devices.model import Device, DeviceState, StatusKind


class SupervisedDevice(Device):
    """A device whose background thread runs :meth:`_round` under the supervision loop.

    Subclasses implement ``_round()`` (one round of work; returns the seconds to wait before the
    next, 0 for at once) and ``_drop_connection()`` (close the port after it failed), and may
    extend ``_lost()`` (what to forget when the device goes offline) and ``_failure_delay()``.
    """

    offline_errors: tuple[type[DeviceError], ...] = (DeviceOffline,)
    """What, raised by a round, means the device is gone rather than failing."""

    def __init__(self, name: str, *, state_dir: str | os.PathLike[str] | None = None,
                 backoff: Backoff | None = None) -> None:
        super().__init__(name, state_dir=state_dir)
        self._backoff = backoff or Backoff()
        self._online = True
        # set to end the wait between two rounds early (and by stopping)
        self._wake = threading.Event()

    @property
    def online(self) -> bool:
        return self._online

    # --- the loop ------------------------------------------------------------------------------
    def _start_supervision(self, role: str) -> None:
        self._wake.clear()
        self._start_worker(self._supervise, role)

    def _stop_supervision(self, join_timeout: float) -> None:
        self._stop.set()
        self._wake.set()
        self._stop_worker(join_timeout)

    def _wake_up(self) -> None:
        """End the current wait between rounds: the next round starts at once."""
        self._wake.set()

    def _supervise(self) -> None:
        stop = self._stop
        while not stop.is_set():
            try:
                delay = self._round()
            except self.offline_errors as exc:
                delay = self._went_offline(exc)
            except DeviceError as exc:
                if self._online:
                    self._fail(exc)
                    delay = self._failure_delay()
                else:
                    delay = self._backoff.next_delay()
            except Exception as exc:  # a bug in the driver: report it, keep the thread alive
                self._log.exception("%s: unexpected failure in its %s thread", self.name, self.kind)
                self._fail(DeviceOperationError(f"internal error: {type(exc).__name__}", device=self.name))
                delay = self._failure_delay()
            if stop.is_set():
                break
            if delay > 0:
                self._wake.wait(delay)
                self._wake.clear()

    # --- online / offline --------------------------------------------------------------------------
    def _went_online(self) -> None:
        """The connection works (again): back-off from the start, and ``ONLINE`` if it was offline."""
        self._backoff.reset()
        if not self._online:
            self._online = True
            self._log.info("%s: back online", self.name)
            self._set_state(DeviceState.IDLE)
            self._emit(StatusKind.ONLINE)

    def _went_offline(self, exc: DeviceError) -> float:
        """The device is gone: close the connection, report ``OFFLINE`` once; returns the wait before retrying."""
        self._drop_connection()
        if self._online:
            self._online = False
            self._lost(exc)
            self._fail(exc)
            self._emit(StatusKind.OFFLINE, exc.technician, exc)
        return self._backoff.next_delay()

    @property
    def _log(self) -> logging.Logger:
        return logging.getLogger(f"devices.{self.kind}")

    # --- for subclasses ----------------------------------------------------------------------------
    def _round(self) -> float:
        raise NotImplementedError

    def _drop_connection(self) -> None:
        raise NotImplementedError

    def _lost(self, exc: DeviceError) -> None:
        """What the device forgets when it goes offline (called once, before ``OFFLINE``)."""

    def _failure_delay(self) -> float:
        """The wait after a round failed while the device is online."""
        return self._backoff.next_delay()
