"""Certificates on A4 from a running gateway: the PDF's text and pages, its signature, the register."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from contract.documents import CODE_HEADER, NUMBER_HEADER, PAGES_HEADER
from gateway.app import create_app
from gateway.documents.checking import _in_own_loop, check_signature
from gateway.documents.hall_key import DocumentKey
from gateway.serve_thread import GatewayThread
from gateway.settings import GatewaySettings

YOUNG, ELDERLY, HK = "350206199607210013", "350203194803120021", "810000199508152024"
pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")


def _text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def _pages_as_png(pdf: Path, out: Path) -> list[Path]:
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(pdf), str(out / pdf.stem)], check=True)
    return sorted(out.glob(f"{pdf.stem}-*.png"))


def _issue(api, kind: str, number: str, tmp_path: Path, **extra) -> tuple[Path, dict[str, str]]:
    # the gateway's first certificate loads the fonts: seconds on a busy machine
    answer = api.session.post(f"{api.base}/documents/{kind}", json={"id_number": number, **extra}, timeout=120)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.headers["cache-control"] == "no-store"
    path = tmp_path / f"{kind}.pdf"
    path.write_bytes(answer.content)
    return path, dict(answer.headers)


@pytest.fixture(scope="module")
def key_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("document-key")


@pytest.fixture(scope="module")
def shared_gateway(tmp_path_factory: pytest.TempPathFactory, key_dir: Path) -> Iterator[GatewayThread]:
    """A demo gateway whose document key (made at the first certificate) lives in ``key_dir``."""
    settings = GatewaySettings(db_path=tmp_path_factory.mktemp("gw") / "gateway.sqlite3", demo=True,
                               rate_per_s=1000, rate_burst=1000, document_key_dir=key_dir)
    server = GatewayThread(create_app(settings))
    settings.public_url = server.url
    server.start()
    yield server
    server.stop()


def _key(key_dir: Path) -> DocumentKey:
    return DocumentKey(key_dir)


@pytest.mark.parametrize("kind,number,words", [
    ("social_security", YOUNG, ["参保缴费证明", "王晓明", YOUNG, "厦门鹭岛软件有限公司", "8,000.00", "840.00",
                                "1,896.00", "正常参保缴费（职工）"]),
    ("property", ELDERLY, ["不动产登记信息查询结果", "林秀英", "闽(2016)厦门市不动产权第0031245号", "鹭江道100号702室",
                           "89.52", "32.40", "共 2 处"]),
    ("population", YOUNG, ["户籍人口信息证明", "王晓明", "350206004417", "厦门市公安局湖里分局江头派出所", "2021-10-08"]),
])
def test_each_certificate_reads_back_with_its_chinese_and_its_numbers(api, shared_gateway, tmp_path, kind, number,
                                                                      words):
    pdf, headers = _issue(api, kind, number, tmp_path)
    text = _text(pdf)
    for word in [*words, "厦门市行政服务中心", headers[NUMBER_HEADER.lower()], headers[CODE_HEADER.lower()]]:
        assert word in text, word
    pages = int(headers[PAGES_HEADER.lower()])
    assert f"第 1 页 / 共 {pages} 页" in text and f"1/{pages}" in text
    pngs = _pages_as_png(pdf, tmp_path)
    assert len(pngs) == pages and all(p.stat().st_size > 10_000 for p in pngs)
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    cjk = [line for line in fonts.splitlines() if "CJK" in line]
    assert cjk and all(" yes yes yes " in line for line in cjk)  # embedded, subset, with a ToUnicode map
    assert "/verify/" in text


def test_social_security_certificate_has_two_pages_numbered_1_of_2(api, tmp_path):
    _, headers = _issue(api, "social_security", YOUNG, tmp_path)
    assert headers[PAGES_HEADER.lower()] == "2"


def test_the_signature_is_intact_whole_and_trusted_by_the_demo_root(api, key_dir, tmp_path):
    pdf, _ = _issue(api, "population", ELDERLY, tmp_path)
    check = check_signature(pdf.read_bytes(), _key(key_dir))
    assert check.readable and check.ours and check.intact and check.whole_file and check.trusted, check.detail
    # and with pyHanko on its own, as any checker would
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import async_validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    with open(pdf, "rb") as fh:
        signature = PdfFileReader(fh).embedded_signatures[0]
        context = ValidationContext(trust_roots=[load_cert_from_pemder(str(_key(key_dir).root))])
        status = _in_own_loop(lambda: async_validate_pdf_signature(signature, context))
    assert status.bottom_line and "厦门市行政服务中心" in signature.signer_cert.subject.human_friendly


def test_the_certificate_carries_the_lookups_document_number(api, tmp_path):
    lookup = api.post("/lookups/property", json={"id_number": YOUNG}).json()
    number = lookup["document"]["number"]
    _, headers = _issue(api, "property", YOUNG, tmp_path, document_number=number)
    assert headers[NUMBER_HEADER.lower()] == number


def test_the_check_page_shows_kind_masked_holder_time_and_digest(api, tmp_path):
    pdf, headers = _issue(api, "social_security", YOUNG, tmp_path)
    code = headers[CODE_HEADER.lower()]
    page = api.session.get(f"{api.url}/verify/{code}", timeout=10)
    assert page.status_code == 200 and "真实有效" in page.text
    assert "参保缴费证明" in page.text and "王**" in page.text and hashlib.sha256(pdf.read_bytes()).hexdigest() in page.text
    assert re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", page.text)
    assert "王晓明" not in page.text and YOUNG not in page.text
    lower = api.session.get(f"{api.url}/verify/{code.lower().replace('-', '')}", timeout=10)
    assert lower.status_code == 200 and code in lower.text


def test_nothing_to_certify_is_a_clear_refusal(api):
    none = api.post("/documents/property", json={"id_number": HK, "card_type": "J"})
    assert none.status_code == 404 and none.json()["code"] == "no_record"
    assert "未查询到" in none.json()["detail"]["message_zh"]
    permit = api.post("/documents/population", json={"id_number": HK, "card_type": "J"})
    assert permit.status_code == 409 and permit.json()["code"] == "not_applicable"
    assert api.post("/documents/passport", json={"id_number": YOUNG}).status_code == 422
    assert api.post("/documents/property", json={"id_number": YOUNG, "document_number": "x"}).status_code == 422


def test_only_a_kiosk_gets_certificates(api):
    anonymous = api.session.__class__().post(f"{api.base}/documents/property", json={"id_number": YOUNG}, timeout=10)
    assert anonymous.status_code == 401


def test_a_gateway_without_a_document_key_says_so(start_gateway, make_api, tmp_path):
    server, settings = start_gateway(demo=False, document_key_dir=tmp_path / "no-key")
    answer = make_api(server.url).post("/documents/population", json={"id_number": YOUNG})
    assert answer.status_code == 503 and answer.json()["code"] == "documents_unavailable"
    assert "kiosk-gateway admin document-key" in answer.json()["message"]


def test_a_configured_seal_is_used_and_a_bad_one_refused(start_gateway, make_api, tmp_path):
    from PIL import Image

    seal = tmp_path / "seal.png"
    Image.new("RGBA", (200, 200), (0, 0, 255, 200)).save(seal)
    server, _ = start_gateway(seal_image=seal, document_key_dir=tmp_path / "key")
    api = make_api(server.url)
    pdf = api.session.post(f"{api.base}/documents/population", json={"id_number": YOUNG}, timeout=120)
    assert pdf.status_code == 200
    path = tmp_path / "p.pdf"
    path.write_bytes(pdf.content)
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(path), str(tmp_path / "p")], check=True)
    page = Image.open(next(tmp_path.glob("p-*.png"))).convert("RGB")
    blue = page.resize((40, 56)).tobytes()
    assert any(blue[i + 2] > 150 and blue[i] < 120 for i in range(0, len(blue), 3))  # the blue seal is there
    (tmp_path / "bad.png").write_text("not an image")
    server, _ = start_gateway(seal_image=tmp_path / "bad.png", document_key_dir=tmp_path / "key")
    refused = make_api(server.url).post("/documents/population", json={"id_number": YOUNG})
    assert refused.status_code == 503 and "not a PNG" in refused.json()["message"]
