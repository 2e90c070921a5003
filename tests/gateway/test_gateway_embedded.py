"""The gateway as a child process: the demo's and the kiosk's way to run it, plus TLS by configuration."""

from __future__ import annotations

import datetime as dt
import ipaddress
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from gateway.embedded import EmbeddedGateway, GatewayStartError

HEADERS = {"X-Kiosk-Id": "XM-HALL-001", "Authorization": "Bearer demo-hall-001-secret"}


def test_embedded_gateway_starts_serves_demo_data_and_stops(tmp_path: Path):
    gateway = EmbeddedGateway(tmp_path / "state" / "gateway.sqlite3", port=0)
    with gateway:
        assert gateway.running() and gateway.url.startswith("http://127.0.0.1:")
        answer = requests.post(gateway.url + "/api/v1/lookups/social-security", headers=HEADERS, timeout=5,
                               json={"id_number": "350206199607210013"})
        assert answer.status_code == 200 and answer.json()["status"] == "found"
        today = dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).strftime("%Y%m%d")
        ticket = requests.post(gateway.url + "/api/v1/queue/tickets", headers=HEADERS, timeout=5,
                               json={"service_id": "ss-card-apply", "appointment_code": f"YY{today}0001"})
        assert ticket.status_code == 201 and ticket.json()["status_url"].startswith(gateway.url + "/t/")
        pid = gateway.pid
    assert not gateway.running()
    gateway.stop()  # idempotent
    with pytest.raises(requests.ConnectionError):
        requests.get(f"http://127.0.0.1:{gateway._port}/api/v1/health", timeout=2)
    assert pid is not None


def test_a_gateway_that_cannot_start_says_why(tmp_path: Path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    gateway = EmbeddedGateway(tmp_path / "db.sqlite3", extra_args=("--db", str(blocker / "db.sqlite3")))
    with pytest.raises(GatewayStartError, match="cannot start"):
        gateway.start(timeout=20)
    assert not gateway.running()


def test_embedded_module_does_not_import_fastapi():
    code = ("import sys, gateway.embedded; bad = [m for m in ('fastapi', 'starlette', 'uvicorn', 'pydantic') "
            "if m in sys.modules]; print(bad); sys.exit(1 if bad else 0)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr


def _self_signed(tmp_path: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "hall-gateway.test")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=1))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


def test_tls_by_configuration(tmp_path: Path):
    """``kiosk-gateway --ssl-certfile/--ssl-keyfile`` serves HTTPS; a client trusts it only with the pinned CA."""
    cert, key = _self_signed(tmp_path)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    port = sock.getsockname()[1]
    # A child process, so the server side of the refused handshake below stays out of this interpreter.
    child = subprocess.Popen(
        [sys.executable, "-m", "gateway", "--fd", str(sock.fileno()), "--port", str(port), "--demo",
         "--db", str(tmp_path / "tls.sqlite3"), "--ssl-certfile", str(cert), "--ssl-keyfile", str(key),
         "--log-level", "warning"],
        pass_fds=(sock.fileno(),), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    url = f"https://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                answer = requests.get(url + "/api/v1/content/announcements", headers=HEADERS, verify=str(cert),
                                      timeout=10)
                break
            except (requests.ConnectionError, requests.Timeout):  # the socket listens before the child serves
                assert child.poll() is None and time.monotonic() < deadline, "gateway did not start"
                time.sleep(0.05)
        assert answer.status_code == 200 and answer.json()["items"]
        with pytest.raises(requests.exceptions.SSLError):
            requests.get(url + "/api/v1/health", timeout=5)  # not trusted without the pinned CA
    finally:
        child.terminate()
        child.communicate(timeout=10)
        sock.close()
