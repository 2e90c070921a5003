"""Fixtures for device tests: simulators on real ptys and drivers opened on their slave ends."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from devices.model import Backoff
from devices.simulators.idcard_reader import IdCardReaderSimulator


@pytest.fixture
def card_sim() -> Iterator[IdCardReaderSimulator]:
    sim = IdCardReaderSimulator().start()
    yield sim
    sim.close()


@pytest.fixture
def reader(card_sim: IdCardReaderSimulator, tmp_path) -> Iterator:
    from devices.idcard.reader import IdCardReader

    def port() -> str:
        from devices.errors import DeviceOffline

        if not card_sim.plugged:
            raise DeviceOffline("unplugged")
        return card_sim.slave_path

    device = IdCardReader(
        port, state_dir=str(tmp_path), poll_interval=0.02, response_timeout=0.3, backoff=Backoff(0.02, 0.05)
    )
    device.open()
    device.claim()
    yield device
    device.close()


@pytest.fixture
def printer_sim() -> Iterator:
    from devices.simulators.printer import PrinterSimulator

    sim = PrinterSimulator().start()
    yield sim
    sim.close()


@pytest.fixture
def printer(printer_sim, tmp_path) -> Iterator:
    from devices.errors import DeviceOffline
    from devices.printer.driver import ReceiptPrinter
    from devices.printer.profile import PROFILES
    from devices.printer.transport import SerialTransport

    def port() -> str:
        if not printer_sim.plugged:
            raise DeviceOffline("unplugged")
        return printer_sim.slave_path

    device = ReceiptPrinter(
        SerialTransport(port), profile=PROFILES["80mm"], state_dir=str(tmp_path), status_timeout=0.3,
        job_timeout=1.0, status_interval=0.05, backoff=Backoff(0.02, 0.05),
    )  # fmt: skip
    device.open()
    device.claim()
    yield device
    device.close()


@pytest.fixture
def scanner_sim() -> Iterator:
    from devices.simulators.scanner import ScannerSimulator

    sim = ScannerSimulator().start()
    yield sim
    sim.close()


@pytest.fixture
def scanner(scanner_sim, tmp_path) -> Iterator:
    from devices.errors import DeviceOffline
    from devices.scanner.reader import SerialScanner

    def port() -> str:
        if not scanner_sim.plugged:
            raise DeviceOffline("unplugged")
        return scanner_sim.slave_path

    device = SerialScanner(port, state_dir=str(tmp_path), backoff=Backoff(0.02, 0.05))
    device.open()
    device.claim()
    yield device
    device.close()
