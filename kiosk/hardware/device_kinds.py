"""What the device hub needs from each kind of device, as ``typing.Protocol`` classes.

The registry (``devices.registry.create_device``) answers every kind with the base ``Device``;
the hub asks a device for the methods of its kind through these protocols, so a printer's jobs and a
card reader's arming are type-checked against the drivers (``devices.printer.driver.ReceiptPrinter``,
``devices.a4printer.driver.A4Printer``, ``devices.idcard.reader.IdCardReader``) without the hub
importing them (the receipt printer's module loads its output library).

The protocols are ``runtime_checkable``: :func:`receipt_printer`, :func:`document_printer` and
:func:`card_reader` only hand out a device that has every method its kind names, so a device of the
wrong kind reads as none at all.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from devices.model import Device

if TYPE_CHECKING:
    from devices.printer.layout import Receipt


@runtime_checkable
class ReceiptPrinting(Protocol):
    """The receipt printer: a cached readiness, a blocking job, a status refresh."""

    def can_print(self, max_age: float | None = None) -> bool: ...

    def print_receipt(self, receipt: Receipt) -> object: ...

    def refresh(self) -> None: ...


@runtime_checkable
class DocumentPrinting(Protocol):
    """The A4 printer: as the receipt printer, with a PDF job that reports its pages as they come out."""

    def can_print(self, max_age: float | None = None) -> bool: ...

    def print_document(self, document: bytes, *, pages: int, name: str = ...,
                       on_progress: Callable[[int, int], None] | None = None) -> object: ...

    def refresh(self) -> None: ...


@runtime_checkable
class CardReading(Protocol):
    """The ID card reader: armed while a journey waits for a card."""

    def arm(self) -> None: ...

    def disarm(self) -> None: ...


def receipt_printer(device: Device | None) -> ReceiptPrinting | None:
    """``device`` as a receipt printer, or None (none open, or not one)."""
    return device if isinstance(device, ReceiptPrinting) else None


def document_printer(device: Device | None) -> DocumentPrinting | None:
    """``device`` as an A4 printer, or None (none open, or not one)."""
    return device if isinstance(device, DocumentPrinting) else None


def card_reader(device: Device | None) -> CardReading | None:
    """``device`` as a card reader, or None (none open, or not one)."""
    return device if isinstance(device, CardReading) else None


if TYPE_CHECKING:  # mypy holds the drivers to their kinds; nothing of this runs
    from devices.a4printer.driver import A4Printer
    from devices.idcard.reader import IdCardReader
    from devices.printer.driver import ReceiptPrinter

    def _drivers_are_their_kinds(
        printer: ReceiptPrinter, a4printer: A4Printer, reader: IdCardReader
    ) -> tuple[ReceiptPrinting, DocumentPrinting, CardReading]:
        return printer, a4printer, reader
