"""The public check page: /verify/<code> and an upload form that says authentic, altered or unknown.

What the QR code on a certificate opens. It shows the document's kind, the masked holder, the
issue time and the file's digest (SHA-256), never more; a lookup's document number (the older
receipts carry it) still finds its record. The form takes the PDF (multipart form or a raw
``application/pdf`` body, at most ``MAX_PDF_BYTES``) and gives the verdict.
"""

from __future__ import annotations

import email.parser
import email.policy
from html import escape

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from gateway.context import GatewayContext, get_context
from gateway.documents.checking import MAX_PDF_BYTES, Outcome, check_pdf
from gateway.documents.hall_key import DocumentKey
from gateway.documents.issuing import register_for
from gateway.documents.kinds import KINDS, kind_named
from gateway.documents.register import IssuedDocument, normal_code
from gateway.pages import _page

router = APIRouter(include_in_schema=False)

_FORM = ("<div class='card'><form method='post' action='/verify' enctype='multipart/form-data'>"
         "<p>上传证明的PDF文件核验真伪 · Upload the PDF to check it</p>"
         "<input type='file' name='file' accept='application/pdf'><p><button type='submit'>核验 Check</button></p>"
         "</form></div>")
_VERDICT = {
    Outcome.AUTHENTIC: ("ok", "✔ 文件真实、未被修改 · Authentic and unchanged"),
    Outcome.ALTERED: ("warn", "✘ 文件已被修改 · Altered"),
    Outcome.UNKNOWN: ("warn", "？ 无法确认为本中心出具 · Unknown"),
}


def _card(doc: IssuedDocument) -> str:
    kind = KINDS.get(doc.kind)
    title = f"{kind.title_zh} · {kind.title_en}" if kind else doc.kind
    return (f"<div class='card'><dl><dt>文书编号 Document number</dt><dd>{escape(doc.number)}</dd>"
            f"<dt>核验码 Verification code</dt><dd>{escape(doc.code)}</dd>"
            f"<dt>类型 Type</dt><dd>{escape(title)}</dd><dt>持有人 Holder</dt><dd>{escape(doc.holder_masked)}</dd>"
            f"<dt>出具时间 Issued</dt><dd>{escape(doc.issued_at)}</dd><dt>页数 Pages</dt><dd>{doc.pages}</dd>"
            f"<dt>文件摘要 SHA-256</dt><dd style='word-break:break-all;font-family:monospace'>{escape(doc.digest)}</dd>"
            f"</dl></div>")


def _lookup_record(ctx: GatewayContext, number: str) -> str | None:
    with ctx.db.transaction() as conn:
        row = conn.one("SELECT * FROM documents WHERE number = ?", (number,))
    if row is None:
        return None
    try:
        kind = kind_named(row["kind"])
        title = f"{kind.title_zh} · {kind.title_en}"
    except ValueError:
        title = row["kind"]
    return (f"<div class='card'><dl><dt>文书编号 Document number</dt><dd>{escape(row['number'])}</dd>"
            f"<dt>类型 Type</dt><dd>{escape(title)}</dd><dt>持有人 Holder</dt><dd>{escape(row['holder_masked'])}</dd>"
            f"<dt>出具时间 Issued</dt><dd>{escape(row['issued_at'])}</dd>"
            f"<dt>出具终端 Kiosk</dt><dd>{escape(row['kiosk_id'])}</dd></dl></div>")


@router.get("/verify", response_class=HTMLResponse)
def verify_form() -> HTMLResponse:
    return _page("文书查验 Document check", "<h1>文书查验 · Document check</h1>" + _FORM)


@router.get("/verify/{code}", response_class=HTMLResponse)
def verify_page(code: str = Path(max_length=40), ctx: GatewayContext = Depends(get_context)) -> HTMLResponse:
    normal = normal_code(code)
    doc = register_for(ctx).by_code(normal) if normal else None
    if doc is not None:
        body = ("<h1 class='ok'>✔ 文书真实有效 · Genuine document</h1>" + _card(doc) +
                "<p class='muted'>纸质证明内容应与上述信息一致；如需核对电子文件，请在下方上传。"
                "The paper must match the above; to check the file itself, upload it below.</p>" + _FORM)
        return _page("文书查验 Document check", body)
    record = _lookup_record(ctx, code)
    if record is not None:
        return _page("文书查验 Document check", "<h1 class='ok'>✔ 文书真实有效 · Genuine document</h1>" + record)
    return _page("查验失败", "<h1 class='warn'>查无此文书 · No such document</h1><p>该核验码不是本中心出具的，"
                 "请谨慎使用。This code was not issued by the center.</p>" + _FORM, status=404)


def _uploaded_pdf(content_type: str, body: bytes) -> bytes | None:
    """The file in a multipart form (field ``file``) or a raw PDF body; None when there is none."""
    if content_type.startswith("multipart/form-data"):
        head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1", "replace")
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
        if not message.is_multipart():
            return None
        for part in message.iter_parts():
            if part.get_param("name", header="content-disposition") == "file":
                payload = part.get_payload(decode=True)
                return payload if isinstance(payload, bytes) else None
        return None
    return body or None


@router.post("/verify", response_class=HTMLResponse)
async def verify_upload(request: Request, ctx: GatewayContext = Depends(get_context)) -> HTMLResponse:
    body = await request.body()
    try:
        data = _uploaded_pdf(request.headers.get("content-type", ""), body)
    except Exception:  # a mangled form is an answer, not a traceback
        data = None
    if not data:
        return _page("文书查验 Document check", "<h1 class='warn'>请选择PDF文件 · Choose a PDF file</h1>" + _FORM,
                     status=400)
    if len(data) > MAX_PDF_BYTES:
        return _page("文书查验 Document check", "<h1 class='warn'>文件过大 · File too large</h1>" + _FORM, status=413)
    # pyHanko runs its own event loop: the check goes to a worker thread, off this one
    verdict = await run_in_threadpool(check_pdf, data, register_for(ctx),
                                      DocumentKey(ctx.settings.document_key_path()))
    css, headline = _VERDICT[verdict.outcome]
    card = _card(verdict.document) if verdict.document is not None else ""
    digest = (f"<p class='muted' style='word-break:break-all'>上传文件的SHA-256 · Uploaded file's SHA-256: "
              f"{escape(verdict.digest)}</p>") if verdict.digest else ""
    return _page("文书查验 Document check", f"<h1 class='{css}'>{headline}</h1><p>{escape(verdict.reason)}</p>"
                 + card + digest + _FORM, status=200)
