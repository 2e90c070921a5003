"""The shared contract: cheap to import, strict on requests, tolerant on responses."""

from __future__ import annotations

import subprocess
import sys

import pytest
from pydantic import ValidationError

from contract.citizen import FeedbackRequest, MailingRequest
from contract.lookups import LookupRequest
from contract.payments import Notice, OrderRequest, yuan
from contract.queue import TicketRequest


def test_contract_imports_without_fastapi():
    code = ("import sys, contract.base, contract.content, contract.queue, contract.lookups, "
            "contract.payments, contract.citizen, contract.outbox; "
            "bad = [m for m in ('fastapi', 'starlette', 'uvicorn', 'PySide6') if m in sys.modules]; "
            "print(bad); sys.exit(1 if bad else 0)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr


def test_requests_refuse_unknown_fields():
    with pytest.raises(ValidationError):
        FeedbackRequest.model_validate({"service_id": "ss-card-apply", "rating": 5, "stars": 5})


def test_responses_ignore_unknown_fields():
    notice = Notice.model_validate({
        "number": "3502002611000001", "item_zh": "x", "payer_masked": "王**", "amount_fen": 1000,
        "due_date": "2026-12-31", "status": "unpaid", "payable_here": True, "added_later": 1,
    })
    assert notice.amount_fen == 1000


@pytest.mark.parametrize("number", ["350203194803120021", "35020319480312002X", "USA350286031500",
                                    "810000199508152024"])
def test_lookup_accepts_the_card_families(number):
    assert LookupRequest(id_number=number).id_number == number


@pytest.mark.parametrize("number", ["3502031948031200", "350203194803120021 ", "usa350286031500", ""])
def test_lookup_refuses_malformed_numbers(number):
    with pytest.raises(ValidationError):
        LookupRequest(id_number=number)


def test_field_rules():
    with pytest.raises(ValidationError):
        FeedbackRequest(service_id="ss-card-apply", rating=6)
    with pytest.raises(ValidationError):
        OrderRequest(notice_number="350200261100000")
    with pytest.raises(ValidationError):
        TicketRequest(service_id="ss-card-apply", appointment_code="YY2026")
    with pytest.raises(ValidationError):
        MailingRequest(document_number="XMZW-1", recipient_name="王", phone="12345", address="福建省厦门市思明区")
    assert TicketRequest(service_id="ss-card-apply", priority_reason="elderly").priority_reason == "elderly"


def test_yuan_formats_fen():
    assert yuan(8000) == "80.00"
    assert yuan(1005) == "10.05"
    assert yuan(0) == "0.00"
