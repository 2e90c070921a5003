"""Checking a certificate: authentic, altered (one byte), unknown; hostile uploads get a clear answer."""

from __future__ import annotations

import http.client
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests

from contract.documents import CODE_HEADER
from gateway.app import create_app
from gateway.serve_thread import GatewayThread
from gateway.settings import GatewaySettings

YOUNG = "350206199607210013"


@pytest.fixture(scope="module")
def gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[GatewayThread, GatewaySettings]]:
    settings = GatewaySettings(db_path=tmp_path_factory.mktemp("gw") / "gateway.sqlite3", demo=True,
                               rate_per_s=1000, rate_burst=1000)
    server = GatewayThread(create_app(settings))
    settings.public_url = server.url
    server.start()
    yield server, settings
    server.stop()


@pytest.fixture(scope="module")
def issued(gateway, tmp_path_factory) -> tuple[bytes, str]:
    server, _ = gateway
    from gateway_api import Api

    api = Api(server.url)
    answer = api.session.post(f"{api.base}/documents/population", json={"id_number": YOUNG}, timeout=120)
    assert answer.status_code == 200
    return answer.content, answer.headers[CODE_HEADER]


def _upload(url: str, data: bytes, name: str = "certificate.pdf") -> requests.Response:
    return requests.post(url + "/verify", files={"file": (name, data, "application/pdf")}, timeout=120)


def _flip(data: bytes, at: int) -> bytes:
    changed = bytearray(data)
    changed[at] ^= 0x01
    return bytes(changed)


def test_the_issued_file_is_authentic(gateway, issued):
    page = _upload(gateway[0].url, issued[0])
    assert page.status_code == 200 and "Authentic" in page.text and issued[1] in page.text


@pytest.mark.parametrize("where", [0.1, 0.5, 0.9, -3])
def test_one_flipped_byte_is_altered(gateway, issued, where):
    data = issued[0]
    at = int(len(data) * where) if where > 0 else len(data) + where
    page = _upload(gateway[0].url, _flip(data, at))
    assert page.status_code == 200 and "Altered" in page.text, page.text


def test_a_raw_pdf_body_is_checked_too(gateway, issued):
    page = requests.post(gateway[0].url + "/verify", data=issued[0], headers={"Content-Type": "application/pdf"},
                         timeout=120)
    assert "Authentic" in page.text


def test_an_unknown_code_and_the_form(gateway):
    url = gateway[0].url
    missing = requests.get(url + "/verify/ABCD-EFGH-JKMN-PQRS", timeout=10)
    assert missing.status_code == 404 and "查无此文书" in missing.text
    garbage = requests.get(url + "/verify/%3Cscript%3E", timeout=10)
    assert garbage.status_code == 404 and "<script>" not in garbage.text
    form = requests.get(url + "/verify", timeout=10)
    assert form.status_code == 200 and "multipart/form-data" in form.text


@pytest.mark.parametrize("data,expected", [
    (b"hello, this is not a PDF", "not a PDF"),
    (b"%PDF-1.7\n" + b"\x00\xff" * 5000, "cannot be read"),
    (b"", "Choose a PDF"),
])
def test_hostile_uploads_get_a_clear_answer(gateway, data, expected):
    page = _upload(gateway[0].url, data)
    assert page.status_code in (200, 400) and expected in page.text
    assert "Traceback" not in page.text


def test_a_truncated_certificate_is_unknown_or_altered(gateway, issued):
    page = _upload(gateway[0].url, issued[0][: len(issued[0]) // 2])
    assert page.status_code == 200 and ("Unknown" in page.text or "Altered" in page.text)


def test_a_huge_upload_is_refused_before_it_is_read(gateway):
    # Only the headers go out: the answer must come before a byte of the declared 9 MB is sent (a
    # client that keeps sending after the early answer may see the connection reset under it).
    target = urlsplit(gateway[0].url)
    connection = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
    try:
        connection.putrequest("POST", "/verify")
        connection.putheader("Content-Type", "multipart/form-data; boundary=x")
        connection.putheader("Content-Length", str(9 * 1024 * 1024))
        connection.endheaders()
        answer = connection.getresponse()
        assert answer.status == 413 and b"body_too_large" in answer.read()
    finally:
        connection.close()


def test_a_mangled_form_is_an_answer(gateway):
    answer = requests.post(gateway[0].url + "/verify", data=b"--x\r\nnonsense",
                           headers={"Content-Type": "multipart/form-data; boundary=x"}, timeout=10)
    assert answer.status_code == 400 and "Choose a PDF" in answer.text


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "gateway", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=120)


def test_the_command_line_makes_a_key_a_sample_and_checks_it(tmp_path):
    made = _cli("admin", "document-key", "--dir", str(tmp_path / "document-key"), cwd=tmp_path)
    assert made.returncode == 0 and "root.pem" in made.stdout
    assert _cli("admin", "document-key", "--dir", str(tmp_path / "document-key"), cwd=tmp_path).returncode == 2
    sample = _cli("document", "sample", "--kind", "property", "--out", "p.pdf", "--db", "g.sqlite3", cwd=tmp_path)
    assert sample.returncode == 0, sample.stderr
    assert "2 page(s)" in sample.stdout
    good = _cli("verify", "p.pdf", "--db", "g.sqlite3", cwd=tmp_path)
    assert good.returncode == 0 and good.stdout.startswith("authentic")
    pdf = (tmp_path / "p.pdf").read_bytes()
    (tmp_path / "bad.pdf").write_bytes(_flip(pdf, len(pdf) // 2))
    bad = _cli("verify", "bad.pdf", "--db", "g.sqlite3", cwd=tmp_path)
    assert bad.returncode == 1 and bad.stdout.startswith("altered")
    (tmp_path / "x.pdf").write_text("no")
    unknown = _cli("verify", "x.pdf", "--db", "g.sqlite3", cwd=tmp_path)
    assert unknown.returncode == 3 and unknown.stdout.startswith("unknown")
    missing = _cli("verify", "nothing.pdf", "--db", "g.sqlite3", cwd=tmp_path)
    assert missing.returncode == 2 and "cannot read" in missing.stderr and "Traceback" not in missing.stderr


def test_the_signature_check_works_inside_a_running_event_loop(gateway, issued):
    import asyncio
    import threading

    from gateway.documents.checking import check_signature
    from gateway.documents.hall_key import DocumentKey

    async def inside() -> bool:
        return check_signature(issued[0], DocumentKey(gateway[1].document_key_path())).good

    answers: list[bool] = []  # a thread of its own: the test's own thread may already run a loop
    worker = threading.Thread(target=lambda: answers.append(asyncio.run(inside())))
    worker.start()
    worker.join(timeout=60)
    assert answers == [True]
