"""The network receipt printer: the real TCP driver against the simulator listening on a port."""

from __future__ import annotations

import socket
import time

from devices.printer.transport import TcpTransport
from devices.simulators.printer import PrinterSimulator


def _wait(predicate, timeout: float = 3.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.01)
    return predicate()


def test_status_and_a_cut_receipt_arrive_over_tcp():
    printer = PrinterSimulator(listen=("127.0.0.1", 0)).start()
    try:
        host, port = printer.link.address
        assert printer.slave_path == f"tcp://127.0.0.1:{port}"
        transport = TcpTransport(host, port, timeout=2)
        transport.open()
        status = transport.ask(b"\x10\x04\x01", timeout=2)  # DLE EOT 1: printer status
        assert status & 0b1001_0011 == 0b0001_0010  # fixed bits of a real-time status byte
        transport.write("取号 A001\n".encode("gb18030").join([b"\x1c\x26", b"\x1c\x2e"]) + b"\x1dV\x00")
        assert _wait(lambda: printer.last_receipt is not None)
        transport.close()
    finally:
        printer.close()


def test_a_new_connection_replaces_the_old_one_and_unplug_refuses_connections():
    printer = PrinterSimulator(listen=("127.0.0.1", 0)).start()
    host, port = printer.link.address
    first = socket.create_connection((host, port))
    second = socket.create_connection((host, port))
    assert _wait(lambda: printer.link.connections == 2)
    first.settimeout(2)
    assert first.recv(1) == b""  # the printer dropped the older connection
    second.sendall(b"\x10\x04\x01")
    second.settimeout(2)
    assert len(second.recv(1)) == 1
    printer.unplug()
    second.close()
    first.close()
    try:
        socket.create_connection((host, port), timeout=1).close()
        refused = False
    except OSError:
        refused = True
    assert refused
    printer.replug()
    assert printer.link.address == (host, port)
    socket.create_connection((host, port), timeout=1).close()
    printer.close()
