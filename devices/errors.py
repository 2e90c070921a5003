"""Device errors, split by the phase in which they happen.

Every error carries three messages: one for the citizen in Chinese, one in English (plain words,
what to do next) and one for the technician (what went wrong, on which device). Callers catch
``DeviceError`` and never need to know which driver raised it.

Phases (after python-can): the driver is not available at all, the device could not be set up,
an operation on a working device failed, or the device did not answer in time. The timeout error
is also a ``TimeoutError`` so generic code can treat it as one.
"""

from __future__ import annotations

_DEFAULT_ZH = "设备暂时无法使用，请联系工作人员或使用其他自助终端。"
_DEFAULT_EN = "This device is not available right now. Please ask the staff or use another kiosk."


class DeviceError(Exception):
    """Base of every error a device driver raises.

    ``technician`` is the message for logs and diagnostics; it never contains personal data.
    ``citizen_zh`` / ``citizen_en`` are what a screen may show a citizen.
    """

    phase = "operation"
    default_zh = _DEFAULT_ZH
    default_en = _DEFAULT_EN

    def __init__(
        self,
        technician: str,
        *,
        device: str = "",
        citizen_zh: str | None = None,
        citizen_en: str | None = None,
    ) -> None:
        super().__init__(technician)
        self.technician = technician
        self.device = device
        self.citizen_zh = citizen_zh or self.default_zh
        self.citizen_en = citizen_en or self.default_en

    def citizen_message(self, language: str = "zh") -> str:
        """The citizen's message in ``language`` (``zh`` or ``en``; anything else gets English)."""
        return self.citizen_zh if language.startswith("zh") else self.citizen_en

    def __str__(self) -> str:
        prefix = f"{self.device}: " if self.device else ""
        return f"{prefix}{self.technician}"


class DriverUnavailable(DeviceError):
    """No driver for this device: unknown URL scheme, or a library the driver needs is missing."""

    phase = "driver"


class DeviceInitialisationError(DeviceError):
    """The driver exists but the device could not be opened, claimed or set up."""

    phase = "initialisation"


class DeviceURLError(DeviceInitialisationError, ValueError):
    """A device URL is malformed or carries an option the driver does not know."""


class DeviceOperationError(DeviceError):
    """An operation on an opened device failed."""

    phase = "operation"


class DeviceTimeout(DeviceError, TimeoutError):
    """The device did not answer before the deadline."""

    phase = "timeout"


class DeviceOffline(DeviceOperationError):
    """The device went away (unplugged, port closed, connection lost)."""


class DeviceStateError(DeviceOperationError):
    """An operation was asked of a device in the wrong lifecycle state (closed, not claimed, busy)."""


class FrameError(DeviceOperationError):
    """Bytes on the wire do not form a valid frame. ``offset`` is where the bad frame began, if known."""

    def __init__(self, technician: str, *, offset: int | None = None, device: str = "",
                 citizen_zh: str | None = None, citizen_en: str | None = None) -> None:
        super().__init__(technician, device=device, citizen_zh=citizen_zh, citizen_en=citizen_en)
        self.offset = offset


class ChecksumError(FrameError):
    """The frame's checksum does not match its bytes."""


class FrameLengthError(FrameError):
    """The frame declares a length that cannot be right."""


class TruncatedFrame(FrameError):
    """The frame ended (or the next one began) before its declared length."""
