"""The hub's device kinds (kiosk/hardware/device_kinds.py) fit the drivers the registry makes."""

from devices.a4printer.driver import A4Printer
from devices.idcard.reader import IdCardReader
from devices.printer.driver import ReceiptPrinter
from kiosk.hardware.device_kinds import (
    CardReading,
    DocumentPrinting,
    ReceiptPrinting,
    card_reader,
    document_printer,
    receipt_printer,
)


def test_each_driver_is_of_its_kind_and_of_no_other():
    assert issubclass(ReceiptPrinter, ReceiptPrinting)
    assert issubclass(A4Printer, DocumentPrinting)
    assert issubclass(IdCardReader, CardReading)
    assert not issubclass(ReceiptPrinter, DocumentPrinting)
    assert not issubclass(IdCardReader, ReceiptPrinting)


def test_no_device_is_none_of_any_kind():
    assert receipt_printer(None) is None
    assert document_printer(None) is None
    assert card_reader(None) is None
