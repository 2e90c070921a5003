"""The gateway client's certificate call against the real reference gateway: the signed PDF and its
headers, the citizen's words for nothing to certify, and answers that are not a certificate."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from gateway.app import create_app
from gateway.serve_thread import GatewayThread
from gateway.settings import GatewaySettings
from kiosk.gateway_client.client import GatewayClient
from kiosk.gateway_client.errors import GatewayRefused, GatewayServerError

YOUNG, HK = "350206199607210013", "810000199508152024"


@pytest.fixture(scope="module")
def gateway_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    settings = GatewaySettings(db_path=tmp_path_factory.mktemp("documents") / "gateway.sqlite3", demo=True,
                               rate_per_s=1000, rate_burst=1000)
    server = GatewayThread(create_app(settings))
    settings.public_url = server.url
    with server:
        yield server.url


def client_for(url: str) -> GatewayClient:
    return GatewayClient(url, "XM-HALL-001", "demo-hall-001-secret", connect_timeout=2, read_timeout=5)


def test_a_certificate_is_the_signed_pdf_with_its_number_and_page_count(gateway_url):
    client = client_for(gateway_url)
    try:
        number = client.lookup_social_security(YOUNG).document.number  # the number the lookup was given
        certificate = client.certificate("social_security", YOUNG, "resident", number)
    finally:
        client.close()
    assert certificate.pdf.startswith(b"%PDF-") and b"/ByteRange" in certificate.pdf  # signed
    assert certificate.pages == 2
    assert certificate.number == number  # the paper and the screen agree
    assert certificate.verification_code
    assert YOUNG not in repr(certificate)


def test_nothing_to_certify_carries_the_gateways_words_for_the_citizen(gateway_url):
    client = client_for(gateway_url)
    try:
        with pytest.raises(GatewayRefused) as info:
            client.certificate("population", HK, "J")
    finally:
        client.close()
    assert info.value.status in (404, 409)
    assert info.value.citizen_message("zh") and info.value.citizen_message("zh") != info.value.citizen_message("en")
    assert client.online


@pytest.mark.parametrize(("kind", "number"), [("passport", None), ("property", "SS-1; DROP")])
def test_a_request_off_the_contract_never_leaves_the_kiosk(kind, number):
    client = client_for("http://127.0.0.1:9")  # nothing listens there: any traffic would fail differently
    try:
        with pytest.raises(GatewayRefused) as info:
            client.certificate(kind, YOUNG, "resident", number)
    finally:
        client.close()
    assert info.value.code == "invalid_request" and info.value.permanent


class _Answers(BaseHTTPRequestHandler):
    """A server that answers certificate requests wrongly, as told by ``answer``."""

    answer: tuple[int, dict[str, str], bytes] = (200, {}, b"")

    def log_message(self, *args: object) -> None:
        pass

    def do_POST(self) -> None:  # noqa: N802
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        status, headers, body = type(self).answer
        self.send_response(status)
        for name, value in {"Content-Length": str(len(body)), **headers}.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def odd_server() -> Iterator[tuple[str, type[_Answers]]]:
    handler = type("Answers", (_Answers,), {})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", handler
    server.shutdown()
    server.server_close()


PDF = {"Content-Type": "application/pdf", "X-Document-Number": "XMZW-SS-20261125-000001"}


@pytest.mark.parametrize(("headers", "body", "words"), [
    ({"Content-Type": "application/json"}, b'{"status": "found"}', "expected a PDF"),
    ({"Content-Type": "application/pdf"}, b"<html>not a pdf</html>", "expected a PDF"),
    ({**PDF, "X-Page-Count": "two"}, b"%PDF-1.7 ...", "is not a page count"),
    ({**PDF, "X-Page-Count": "0"}, b"%PDF-1.7 ...", "is not a page count"),
    ({**PDF, "X-Page-Count": "99999"}, b"%PDF-1.7 ...", "is not a page count"),
    ({"Content-Type": "application/pdf", "X-Page-Count": "1"}, b"%PDF-1.7 ...", "no X-Document-Number"),
])
def test_an_answer_that_is_not_a_certificate_is_refused_plainly(odd_server, headers, body, words):
    url, handler = odd_server
    handler.answer = (200, headers, body)
    client = client_for(url)
    try:
        with pytest.raises(GatewayServerError) as info:
            client.certificate("social_security", YOUNG)
    finally:
        client.close()
    assert info.value.code == "invalid_response" and words in str(info.value)


def test_a_gateway_without_a_document_key_is_one_service_down_not_offline(odd_server):
    url, handler = odd_server
    body = json.dumps({"code": "documents_unavailable", "message": "no document key"}).encode()
    handler.answer = (503, {"Content-Type": "application/json"}, body)
    client = client_for(url)
    try:
        for _ in range(5):
            with pytest.raises(GatewayServerError) as info:
                client.certificate("property", YOUNG)
            assert info.value.code == "documents_unavailable"
        assert client.online  # the breaker did not open: lookups and tickets go on
    finally:
        client.close()


def test_a_service_guide_on_a4_is_an_unsigned_pdf_with_its_pages(gateway_url):
    import shutil
    import subprocess

    client = client_for(gateway_url)
    try:
        guide = client.guide_pdf("ss-card-apply")
        with pytest.raises(GatewayRefused) as info:
            client.guide_pdf("no-such-service")
        with pytest.raises(GatewayRefused):
            client.guide_pdf("../etc")
    finally:
        client.close()
    assert guide.pdf.startswith(b"%PDF-") and guide.pages >= 1 and b"/ByteRange" not in guide.pdf
    assert info.value.status == 404
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-", "-"], input=guide.pdf, capture_output=True, timeout=60).stdout.decode()
        assert "办事指南" in text and "社会保障卡" in text and "仅供参考" in text
