"""Is this PDF one the hall issued, unchanged? authentic / altered / unknown, with the reason.

- **authentic**: its bytes are exactly those of a document on record (SHA-256), and its PAdES
  signature is intact, covers the whole file and chains to the hall's root;
- **altered**: it names a document on record (the verification code in its signature) or carries
  the hall's signature, but its bytes differ — one changed byte is enough;
- **unknown**: nothing ties it to a document on record: not a PDF, someone else's signature, no
  signature, a file too damaged to read.

Nothing a caller hands in ends in a traceback: every failure of the PDF reader is an answer.
"""

from __future__ import annotations

import asyncio
import enum
import hashlib
import io
import logging
import re
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

from gateway.documents.hall_key import DocumentKey
from gateway.documents.register import IssuedDocument, IssuedDocuments, normal_code

MAX_PDF_BYTES = 8 * 1024 * 1024
_CODE_IN_FILE = re.compile(rb"verification code ([0-9A-HJKMNP-TV-Z]{16})")

log = logging.getLogger("gateway.documents")
T = TypeVar("T")


class Outcome(enum.StrEnum):
    AUTHENTIC = "authentic"
    ALTERED = "altered"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Verdict:
    outcome: Outcome
    reason: str
    document: IssuedDocument | None = None
    digest: str = ""


@dataclass(frozen=True)
class SignatureCheck:
    readable: bool
    ours: bool = False  # signed by the hall's document certificate
    intact: bool = False
    whole_file: bool = False
    trusted: bool = False
    detail: str = ""

    @property
    def good(self) -> bool:
        return self.ours and self.intact and self.whole_file and self.trusted


def _in_own_loop(make: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run pyHanko's coroutine to the end, on a thread of its own when this one already runs a loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(make())
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="signature-check") as pool:
        return pool.submit(lambda: asyncio.run(make())).result()


def check_signature(data: bytes, key: DocumentKey) -> SignatureCheck:
    """What pyHanko finds of the last signature in ``data``, checked against the hall's root."""
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import async_validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
        if not signatures:
            return SignatureCheck(True, detail="the PDF has no signature")
        signature = signatures[-1]
        root = load_cert_from_pemder(str(key.root))
        ours = signature.signer_cert.dump() == load_cert_from_pemder(str(key.certificate)).dump()
        context = ValidationContext(trust_roots=[root], allow_fetching=False)
        status = _in_own_loop(lambda: async_validate_pdf_signature(signature, context))
    except Exception as exc:  # a damaged or hostile file: any failure to read it is the answer
        log.info("signature unreadable: %s: %s", type(exc).__name__, exc)
        return SignatureCheck(False, detail=f"the PDF or its signature cannot be read ({type(exc).__name__})")
    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    return SignatureCheck(True, ours=ours, intact=bool(status.intact and status.valid), whole_file=whole,
                          trusted=bool(status.trusted), detail=status.summary())


def check_pdf(data: bytes, register: IssuedDocuments, key: DocumentKey) -> Verdict:
    """The verdict on ``data`` (the bytes of an uploaded or given file)."""
    if len(data) > MAX_PDF_BYTES:
        return Verdict(Outcome.UNKNOWN, f"the file is larger than {MAX_PDF_BYTES // (1024 * 1024)} MiB; "
                       "no certificate of the hall is that large")
    if not data.startswith(b"%PDF-"):
        return Verdict(Outcome.UNKNOWN, "the file is not a PDF")
    digest = hashlib.sha256(data).hexdigest()
    on_record = register.by_digest(digest)
    if on_record is not None:
        signature = check_signature(data, key) if key.exists() else SignatureCheck(False)
        if signature.good:
            return Verdict(Outcome.AUTHENTIC, "the file is exactly the document issued, and its signature is "
                           "intact and from the hall", on_record, digest)
        return Verdict(Outcome.ALTERED, f"the file is on record but its signature does not check out "
                       f"({signature.detail})", on_record, digest)
    for match in _CODE_IN_FILE.finditer(data):
        code = normal_code(match.group(1).decode("ascii"))
        named = register.by_code(code) if code else None
        if named is not None:
            return Verdict(Outcome.ALTERED, f"the file names document {named.number} but its bytes differ "
                           "from the document issued", named, digest)
    if not key.exists():
        return Verdict(Outcome.UNKNOWN, "no document on record has these bytes", None, digest)
    signature = check_signature(data, key)
    if signature.ours and not (signature.intact and signature.whole_file):
        return Verdict(Outcome.ALTERED, "the file carries the hall's signature but was changed after signing",
                       None, digest)
    if signature.good:
        return Verdict(Outcome.UNKNOWN, "signed by the hall, but not on record at this gateway", None, digest)
    if not signature.readable:
        return Verdict(Outcome.UNKNOWN, signature.detail, None, digest)
    return Verdict(Outcome.UNKNOWN, "the file was not issued by the hall "
                   f"({signature.detail or 'no signature of the hall'})", None, digest)
