"""Personal lookups for the citizen whose card was read at the kiosk: social security, property, population.

ID numbers travel in the POST body, never in the URL, so they stay out of access logs.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

from contract.identity import card_type_of_number as card_type_of
from contract.identity import is_valid_id_number as is_valid
from contract.lookups import LookupRequest, PopulationAnswer, PropertyAnswer, SocialSecurityAnswer
from contract.masking import mask_name
from gateway.context import GatewayContext
from gateway.problems import Problem
from gateway.routers.common import AUTH_ERRORS, CONFLICT, IdempotentPost, idempotent
from gateway.storage import Transaction, loads

router = APIRouter(prefix="/lookups", tags=["lookups"], responses={**AUTH_ERRORS, **CONFLICT})

_KINDS = {
    "social_security": ("SS", "社会保险参保缴费情况", "social insurance record"),
    "properties": ("BDC", "不动产登记信息", "property registry record"),
    "household": ("RK", "人口（户籍）信息", "population (household registration) record"),
}
_NO_RECORD = {
    "social_security": ("未查询到您在本市的社会保险参保记录。如有疑问请到B区社保窗口咨询。",
                        "No social insurance record in Xiamen was found for you. Ask at a social security window in Zone B."),
    "properties": ("未查询到您名下在本市登记的不动产。",
                   "No property registered in Xiamen was found in your name."),
    "household": ("未查询到您在本市的户籍信息。",
                  "No household registration in Xiamen was found for you."),
}


def _document(ctx: GatewayContext, conn: Transaction, kind: str, holder_masked: str, kiosk_id: str,
              number: str | None = None) -> dict[str, Any]:
    """A new document for this answer, or (a replay) the one issued the first time, by ``number``."""
    if number is not None:
        row = conn.one("SELECT number, issued_at FROM documents WHERE number = ? AND kiosk_id = ?", (number, kiosk_id))
        if row is not None:
            return {"number": row["number"], "verify_url": ctx.settings.public(f"/verify/{row['number']}"),
                    "issued_at": row["issued_at"]}
    prefix = _KINDS[kind][0]
    day = ctx.settings.now().strftime("%Y%m%d")
    seq = conn.next_value(f"document-{day}")
    number = f"XMZW-{prefix}-{day}-{seq:06d}"
    issued = ctx.now_iso()
    conn.execute("INSERT INTO documents (number, kind, holder_masked, issued_at, kiosk_id) VALUES (?,?,?,?,?)",
                 (number, kind, holder_masked, issued, kiosk_id))
    return {"number": number, "verify_url": ctx.settings.public(f"/verify/{number}"), "issued_at": issued}


def lookup_answer(ctx: GatewayContext, conn: Transaction, body: LookupRequest, kind: str, kiosk_id: str,
            document: str | None = None) -> dict[str, Any]:
    if not is_valid(body.id_number):
        raise Problem(422, "id_number_invalid", "the ID number's check digit is wrong (damaged or forged card?)")
    card_type = card_type_of(body.id_number)
    if kind == "household" and card_type != "resident":
        return {
            "status": "not_applicable",
            "message_zh": "港澳台居民居住证和外国人永久居留身份证持有人没有本市户籍，无法查询户籍信息。",
            "message_en": "Holders of residence permits and foreigner permanent residence cards have no household "
                          "registration here, so there is nothing to look up.",
        }
    row = conn.one(f"SELECT name, {kind} AS record FROM citizens WHERE id_number = ?", (body.id_number,))
    record = loads(row["record"]) if row is not None else None
    if row is None or not record:
        zh, en = _NO_RECORD[kind]
        return {"status": "no_record", "message_zh": zh, "message_en": en}
    holder = mask_name(row["name"])
    answer: dict[str, Any] = {
        "status": "found", "message_zh": f"已查询到您的{_KINDS[kind][1]}。",
        "message_en": f"Your {_KINDS[kind][2]} was found.", "holder_masked": holder,
        "document": _document(ctx, conn, kind, holder, kiosk_id, document),
    }
    field = {"social_security": "record", "properties": "properties", "household": "household"}[kind]
    answer[field] = record
    return answer


def _lookup(kind: str, body: LookupRequest, post: IdempotentPost) -> JSONResponse:
    ctx = post.ctx
    # A replay asks the registry again (the request carries the ID number again; the gateway kept
    # only its digest) and hands back the document issued the first time.
    answer = post.answer(
        f"lookup:{kind}", body.model_dump(),
        lambda conn: (200, lookup_answer(ctx, conn, body, kind, post.kiosk_id)),
        lambda conn, kept: lookup_answer(ctx, conn, body, kind, post.kiosk_id, kept.get("document")))
    answer.headers["Cache-Control"] = "no-store"  # personal data: no proxy or browser keeps a copy
    return answer


@router.post("/social-security", response_model=SocialSecurityAnswer,
             summary="Insured status, contributions by month, maternity insurance, card status")
def social_security(body: LookupRequest, post: IdempotentPost = Depends(idempotent)) -> JSONResponse:
    return _lookup("social_security", body, post)


@router.post("/property", response_model=PropertyAnswer, summary="Properties registered in the citizen's name")
def property_registry(body: LookupRequest, post: IdempotentPost = Depends(idempotent)) -> JSONResponse:
    return _lookup("properties", body, post)


@router.post("/population", response_model=PopulationAnswer, summary="Household registration (户籍) information")
def population(body: LookupRequest, post: IdempotentPost = Depends(idempotent)) -> JSONResponse:
    return _lookup("household", body, post)
