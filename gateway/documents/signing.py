"""The PAdES signature: the hall's document key over the whole PDF, with pyHanko.

The signature covers every byte of the file (an incremental update after the PDF/A body), so any
PDF reader shows who issued the certificate and that it is unchanged since; the signing
certificate and its root travel in the signature so a reader can show the chain.
"""

from __future__ import annotations

import io

from gateway.documents.hall_key import HALL_NAME, DocumentKey

FIELD_NAME = "HallSeal"


def sign_pdf(data: bytes, key: DocumentKey, *, reason: str, location: str = f"厦门 {HALL_NAME}") -> bytes:
    """``data`` signed as PAdES B-B by the hall's document key (raises DocumentKeyMissing without it)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    key.require()
    signer = signers.SimpleSigner.load(str(key.key), str(key.certificate), ca_chain_files=(str(key.root),))
    if signer is None:
        raise ValueError(f"the document key in {key.directory} cannot be loaded")
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME, subfilter=fields.SigSeedSubFilter.PADES, reason=reason, location=location,
        name=HALL_NAME, md_algorithm="sha256",
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    out = signers.sign_pdf(writer, meta, signer=signer)
    return out.getvalue()
