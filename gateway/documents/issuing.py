"""One certificate for one looked-up citizen: look up, lay out, render, sign, record.

The lookup is the same one the kiosk's lookup endpoints answer (``lookup_answer``), so a
certificate says exactly what the screen showed, under the same document number when the kiosk
passes the number its lookup was given. The slow part (rendering, ~0.5 s) runs outside the
database transaction, in a renderer process (gateway/documents/renderers.py).
"""

from __future__ import annotations

import hashlib
import weakref
from dataclasses import dataclass

from contract.lookups import LookupRequest
from gateway.context import GatewayContext
from gateway.documents import register as register_module
from gateway.documents.hall_key import DocumentKey, ensure_demo_key
from gateway.documents.kinds import DocumentKind
from gateway.documents.renderers import render_and_sign, render_and_sign_elsewhere
from gateway.documents.seal import load_seal
from gateway.documents.sheet import Certificate
from gateway.problems import Problem
from gateway.routers.lookups import lookup_answer
from gateway.storage import Database

_REGISTERS: weakref.WeakKeyDictionary[Database, register_module.SqliteIssuedDocuments] = weakref.WeakKeyDictionary()
_RECORD_FIELD = {"social_security": "record", "properties": "properties", "household": "household"}


@dataclass(frozen=True)
class IssuedPdf:
    data: bytes
    document: register_module.IssuedDocument


def register_for(ctx: GatewayContext) -> register_module.IssuedDocuments:
    """This gateway's record of issued documents."""
    found = _REGISTERS.get(ctx.db)
    if found is None:
        found = _REGISTERS[ctx.db] = register_module.SqliteIssuedDocuments(ctx.db)
    return found


def document_key(ctx: GatewayContext) -> DocumentKey:
    """The hall's document key; the demo makes its own the first time."""
    path = ctx.settings.document_key_path()
    return ensure_demo_key(path) if ctx.settings.demo else DocumentKey(path).require()


def reason_text(number: str, code: str) -> str:
    """The signature's reason, plain ASCII so a checker finds the code in a damaged file too."""
    # letters, digits and spaces only: the PDF writer escapes most punctuation in strings
    return f"Issued by the Xiamen Administrative Service Center document {number.replace('-', ' ')} " \
           f"verification code {code.replace('-', '')}"


def issue_certificate(ctx: GatewayContext, kind: DocumentKind, body: LookupRequest, kiosk_id: str,
                      number: str | None = None) -> IssuedPdf:
    """The signed PDF of ``kind`` for the citizen of ``body``; Problem 404/409 when there is nothing to certify."""
    key = document_key(ctx)  # before anything is recorded: no key, no document
    with ctx.db.transaction() as conn:
        answer = lookup_answer(ctx, conn, body, kind.lookup, kiosk_id, number)
        if answer["status"] != "found":
            status = 404 if answer["status"] == "no_record" else 409
            raise Problem(status, answer["status"], answer["message_en"],
                          detail={"message_zh": answer["message_zh"], "message_en": answer["message_en"]})
        name = conn.row("SELECT name FROM citizens WHERE id_number = ?", (body.id_number,))["name"]
    code = register_module.new_code()
    number = answer["document"]["number"]
    certificate = Certificate(
        kind=kind, holder_name=name, id_number=body.id_number, record=answer[_RECORD_FIELD[kind.lookup]],
        number=number, code=code, verify_url=ctx.settings.public(f"/verify/{code}"), issued_at=ctx.settings.now(),
        seal_png=load_seal(ctx.settings.seal_image),
    )
    return sign_and_record(certificate, key, register_for(ctx), answer["holder_masked"], kiosk_id, elsewhere=True)


def sign_and_record(certificate: Certificate, key: DocumentKey, register: register_module.IssuedDocuments,
                    holder_masked: str, kiosk_id: str, *, elsewhere: bool = False) -> IssuedPdf:
    """Render ``certificate``, sign it with ``key`` and record it in ``register`` (``elsewhere``: in a
    renderer process, as a gateway serving requests must)."""
    reason = reason_text(certificate.number, certificate.code)
    signed, pages = (render_and_sign_elsewhere if elsewhere else render_and_sign)(certificate, key, reason)
    document = register_module.IssuedDocument(
        code=certificate.code, number=certificate.number, kind=certificate.kind.name, holder_masked=holder_masked,
        issued_at=certificate.issued_at.isoformat(timespec="seconds"), kiosk_id=kiosk_id,
        digest=hashlib.sha256(signed).hexdigest(), pages=pages, size=len(signed),
    )
    register.record(document)
    return IssuedPdf(signed, document)
